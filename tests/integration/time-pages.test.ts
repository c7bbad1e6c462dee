import { beforeAll, describe, expect, it } from "vitest";
import { addDays, mondayOf } from "#app/utils/calendar-dates.ts";
import { visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, pageState, signedIn, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The time pages as a browser without JavaScript uses them (and as the grid's fetchers do):
 * the week grid's cells (saved, or refused by a database rule with the reason at the cell and
 * nothing written), submitting a week, the approvals queue (approve, reject with a reason,
 * members refused), and a manager looking at someone's week without being able to change it.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = {
  layout: "routes/_app.time",
  week: "routes/_app.time._index",
  approvals: "routes/_app.time.approvals",
} as const;

let a: Agency;
let project: { id: string; name: string };
let onHold: { id: string };
let tasks: { id: string; title: string }[];
let owner: BrowserSession;
let manager: BrowserSession;
let member: BrowserSession;
let colleague: BrowserSession;

// Everyone's profile is in UTC (the default), so "today" and the weeks are UTC's.
const today = new Date().toISOString().slice(0, 10);
const thisMonday = mondayOf(today);
const lastMonday = addDays(thisMonday, -7);
const twoWeeksAgo = addDays(thisMonday, -14);
const lastWeek = (day: number) => addDays(lastMonday, day);

beforeAll(async () => {
  a = await agencyWithTeam(request, "time-pages");
  project = await created(
    api(a.manager, "/api/projects", {
      body: {
        client_id: a.clientId,
        name: "Website",
        status: "active",
        manager_id: a.manager.user_id,
        team: [a.member.user_id, a.colleague.user_id],
      },
    }),
  );
  onHold = await created(
    api(a.manager, "/api/projects", {
      body: { client_id: a.clientId, name: "Paused", status: "active", team: [a.member.user_id] },
    }),
  );
  tasks = await Promise.all(
    ["Design", "Build"].map((title) =>
      created<{ id: string; title: string }>(api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title } })),
    ),
  );
  [owner, manager, member, colleague] = await Promise.all([
    signedIn(app.url, a.owner.email),
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
    signedIn(app.url, a.colleague.email),
  ]);
});

/** The member's entries (as stored), for before/after comparisons. */
async function entries(userId = a.member.user_id) {
  return adminSql()`
    select id, project_id, task_id, entry_date::text, duration_seconds, started_at::text, status::text, updated_at::text
    from public.time_entries where agency_id = ${a.owner.agency.id} and user_id = ${userId}
    order by entry_date, project_id, task_id nulls first, started_at nulls first, id`;
}

async function timesheet(userId: string, weekStart: string) {
  const [row] = await adminSql()`
    select id, status::text, decided_by, rejection_reason, updated_at::text from public.timesheets
    where agency_id = ${a.owner.agency.id} and user_id = ${userId} and week_start = ${weekStart}`;
  return row as { id: string; status: string; decided_by: string | null; rejection_reason: string | null } | undefined;
}

function cell(date: string, duration: string, extra: Record<string, string> = {}) {
  return {
    intent: "cell",
    project_id: project.id,
    task_id: "",
    date,
    duration,
    back: `?week=${mondayOf(date)}`,
    ...extra,
  };
}

/** What the grid's fetcher sends: the index route's action answering JSON. */
const fetcherPath = `/time?index&_data=${encodeURIComponent(ROUTE.week)}`;

/** A cell post that a rule refuses: the status, the code, the message at the cell, nothing written. */
async function refusedCell(fields: Record<string, string>, code: string, as: BrowserSession = member) {
  const before = await entries();
  // Where the cell's form posts from: its week's page (a Remix form keeps the query string).
  const page = await as.post(`/time?index&week=${mondayOf(fields.date!)}`, fields);
  expect(page.status, page.html.slice(0, 300)).toBe(422);
  const failure = pageState(page.html).actionData?.[ROUTE.week];
  expect(failure).toMatchObject({
    ok: false,
    code,
    cell: `${fields.project_id}:${fields.task_id ?? ""}|${fields.date}`,
    message: expect.any(String),
  });
  // The reason is on the page, in the row of the refused cell.
  expect(visibleText(page.html)).toContain(failure.message);
  expect(await entries()).toEqual(before);
  return failure as { message: string; fieldErrors: Record<string, string[]> };
}

