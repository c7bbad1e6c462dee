import { sql } from "drizzle-orm";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";

/** What the dashboard counts, as the viewer may see it (RLS applies to every count). */
export type DashboardCounts = {
  active_members: number;
  pending_invitations: number;
  clients: number;
  open_deals: number;
  open_value_cents: number;
  weighted_value_cents: number;
  won_deals: number;
  projects: number;
};

export function getDashboardCounts({
  claims,
  agencyId,
}: {
  claims: JwtClaims;
  agencyId: string;
}): Promise<DashboardCounts> {
  return asUser(claims, async (tx) => {
    const [row] = await tx.execute<DashboardCounts>(sql`
      select
        (select count(*) from public.agency_members where agency_id = ${agencyId} and is_active)::integer as active_members,
        (select count(*) from public.invitations
          where agency_id = ${agencyId} and role is not null and accepted_at is null and revoked_at is null)::integer
          as pending_invitations,
        (select count(*) from public.clients where agency_id = ${agencyId} and archived_at is null)::integer as clients,
        coalesce(sum(f.deal_count) filter (where f.stage_kind = 'open'), 0)::integer as open_deals,
        coalesce(sum(f.value_cents) filter (where f.stage_kind = 'open'), 0)::bigint as open_value_cents,
        coalesce(sum(f.weighted_cents) filter (where f.stage_kind = 'open'), 0)::bigint as weighted_value_cents,
        coalesce(sum(f.deal_count) filter (where f.stage_kind = 'won'), 0)::integer as won_deals,
        (select count(*) from public.projects where agency_id = ${agencyId})::integer as projects
      from public.pipeline_forecast f
      where f.agency_id = ${agencyId}`);
    return {
      ...row!,
      open_value_cents: Number(row!.open_value_cents),
      weighted_value_cents: Number(row!.weighted_value_cents),
    };
  });
}
