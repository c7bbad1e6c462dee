import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { apiAs, type Actor } from "../setup/projects.ts";
import {
  addDays,
  at,
  expectTimeRefused,
  fromNow,
  daytimeZone,
  localToday,
  timeAgency,
  timeCounts,
  type Entry,
  type TimeAgency,
} from "../setup/time.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The running timer over the API: start, change, stop (now or at a given time), discard; a new
 * start stops the running one; a timer forgotten for more than 12 hours is refused until the
 * member says when they stopped, and keeps running meanwhile. Times are real and now-relative.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

// The timer works with "the last few hours": keep them inside one day of the member's zone.
const ZONE = daytimeZone();
const daysAgo = (n: number) => addDays(localToday(ZONE), -n);

const timer = (as: Actor) => api(as, "/api/timer");
const start = (as: Actor, body: Record<string, unknown>) => api(as, "/api/timer/start", { body });
const stop = (as: Actor, body: Record<string, unknown> = {}) => api(as, "/api/timer/stop", { body });
const change = (as: Actor, body: Record<string, unknown>) => api(as, "/api/timer", { method: "PATCH", body });
const discard = (as: Actor) => api(as, "/api/timer", { method: "DELETE" });

async function ok<T = any>(response: Promise<{ status: number; body: any }>, status = 200): Promise<T> {
  const answered = await response;
  if (answered.status !== status)
    throw new Error(`expected ${status}, got ${answered.status}: ${JSON.stringify(answered.body)}`);
  return answered.body.data as T;
}

/** Whole seconds between two RFC 3339 instants. */
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

describe("the timer: start → stop → entries", () => {
  let a: TimeAgency;

  beforeAll(async () => {
    a = await timeAgency(request, "timer-flow", ZONE);
  });

  it("no timer: GET answers {data: null}; stop, change and discard answer 404 no_timer", async () => {
    const none = await timer(a.member);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ data: null });
    const agencyId = a.owner.agency.id;
    await expectTimeRefused(agencyId, () => stop(a.member), { status: 404, code: "no_timer" });
    await expectTimeRefused(agencyId, () => stop(a.member, { ended_at: fromNow(-60) }), {
      status: 404,
      code: "no_timer",
    });
    await expectTimeRefused(agencyId, () => change(a.member, { description: "x" }), { status: 404, code: "no_timer" });
    await expectTimeRefused(agencyId, () => discard(a.member), { status: 404, code: "no_timer" });
  });

  it("starts (201), shows on GET, changes, and stops into an entry; nothing left running", async () => {
    const started = await ok(start(a.member, { project_id: a.project.id, description: "Research" }), 201);
    expect(started.stopped).toEqual([]);
    expect(started.timer).toMatchObject({
      project_id: a.project.id,
      project_name: "timer-flow project",
      task_id: null,
      description: "Research",
      is_billable: null,
    });
    expect(Math.abs(Date.parse(started.timer.started_at) - Date.now())).toBeLessThan(60_000);
    expect((await timer(a.member)).body.data).toEqual(started.timer);
    // Other people's timers are theirs.
    expect((await timer(a.colleague)).body).toEqual({ data: null });

    const startedAt = fromNow(-30 * 60);
    const changed = await ok(
      change(a.member, {
        task_id: a.task.id,
        description: "Research, part 2",
        is_billable: false,
        started_at: startedAt,
      }),
    );
    expect(changed).toMatchObject({
      task_id: a.task.id,
      task_title: "Design",
      is_billable: false,
      started_at: startedAt,
    });

    const entries = await ok<Entry[]>(stop(a.member));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      user_id: a.member.user_id,
      project_id: a.project.id,
      task_id: a.task.id,
      description: "Research, part 2",
      is_billable: false,
      started_at: startedAt,
      status: "draft",
      time_zone: ZONE,
    });
    expect(entries[0]!.duration_seconds).toBeGreaterThanOrEqual(30 * 60);
    expect(entries[0]!.duration_seconds).toBeLessThan(32 * 60);
    expect((await timer(a.member)).body).toEqual({ data: null });
    const [row] = await adminSql()`select count(*)::int as n from public.timers where user_id = ${a.member.user_id}`;
    expect(row!.n).toBe(0);
  });

  it("stops at a given time; a body-less stop is fine too", async () => {
    // Windows that miss the member's entry above (the last half hour).
    await ok(start(a.member, { project_id: a.otherProject.id }), 201);
    await ok(change(a.member, { started_at: fromNow(-3 * 3600) }));
    const endedAt = fromNow(-2 * 3600);
    const [entry] = await ok<Entry[]>(stop(a.member, { ended_at: endedAt }));
    expect(entry).toMatchObject({ ended_at: endedAt, duration_seconds: 3600, project_id: a.otherProject.id });

    await ok(start(a.colleague, { project_id: a.project.id, description: "No body" }), 201);
    await ok(change(a.colleague, { started_at: fromNow(-60 * 60) }));
    const bare = await request("/api/timer/stop", { method: "POST", token: a.colleague.access_token });
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect(bare.body.data[0].description).toBe("No body");
  });

  it("a stop within the second of the start leaves nothing to store: the timer is discarded", async () => {
    await ok(start(a.colleague, { project_id: a.project.id }), 201);
    const before = await timeCounts(a.owner.agency.id);
    const stopped = await ok<Entry[]>(stop(a.colleague));
    // Usually within the same second; if the clock ticked over, a one-second entry is right too.
    if (stopped.length > 0) expect(stopped[0]!.duration_seconds).toBeLessThanOrEqual(2);
    else expect((await timeCounts(a.owner.agency.id)).time_entries).toBe(before.time_entries);
    expect((await timer(a.colleague)).body).toEqual({ data: null });
  });

  it("starting while a timer runs stops the first at the same instant (answered as stopped)", async () => {
    await ok(start(a.manager, { project_id: a.project.id, description: "First" }), 201);
    await ok(change(a.manager, { started_at: fromNow(-20 * 60) }));
    const second = await ok(start(a.manager, { project_id: a.otherProject.id, description: "Second" }), 201);
    expect(second.stopped).toHaveLength(1);
    expect(second.stopped[0]).toMatchObject({
      description: "First",
      project_id: a.project.id,
      user_id: a.manager.user_id,
    });
    expect(second.timer).toMatchObject({ description: "Second", project_id: a.otherProject.id });
    // The first ends where the second begins (to the second): no gap, no overlap.
    const gap = seconds(second.stopped[0].ended_at, second.timer.started_at);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThanOrEqual(1);
    expect((await timer(a.manager)).body.data.description).toBe("Second");
    // Switching straight back (same second) discards the instant timer rather than failing.
    const third = await ok(start(a.manager, { project_id: a.project.id, description: "Third" }), 201);
    expect(third.timer.description).toBe("Third");
    expect(third.stopped.length).toBeLessThanOrEqual(1);
  });

  it("discards a running timer: 204, no entry", async () => {
    await ok(start(a.member, { project_id: a.project.id, description: "Never mind" }), 201);
    const before = await timeCounts(a.owner.agency.id);
    const response = await discard(a.member);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect((await timer(a.member)).body).toEqual({ data: null });
    const after = await timeCounts(a.owner.agency.id);
    expect(after.time_entries).toBe(before.time_entries);
    expect(after.timers).toBe(before.timers - 1);
  });

  it("a timer across the member's midnight stops into two entries", async () => {
    await ok(start(a.member, { project_id: a.project.id, description: "Night shift" }), 201);
    await ok(change(a.member, { started_at: await at(daysAgo(3), "23:30", ZONE) }));
    const parts = await ok<Entry[]>(stop(a.member, { ended_at: await at(daysAgo(2), "00:45", ZONE) }));
    expect(parts.map((p) => [p.entry_date, p.duration_seconds])).toEqual([
      [daysAgo(3), 1800],
      [daysAgo(2), 2700],
    ]);
    expect(parts[1]!.split_group_id).toBe(parts[0]!.split_group_id);
  });
});

