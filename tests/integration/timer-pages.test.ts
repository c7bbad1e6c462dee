import { beforeAll, describe, expect, it } from "vitest";
import { localDate, zonedToInstant } from "#app/components/time/zoned.ts";
import { addDays, localToday } from "#app/utils/calendar-dates.ts";
import { readSignedCookie, type BrowserSession, type Page } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, pageState, signedIn, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The timer (header + /timer) and the day view (/time/day) as browsers use them — plain form posts
 * that come back with a redirect, and fetchers (respond=json) that get data — plus the project
 * edit checkbox and the team page's "apply current rates". Every refusal is checked to leave the
 * agency's entries, timers and audit log as they were. The member works in America/New_York, so
 * the wall-clock times typed into the forms are not UTC.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = { shell: "routes/_app", day: "routes/_app.time.day" } as const;
const ZONE = "America/New_York";

type Project = { id: string; name: string };
type Task = { id: string; title: string };

let a: Agency;
let site: Project;
let closed: Project;
let elsewhere: Project;
let siteTask: Task;
let elsewhereTask: Task;
let manager: BrowserSession;
let member: BrowserSession;
let colleague: BrowserSession;

beforeAll(async () => {
  a = await agencyWithTeam(request, "timer-pages");
  const project = (body: Record<string, unknown>) =>
    created<Project>(api(a.manager, "/api/projects", { body: { client_id: a.clientId, ...body } }));
  [site, closed, elsewhere] = await Promise.all([
    project({ name: "Site", status: "active", team: [a.member.user_id, a.colleague.user_id] }),
    project({ name: "Closed", status: "active", team: [a.member.user_id] }),
    project({ name: "Elsewhere", status: "active", team: [a.colleague.user_id] }),
  ]);
  [siteTask, elsewhereTask] = await Promise.all([
    created<Task>(api(a.manager, `/api/projects/${site.id}/tasks`, { body: { title: "Design" } })),
    created<Task>(api(a.manager, `/api/projects/${elsewhere.id}/tasks`, { body: { title: "Other" } })),
  ]);
  await created(api(a.manager, `/api/projects/${closed.id}`, { method: "PATCH", body: { status: "completed" } }), 200);
  await adminSql()`update public.profiles set timezone = ${ZONE} where user_id = ${a.member.user_id}`;
  [manager, member, colleague] = await Promise.all([
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
    signedIn(app.url, a.colleague.email),
  ]);
});

/** A calendar date some days back from today in the member's zone (its times are all past). */
function daysAgo(days: number): string {
  return addDays(localToday(ZONE), -days);
}

/** The instant of a wall-clock time in the member's zone. */
function at(date: string, time: string): string {
  return zonedToInstant(`${date}T${time}`, ZONE)!.toISOString();
}

/** Everything a refused request must leave alone: entries (with their versions), timers, audit rows. */
async function snapshot() {
  const agencyId = a.owner.agency.id;
  const [entries, timers, [audit]] = await Promise.all([
    adminSql()`select id, updated_at::text, status::text from public.time_entries where agency_id = ${agencyId} order by id`,
    adminSql()`select user_id, project_id, task_id, description, started_at::text from public.timers
               where agency_id = ${agencyId} order by user_id`,
    adminSql()`select count(*)::int as n from public.audit_log where agency_id = ${agencyId}`,
  ]);
  return { entries, timers, audit };
}

async function refused(send: () => Promise<Page>, status: number): Promise<Page> {
  const before = await snapshot();
  const page = await send();
  expect(page.status, page.html.slice(0, 400)).toBe(status);
  expect(await snapshot()).toEqual(before);
  return page;
}

async function timerRow(userId: string) {
  const [row] = await adminSql()`
    select project_id, task_id, description, is_billable, started_at from public.timers
    where agency_id = ${a.owner.agency.id} and user_id = ${userId}`;
  return row;
}

async function entriesOf(userId: string, date: string) {
  return adminSql()<
    {
      id: string;
      project_id: string;
      task_id: string | null;
      description: string;
      is_billable: boolean;
      started_at: Date | null;
      ended_at: Date | null;
      duration_seconds: number;
      status: string;
      billable_rate_cents: number;
    }[]
  >`
    select id, project_id, task_id, description, is_billable, started_at, ended_at, duration_seconds, status::text,
           billable_rate_cents::int
    from public.time_entries
    where agency_id = ${a.owner.agency.id} and user_id = ${userId} and entry_date = ${date}::date
    order by started_at nulls last, created_at`;
}

