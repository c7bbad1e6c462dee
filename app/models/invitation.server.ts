import { sql } from "drizzle-orm";
import type { AgencyRole } from "#db/schema.ts";
import { asAnon, asUser, type JwtClaims } from "#app/utils/db.server.ts";

/** The invitee's side of an invitation; issuing lives in team.server.ts. */
export type InvitationPreview = {
  agency_name: string;
  logo_url: string | null;
  brand_color: string;
  email: string;
  name: string | null;
  role: AgencyRole | null;
  kind: "staff" | "portal";
  status: "pending" | "expired" | "accepted" | "revoked";
};

export function previewInvitation({ token }: { token: string }): Promise<InvitationPreview | undefined> {
  return asAnon(async (tx) => {
    const rows = await tx.execute<InvitationPreview>(sql`select * from public.invitation_preview(${token})`);
    return rows[0];
  });
}

export function acceptInvitation({
  claims,
  token,
}: {
  claims: JwtClaims;
  token: string;
}): Promise<{ agency_id: string; kind: "staff" | "portal" }> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<{ agency_id: string; kind: "staff" | "portal" }>(
      sql`select * from public.accept_invitation(${token})`,
    );
    return rows[0]!;
  });
}
