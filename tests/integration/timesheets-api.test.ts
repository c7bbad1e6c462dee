import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { apiAs, NIL_UUID, type Actor } from "../setup/projects.ts";
import {
  addDays,
  at,
  expectTimeRefused,
  localToday,
  outbox,
  pastMonday,
  timeAgency,
  type Entry,
  type TimeAgency,
} from "../setup/time.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Timesheets over the API: the week view (grid, totals, status), grid cells, submitting a week,
 * the approval queue, approving and rejecting (with the emails in the outbox), and the locks that
 * follow: submitted and approved time cannot change, rejected time can.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ZONE = "Europe/Berlin";

const log = (as: Actor, body: Record<string, unknown>) => api(as, "/api/time-entries", { body });
const week = (as: Actor, query: string) => api(as, `/api/timesheets?${query}`);
const cell = (as: Actor, body: Record<string, unknown>) => api(as, "/api/timesheets/cells", { method: "PUT", body });
const submit = (as: Actor, weekStart: string) => api(as, "/api/timesheets/submit", { body: { week_start: weekStart } });
const decide = (as: Actor, id: string, command: "approve" | "reject", body?: Record<string, unknown>) =>
  api(as, `/api/timesheets/${id}/${command}`, { method: "POST", body });

async function logged(as: Actor, body: Record<string, unknown>): Promise<Entry> {
  const response = await log(as, body);
  if (response.status !== 201)
    throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.data[0] as Entry;
}

async function ok<T = any>(response: Promise<{ status: number; body: any }>, status = 200): Promise<T> {
  const answered = await response;
  if (answered.status !== status) {
    throw new Error(`expected ${status}, got ${answered.status}: ${JSON.stringify(answered.body)}`);
  }
  return answered.body.data as T;
}

async function statuses(ids: string[]): Promise<string[]> {
  const rows = await adminSql()<{ status: string }[]>`
    select status::text from public.time_entries where id in ${adminSql()(ids)} order by id`;
  return rows.map((r) => r.status);
}