const json = (page: { html: string }) => JSON.parse(page.html);

describe("/timer", () => {
  it("answers the caller's timer and the projects they can track time on", async () => {
    const page = await member.get("/timer");
    expect(page.status).toBe(200);
    const body = json(page);
    expect(body.timer).toBeNull();
    // Open projects of their team, with the tasks; not the completed one, not another team's.
    expect(body.projects.map((p: Project) => p.name)).toEqual(["Site"]);
    expect(body.projects[0].tasks).toEqual([{ id: siteTask.id, title: "Design" }]);
    const signedOut = await request("/timer");
    expect(signedOut.status).toBe(302);
  });

  it("starts without JavaScript: back to the page with a toast; the header shows the timer on every page", async () => {
    const page = await member.post("/timer", {
      intent: "start",
      project_id: site.id,
      task_id: siteTask.id,
      description: "  Wireframes ",
      is_billable: "",
      redirect_to: "/my-tasks",
    });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe("/my-tasks");
    expect(await readSignedCookie("crm_toast", member.cookie("crm_toast"))).toMatchObject({
      kind: "success",
      message: "Timer started on Site.",
    });
    // "Project default" is stored as no choice: the project decides when the entry is made.
    expect(await timerRow(a.member.user_id)).toMatchObject({
      project_id: site.id,
      task_id: siteTask.id,
      description: "Wireframes",
      is_billable: null,
    });
    const shell = pageState((await member.get("/projects")).html).loaderData[ROUTE.shell];
    expect(shell.timer).toMatchObject({ project_name: "Site", task_title: "Design", description: "Wireframes" });
    expect(shell.profile.timezone).toBe(ZONE);
  });

  it("a fetcher changes the timer and starts another, which stops the first into an entry", async () => {
    const updated = await member.post("/timer", {
      intent: "update",
      project_id: site.id,
      task_id: "",
      description: "Wireframes v2",
      is_billable: "false",
      respond: "json",
    });
    expect(updated.status, updated.html).toBe(200);
    expect(json(updated)).toMatchObject({ ok: true, intent: "update", message: "Timer updated." });
    expect(await timerRow(a.member.user_id)).toMatchObject({ task_id: null, is_billable: false });

    // Give the first timer a past start, so stopping it makes an entry of real length.
    const today = localToday(ZONE);
    await adminSql()`update public.timers set started_at = now() - interval '20 minutes'
                     where agency_id = ${a.owner.agency.id} and user_id = ${a.member.user_id}`;
    const started = await member.post("/timer", {
      intent: "start",
      project_id: site.id,
      description: "Call",
      respond: "json",
    });
    expect(started.status, started.html).toBe(200);
    // Run just after the zone's midnight, the 20 minutes are split across two days.
    expect(json(started)).toMatchObject({
      ok: true,
      message: expect.stringMatching(
        /^Timer started on Site\. The previous timer was stopped: 0:20 logged on Site( \(split at midnight\))?\.$/,
      ),
    });
    const stopped = (await entriesOf(a.member.user_id, today)).find((e) => e.description === "Wireframes v2");
    expect(stopped).toMatchObject({ is_billable: false, project_id: site.id });
    expect(await timerRow(a.member.user_id)).toMatchObject({ description: "Call" });
  });

  it("refuses a start off the team, on a closed project or without a project, writing nothing", async () => {
    const offTeam = await refused(
      () => member.post("/timer", { intent: "start", project_id: elsewhere.id, respond: "json" }),
      422,
    );
    expect(json(offTeam)).toMatchObject({
      ok: false,
      code: "not_on_project_team",
      fieldErrors: { project_id: [expect.any(String)] },
    });
    const closedOne = await refused(
      () => member.post("/timer", { intent: "start", project_id: closed.id, respond: "json" }),
      422,
    );
    expect(json(closedOne)).toMatchObject({ code: "project_not_open" });
    const wrongTask = await refused(
      () => member.post("/timer", { intent: "start", project_id: site.id, task_id: elsewhereTask.id, respond: "json" }),
      422,
    );
    expect(json(wrongTask)).toMatchObject({
      code: "task_not_in_project",
      fieldErrors: { task_id: [expect.any(String)] },
    });
    const blank = await refused(() => member.post("/timer", { intent: "start", project_id: "", respond: "json" }), 422);
    expect(json(blank).fieldErrors).toEqual({ project_id: ["Choose a project."] });
    const unknown = await refused(() => member.post("/timer", { intent: "pause", respond: "json" }), 422);
    expect(json(unknown).fieldErrors.intent).toBeDefined();

    // Without JavaScript: back where the form was (a local path only), the reason in a toast.
    const plain = await refused(
      () => member.post("/timer", { intent: "start", project_id: elsewhere.id, redirect_to: "//evil.example/x" }),
      302,
    );
    expect(plain.location).toBe("/time/day");
    expect(await readSignedCookie("crm_toast", member.cookie("crm_toast"))).toMatchObject({ kind: "error" });
  });

  it("a timer past 12 hours is not cut: Stop is refused and it keeps running until a real end is given", async () => {
    const started = new Date(Date.now() - 13 * 3600 * 1000);
    started.setUTCSeconds(0, 0);
    await adminSql()`update public.timers set started_at = ${started}, description = 'Forgotten'
                     where agency_id = ${a.owner.agency.id} and user_id = ${a.member.user_id}`;
    const stop = await refused(() => member.post("/timer", { intent: "stop", respond: "json" }), 422);
    // Starting another would stop this one without an end: refused the same way, nothing changes.
    const another = await refused(
      () => member.post("/timer", { intent: "start", project_id: site.id, respond: "json" }),
      422,
    );
    expect(json(another)).toMatchObject({ code: "entry_too_long", fieldErrors: { ended_at: [expect.any(String)] } });
    expect(json(stop)).toMatchObject({
      code: "entry_too_long",
      fieldErrors: { ended_at: [expect.stringMatching(/12 hours/)] },
    });

    // Stop at… is wall-clock time in the profile's zone; beyond now it is refused at the field.
    const local = (instant: Date) => {
      const date = localDate(instant, ZONE);
      const time = new Intl.DateTimeFormat("en-GB", {
        timeZone: ZONE,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(instant);
      return `${date}T${time}`;
    };
    const future = await refused(
      () =>
        member.post("/timer", { intent: "stop_at", ended_at: local(new Date(Date.now() + 3600_000)), respond: "json" }),
      422,
    );
    expect(json(future)).toMatchObject({ code: "future_entry", fieldErrors: { ended_at: [expect.any(String)] } });
    const garbage = await refused(
      () => member.post("/timer", { intent: "stop_at", ended_at: "yesterday", respond: "json" }),
      422,
    );
    expect(json(garbage).fieldErrors.ended_at).toBeDefined();

    const end = new Date(started.getTime() + 2 * 3600 * 1000);
    const done = await member.post("/timer", { intent: "stop_at", ended_at: local(end), respond: "json" });
    expect(done.status, done.html).toBe(200);
    expect(json(done)).toMatchObject({
      ok: true,
      intent: "stop_at",
      message: expect.stringMatching(/^Timer stopped: 2:00 logged on Site/),
    });
    expect(await timerRow(a.member.user_id)).toBeUndefined();
    const [entry] = await adminSql()`
      select started_at, ended_at, sum(duration_seconds) over ()::int as total from public.time_entries
      where user_id = ${a.member.user_id} and description = 'Forgotten' order by started_at limit 1`;
    expect(entry).toMatchObject({ started_at: started, total: 7200 });
  });

  it("stop without a timer is a 404; discard throws the running time away", async () => {
    const none = await refused(() => member.post("/timer", { intent: "stop", respond: "json" }), 404);
    expect(json(none)).toMatchObject({ code: "no_timer" });
    await member.post("/timer", { intent: "start", project_id: site.id, description: "To discard" });
    const before = (
      await adminSql()`select count(*)::int as n from public.time_entries where user_id = ${a.member.user_id}`
    )[0];
    const discarded = await member.post("/timer", { intent: "discard", redirect_to: "/time/day?date=2020-01-01" });
    expect(discarded.status).toBe(302);
    expect(discarded.location).toBe("/time/day?date=2020-01-01");
    expect(await timerRow(a.member.user_id)).toBeUndefined();
    expect(
      (await adminSql()`select count(*)::int as n from public.time_entries where user_id = ${a.member.user_id}`)[0],
    ).toEqual(before);
  });
});

describe("/time/day", () => {
  const day = () => `/time/day?date=${daysAgo(3)}`;
  const entryForm = (fields: Record<string, string>) => ({
    intent: "create",
    project_id: site.id,
    task_id: "",
    description: "",
    is_billable: "",
    date: daysAgo(3),
    mode: "times",
    ...fields,
  });

  it("logs timed and duration entries in the member's zone and shows the day", async () => {
    const date = daysAgo(3);
    const timed = await member.post(
      day(),
      entryForm({ start: "09:00", end: "10:30", task_id: siteTask.id, description: "Design" }),
    );
    expect(timed.status, timed.html.slice(0, 300)).toBe(302);
    expect(timed.location).toBe(`/time/day?date=${date}`);
    const manual = await member.post(
      day(),
      entryForm({ mode: "duration", duration: "1:15", description: "Emails", is_billable: "false" }),
    );
    expect(manual.status).toBe(302);
    const rows = await entriesOf(a.member.user_id, date);
    expect(rows).toMatchObject([
      {
        description: "Design",
        task_id: siteTask.id,
        started_at: new Date(at(date, "09:00")),
        ended_at: new Date(at(date, "10:30")),
        duration_seconds: 5400,
        is_billable: true,
      },
      { description: "Emails", started_at: null, duration_seconds: 4500, is_billable: false },
    ]);

    const page = await member.get(day());
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[ROUTE.day];
    expect(data).toMatchObject({ date, own: true, person: { id: a.member.user_id, time_zone: ZONE } });
    expect(data.entries.map((e: { description: string }) => e.description)).toEqual(["Design", "Emails"]);
    expect(data.projects.map((p: Project) => p.name)).toEqual(["Site"]);
  });

  it("an end before the start is the next day: the entry is split at the member's midnight", async () => {
    const date = daysAgo(5);
    const page = await member.post(
      `/time/day?date=${date}`,
      entryForm({ date, start: "23:00", end: "01:30", description: "Late" }),
    );
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect((await entriesOf(a.member.user_id, date)).map((e) => e.duration_seconds)).toEqual([3600]);
    expect((await entriesOf(a.member.user_id, daysAgo(4))).map((e) => e.duration_seconds)).toEqual([5400]);
  });

  it("shows each rule's refusal at its field and writes nothing", async () => {
    const date = daysAgo(3);
    const errorsOf = (page: { html: string }) => pageState(page.html).actionData?.[ROUTE.day];

    const missing = await refused(() => member.post(day(), entryForm({ start: "", end: "" })), 422);
    expect(errorsOf(missing).fieldErrors).toEqual({ start: ["Enter a start time."], end: ["Enter an end time."] });
    expect(errorsOf(missing).values.description).toBe("");

    const badDuration = await refused(() => member.post(day(), entryForm({ mode: "duration", duration: "lots" })), 422);
    expect(errorsOf(badDuration).fieldErrors).toEqual({ duration: ["Enter a duration such as 1:30, 1.5 or 90m."] });

    const overlap = await refused(
      () => member.post(day(), entryForm({ start: "10:00", end: "11:00", description: "Twice" })),
      422,
    );
    const [design] = await entriesOf(a.member.user_id, date);
    expect(errorsOf(overlap)).toMatchObject({
      code: "overlap",
      fieldErrors: { start: [expect.stringMatching(/overlaps your entry on Site from .* 09:00 to .* 10:30/)] },
      conflict: { id: design!.id, date },
      values: { description: "Twice" },
    });

    const tomorrow = daysAgo(-1);
    const future = await refused(
      () => member.post(day(), entryForm({ mode: "duration", date: tomorrow, duration: "1" })),
      422,
    );
    expect(errorsOf(future)).toMatchObject({ code: "future_entry", fieldErrors: { date: [expect.any(String)] } });

    const tooLong = await refused(() => member.post(day(), entryForm({ mode: "duration", duration: "13" })), 422);
    expect(errorsOf(tooLong)).toMatchObject({
      code: "entry_too_long",
      fieldErrors: { duration: [expect.stringMatching(/12 hours/)] },
    });

    const notOpen = await refused(
      () => member.post(day(), entryForm({ project_id: closed.id, mode: "duration", duration: "1" })),
      422,
    );
    expect(errorsOf(notOpen)).toMatchObject({
      code: "project_not_open",
      fieldErrors: { project_id: [expect.any(String)] },
    });

    const offTeam = await refused(
      () => member.post(day(), entryForm({ project_id: elsewhere.id, mode: "duration", duration: "1" })),
      422,
    );
    expect(errorsOf(offTeam)).toMatchObject({
      code: "not_on_project_team",
      fieldErrors: { project_id: [expect.any(String)] },
    });

    const wrongTask = await refused(
      () => member.post(day(), entryForm({ task_id: elsewhereTask.id, mode: "duration", duration: "1" })),
      422,
    );
    expect(errorsOf(wrongTask)).toMatchObject({
      code: "task_not_in_project",
      fieldErrors: { task_id: [expect.any(String)] },
    });

    // 24 hours on one day at most: two 12-hour durations fill it.
    const full = daysAgo(8);
    for (const _ of [1, 2]) {
      const page = await member.post(day(), entryForm({ date: full, mode: "duration", duration: "12" }));
      expect(page.status).toBe(302);
    }
    const over = await refused(
      () => member.post(day(), entryForm({ date: full, mode: "duration", duration: "0:30" })),
      422,
    );
    expect(errorsOf(over)).toMatchObject({ code: "day_over_24h", fieldErrors: { duration: [expect.any(String)] } });
  });

  it("edits and deletes the member's own entries; locked ones are refused whole", async () => {
    const date = daysAgo(3);
    const [design, emails] = await entriesOf(a.member.user_id, date);
    const edited = await member.post(day(), {
      ...entryForm({ start: "09:15", end: "10:45", description: "Design, revised" }),
      intent: "update",
      entry_id: design!.id,
      is_billable: "false",
    });
    expect(edited.status, edited.html.slice(0, 300)).toBe(302);
    expect((await entriesOf(a.member.user_id, date))[0]).toMatchObject({
      id: design!.id,
      description: "Design, revised",
      started_at: new Date(at(date, "09:15")),
      duration_seconds: 5400,
      is_billable: false,
    });

    // From a dialog (a fetcher): data instead of a redirect; "Project default" keeps the stored flag.
    const fromDialog = await member.post(`${day()}&_data=${encodeURIComponent(ROUTE.day)}`, {
      ...entryForm({ mode: "duration", duration: "2h", description: "Emails" }),
      intent: "update",
      entry_id: emails!.id,
      respond: "json",
    });
    expect(fromDialog.status, fromDialog.html).toBe(200);
    expect(json(fromDialog)).toEqual({ ok: true });
    expect((await entriesOf(a.member.user_id, date))[1]).toMatchObject({ duration_seconds: 7200, is_billable: false });

    // Someone else's entry: not theirs to see, so not found.
    const foreign = await refused(
      () =>
        colleague.post(day(), {
          ...entryForm({ mode: "duration", duration: "1" }),
          intent: "update",
          entry_id: emails!.id,
        }),
      404,
    );
    expect(pageState(foreign.html).actionData?.[ROUTE.day]).toMatchObject({ code: "not_found" });
    await refused(() => colleague.post(day(), { intent: "delete", entry_id: emails!.id }), 404);

    // Submitted time is locked: no edit, no delete. (The late entry of another day, whose status
    // then stays submitted: the database lets a status move only along the approval path.)
    const [late] = await entriesOf(a.member.user_id, daysAgo(5));
    await adminSql()`update public.time_entries set status = 'submitted' where id = ${late!.id}`;
    const lockedEdit = await refused(
      () =>
        member.post(day(), {
          ...entryForm({ mode: "duration", duration: "1" }),
          intent: "update",
          entry_id: late!.id,
        }),
      422,
    );
    expect(pageState(lockedEdit.html).actionData?.[ROUTE.day]).toMatchObject({
      code: "entry_locked",
      fieldErrors: {},
      formError: expect.stringMatching(/submitted/),
    });
    const lockedDelete = await refused(() => member.post(day(), { intent: "delete", entry_id: late!.id }), 422);
    expect(pageState(lockedDelete.html).actionData?.[ROUTE.day]).toMatchObject({ code: "entry_locked" });

    const deleted = await member.post(day(), { intent: "delete", entry_id: emails!.id });
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe(`/time/day?date=${date}`);
    expect((await entriesOf(a.member.user_id, date)).map((e) => e.id)).toEqual([design!.id]);
  });

  it("a manager reads someone's day (no projects, no forms); a member may not; odd params are handled", async () => {
    const date = daysAgo(3);
    const page = await manager.get(`/time/day?date=${date}&user=${a.member.user_id}`);
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[ROUTE.day];
    expect(data).toMatchObject({ own: false, projects: [], person: { id: a.member.user_id } });
    expect(data.entries.map((e: { description: string }) => e.description)).toEqual(["Design, revised"]);

    expect((await colleague.get(`/time/day?date=${date}&user=${a.member.user_id}`)).status).toBe(403);
    expect((await manager.get(`/time/day?user=not-a-uuid`)).status).toBe(404);
    expect((await manager.get(`/time/day?user=${a.owner.user.id.replace(/.$/, "0")}`)).status).toBe(404);
    // Without JavaScript the header's Start and Change forms live here.
    const startHere = pageState((await member.get("/time/day?timer=start")).html).loaderData[ROUTE.day];
    expect(startHere.timerForm).toEqual({ mode: "start", timer: null });
    expect(startHere.projects.map((p: Project) => p.name)).toEqual(["Site"]);
    const managerStart = pageState((await manager.get(`/time/day?timer=start&user=${a.member.user_id}`)).html);
    expect(managerStart.loaderData[ROUTE.day].timerForm).toBeNull();
    const stale = await member.get("/time/day?date=2026-02-31");
    expect(stale.status).toBe(200);
    expect(pageState(stale.html).loaderData[ROUTE.day].date).toBe(localToday(ZONE));
  });
});

describe("project settings for time", () => {
  it("a manager makes new time on a project non-billable by default; a member cannot", async () => {
    const form = (fields: Record<string, string>) => ({
      name: "Site",
      status: "active",
      billing_type: "fixed",
      manager_id: a.manager.user_id,
      ...fields,
    });
    const saved = await manager.post(`/projects/${site.id}/edit`, form({}));
    expect(saved.status, saved.html.slice(0, 300)).toBe(302);
    const [row] = await adminSql()`select time_billable_default from public.projects where id = ${site.id}`;
    expect(row).toEqual({ time_billable_default: false });
    // The member's next entry with "Project default" follows it.
    const date = daysAgo(6);
    await member.post(`/time/day?date=${date}`, hourOn(date));
    expect((await entriesOf(a.member.user_id, date))[0]).toMatchObject({ is_billable: false });

    const back = await manager.post(`/projects/${site.id}/edit`, form({ time_billable_default: "on" }));
    expect(back.status).toBe(302);
    expect((await adminSql()`select time_billable_default from public.projects where id = ${site.id}`)[0]).toEqual({
      time_billable_default: true,
    });
    const before = await snapshot();
    expect((await member.post(`/projects/${site.id}/edit`, form({}))).status).toBe(403);
    expect((await adminSql()`select time_billable_default from public.projects where id = ${site.id}`)[0]).toEqual({
      time_billable_default: true,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("a manager applies the current rates to unbilled time; a member is refused", async () => {
    const date = daysAgo(7);
    const logged = await member.post(`/time/day?date=${date}`, hourOn(date));
    expect(logged.status).toBe(302);
    const [entry] = await entriesOf(a.member.user_id, date);
    const rated = await manager.post(`/projects/${site.id}/team`, {
      intent: "rate",
      user_id: a.member.user_id,
      rate: "150",
    });
    expect(rated.status).toBe(302);
    // A rate change does not rewrite history…
    expect((await entriesOf(a.member.user_id, date))[0]!.billable_rate_cents).toBe(entry!.billable_rate_cents);

    const memberTry = await refused(() => member.post(`/projects/${site.id}/team`, { intent: "apply_rates" }), 403);
    expect(pageState(memberTry.html).actionData?.["routes/_app.projects.$projectId.team"].formError).toEqual(
      expect.any(String),
    );

    // …until a manager applies it, to every unbilled entry of the project.
    const applied = await manager.post(`/projects/${site.id}/team`, { intent: "apply_rates" });
    expect(applied.status).toBe(302);
    expect(applied.location).toBe(`/projects/${site.id}/team`);
    const toast = await readSignedCookie<{ message: string }>("crm_toast", manager.cookie("crm_toast"));
    const changed = Number(/applied to (\d+) unbilled/.exec(toast?.message ?? "")?.[1]);
    expect(changed).toBeGreaterThanOrEqual(1);
    expect((await entriesOf(a.member.user_id, date))[0]!.billable_rate_cents).toBe(15_000);
    const again = await manager.post(`/projects/${site.id}/team`, { intent: "apply_rates" });
    expect(again.status).toBe(302);
    expect(await readSignedCookie("crm_toast", manager.cookie("crm_toast"))).toMatchObject({
      message: "Every unbilled entry already has the current rate.",
    });
  });
});

/** A one-hour duration entry on a date, project default billable. */
function hourOn(date: string) {
  return {
    intent: "create",
    project_id: site.id,
    description: `Default ${date}`,
    is_billable: "",
    date,
    mode: "duration",
    duration: "1",
  };
}
