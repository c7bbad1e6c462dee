import { and, asc, eq, sql } from "drizzle-orm";
import { agencies, agencyMembers, profiles, type AgencyRole } from "#db/schema.ts";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";

/** The signed-in person: their profile, the agencies they work in, and any portal access. */
export interface Membership {
  agency_id: string;
  agency_name: string;
  agency_slug: string;
  logo_url: string | null;
  brand_color: string;
  currency: string;
  role: AgencyRole;
}

export type PortalAccess = {
  client_id: string;
  client_name: string;
  agency_id: string;
  agency_name: string;
  logo_url: string | null;
  brand_color: string;
};

export interface Account {
  profile: { user_id: string; email: string; name: string; avatar_url: string | null; timezone: string };
  memberships: Membership[];
  portal: PortalAccess[];
}

export function getAccount({ claims }: { claims: JwtClaims }): Promise<Account | null> {
  return asUser(claims, async (tx) => {
    const [profile] = await tx
      .select({
        user_id: profiles.user_id,
        email: profiles.email,
        name: profiles.name,
        avatar_url: profiles.avatar_url,
        timezone: profiles.timezone,
      })
      .from(profiles)
      .where(eq(profiles.user_id, claims.sub));
    if (!profile) return null;
    const memberships = await tx
      .select({
        agency_id: agencies.id,
        agency_name: agencies.name,
        agency_slug: agencies.slug,
        logo_url: agencies.logo_url,
        brand_color: agencies.brand_color,
        currency: agencies.currency,
        role: agencyMembers.role,
      })
      .from(agencyMembers)
      .innerJoin(agencies, eq(agencies.id, agencyMembers.agency_id))
      .where(and(eq(agencyMembers.user_id, claims.sub), eq(agencyMembers.is_active, true)))
      .orderBy(asc(agencyMembers.created_at));
    // Portal users may not read agencies; portal_access() gives them just the branding.
    const portal = [...(await tx.execute<PortalAccess>(sql`select * from public.portal_access()`))];
    return { profile, memberships, portal };
  });
}

/** The agency a request acts in: the one asked for if the person belongs to it, else their first. */
export function pickMembership(account: Account, requested: string | null | undefined): Membership | undefined {
  return account.memberships.find((m) => m.agency_id === requested) ?? (requested ? undefined : account.memberships[0]);
}

export function updateProfile({
  claims,
  name,
  timezone,
  avatar_url,
}: {
  claims: JwtClaims;
  name?: string;
  timezone?: string;
  /** A URL, null to remove the avatar, undefined to leave it. */
  avatar_url?: string | null;
}): Promise<Account["profile"]> {
  return asUser(claims, async (tx) => {
    const [row] = await tx
      .update(profiles)
      .set({
        ...(name !== undefined && { name }),
        ...(timezone !== undefined && { timezone }),
        ...(avatar_url !== undefined && { avatar_url }),
      })
      .where(eq(profiles.user_id, claims.sub))
      .returning({
        user_id: profiles.user_id,
        email: profiles.email,
        name: profiles.name,
        avatar_url: profiles.avatar_url,
        timezone: profiles.timezone,
      });
    return row!;
  });
}
