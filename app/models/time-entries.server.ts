import { sql, type SQL } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * Time entries. Every rule (no future time, 12 h per part, 24 h per day, midnight split, no
 * overlap, open project and team, locks) is a trigger in the database; this module shapes rows,
 * calls the SQL functions and maps "no row" to 404. Members see their own entries, owners and
 * managers everyone's (RLS); rates are shown to owners and managers only.
 */
export type TimeEntryStatus = "draft" | "submitted" | "approved" | "rejected";

export type TimeEntry = {
  id: string;
  user_id: string;
  user_name: string;
  project_id: string;
  project_name: string;
  client_name: string | null;
  task_id: string | null;
  task_title: string | null;
  description: string;
  is_billable: boolean;
  started_at: string | null;
  ended_at: string | null;
  entry_date: string;
  duration_seconds: number;
  status: TimeEntryStatus;
  time_zone: string;
  split_group_id: string | null;
  invoice_id: string | null;
  /** Null for members: rates are for owners and managers. */
  billable_rate_cents: number | null;
  created_at: string;
  updated_at: string;
};

export interface EntryFilters {
  from?: string;
  to?: string;
  userId?: string;
  projectId?: string;
  status?: TimeEntryStatus;
  billable?: boolean;
}

export function entrySelect(where: SQL, order: SQL = sql`e.entry_date, e.started_at nulls last, e.created_at`) {
  return sql`
    select e.id, e.user_id, coalesce(nullif(pr.name, ''), pr.email) as user_name, e.project_id, p.name as project_name,
           c.name as client_name, e.task_id, t.title as task_title, e.description, e.is_billable, e.started_at,
           e.ended_at, e.entry_date::text as entry_date, e.duration_seconds, e.status, e.time_zone,
           e.split_group_id, e.invoice_id,
           case when e.agency_id in (select private.manager_agency_ids()) then e.billable_rate_cents end as billable_rate_cents,
           e.created_at, e.updated_at
    from public.time_entries e
    join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
    left join public.clients c on c.agency_id = p.agency_id and c.id = p.client_id
    left join public.tasks t on t.agency_id = e.agency_id and t.id = e.task_id
    left join public.profiles pr on pr.user_id = e.user_id
    where ${where}
    order by ${order}`;
}

