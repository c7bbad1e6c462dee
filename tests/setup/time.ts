import { expect } from "vitest";
import { addDays, localToday, mondayOf } from "#app/utils/calendar-dates.ts";
import { adminSql, signUp, type ApiResponse, type http, type SignedUp } from "./http.ts";
import { agencyWithTeam, apiAs, created, type Agency } from "./projects.ts";

/**
 * Fixtures for the time tracking API tests. Time cannot be frozen over HTTP, so tests use real
 * now-relative times (yesterday, a past week) in a time zone the test sets on the profile, which
 * makes local dates and the midnight split deterministic.
 */
type Request = ReturnType<typeof http>;

export type Entry = Record<string, any> & { id: string };

export interface TimeAgency extends Agency {
  /** Managed by the manager; member and colleague on its team. */
  project: { id: string; name: string };
  task: { id: string };
  /** Same agency and team, put on hold: takes no time. */
  heldProject: { id: string };
  /** A second open project with a task, to prove tasks must belong to the project. */
  otherProject: { id: string };
  otherTask: { id: string };
  stranger: SignedUp;
  theirProject: { id: string };
}

/** An agency with a team, an open project (with a task), one on hold, and a stranger agency. */
export async function timeAgency(request: Request, prefix: string, timeZone = "Europe/Berlin"): Promise<TimeAgency> {
  const api = apiAs(request);
  const a = await agencyWithTeam(request, prefix);
  const team = [a.member.user_id, a.colleague.user_id];
  const newProject = (name: string) =>
    created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name, team, manager_id: a.manager.user_id } }),
    );
  const [project, heldProject, otherProject] = await Promise.all([
    newProject(`${prefix} project`),
    newProject(`${prefix} held`),
    newProject(`${prefix} other`),
  ]);
  const [task, otherTask] = await Promise.all([
    created(api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title: "Design" } })),
    created(api(a.manager, `/api/projects/${otherProject.id}/tasks`, { body: { title: "Elsewhere" } })),
  ]);
  await created(
    api(a.manager, `/api/projects/${heldProject.id}`, { method: "PATCH", body: { status: "on_hold" } }),
    200,
  );
  const stranger = await signUp(request, `${prefix}-stranger`);
  const theirClient = await created(api(stranger, "/api/clients", { body: { name: "Elsewhere" } }));
  const theirProject = await created(
    api(stranger, "/api/projects", {
      body: { client_id: theirClient.id, name: "Theirs", manager_id: stranger.user.id },
    }),
  );
  await setTimeZone(
    [a.owner.user.id, a.manager.user_id, a.member.user_id, a.colleague.user_id, stranger.user.id],
    timeZone,
  );
  return { ...a, project, task, heldProject, otherProject, otherTask, stranger, theirProject };
}

export async function setTimeZone(userIds: string[], timeZone: string): Promise<void> {
  await adminSql()`update public.profiles set timezone = ${timeZone} where user_id in ${adminSql()(userIds)}`;
}

/** The RFC 3339 instant of a wall-clock time in a zone, as PostgreSQL computes it (DST included). */
export async function at(date: string, time: string, timeZone: string): Promise<string> {
  const [row] = await adminSql()<{ instant: Date }[]>`
    select (${date}::date + ${time}::time) at time zone ${timeZone} as instant`;
  return row!.instant.toISOString().replace(".000Z", "Z");
}

/** Today's date in a zone. */
export { addDays, localToday, mondayOf };

/**
 * A zone where it is now between 06:00 and 18:00, for tests that work with "the last few hours":
 * they must not straddle the member's midnight, whenever the suite happens to run.
 */
export function daytimeZone(now = new Date()): string {
  const zones = ["Europe/Berlin", "Asia/Tokyo", "America/New_York", "Pacific/Honolulu", "Asia/Kolkata", "UTC"];
  const hourIn = (zone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(now));
  return zones.find((zone) => hourIn(zone) >= 6 && hourIn(zone) < 18) ?? "UTC";
}

/** The Monday of a week wholly in the past: `weeksAgo` weeks before this one (in a zone). */
export function pastMonday(timeZone: string, weeksAgo = 2): string {
  return addDays(mondayOf(localToday(timeZone)), -7 * weeksAgo);
}

/** RFC 3339 of now plus some seconds, without fractions. */
export function fromNow(seconds: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000).toISOString().replace(".000Z", "Z");
}

export interface TimeCounts {
  time_entries: number;
  timers: number;
  timesheets: number;
  notifications: number;
  audit_log: number;
  email_outbox: number;
}

/** Row counts of one agency's time tables (and what writes to them leave behind), read as admin. */
export async function timeCounts(agencyId: string): Promise<TimeCounts> {
  const [row] = await adminSql()<TimeCounts[]>`
    select (select count(*)::int from public.time_entries where agency_id = ${agencyId}) as time_entries,
           (select count(*)::int from public.timers where agency_id = ${agencyId}) as timers,
           (select count(*)::int from public.timesheets where agency_id = ${agencyId}) as timesheets,
           (select count(*)::int from public.notifications where agency_id = ${agencyId}) as notifications,
           (select count(*)::int from public.audit_log where agency_id = ${agencyId}) as audit_log,
           (select count(*)::int from private.email_outbox where agency_id = ${agencyId}) as email_outbox`;
  return row!;
}

/** Every stored entry of an agency, as admin: proves a refusal changed nothing, not just counts. */
export async function entryRows(agencyId: string) {
  return adminSql()`
    select id, project_id, task_id, description, is_billable, started_at, ended_at, entry_date::text,
           duration_seconds, status::text, billable_rate_cents, updated_at
    from public.time_entries where agency_id = ${agencyId} order by id`;
}

/**
 * Runs a request that must be refused and proves it: the status, a problem+json body with the
 * code (and field), and the agency's time rows unchanged.
 */
export async function expectTimeRefused(
  agencyId: string,
  run: () => Promise<ApiResponse>,
  expected: { status: number; code: string; field?: string },
): Promise<ApiResponse> {
  const [counts, rows] = [await timeCounts(agencyId), await entryRows(agencyId)];
  const response = await run();
  expect(response.status, JSON.stringify(response.body)).toBe(expected.status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.code, JSON.stringify(response.body)).toBe(expected.code);
  if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
  expect(await timeCounts(agencyId)).toEqual(counts);
  expect(await entryRows(agencyId)).toEqual(rows);
  return response;
}

/** The outbox emails of one template to an address, newest first. */
export async function outbox(template: string, toEmail: string) {
  return adminSql()<{ to_email: string; template: string; data: Record<string, unknown> }[]>`
    select to_email, template, data from private.email_outbox
    where template = ${template} and to_email = ${toEmail} order by created_at desc`;
}
