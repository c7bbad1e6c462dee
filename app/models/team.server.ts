import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { agencyMembers, invitations, memberRates, profiles, type AgencyRole } from "#db/schema.ts";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * The people of an agency. Rates come from member_rates, which RLS shows to owners and managers
 * in full and to a member for themselves only, so a member's list simply has null rates for
 * everyone else — nothing here decides who may see what.
 */
export interface TeamMember {
  id: string;
  user_id: string;
  name: string;
  email: string;
  avatar_url: string | null;
  timezone: string;
  role: AgencyRole;
  capacity_hours_weekly: number;
  is_active: boolean;
  deactivated_at: string | null;
  joined_at: string;
  hourly_rate_cents: number | null;
  cost_rate_cents: number | null;
}

export interface PendingInvitation {
  id: string;
  email: string;
  name: string | null;
  role: AgencyRole | null;
  expires_at: string;
  last_sent_at: string;
  created_at: string;
}

/** What callers may see of an invitation (never token_hash). */
const invitationColumns = {
  id: invitations.id,
  email: invitations.email,
  name: invitations.name,
  role: invitations.role,
  expires_at: invitations.expires_at,
  last_sent_at: invitations.last_sent_at,
  created_at: invitations.created_at,
};

export function listTeam({
  claims,
  agencyId,
}: {
  claims: JwtClaims;
  agencyId: string;
}): Promise<{ members: TeamMember[]; invitations: PendingInvitation[] }> {
  return asUser(claims, (tx) => listTeamInTx(tx, agencyId));
}

async function listTeamInTx(
  tx: Tx,
  agencyId: string,
): Promise<{ members: TeamMember[]; invitations: PendingInvitation[] }> {
  {
    const members = await tx
      .select({
        id: agencyMembers.id,
        user_id: agencyMembers.user_id,
        name: profiles.name,
        email: profiles.email,
        avatar_url: profiles.avatar_url,
        timezone: profiles.timezone,
        role: agencyMembers.role,
        capacity_hours_weekly: sql<number>`${agencyMembers.capacity_hours_weekly}::float8`,
        is_active: agencyMembers.is_active,
        deactivated_at: agencyMembers.deactivated_at,
        joined_at: agencyMembers.created_at,
        hourly_rate_cents: memberRates.hourly_rate_cents,
        cost_rate_cents: memberRates.cost_rate_cents,
      })
      .from(agencyMembers)
      .innerJoin(profiles, eq(profiles.user_id, agencyMembers.user_id))
      .leftJoin(
        memberRates,
        and(eq(memberRates.agency_id, agencyMembers.agency_id), eq(memberRates.user_id, agencyMembers.user_id)),
      )
      .where(eq(agencyMembers.agency_id, agencyId))
      .orderBy(desc(agencyMembers.is_active), asc(profiles.name));
    const pending = await tx
      .select(invitationColumns)
      .from(invitations)
      .where(
        and(
          eq(invitations.agency_id, agencyId),
          isNull(invitations.accepted_at),
          isNull(invitations.revoked_at),
          sql`${invitations.role} is not null`,
        ),
      )
      .orderBy(desc(invitations.created_at));
    return { members, invitations: pending };
  }
}

export function inviteMember({
  claims,
  agencyId,
  email,
  role,
  name,
}: {
  claims: JwtClaims;
  agencyId: string;
  email: string;
  role: AgencyRole;
  name?: string | null;
}): Promise<PendingInvitation> {
  return asUser(claims, async (tx) => {
    const [created] = await tx.execute<{ id: string }>(
      sql`select public.invite_member(${agencyId}, ${email}, ${role}::public.agency_role, ${name ?? null}) as id`,
    );
    const [invitation] = await tx.select(invitationColumns).from(invitations).where(eq(invitations.id, created!.id));
    return invitation!;
  });
}

export function resendInvitation({ claims, invitationId }: { claims: JwtClaims; invitationId: string }) {
  return asUser(claims, (tx) => tx.execute(sql`select public.resend_invitation(${invitationId})`));
}

export function revokeInvitation({ claims, invitationId }: { claims: JwtClaims; invitationId: string }) {
  return asUser(claims, (tx) => tx.execute(sql`select public.revoke_invitation(${invitationId})`));
}

export interface MemberChanges {
  role?: AgencyRole;
  is_active?: boolean;
  capacity_hours_weekly?: number;
  hourly_rate_cents?: number | null;
  cost_rate_cents?: number | null;
}

/**
 * Role, activity, capacity and rates in one transaction: all or nothing. Who may change what
 * (owners: role and activity; owners and managers: the rest; never the last owner) is enforced by
 * RLS and triggers; an update RLS filters out is reported as 404.
 */
export function updateMember({
  claims,
  agencyId,
  memberId,
  changes,
}: {
  claims: JwtClaims;
  agencyId: string;
  memberId: string;
  changes: MemberChanges;
}): Promise<TeamMember> {
  return asUser(claims, async (tx) => {
    const { hourly_rate_cents, cost_rate_cents, capacity_hours_weekly, ...membership } = changes;
    const target = and(eq(agencyMembers.id, memberId), eq(agencyMembers.agency_id, agencyId));
    const [member] = await tx.select({ user_id: agencyMembers.user_id }).from(agencyMembers).where(target);
    if (!member) throw new AppError(404, "not_found", "There is no such member in this agency.");

    if (Object.keys(membership).length > 0 || capacity_hours_weekly !== undefined) {
      const [updated] = await tx
        .update(agencyMembers)
        .set({
          ...membership,
          ...(capacity_hours_weekly !== undefined && { capacity_hours_weekly: String(capacity_hours_weekly) }),
        })
        .where(target)
        .returning({ id: agencyMembers.id });
      // Visible but not updatable: RLS says the caller may not manage this team.
      if (!updated) throw new AppError(403, "manager_required", "Only an owner or manager can change team members.");
    }

    if (hourly_rate_cents !== undefined || cost_rate_cents !== undefined) {
      const [rates] = await tx
        .update(memberRates)
        .set({
          ...(hourly_rate_cents !== undefined && { hourly_rate_cents }),
          ...(cost_rate_cents !== undefined && { cost_rate_cents }),
        })
        .where(and(eq(memberRates.agency_id, agencyId), eq(memberRates.user_id, member.user_id)))
        .returning({ user_id: memberRates.user_id });
      if (!rates) throw new AppError(403, "manager_required", "Only an owner or manager can set rates.");
    }
    const { members } = await listTeamInTx(tx, agencyId);
    return members.find((m) => m.id === memberId)!;
  });
}
