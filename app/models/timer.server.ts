import { sql } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { entriesWhere, type TimeEntry } from "./time-entries.server.ts";

/**
 * The running timer, kept in the database so it survives reloads and shows on every device.
 * Stopping goes through the same SQL as any entry; a refused stop leaves the timer running.
 */
export type RunningTimer = {
  project_id: string;
  project_name: string;
  task_id: string | null;
  task_title: string | null;
  description: string;
  is_billable: boolean | null;
  started_at: string;
};

async function timerOf(tx: Tx, userId: string, agencyId: string): Promise<RunningTimer | null> {
  const [row] = await tx.execute<RunningTimer>(sql`
    select tm.project_id, p.name as project_name, tm.task_id, t.title as task_title, tm.description,
           tm.is_billable, tm.started_at
    from public.timers tm
    join public.projects p on p.agency_id = tm.agency_id and p.id = tm.project_id
    left join public.tasks t on t.agency_id = tm.agency_id and t.id = tm.task_id
    where tm.agency_id = ${agencyId} and tm.user_id = ${userId}`);
  return row ?? null;
}

export function getTimer({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) => timerOf(tx, claims.sub, agencyId));
}

export interface TimerStart {
  project_id: string;
  task_id?: string | null;
  description?: string;
  is_billable?: boolean | null;
}

/** Starts a timer; a running one is stopped first, at the same instant (answered as `stopped`). */
export function startTimer({ claims, agencyId, timer }: { claims: JwtClaims; agencyId: string; timer: TimerStart }) {
  return asUser(claims, async (tx) => {
    const running = await timerOf(tx, claims.sub, agencyId);
    const stopped = running ? await stopIn(tx, agencyId) : [];
    await tx.execute(sql`
      select public.start_timer(${agencyId}, ${timer.project_id}, ${timer.task_id ?? null},
                                ${timer.description ?? ""}, ${timer.is_billable ?? null})`);
    return { timer: (await timerOf(tx, claims.sub, agencyId))!, stopped };
  });
}

async function stopIn(tx: Tx, agencyId: string, endedAt?: string): Promise<TimeEntry[]> {
  const rows = await tx.execute<{ id: string }>(sql`
    select id from public.stop_timer(${agencyId}, ${endedAt ?? null}::timestamptz)`);
  // A timer stopped within its first second is discarded: no entry.
  if (rows.length === 0) return [];
  return entriesWhere(
    tx,
    sql`e.id in (${sql.join(
      rows.map((r) => sql`${r.id}::uuid`),
      sql`, `,
    )})`,
  );
}

/** Stops the timer (now, or at `endedAt`) and answers the entries it became. */
export function stopTimer({ claims, agencyId, endedAt }: { claims: JwtClaims; agencyId: string; endedAt?: string }) {
  return asUser(claims, (tx) => stopIn(tx, agencyId, endedAt));
}

export function updateTimer({
  claims,
  agencyId,
  changes,
}: {
  claims: JwtClaims;
  agencyId: string;
  changes: Partial<TimerStart> & { started_at?: string };
}) {
  return asUser(claims, async (tx) => {
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
    if (sets.length > 0) {
      const updated = await tx.execute(sql`
        update public.timers set ${sql.join(sets, sql`, `)}
        where agency_id = ${agencyId} and user_id = ${claims.sub} returning user_id`);
      if (updated.length === 0) throw new AppError(404, "no_timer", "No timer is running.");
    }
    const timer = await timerOf(tx, claims.sub, agencyId);
    if (!timer) throw new AppError(404, "no_timer", "No timer is running.");
    return timer;
  });
}

export function discardTimer({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, async (tx) => {
    const deleted = await tx.execute(sql`
      delete from public.timers where agency_id = ${agencyId} and user_id = ${claims.sub} returning user_id`);
    if (deleted.length === 0) throw new AppError(404, "no_timer", "No timer is running.");
  });
}