export function filtersSql(agencyId: string, filters: EntryFilters): SQL {
  const parts: SQL[] = [sql`e.agency_id = ${agencyId}`];
  if (filters.from) parts.push(sql`e.entry_date >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`e.entry_date <= ${filters.to}::date`);
  if (filters.userId) parts.push(sql`e.user_id = ${filters.userId}`);
  if (filters.projectId) parts.push(sql`e.project_id = ${filters.projectId}`);
  if (filters.status) parts.push(sql`e.status = ${filters.status}::public.time_entry_status`);
  if (filters.billable !== undefined) parts.push(sql`e.is_billable = ${filters.billable}`);
  return sql.join(parts, sql` and `);
}

export function toEntry(row: Record<string, unknown>): TimeEntry {
  return {
    ...(row as unknown as TimeEntry),
    duration_seconds: Number(row.duration_seconds),
    billable_rate_cents: row.billable_rate_cents === null ? null : Number(row.billable_rate_cents),
  };
}

export async function entriesWhere(tx: Tx, where: SQL): Promise<TimeEntry[]> {
  const rows = await tx.execute<Record<string, unknown>>(entrySelect(where));
  return rows.map(toEntry);
}

export function listEntries({
  claims,
  agencyId,
  filters,
  page = 1,
  perPage = 100,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters: EntryFilters;
  page?: number;
  perPage?: number;
}): Promise<{ data: TimeEntry[]; total: number; page: number; per_page: number }> {
  return asUser(claims, async (tx) => {
    const where = filtersSql(agencyId, filters);
    const [rows, [counted]] = await Promise.all([
      tx.execute<Record<string, unknown>>(sql`${entrySelect(where)} limit ${perPage} offset ${(page - 1) * perPage}`),
      tx.execute<{ total: number }>(sql`select count(*)::int as total from public.time_entries e where ${where}`),
    ]);
    return { data: rows.map(toEntry), total: Number(counted?.total ?? 0), page, per_page: perPage };
  });
}

async function requireEntry(tx: Tx, agencyId: string, entryId: string): Promise<TimeEntry> {
  const [entry] = await entriesWhere(tx, sql`e.agency_id = ${agencyId} and e.id = ${entryId}`);
  if (!entry) throw new AppError(404, "not_found", "There is no such time entry.");
  return entry;
}

export function getEntry({ claims, agencyId, entryId }: { claims: JwtClaims; agencyId: string; entryId: string }) {
  return asUser(claims, (tx) => requireEntry(tx, agencyId, entryId));
}

export type NewEntry = {
  project_id: string;
  task_id?: string | null;
  description?: string;
  is_billable?: boolean | null;
} & ({ started_at: string; ended_at: string } | { date: string; duration_seconds: number });

/** Logs one entry; answers every stored part (two or more when it crossed midnight). */
export function createEntry({ claims, agencyId, entry }: { claims: JwtClaims; agencyId: string; entry: NewEntry }) {
  return asUser(claims, async (tx) => {
    const timed = "started_at" in entry;
    const rows = await tx.execute<{ id: string }>(sql`
      select id from public.log_time(${agencyId}, ${entry.project_id}, ${entry.task_id ?? null},
        ${entry.description ?? ""}, ${entry.is_billable ?? null},
        ${timed ? entry.started_at : null}::timestamptz, ${timed ? entry.ended_at : null}::timestamptz,
        ${timed ? null : entry.date}::date, ${timed ? null : entry.duration_seconds}::integer)`);
    return entriesWhere(
      tx,
      sql`e.id in (${sql.join(
        rows.map((r) => sql`${r.id}::uuid`),
        sql`, `,
      )})`,
    );
  });
}

export type EntryChanges = Partial<{
  project_id: string;
  task_id: string | null;
  description: string;
  is_billable: boolean;
  started_at: string | null;
  ended_at: string | null;
  entry_date: string;
  duration_seconds: number;
}>;

/**
 * Changes an entry (only drafts and rejected ones: the database refuses the rest). A new time
 * range may cross midnight again, so the answer is every part of the entry's split group.
 */
export function updateEntry({
  claims,
  agencyId,
  entryId,
  changes,
}: {
  claims: JwtClaims;
  agencyId: string;
  entryId: string;
  changes: EntryChanges;
}) {
  return asUser(claims, async (tx) => {
    const current = await requireEntry(tx, agencyId, entryId);
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
    // Switching to date + duration clears the times (and the reverse is a timed entry again).
    if (changes.duration_seconds !== undefined && changes.started_at === undefined && current.started_at) {
      sets.push(sql`started_at = null`, sql`ended_at = null`);
    }
    if (sets.length > 0) {
      const updated = await tx.execute<{ split_group_id: string | null }>(sql`
        update public.time_entries set ${sql.join(sets, sql`, `)}
        where agency_id = ${agencyId} and id = ${entryId} and user_id = ${claims.sub}
        returning split_group_id`);
      if (updated.length === 0) {
        throw new AppError(403, "forbidden", "Only the person who tracked this time can change it.");
      }
      const group = updated[0]?.split_group_id;
      if (group) return entriesWhere(tx, sql`e.agency_id = ${agencyId} and e.split_group_id = ${group}`);
    }
    return [await requireEntry(tx, agencyId, entryId)];
  });
}

export function deleteEntry({ claims, agencyId, entryId }: { claims: JwtClaims; agencyId: string; entryId: string }) {
  return asUser(claims, async (tx) => {
    await requireEntry(tx, agencyId, entryId);
    const deleted = await tx.execute(sql`
      delete from public.time_entries where agency_id = ${agencyId} and id = ${entryId} and user_id = ${claims.sub}
      returning id`);
    if (deleted.length === 0)
      throw new AppError(403, "forbidden", "Only the person who tracked this time can delete it.");
  });
}

/** The manager's "apply new rates to unbilled entries" for one project; answers how many changed. */
export function applyCurrentRates({
  claims,
  projectId,
  from,
  to,
}: {
  claims: JwtClaims;
  projectId: string;
  from?: string;
  to?: string;
}): Promise<number> {
  return asUser(claims, async (tx) => {
    // A project the caller cannot see is not found (the function alone would say "forbidden").
    const [visible] = await tx.execute(sql`select 1 from public.projects where id = ${projectId}`);
    if (!visible) throw new AppError(404, "not_found", "There is no such project.");
    const [row] = await tx.execute<{ changed: number }>(sql`
      select public.apply_current_rates(${projectId}, ${from ?? null}::date, ${to ?? null}::date) as changed`);
    return Number(row?.changed ?? 0);
  });
}

/** Every entry matching the filters, for the CSV export (capped: an export is not a backup). */
export const EXPORT_MAX_ROWS = 50_000;
export function exportEntries({
  claims,
  agencyId,
  filters,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters: EntryFilters;
}) {
  return asUser(claims, (tx) =>
    tx
      .execute<Record<string, unknown>>(sql`${entrySelect(filtersSql(agencyId, filters))} limit ${EXPORT_MAX_ROWS}`)
      .then((rows) => rows.map(toEntry)),
  );
}

/** Projects the caller can put time on now: open, and on their team. */
export type TrackableProject = {
  id: string;
  name: string;
  client_name: string | null;
  tasks: { id: string; title: string }[];
};
export function trackableProjects({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<TrackableProject>(sql`
      select p.id, p.name, c.name as client_name,
             coalesce((select json_agg(json_build_object('id', t.id, 'title', t.title) order by t.status = 'done', t.position, t.title)
                       from public.tasks t where t.agency_id = p.agency_id and t.project_id = p.id), '[]') as tasks
      from public.projects p
      join public.project_members pm on pm.agency_id = p.agency_id and pm.project_id = p.id and pm.user_id = ${claims.sub}
      left join public.clients c on c.agency_id = p.agency_id and c.id = p.client_id
      where p.agency_id = ${agencyId} and p.status in ('planning', 'active')
      order by p.name`);
    return [...rows];
  });
}