describe("GET /api/timesheets and PUT /api/timesheets/cells", () => {
  let a: TimeAgency;
  let monday: string;
  const day = (n: number) => addDays(monday, n);

  beforeAll(async () => {
    a = await timeAgency(request, "ts-week");
    monday = pastMonday(ZONE, 2);
    await logged(a.member, {
      project_id: a.project.id,
      task_id: a.task.id,
      description: "Timed",
      started_at: await at(day(0), "09:00", ZONE),
      ended_at: await at(day(0), "10:30", ZONE),
    });
    await logged(a.member, {
      project_id: a.otherProject.id,
      description: "Call",
      is_billable: false,
      date: day(0),
      duration_seconds: 1800,
    });
    await logged(a.member, {
      project_id: a.project.id,
      task_id: a.task.id,
      description: "Manual",
      date: day(2),
      duration_seconds: 3600,
    });
    // The week before: a row this week does not have yet ("copy last week").
    await logged(a.member, { project_id: a.project.id, description: "No task", date: day(-6), duration_seconds: 600 });
  });

  it("answers the week of any date in it: entries, grid rows, totals, no timesheet yet", async () => {
    const view = await ok(week(a.member, `week_start=${day(2)}`));
    expect(view.week_start).toBe(monday);
    expect(view.days).toEqual([0, 1, 2, 3, 4, 5, 6].map(day));
    expect(view.user).toEqual({ id: a.member.user_id, name: "ts-week-member person", time_zone: ZONE });
    expect(view.timesheet).toBeNull();
    expect(view.entries.map((e: Entry) => e.description)).toEqual(["Timed", "Call", "Manual"]);
    expect(view.rows).toEqual([
      {
        project_id: a.otherProject.id,
        project_name: "ts-week other",
        client_name: "ts-week Client",
        task_id: null,
        task_title: null,
        days: [1800, 0, 0, 0, 0, 0, 0],
        timed: [0, 0, 0, 0, 0, 0, 0],
        total: 1800,
        editable: [true, true, true, true, true, true, true],
      },
      {
        project_id: a.project.id,
        project_name: "ts-week project",
        client_name: "ts-week Client",
        task_id: a.task.id,
        task_title: "Design",
        days: [5400, 0, 3600, 0, 0, 0, 0],
        timed: [5400, 0, 0, 0, 0, 0, 0],
        total: 9000,
        editable: [true, true, true, true, true, true, true],
      },
    ]);
    expect(view.totals).toEqual({
      days: [7200, 0, 3600, 0, 0, 0, 0],
      billable: [5400, 0, 3600, 0, 0, 0, 0],
      non_billable: [1800, 0, 0, 0, 0, 0, 0],
      total: 10_800,
      billable_total: 9000,
    });
    expect(view.previous_rows).toEqual([
      {
        project_id: a.project.id,
        project_name: "ts-week project",
        client_name: "ts-week Client",
        task_id: null,
        task_title: null,
      },
    ]);
  });

  it("owners and managers read anyone's week; members only their own (403); other agencies 404", async () => {
    const mine = await ok(week(a.member, `week_start=${monday}`));
    for (const as of [a.manager, a.owner]) {
      const theirs = await ok(week(as, `week_start=${monday}&user_id=${a.member.user_id}`));
      expect(theirs.entries.map((e: Entry) => e.id)).toEqual(mine.entries.map((e: Entry) => e.id));
      expect(theirs.rows.map((r: { total: number }) => r.total)).toEqual(
        mine.rows.map((r: { total: number }) => r.total),
      );
    }
    const colleague = await week(a.colleague, `week_start=${monday}&user_id=${a.member.user_id}`);
    expect(colleague.status).toBe(403);
    expect(colleague.body.code).toBe("forbidden");
    for (const [as, userId] of [
      [a.stranger, a.member.user_id],
      [a.owner, a.stranger.user.id],
      [a.member, NIL_UUID],
    ] as const) {
      const response = await week(as, `week_start=${monday}&user_id=${userId}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    for (const query of [
      "",
      "week_start=monday",
      "week_start=2026-02-30",
      `week_start=${monday}&user_id=me`,
      `week_start=${monday}&x=1`,
    ]) {
      const response = await week(a.member, query);
      expect(response.status, query).toBe(422);
      expect(response.body.code).toBe("validation_failed");
    }
  });

  it("a cell takes a total: its manual entry is created, resized or removed; timed entries stay", async () => {
    const cellOf = (date: string, seconds: number, taskId: string | null = a.task.id) =>
      cell(a.member, { project_id: a.project.id, task_id: taskId, date, duration_seconds: seconds });
    const [created] = await ok<Entry[]>(cellOf(day(3), 5400));
    expect(created).toMatchObject({
      entry_date: day(3),
      duration_seconds: 5400,
      started_at: null,
      task_id: a.task.id,
      description: "",
    });
    const [resized] = await ok<Entry[]>(cellOf(day(3), 7200));
    expect(resized).toMatchObject({ id: created!.id, duration_seconds: 7200 });
    // Monday has 1:30 timed: the cell's manual part is the rest.
    const monday = await ok<Entry[]>(cellOf(day(0), 7200));
    expect(monday.map((e) => [e.started_at === null, e.duration_seconds])).toEqual([
      [false, 5400],
      [true, 1800],
    ]);
    expect(await ok<Entry[]>(cellOf(day(3), 0))).toEqual([]);
    expect(await adminSql()`select 1 from public.time_entries where id = ${created!.id}`).toHaveLength(0);
    // A cell without a task is its own row.
    const [noTask] = await ok<Entry[]>(
      cell(a.member, { project_id: a.project.id, date: day(4), duration_seconds: 900 }),
    );
    expect(noTask).toMatchObject({ task_id: null, duration_seconds: 900 });
    const view = await ok(week(a.member, `week_start=${monday[0]!.entry_date}`));
    expect(view.totals.days[0]).toBe(9000);
  });

  it("cell refusals have their codes and write nothing", async () => {
    const agencyId = a.owner.agency.id;
    const refuse = (body: Record<string, unknown>, expected: { code: string; field?: string; status?: number }) =>
      expectTimeRefused(agencyId, () => cell(a.member, body), { status: 422, ...expected });
    const today = localToday(ZONE);
    await refuse(
      { project_id: a.project.id, task_id: a.task.id, date: day(0), duration_seconds: 3600 },
      { code: "cell_has_timed_entries", field: "duration_seconds" },
    );
    await refuse(
      { project_id: a.project.id, date: addDays(today, 1), duration_seconds: 600 },
      { code: "future_entry", field: "date" },
    );
    await refuse(
      { project_id: a.project.id, date: day(5), duration_seconds: 43_201 },
      { code: "entry_too_long", field: "duration_seconds" },
    );
    await refuse(
      { project_id: a.heldProject.id, date: day(5), duration_seconds: 600 },
      { code: "project_not_open", field: "project_id" },
    );
    await refuse(
      { project_id: a.project.id, task_id: a.otherTask.id, date: day(5), duration_seconds: 600 },
      { code: "task_not_in_project", field: "task_id" },
    );
    await refuse(
      { project_id: a.theirProject.id, date: day(5), duration_seconds: 600 },
      { code: "not_on_project_team", field: "project_id" },
    );
    await refuse(
      { project_id: a.project.id, date: day(5), duration_seconds: -1 },
      { code: "validation_failed", field: "duration_seconds" },
    );
    await refuse(
      { project_id: a.project.id, date: day(5), duration_seconds: 86_401 },
      { code: "validation_failed", field: "duration_seconds" },
    );
    await refuse({ project_id: a.project.id, duration_seconds: 60 }, { code: "validation_failed", field: "date" });
    await refuse({ date: day(5), duration_seconds: 60 }, { code: "validation_failed", field: "project_id" });
    // Two full manual cells make a day; a third second is one too many.
    await ok(cell(a.member, { project_id: a.project.id, date: day(6), duration_seconds: 43_200 }));
    await ok(cell(a.member, { project_id: a.otherProject.id, date: day(6), duration_seconds: 43_200 }));
    await refuse(
      { project_id: a.project.id, task_id: a.task.id, date: day(6), duration_seconds: 1 },
      { code: "day_over_24h", field: "duration_seconds" },
    );
    const post = await api(a.member, "/api/timesheets/cells", {
      body: { project_id: a.project.id, date: day(5), duration_seconds: 60 },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("PUT");
  });
});

describe("submit → approve or reject, with the locks and emails that follow", () => {
  let a: TimeAgency;
  let agencyId: string;
  let monday: string;
  let first: Entry;
  let second: Entry;
  let sheetId: string;
  const day = (n: number) => addDays(monday, n);

  beforeAll(async () => {
    a = await timeAgency(request, "ts-flow");
    agencyId = a.owner.agency.id;
    monday = pastMonday(ZONE, 2);
    first = await logged(a.member, {
      project_id: a.project.id,
      description: "Build",
      started_at: await at(day(1), "09:00", ZONE),
      ended_at: await at(day(1), "12:00", ZONE),
    });
    second = await logged(a.member, {
      project_id: a.project.id,
      description: "Review",
      date: day(2),
      duration_seconds: 3600,
    });
  });

  it("refuses an empty week (timesheet_empty), a day that is not a Monday (invalid_week), bad bodies", async () => {
    await expectTimeRefused(agencyId, () => submit(a.member, addDays(monday, -7)), {
      status: 422,
      code: "timesheet_empty",
      field: "week_start",
    });
    await expectTimeRefused(agencyId, () => submit(a.member, day(1)), {
      status: 422,
      code: "invalid_week",
      field: "week_start",
    });
    await expectTimeRefused(agencyId, () => api(a.member, "/api/timesheets/submit", { body: {} }), {
      status: 422,
      code: "validation_failed",
      field: "week_start",
    });
    await expectTimeRefused(
      agencyId,
      () => api(a.member, "/api/timesheets/submit", { body: { week_start: "this week" } }),
      { status: 422, code: "validation_failed", field: "week_start" },
    );
  });

  it("submits the week: entries locked, approvers told in-app and by email", async () => {
    const sheet = await ok(submit(a.member, monday));
    sheetId = sheet.id;
    expect(sheet).toMatchObject({
      user_id: a.member.user_id,
      week_start: monday,
      status: "submitted",
      decided_by: null,
      rejection_reason: null,
    });
    expect(await statuses([first.id, second.id])).toEqual(["submitted", "submitted"]);
    const [email] = await outbox("timesheet_submitted", a.manager.email);
    expect(email?.data).toMatchObject({
      member_name: "ts-flow-member person",
      week_start: monday,
      approvals_path: "/time/approvals",
    });
    const [notification] = await adminSql()`
      select kind, link_path from public.notifications where user_id = ${a.manager.user_id} and kind = 'timesheet_submitted'`;
    expect(notification).toEqual({ kind: "timesheet_submitted", link_path: "/time/approvals" });
    const [audit] = await adminSql()`
      select action, actor_id from public.audit_log where table_name = 'timesheets' and row_id = ${sheetId}`;
    expect(audit).toEqual({ action: "insert", actor_id: a.member.user_id });

    const view = await ok(week(a.member, `week_start=${monday}`));
    expect(view.timesheet).toMatchObject({ id: sheetId, status: "submitted" });
    expect(view.rows[0].editable).toEqual([true, false, false, true, true, true, true]);
  });

  it("submitted time is locked: PATCH, DELETE, new entries, cells and a second submit answer entry_locked", async () => {
    const locked = { status: 422, code: "entry_locked" };
    await expectTimeRefused(agencyId, () => submit(a.member, monday), locked);
    await expectTimeRefused(
      agencyId,
      () => api(a.member, `/api/time-entries/${first.id}`, { method: "PATCH", body: { description: "Sneaky" } }),
      locked,
    );
    await expectTimeRefused(
      agencyId,
      () => api(a.member, `/api/time-entries/${second.id}`, { method: "DELETE" }),
      locked,
    );
    await expectTimeRefused(
      agencyId,
      () => log(a.member, { project_id: a.project.id, description: "Late", date: day(4), duration_seconds: 600 }),
      { ...locked, field: "date" },
    );
    await expectTimeRefused(
      agencyId,
      () => cell(a.member, { project_id: a.project.id, date: day(2), duration_seconds: 7200 }),
      locked,
    );
  });

  it("the approval queue: owners and managers; mine=true keeps my projects; members 403", async () => {
    const queue = await api(a.manager, "/api/timesheets/approvals");
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ total: 1, page: 1 });
    expect(queue.body.data[0]).toMatchObject({
      id: sheetId,
      user_id: a.member.user_id,
      user_name: "ts-flow-member person",
      week_start: monday,
      status: "submitted",
      total_seconds: 3 * 3600 + 3600,
      billable_seconds: 4 * 3600,
      entry_count: 2,
      project_names: ["ts-flow project"],
      on_my_projects: true,
    });
    expect((await api(a.manager, "/api/timesheets/approvals?mine=true")).body.total).toBe(1);
    expect((await api(a.owner, "/api/timesheets/approvals")).body.total).toBe(1);
    expect((await api(a.owner, "/api/timesheets/approvals?mine=true")).body.total).toBe(0);
    expect((await api(a.owner, "/api/timesheets/approvals?status=approved")).body.total).toBe(0);
    expect((await api(a.stranger, "/api/timesheets/approvals")).body.total).toBe(0);
    const member = await api(a.member, "/api/timesheets/approvals");
    expect(member.status).toBe(403);
    expect((await api(a.owner, "/api/timesheets/approvals?status=pending")).status).toBe(422);
    expect((await api(a.owner, "/api/timesheets/approvals?mine=yes")).status).toBe(422);
  });

  it("deciding: members cannot (403 cannot_decide_timesheet), other agencies do not find it (404)", async () => {
    for (const as of [a.member, a.colleague]) {
      await expectTimeRefused(agencyId, () => decide(as, sheetId, "approve"), {
        status: 403,
        code: "cannot_decide_timesheet",
      });
      await expectTimeRefused(agencyId, () => decide(as, sheetId, "reject", { reason: "No" }), {
        status: 403,
        code: "cannot_decide_timesheet",
      });
    }
    await expectTimeRefused(agencyId, () => decide(a.stranger, sheetId, "approve"), { status: 404, code: "not_found" });
    await expectTimeRefused(agencyId, () => decide(a.manager, NIL_UUID, "approve"), { status: 404, code: "not_found" });
    await expectTimeRefused(agencyId, () => api(a.manager, `/api/timesheets/${sheetId}/archive`, { method: "POST" }), {
      status: 404,
      code: "not_found",
    });
    await expectTimeRefused(agencyId, () => api(a.manager, "/api/timesheets/nope/approve", { method: "POST" }), {
      status: 422,
      code: "validation_failed",
    });
  });

  it("rejecting needs a reason (rejection_reason_required); with one the member is emailed and may edit again", async () => {
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "reject"), {
      status: 422,
      code: "rejection_reason_required",
      field: "reason",
    });
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "reject", {}), {
      status: 422,
      code: "rejection_reason_required",
      field: "reason",
    });
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "reject", { reason: "   " }), {
      status: 422,
      code: "rejection_reason_required",
      field: "reason",
    });
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "reject", { reason: 42 }), {
      status: 422,
      code: "validation_failed",
      field: "reason",
    });

    const rejected = await ok(decide(a.manager, sheetId, "reject", { reason: "Tuesday's build needs a task" }));
    expect(rejected).toMatchObject({
      id: sheetId,
      status: "rejected",
      decided_by: a.manager.user_id,
      decided_by_name: "ts-flow-manager person",
      rejection_reason: "Tuesday's build needs a task",
    });
    expect(await statuses([first.id, second.id])).toEqual(["rejected", "rejected"]);
    const [email] = await outbox("timesheet_rejected", a.member.email);
    expect(email?.data).toMatchObject({
      week_start: monday,
      reason: "Tuesday's build needs a task",
      timesheet_path: `/time?week=${monday}`,
    });
    const [audit] = await adminSql()`
      select reason from public.audit_log
      where table_name = 'timesheets' and row_id = ${sheetId} and action = 'update' order by id desc limit 1`;
    expect(audit!.reason).toBe("Tuesday's build needs a task");
    const view = await ok(week(a.member, `week_start=${monday}`));
    expect(view.timesheet).toMatchObject({ status: "rejected", rejection_reason: "Tuesday's build needs a task" });

    // The week is the member's again: edits make a rejected entry a draft; new time is welcome.
    const [edited] = await ok<Entry[]>(
      api(a.member, `/api/time-entries/${first.id}`, { method: "PATCH", body: { task_id: a.task.id } }),
    );
    expect(edited).toMatchObject({ status: "draft", task_id: a.task.id });
    await logged(a.member, {
      project_id: a.project.id,
      description: "Added after review",
      date: day(3),
      duration_seconds: 900,
    });
    // Deciding twice is not possible.
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "approve"), {
      status: 422,
      code: "timesheet_not_pending",
    });
  });

  it("resubmitted and approved: final; PATCH and DELETE answer entry_locked", async () => {
    const again = await ok(submit(a.member, monday));
    expect(again).toMatchObject({ id: sheetId, status: "submitted", rejection_reason: null });
    expect(await outbox("timesheet_submitted", a.manager.email)).toHaveLength(2);
    const approved = await ok(decide(a.manager, sheetId, "approve"));
    expect(approved).toMatchObject({ status: "approved", decided_by: a.manager.user_id });
    const entries = (await ok(week(a.member, `week_start=${monday}`))).entries as Entry[];
    expect(entries.map((e) => e.status)).toEqual(["approved", "approved", "approved"]);
    const [notification] = await adminSql()`
      select kind from public.notifications where user_id = ${a.member.user_id} and kind = 'timesheet_approved'`;
    expect(notification).toEqual({ kind: "timesheet_approved" });

    const locked = { status: 422, code: "entry_locked" };
    await expectTimeRefused(
      agencyId,
      () => api(a.member, `/api/time-entries/${first.id}`, { method: "PATCH", body: { description: "Rewrite" } }),
      locked,
    );
    await expectTimeRefused(
      agencyId,
      () =>
        api(a.member, `/api/time-entries/${second.id}`, {
          method: "PATCH",
          body: { date: day(2), duration_seconds: 60 },
        }),
      locked,
    );
    await expectTimeRefused(
      agencyId,
      () => api(a.member, `/api/time-entries/${second.id}`, { method: "DELETE" }),
      locked,
    );
    await expectTimeRefused(agencyId, () => submit(a.member, monday), locked);
    await expectTimeRefused(agencyId, () => decide(a.manager, sheetId, "reject", { reason: "Changed my mind" }), {
      status: 422,
      code: "timesheet_not_pending",
    });
    expect(
      (await api(a.owner, "/api/timesheets/approvals?status=approved")).body.data.map((r: { id: string }) => r.id),
    ).toEqual([sheetId]);
    // Rates may still be brought up to date (they are not the member's content).
    const rates = await api(a.manager, `/api/projects/${a.project.id}/apply-rates`, { body: {} });
    expect(rates.status).toBe(200);
  });
});

describe("managers do not approve their own week", () => {
  let a: TimeAgency;

  beforeAll(async () => {
    a = await timeAgency(request, "ts-own");
  });

  it("a manager's week goes to the owners; the manager deciding it is refused", async () => {
    const monday = pastMonday(ZONE, 3);
    await logged(a.manager, {
      project_id: a.project.id,
      description: "Managing",
      date: monday,
      duration_seconds: 3600,
    });
    const sheet = await ok(submit(a.manager, monday));
    expect(await outbox("timesheet_submitted", a.owner.email)).toHaveLength(1);
    expect(await outbox("timesheet_submitted", a.manager.email)).toHaveLength(0);
    await expectTimeRefused(a.owner.agency.id, () => decide(a.manager, sheet.id, "approve"), {
      status: 403,
      code: "cannot_decide_timesheet",
    });
    const approved = await ok(decide(a.owner, sheet.id, "approve", { reason: "Fine" }));
    expect(approved).toMatchObject({ status: "approved", decided_by: a.owner.user.id, rejection_reason: null });
  });
});