describe("/time (week grid)", () => {
  it("opens this week in the member's zone, with the projects they can track and no rows yet", async () => {
    const page = await member.get("/time");
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[ROUTE.week];
    expect(data).toMatchObject({ own: true, weekStart: thisMonday, today, status: "draft", editable: true, rows: [] });
    expect(data.days).toHaveLength(7);
    expect(data.projects.map((p: { name: string }) => p.name)).toEqual(["Paused", "Website"]);
    expect(visibleText(page.html)).toContain("No time this week");
    // Any day of a week opens its Monday.
    const midweek = await member.get(`/time?week=${lastWeek(3)}`);
    expect(pageState(midweek.html).loaderData[ROUTE.week].weekStart).toBe(lastMonday);
    // The layout: no approvals tab for a member.
    expect(pageState(page.html).loaderData[ROUTE.layout]).toMatchObject({ canApprove: false, pendingCount: 0 });
    expect(visibleText(page.html)).not.toContain("Approvals");
  });

  it("shows added rows (?add=project:task) until a cell of theirs is saved; unknown ones are dropped", async () => {
    const design = `${project.id}:${tasks[0]!.id}`;
    const page = await member.get(
      `/time?week=${lastMonday}&add=${design}&add=${project.id}:&add=${project.id}:00000000-0000-4000-8000-000000000000`,
    );
    const data = pageState(page.html).loaderData[ROUTE.week];
    expect(data.rows.map((r: { key: string; added: boolean }) => [r.key, r.added])).toEqual([
      [`${project.id}:`, true],
      [design, true],
    ]);
  });

  it("saves a cell without JavaScript (redirect back) and through the fetcher (JSON); an empty cell deletes", async () => {
    const page = await member.post("/time?index", cell(lastWeek(0), "1:30"));
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(`/time?week=${lastMonday}`);

    const json = await member.post(fetcherPath, {
      ...cell(lastWeek(1), "2.5", { task_id: tasks[0]!.id }),
      respond: "json",
    });
    expect(json.status, json.html.slice(0, 300)).toBe(200);
    expect(JSON.parse(json.html)).toEqual({ ok: true, cell: `${project.id}:${tasks[0]!.id}|${lastWeek(1)}` });

    // The same cell again: the one manual entry is resized, not doubled.
    await member.post("/time?index", cell(lastWeek(0), "90m"));
    await member.post("/time?index", cell(lastWeek(2), "45m"));
    expect((await entries()).map((e) => [e.entry_date, e.task_id, e.duration_seconds, e.started_at, e.status])).toEqual(
      [
        [lastWeek(0), null, 5400, null, "draft"],
        [lastWeek(1), tasks[0]!.id, 9000, null, "draft"],
        [lastWeek(2), null, 2700, null, "draft"],
      ],
    );
    const cleared = await member.post("/time?index", cell(lastWeek(2), ""));
    expect(cleared.status).toBe(302);
    expect((await entries()).map((e) => e.entry_date)).toEqual([lastWeek(0), lastWeek(1)]);

    const week = pageState((await member.get(`/time?week=${lastMonday}`)).html).loaderData[ROUTE.week];
    expect(week.rows.map((r: { key: string; days: number[] }) => [r.key, r.days])).toEqual([
      [`${project.id}:`, [5400, 0, 0, 0, 0, 0, 0]],
      [`${project.id}:${tasks[0]!.id}`, [0, 9000, 0, 0, 0, 0, 0]],
    ]);
    expect(week.total).toBe(14400);
    expect(week.billable.reduce((x: number, y: number) => x + y, 0)).toBe(14400);
  });

  it("shows each rule's refusal at the cell and writes nothing", async () => {
    expect((await refusedCell(cell(lastWeek(3), "later"), "invalid_duration")).fieldErrors).toEqual({
      duration: ["Enter a duration such as 1:30, 1.5 or 90m."],
    });
    await refusedCell(cell(addDays(today, 1), "1:00", { back: "" }), "future_entry");
    await refusedCell(cell(lastWeek(3), "13:00"), "entry_too_long");

    // 24 hours a day at most, over all rows of the day.
    await member.post("/time?index", cell(lastWeek(4), "12:00"));
    await member.post("/time?index", cell(lastWeek(4), "12:00", { task_id: tasks[0]!.id }));
    await refusedCell(cell(lastWeek(4), "0:30", { task_id: tasks[1]!.id }), "day_over_24h");
    await member.post("/time?index", cell(lastWeek(4), "", { task_id: tasks[0]!.id }));
    await member.post("/time?index", cell(lastWeek(4), "6:00"));

    // A cell cannot go below the timed entries in it (those are changed in the day view).
    await adminSql()`
      insert into public.time_entries (agency_id, user_id, project_id, started_at, ended_at, description)
      values (${a.owner.agency.id}, ${a.member.user_id}, ${project.id},
              ${`${lastWeek(3)}T09:00:00Z`}, ${`${lastWeek(3)}T10:00:00Z`}, 'Call')`;
    await refusedCell(cell(lastWeek(3), "0:30"), "cell_has_timed_entries");
    const grown = await member.post("/time?index", cell(lastWeek(3), "1:15"));
    expect(grown.status).toBe(302);
    const wednesday = (await entries()).filter((e) => e.entry_date === lastWeek(3));
    expect(wednesday.map((e) => [e.duration_seconds, e.started_at !== null])).toEqual([
      [900, false],
      [3600, true],
    ]);
    const week = pageState((await member.get(`/time?week=${lastMonday}`)).html).loaderData[ROUTE.week];
    expect(week.rows.find((r: { key: string }) => r.key === `${project.id}:`).timed[3]).toBe(3600);

    // A project on hold takes no time.
    await adminSql()`update public.projects set status = 'on_hold' where id = ${onHold.id}`;
    await refusedCell(cell(lastWeek(0), "1:00", { project_id: onHold.id }), "project_not_open");

    // The fetcher's answer is the same failure as JSON.
    const before = await entries();
    // (Wednesday has an hour of timed entries: 14 h would be a 13-hour manual entry.)
    const json = await member.post(fetcherPath, { ...cell(lastWeek(3), "14:00"), respond: "json" });
    expect(json.status).toBe(422);
    expect(JSON.parse(json.html)).toMatchObject({
      ok: false,
      code: "entry_too_long",
      cell: `${project.id}:|${lastWeek(3)}`,
      values: { duration: "14:00" },
    });
    expect(await entries()).toEqual(before);
  });

  it("a manager sees a member's week read-only; a member may not look at a colleague's", async () => {
    const page = await manager.get(`/time?user=${a.member.user_id}&week=${lastMonday}`);
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[ROUTE.week];
    expect(data).toMatchObject({
      own: false,
      editable: false,
      person: { id: a.member.user_id },
      projects: [],
      recent: [],
    });
    expect(data.rows.length).toBeGreaterThan(0);
    expect(visibleText(page.html)).toContain("Only time-pages-member can change it.");
    // Read-only: no cell forms on the page.
    expect(page.html).not.toContain('name="duration"');
    // Adding rows to someone else's week does nothing.
    const added = await manager.get(
      `/time?user=${a.member.user_id}&week=${lastMonday}&add=${project.id}:${tasks[1]!.id}`,
    );
    expect(pageState(added.html).loaderData[ROUTE.week].addedKeys).toEqual([]);

    const refused = await member.get(`/time?user=${a.colleague.user_id}`);
    expect(refused.status).toBe(403);
    expect(visibleText(refused.html)).toContain("Only owners and managers see other people's timesheets.");
    const stranger = await member.get(`/time?user=00000000-0000-4000-8000-000000000000`);
    expect(stranger.status).toBe(404);
  });

  it("submits a week (then it is locked), and refuses an empty one with nothing written", async () => {
    const sheetsBefore =
      await adminSql()`select count(*)::int as n from public.timesheets where agency_id = ${a.owner.agency.id}`;
    const empty = await member.post("/time?index", { intent: "submit", week_start: twoWeeksAgo, back: "" });
    expect(empty.status).toBe(422);
    expect(pageState(empty.html).actionData?.[ROUTE.week]).toMatchObject({
      code: "timesheet_empty",
      formError: expect.any(String),
    });
    expect(
      await adminSql()`select count(*)::int as n from public.timesheets where agency_id = ${a.owner.agency.id}`,
    ).toEqual(sheetsBefore);

    const page = await member.post("/time?index", {
      intent: "submit",
      week_start: lastMonday,
      back: `?week=${lastMonday}`,
    });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(`/time?week=${lastMonday}`);
    expect(await timesheet(a.member.user_id, lastMonday)).toMatchObject({ status: "submitted" });
    expect(new Set((await entries()).filter((e) => e.entry_date >= lastMonday).map((e) => e.status))).toEqual(
      new Set(["submitted"]),
    );

    const week = await member.get(`/time?week=${lastMonday}`);
    expect(pageState(week.html).loaderData[ROUTE.week]).toMatchObject({ status: "submitted", editable: false });
    expect(visibleText(week.html)).toContain("waiting for approval");
    expect(week.html).not.toContain('name="duration"');
    // Its cells take no change, whatever posts them.
    await refusedCell(cell(lastWeek(0), "3:00"), "entry_locked");
    // This week: the recent weeks list it, and its rows can be copied (not the one on hold).
    const thisWeek = pageState((await member.get("/time")).html).loaderData[ROUTE.week];
    expect(thisWeek.recent[0]).toMatchObject({ week_start: lastMonday, status: "submitted" });
    expect([...thisWeek.copyable].sort()).toEqual([`${project.id}:`, `${project.id}:${tasks[0]!.id}`].sort());
  });
});