describe("the forgotten timer (more than 12 hours)", () => {
  let a: TimeAgency;

  beforeAll(async () => {
    a = await timeAgency(request, "timer-forgotten", ZONE);
  });

  it("stop without an end is refused (entry_too_long) and the timer keeps running; stop with ended_at works", async () => {
    const agencyId = a.owner.agency.id;
    const yesterday = addDays(localToday(ZONE), -1);
    await ok(start(a.member, { project_id: a.project.id, description: "Left on" }), 201);
    // Yesterday 08:00 local is at least 16 hours ago, whenever the test runs.
    const startedAt = await at(yesterday, "08:00", ZONE);
    await ok(change(a.member, { started_at: startedAt }));

    const refused = await expectTimeRefused(agencyId, () => stop(a.member), {
      status: 422,
      code: "entry_too_long",
      field: "ended_at",
    });
    expect(refused.body.detail).toMatch(/12 hours/);
    expect((await timer(a.member)).body.data).toMatchObject({ description: "Left on", started_at: startedAt });

    // Starting another does not silently cut it either.
    await expectTimeRefused(agencyId, () => start(a.member, { project_id: a.otherProject.id }), {
      status: 422,
      code: "entry_too_long",
    });
    // An end that still makes more than 12 hours in one day is refused by the entry rule; the timer stays.
    const tooLate = await at(yesterday, "21:00", ZONE);
    await expectTimeRefused(agencyId, () => stop(a.member, { ended_at: tooLate }), {
      status: 422,
      code: "entry_too_long",
    });
    expect((await timer(a.member)).body.data).not.toBeNull();

    const endedAt = await at(yesterday, "10:00", ZONE);
    const [entry] = await ok<Entry[]>(stop(a.member, { ended_at: endedAt }));
    expect(entry).toMatchObject({
      started_at: startedAt,
      ended_at: endedAt,
      duration_seconds: 7200,
      entry_date: yesterday,
    });
    expect((await timer(a.member)).body).toEqual({ data: null });
  });
});

