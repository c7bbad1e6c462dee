import { sql } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { addDays, mondayOf } from "#app/utils/calendar-dates.ts";
import { entriesWhere, type TimeEntry } from "./time-entries.server.ts";

/**
 * Weekly timesheets: the week view of one person (entries, the projects × days grid, totals),
 * submitting a week and the approval queue. Submitting and deciding are SQL functions that
 * lock the entries; this module shapes the week and checks who may look at whose week.
 */
export type TimesheetStatus = "submitted" | "approved" | "rejected";

export type Timesheet = {
  id: string;
  user_id: string;
  week_start: string;
  status: TimesheetStatus;
  submitted_at: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  rejection_reason: string | null;
};

export type GridRow = {
  project_id: string;
  project_name: string;
  client_name: string | null;
  task_id: string | null;
  task_title: string | null;
  /** Seconds per day, Monday first. */
  days: number[];
  /** Seconds of timed entries per day: the grid cell cannot go below them. */
  timed: number[];
  total: number;
  /** Whether every entry of a day's cell can still change (drafts and rejected ones). */
  editable: boolean[];
};

export type WeekView = {
  user: { id: string; name: string; time_zone: string };
  week_start: string;
  days: string[];
  timesheet: Timesheet | null;
  entries: TimeEntry[];
  rows: GridRow[];
  /** Project/task rows of the week before that this week does not have yet ("copy last week"). */
  previous_rows: Pick<GridRow, "project_id" | "project_name" | "client_name" | "task_id" | "task_title">[];
  totals: { days: number[]; billable: number[]; non_billable: number[]; total: number; billable_total: number };
};

const timesheetSelect = sql`
  select ts.id, ts.user_id, ts.week_start::text as week_start, ts.status, ts.submitted_at, ts.decided_by,
         coalesce(nullif(d.name, ''), d.email) as decided_by_name, ts.decided_at, ts.rejection_reason
  from public.timesheets ts
  left join public.profiles d on d.user_id = ts.decided_by`;

async function requireWeekAccess(tx: Tx, agencyId: string, userId: string, callerId: string) {
  const [row] = await tx.execute<{ id: string; name: string; time_zone: string; is_manager: boolean }>(sql`
    select pr.user_id as id, coalesce(nullif(pr.name, ''), pr.email) as name, pr.timezone as time_zone,
           ${agencyId}::uuid in (select private.manager_agency_ids()) as is_manager
    from public.agency_members m join public.profiles pr on pr.user_id = m.user_id
    where m.agency_id = ${agencyId} and m.user_id = ${userId}`);
  if (!row) throw new AppError(404, "not_found", "There is no such person in this agency.");
  if (userId !== callerId && !row.is_manager) {
    throw new AppError(403, "forbidden", "Only owners and managers see other people's timesheets.");
  }
  return { id: row.id, name: row.name, time_zone: row.time_zone };
}

function gridKey(entry: { project_id: string; task_id: string | null }): string {
  return `${entry.project_id}:${entry.task_id ?? ""}`;
}

export function buildGrid(entries: TimeEntry[], days: string[]): { rows: GridRow[]; totals: WeekView["totals"] } {
  const rows = new Map<string, GridRow>();
  const zeros = () => days.map(() => 0);
  const totals = { days: zeros(), billable: zeros(), non_billable: zeros(), total: 0, billable_total: 0 };
  for (const entry of entries) {
    const day = days.indexOf(entry.entry_date);
    if (day < 0) continue;
    const key = gridKey(entry);
    let row = rows.get(key);
    if (!row) {
      row = {
        project_id: entry.project_id,
        project_name: entry.project_name,
        client_name: entry.client_name,
        task_id: entry.task_id,
        task_title: entry.task_title,
        days: zeros(),
        timed: zeros(),
        total: 0,
        editable: days.map(() => true),
      };
      rows.set(key, row);
    }
    row.days[day]! += entry.duration_seconds;
    if (entry.started_at) row.timed[day]! += entry.duration_seconds;
    if (entry.status === "submitted" || entry.status === "approved" || entry.invoice_id) row.editable[day] = false;
    row.total += entry.duration_seconds;
    totals.days[day]! += entry.duration_seconds;
    (entry.is_billable ? totals.billable : totals.non_billable)[day]! += entry.duration_seconds;
    totals.total += entry.duration_seconds;
    if (entry.is_billable) totals.billable_total += entry.duration_seconds;
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.project_name.localeCompare(b.project_name) || (a.task_title ?? "").localeCompare(b.task_title ?? ""),
  );
  return { rows: sorted, totals };
}

export function getWeek({
  claims,
  agencyId,
  weekStart,
  userId = claims.sub,
}: {
  claims: JwtClaims;
  agencyId: string;
  weekStart: string;
  userId?: string;
}): Promise<WeekView> {
  const monday = mondayOf(weekStart);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return asUser(claims, async (tx) => {
    const user = await requireWeekAccess(tx, agencyId, userId, claims.sub);
    const inAgency = sql`e.agency_id = ${agencyId} and e.user_id = ${userId}`;
    const [entries, previous, [timesheet]] = await Promise.all([
      entriesWhere(tx, sql`${inAgency} and e.entry_date between ${monday}::date and ${days[6]}::date`),
      entriesWhere(
        tx,
        sql`${inAgency} and e.entry_date between ${addDays(monday, -7)}::date and ${addDays(monday, -1)}::date`,
      ),
      tx.execute<Timesheet>(
        sql`${timesheetSelect} where ts.agency_id = ${agencyId} and ts.user_id = ${userId} and ts.week_start = ${monday}::date`,
      ),
    ]);
    const { rows, totals } = buildGrid(entries, days);
    const present = new Set(rows.map(gridKey));
    const previousRows = new Map<string, WeekView["previous_rows"][number]>();
    for (const entry of previous) {
      if (!present.has(gridKey(entry))) {
        const { project_id, project_name, client_name, task_id, task_title } = entry;
        previousRows.set(gridKey(entry), { project_id, project_name, client_name, task_id, task_title });
      }
    }
    return {
      user,
      week_start: monday,
      days,
      timesheet: timesheet ?? null,
      entries,
      rows,
      previous_rows: [...previousRows.values()],
      totals,
    };
  });
}