describe("/time/approvals", () => {
  it("is refused to members: the page and its actions", async () => {
    const sheet = (await timesheet(a.member.user_id, lastMonday))!;
    const page = await colleague.get("/time/approvals");
    expect(page.status).toBe(403);
    expect(visibleText(page.html)).toContain("Only owners and managers approve timesheets.");
    const before = await timesheet(a.member.user_id, lastMonday);
    const post = await colleague.post("/time/approvals", { intent: "approve", timesheet_id: sheet.id });
    expect(post.status).toBe(403);
    expect(await timesheet(a.member.user_id, lastMonday)).toEqual(before);
  });

  it("lists pending weeks for the project's manager (only my projects by default) with their entries", async () => {
    const sheet = (await timesheet(a.member.user_id, lastMonday))!;
    const page = await manager.get("/time/approvals");
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[ROUTE.approvals];
    expect(data).toMatchObject({ role: "manager", scope: "mine", show: "pending" });
    expect(data.pending).toEqual([
      expect.objectContaining({
        id: sheet.id,
        user_name: "time-pages-member person",
        week_start: lastMonday,
        total_seconds: (await entries())
          .filter((e) => e.entry_date >= lastMonday)
          .reduce((s, e) => s + e.duration_seconds, 0),
        project_names: ["Website"],
        can_decide: true,
      }),
    ]);
    expect(pageState(page.html).loaderData[ROUTE.layout]).toMatchObject({ canApprove: true, pendingCount: 1 });

    const opened = pageState((await manager.get(`/time/approvals?open=${sheet.id}`)).html).loaderData[ROUTE.approvals];
    expect(opened.open).toMatchObject({ id: sheet.id });
    expect(opened.open.entries.map((e: { description: string }) => e.description)).toContain("Call");
  });

  it("a rejection needs a reason; with one the week returns to the member, who changes and resubmits it", async () => {
    const sheet = (await timesheet(a.member.user_id, lastMonday))!;
    const before = await timesheet(a.member.user_id, lastMonday);
    const noReason = await manager.post("/time/approvals", { intent: "reject", timesheet_id: sheet.id, reason: "  " });
    expect(noReason.status).toBe(422);
    expect(pageState(noReason.html).actionData?.[ROUTE.approvals]).toMatchObject({
      timesheet_id: sheet.id,
      fieldErrors: { reason: ["Say why the week is rejected."] },
    });
    expect(await timesheet(a.member.user_id, lastMonday)).toEqual(before);

    const page = await manager.post("/time/approvals", {
      intent: "reject",
      timesheet_id: sheet.id,
      reason: "Friday looks too long",
      back: "?scope=mine",
    });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe("/time/approvals?scope=mine");
    expect(await timesheet(a.member.user_id, lastMonday)).toMatchObject({
      status: "rejected",
      decided_by: a.manager.user_id,
      rejection_reason: "Friday looks too long",
    });

    const week = await member.get(`/time?week=${lastMonday}`);
    expect(pageState(week.html).loaderData[ROUTE.week]).toMatchObject({ status: "rejected", editable: true });
    expect(visibleText(week.html)).toContain("Friday looks too long");
    expect((await member.post("/time?index", cell(lastWeek(4), "5:00"))).status).toBe(302);
    expect((await member.post("/time?index", { intent: "submit", week_start: lastMonday })).status).toBe(302);
    expect(await timesheet(a.member.user_id, lastMonday)).toMatchObject({ status: "submitted" });
  });

  it("the owner approves (everyone's weeks); the member's week is then approved and locked", async () => {
    const sheet = (await timesheet(a.member.user_id, lastMonday))!;
    const list = pageState((await owner.get("/time/approvals")).html).loaderData[ROUTE.approvals];
    expect(list).toMatchObject({ role: "owner", scope: "all" });
    expect(list.pending.map((w: { id: string }) => w.id)).toEqual([sheet.id]);

    const page = await owner.post("/time/approvals", { intent: "approve", timesheet_id: sheet.id, back: "" });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(await timesheet(a.member.user_id, lastMonday)).toMatchObject({
      status: "approved",
      decided_by: a.owner.user.id,
    });

    // Deciding twice is refused, with nothing changed.
    const before = await timesheet(a.member.user_id, lastMonday);
    const again = await manager.post("/time/approvals", { intent: "approve", timesheet_id: sheet.id });
    expect(again.status).toBe(422);
    expect(pageState(again.html).actionData?.[ROUTE.approvals]).toMatchObject({ code: "timesheet_not_pending" });
    expect(await timesheet(a.member.user_id, lastMonday)).toEqual(before);

    const decided = pageState((await manager.get("/time/approvals?show=decided&scope=all")).html).loaderData[
      ROUTE.approvals
    ];
    expect(decided.decided[0]).toMatchObject({
      id: sheet.id,
      status: "approved",
      decided_by_name: "time-pages-owner person",
    });

    const week = await member.get(`/time?week=${lastMonday}`);
    expect(pageState(week.html).loaderData[ROUTE.week]).toMatchObject({ status: "approved", editable: false });
    expect(visibleText(week.html)).toContain("Approved by time-pages-owner person");
    expect(week.html).not.toContain('name="duration"');
    await refusedCell(cell(lastWeek(1), "1:00", { task_id: tasks[0]!.id }), "entry_locked");
  });

  it("a manager's own week waits for someone else", async () => {
    // The project's manager is on its team (the database puts them there).
    expect((await manager.post("/time?index", cell(lastWeek(2), "2:00"))).status).toBe(302);
    expect((await manager.post("/time?index", { intent: "submit", week_start: lastMonday })).status).toBe(302);
    const mine = await timesheet(a.manager.user_id, lastMonday);
    const list = pageState((await manager.get("/time/approvals?scope=all")).html).loaderData[ROUTE.approvals];
    expect(list.pending.find((w: { id: string }) => w.id === mine!.id)).toMatchObject({ can_decide: false });
    expect(pageState((await manager.get("/time/approvals")).html).loaderData[ROUTE.layout].pendingCount).toBe(0);
    const refused = await manager.post("/time/approvals", { intent: "approve", timesheet_id: mine!.id });
    expect(refused.status).toBe(403);
    expect(await timesheet(a.manager.user_id, lastMonday)).toEqual(mine);
  });
});