describe("timer refusals: rules and bad input write nothing", () => {
  let a: TimeAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await timeAgency(request, "timer-rules", ZONE);
    agencyId = a.owner.agency.id;
  });

  it("start: project_not_open, not_on_project_team, task_not_in_project, validation_failed", async () => {
    const refuse = (body: unknown, expected: { status?: number; code: string; field?: string }, as: Actor = a.member) =>
      expectTimeRefused(agencyId, () => api(as, "/api/timer/start", { body }), { status: 422, ...expected });
    await refuse({ project_id: a.heldProject.id }, { code: "project_not_open", field: "project_id" });
    await refuse({ project_id: a.project.id }, { code: "not_on_project_team", field: "project_id" }, a.owner);
    await refuse({ project_id: a.theirProject.id }, { code: "not_on_project_team", field: "project_id" });
    await refuse(
      { project_id: a.project.id, task_id: a.otherTask.id },
      { code: "task_not_in_project", field: "task_id" },
    );
    await refuse({}, { code: "validation_failed", field: "project_id" });
    await refuse({ project_id: "p" }, { code: "validation_failed", field: "project_id" });
    await refuse(
      { project_id: a.project.id, description: "x".repeat(2001) },
      { code: "validation_failed", field: "description" },
    );
    await refuse({ project_id: a.project.id, started_at: fromNow(-60) }, { code: "validation_failed" });
    await expectTimeRefused(
      agencyId,
      () => request("/api/timer/start", { method: "POST", token: a.member.access_token }),
      {
        status: 415,
        code: "unsupported_media_type",
      },
    );
  });

  it("change: future start (future_entry), a closed project, bad values; the timer is unchanged", async () => {
    const running = await ok(start(a.member, { project_id: a.project.id, description: "Steady" }), 201);
    const refuse = (body: Record<string, unknown>, expected: { code: string; field?: string }) =>
      expectTimeRefused(agencyId, () => change(a.member, body), { status: 422, ...expected });
    await refuse({ started_at: fromNow(3600) }, { code: "future_entry", field: "started_at" });
    await refuse({ project_id: a.heldProject.id }, { code: "project_not_open", field: "project_id" });
    await refuse({ task_id: a.otherTask.id }, { code: "task_not_in_project", field: "task_id" });
    await refuse({}, { code: "validation_failed" });
    await refuse({ started_at: "now" }, { code: "validation_failed", field: "started_at" });
    await refuse({ user_id: a.colleague.user_id }, { code: "validation_failed" });
    expect((await timer(a.member)).body.data).toEqual(running.timer);
  });

  it("stop: an end in the future or before the start is refused and the timer keeps running", async () => {
    const running = (await timer(a.member)).body.data;
    expect(running).not.toBeNull();
    await expectTimeRefused(agencyId, () => stop(a.member, { ended_at: fromNow(3600) }), {
      status: 422,
      code: "future_entry",
    });
    await expectTimeRefused(agencyId, () => stop(a.member, { ended_at: fromNow(-86_400) }), {
      status: 422,
      code: "invalid_range",
    });
    await expectTimeRefused(agencyId, () => stop(a.member, { ended_at: "later" }), {
      status: 422,
      code: "validation_failed",
      field: "ended_at",
    });
    await expectTimeRefused(agencyId, () => stop(a.member, { at: fromNow(0) }), {
      status: 422,
      code: "validation_failed",
    });
    expect((await timer(a.member)).body.data).toEqual(running);
  });

  it("stop: an overlap with a logged entry names it, and the timer keeps running", async () => {
    await ok(change(a.member, { started_at: fromNow(-2 * 3600) }));
    const logged = await api(a.member, "/api/time-entries", {
      body: {
        project_id: a.project.id,
        description: "Meeting",
        started_at: fromNow(-90 * 60),
        ended_at: fromNow(-60 * 60),
      },
    });
    expect(logged.status).toBe(201);
    const refused = await expectTimeRefused(agencyId, () => stop(a.member), { status: 422, code: "overlap" });
    expect(refused.body.conflicting_entry_id).toBe(logged.body.data[0].id);
    const [entry] = await ok<Entry[]>(stop(a.member, { ended_at: logged.body.data[0].started_at }));
    expect(entry!.duration_seconds).toBe(30 * 60);
  });

  it("another agency's member, or a token for another agency, never touches this timer", async () => {
    await ok(start(a.colleague, { project_id: a.project.id, description: "Mine" }), 201);
    expect((await timer(a.stranger)).body).toEqual({ data: null });
    await expectTimeRefused(agencyId, () => discard(a.stranger), { status: 404, code: "no_timer" });
    const elsewhere = await request("/api/timer", { token: a.stranger.access_token, agencyId });
    expect(elsewhere.status).toBe(403);
    expect((await timer(a.colleague)).body.data.description).toBe("Mine");
    // Managers may see running timers in the database, but the API's timer is always the caller's own.
    expect((await timer(a.manager)).body).toEqual({ data: null });
    expect((await request("/api/timer")).status).toBe(401);
    const wrongMethod = await request("/api/timer/stop", { token: a.colleague.access_token });
    expect(wrongMethod.status).toBe(405);
  });
});
