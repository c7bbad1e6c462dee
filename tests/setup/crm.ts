import { adminSql } from "./http.ts";

/**
 * Row counts of one agency's CRM tables, read with admin rights: "nothing was written" is
 * proved by comparing them before and after a refused request.
 */
export interface CrmCounts {
  clients: number;
  contacts: number;
  deals: number;
  projects: number;
  tasks: number;
  activities: number;
}

export async function crmCounts(agencyId: string): Promise<CrmCounts> {
  const [row] = await adminSql()<CrmCounts[]>`
    select (select count(*)::int from public.clients where agency_id = ${agencyId}) as clients,
           (select count(*)::int from public.client_contacts where agency_id = ${agencyId}) as contacts,
           (select count(*)::int from public.deals where agency_id = ${agencyId}) as deals,
           (select count(*)::int from public.projects where agency_id = ${agencyId}) as projects,
           (select count(*)::int from public.tasks where agency_id = ${agencyId}) as tasks,
           (select count(*)::int from public.client_activities where agency_id = ${agencyId}) as activities
  `;
  return row!;
}

/** The ids of an agency's pipeline stages by key (lead, proposal, negotiation, won, lost, …). */
export async function stageIds(agencyId: string): Promise<Record<string, string>> {
  const rows = await adminSql()<{ key: string; id: string }[]>`
    select key, id from public.pipeline_stages where agency_id = ${agencyId}
  `;
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}