export function setWeekCell({
  claims,
  agencyId,
  cell,
}: {
  claims: JwtClaims;
  agencyId: string;
  cell: { project_id: string; task_id: string | null; date: string; duration_seconds: number };
}) {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<{ id: string }>(sql`
      select id from public.set_week_cell(${agencyId}, ${cell.project_id}, ${cell.task_id}, ${cell.date}::date,
                                          ${cell.duration_seconds}::integer)`);
    return rows.length === 0
      ? []
      : entriesWhere(
          tx,
          sql`e.id in (${sql.join(
            rows.map((r) => sql`${r.id}::uuid`),
            sql`, `,
          )})`,
        );
  });
}

async function timesheetById(tx: Tx, id: string): Promise<Timesheet> {
  const [row] = await tx.execute<Timesheet>(sql`${timesheetSelect} where ts.id = ${id}`);
  if (!row) throw new AppError(404, "not_found", "There is no such timesheet.");
  return row;
}

export function submitWeek({
  claims,
  agencyId,
  weekStart,
}: {
  claims: JwtClaims;
  agencyId: string;
  weekStart: string;
}) {
  return asUser(claims, async (tx) => {
    const [row] = await tx.execute<{ id: string }>(
      sql`select (public.submit_timesheet(${agencyId}, ${weekStart}::date)).id`,
    );
    return timesheetById(tx, row!.id);
  });
}

export function decideWeek({
  claims,
  timesheetId,
  approve,
  reason,
}: {
  claims: JwtClaims;
  timesheetId: string;
  approve: boolean;
  reason?: string;
}) {
  return asUser(claims, async (tx) => {
    await tx.execute(sql`select public.decide_timesheet(${timesheetId}, ${approve}, ${reason ?? null})`);
    return timesheetById(tx, timesheetId);
  });
}

export type ApprovalRow = Timesheet & {
  user_name: string;
  total_seconds: number;
  billable_seconds: number;
  entry_count: number;
  project_names: string[];
  /** The week has time on a project the caller manages by name. */
  on_my_projects: boolean;
};

/** Weeks waiting for a decision (or decided ones, by status) that the caller may see. */
export function listApprovals({
  claims,
  agencyId,
  status = "submitted",
  onlyMine = false,
}: {
  claims: JwtClaims;
  agencyId: string;
  status?: TimesheetStatus;
  onlyMine?: boolean;
}): Promise<ApprovalRow[]> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<ApprovalRow>(sql`
      with weeks as (
        select ts.*, coalesce(nullif(pr.name, ''), pr.email) as user_name, coalesce(nullif(d.name, ''), d.email) as decided_by_name
        from public.timesheets ts
        join public.profiles pr on pr.user_id = ts.user_id
        left join public.profiles d on d.user_id = ts.decided_by
        where ts.agency_id = ${agencyId} and ts.status = ${status}::public.timesheet_status
      )
      select w.id, w.user_id, w.user_name, w.week_start::text as week_start, w.status, w.submitted_at, w.decided_by,
             w.decided_by_name, w.decided_at, w.rejection_reason,
             coalesce(sum(e.duration_seconds), 0)::int as total_seconds,
             coalesce(sum(e.duration_seconds) filter (where e.is_billable), 0)::int as billable_seconds,
             count(e.id)::int as entry_count,
             coalesce(array_agg(distinct p.name) filter (where p.name is not null), '{}') as project_names,
             coalesce(bool_or(p.manager_id = ${claims.sub}), false) as on_my_projects
      from weeks w
      left join public.time_entries e
        on e.agency_id = w.agency_id and e.user_id = w.user_id
       and e.entry_date >= w.week_start and e.entry_date < w.week_start + 7
      left join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
      group by w.id, w.user_id, w.user_name, w.week_start, w.status, w.submitted_at, w.decided_by, w.decided_by_name,
               w.decided_at, w.rejection_reason
      having not ${onlyMine} or coalesce(bool_or(p.manager_id = ${claims.sub}), false)
      order by w.week_start, w.user_name`);
    return [...rows];
  });
}

/** The caller's recent weeks with their status (the member's "how are my timesheets doing"). */
export function recentTimesheets({
  claims,
  agencyId,
  limit = 12,
}: {
  claims: JwtClaims;
  agencyId: string;
  limit?: number;
}) {
  return asUser(claims, (tx) =>
    tx.execute<Timesheet>(sql`
      ${timesheetSelect}
      where ts.agency_id = ${agencyId} and ts.user_id = ${claims.sub}
      order by ts.week_start desc limit ${limit}`),
  ).then((rows) => [...rows]);
}
