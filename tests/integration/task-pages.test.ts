import { beforeAll, describe, expect, it } from "vitest";
import { visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import {
  agencyWithTeam,
  apiAs,
  created,
  logTime,
  pageState,
  projectCounts,
  signedIn,
  taskRow,
  type Actor,
  type Agency,
} from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The task pages as a browser without JavaScript uses them (board, task panel, Gantt, My tasks,
 * notifications): who may do what, the messages of refusals, and the rows behind them. A refused
 * form must leave every task row, and the audit log, as it was.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = {
  shell: "routes/_app",
  board: "routes/_app.projects.$projectId.tasks",
  task: "routes/_app.projects.$projectId.tasks.$taskId",
  gantt: "routes/_app.projects.$projectId.gantt",
  myTasks: "routes/_app.my-tasks",
  notifications: "routes/_app.notifications",
} as const;

type Task = { id: string; title: string };

let a: Agency;
let stranger: SignedUp;
let project: { id: string };
let owner: BrowserSession;
let manager: BrowserSession;
let member: BrowserSession;
let outsider: BrowserSession;

beforeAll(async () => {
  a = await agencyWithTeam(request, "task-pages");
  stranger = await signUp(request, "task-pages-stranger");
  // The owner manages every project of the agency but is not on this team.
  project = await created(
    api(a.manager, "/api/projects", {
      body: {
        client_id: a.clientId,
        name: "Board work",
        status: "active",
        team: [a.member.user_id, a.colleague.user_id],
      },
    }),
  );
  [owner, manager, member, outsider] = await Promise.all([
    signedIn(app.url, a.owner.email),
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
    signedIn(app.url, stranger.email),
  ]);
});

function task(body: Record<string, unknown>, projectId = project.id, as: Actor = a.manager): Promise<Task> {
  return created<Task>(api(as, `/api/projects/${projectId}/tasks`, { body }));
}

async function dependsOn(taskId: string, prerequisite: string): Promise<void> {
  await created(api(a.manager, `/api/tasks/${taskId}/dependencies`, { body: { depends_on: prerequisite } }));
}

/** Every task of the project as stored (status, position, updated_at…), and the agency's row counts. */
async function snapshot() {
  const tasks = await adminSql()`
    select id, title, status::text, position, assignee_id, start_date::text, due_date::text, updated_at::text
    from public.tasks where project_id = ${project.id} order by id`;
  return { tasks, counts: await projectCounts(a.owner.agency.id) };
}

/** Posts a form that must be refused; proves the status and that nothing was written. */
async function refused(send: () => Promise<{ status: number; html: string }>, status: number) {
  const before = await snapshot();
  const page = await send();
  expect(page.status, page.html.slice(0, 300)).toBe(status);
  expect(await snapshot()).toEqual(before);
  return page;
}

describe("/projects/:id/tasks (board)", () => {
  const board = () => `/projects/${project.id}/tasks`;

  it("loads the project's cards; ?assignee=mine and ?priority filter in the URL", async () => {
    const mine = await task({ title: "Board: mine", assignee_id: a.member.user_id, priority: "urgent" });
    const theirs = await task({ title: "Board: theirs", assignee_id: a.colleague.user_id });
    const ids = async (browser: BrowserSession, query = "") => {
      const page = await browser.get(board() + query);
      expect(page.status).toBe(200);
      return pageState(page.html).loaderData[ROUTE.board].tasks.map((t: Task) => t.id);
    };
    expect(await ids(member)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const filtered = await member.get(`${board()}?assignee=mine&priority=urgent`);
    expect(pageState(filtered.html).loaderData[ROUTE.board].filters).toEqual({
      assignee: "mine",
      priority: "urgent",
    });
    // A stale filter value is dropped, not an error.
    const stale = await member.get(`${board()}?assignee=nobody&priority=whenever`);
    expect(stale.status).toBe(200);
    expect(pageState(stale.html).loaderData[ROUTE.board].filters).toEqual({});
  });

  it("a manager adds a task from a column and returns to the filtered board", async () => {
    const page = await manager.post(board(), {
      intent: "create",
      status: "review",
      title: "  Quick one ",
      assignee_id: a.member.user_id,
      priority: "high",
      due_date: "2027-01-15",
      back: "?priority=high",
    });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(`${board()}?priority=high`);
    const [row] = await adminSql()`
      select status::text, priority::text, assignee_id, due_date::text, created_by
      from public.tasks where project_id = ${project.id} and title = 'Quick one'`;
    expect(row).toEqual({
      status: "review",
      priority: "high",
      assignee_id: a.member.user_id,
      due_date: "2027-01-15",
      created_by: a.manager.user_id,
    });
  });

  it("refuses a quick add without a title, for someone off the team, and by a member", async () => {
    const untitled = await refused(() => manager.post(board(), { intent: "create", status: "todo", title: " " }), 422);
    expect(pageState(untitled.html).actionData?.[ROUTE.board].fieldErrors).toEqual({ title: ["Enter a title."] });

    const offTeam = await refused(
      () => manager.post(board(), { intent: "create", status: "todo", title: "Owner's", assignee_id: a.owner.user.id }),
      422,
    );
    expect(pageState(offTeam.html).actionData?.[ROUTE.board]).toMatchObject({
      code: "assignee_not_on_team",
      fieldErrors: { assignee_id: [expect.any(String)] },
    });

    await refused(() => member.post(board(), { intent: "create", status: "todo", title: "Member's" }), 403);
  });

  it("a member moves their own task; someone else's is refused with nothing written", async () => {
    const mine = await task({ title: "Move: mine", assignee_id: a.member.user_id });
    const theirs = await task({ title: "Move: theirs", assignee_id: a.colleague.user_id });

    const moved = await member.post(board(), { intent: "move", task_id: mine.id, status: "in_progress", back: "" });
    expect(moved.status).toBe(302);
    expect(moved.location).toBe(board());
    expect(await taskRow(mine.id)).toMatchObject({ status: "in_progress" });

    const page = await refused(
      () => member.post(board(), { intent: "move", task_id: theirs.id, status: "in_progress" }),
      403,
    );
    expect(pageState(page.html).actionData?.[ROUTE.board].formError).toEqual(expect.any(String));
    // The same as the board's script sends it (a fetcher: ?_data, respond=json): a JSON refusal.
    const json = await refused(
      () =>
        member.post(`${board()}?_data=${encodeURIComponent(ROUTE.board)}`, {
          intent: "move",
          task_id: theirs.id,
          status: "done",
          index: "0",
          respond: "json",
        }),
      403,
    );
    expect(JSON.parse(json.html)).toMatchObject({ ok: false, code: "forbidden" });
  });

  describe("dependencies", () => {
    let design: Task;
    let build: Task;

    beforeAll(async () => {
      design = await task({ title: "Design", assignee_id: a.colleague.user_id });
      build = await task({ title: "Build", assignee_id: a.member.user_id });
      await dependsOn(build.id, design.id);
    });

    async function overrides(taskId: string) {
      return adminSql()<{ actor_id: string; reason: string; new_status: string }[]>`
        select actor_id, reason, new_values ->> 'status' as new_status from public.audit_log
        where table_name = 'tasks' and row_id = ${taskId} and reason is not null`;
    }

    it("a move past an unfinished dependency is refused, for the assignee and a manager alike", async () => {
      for (const browser of [member, manager]) {
        const page = await refused(
          () => browser.post(board(), { intent: "move", task_id: build.id, status: "in_progress" }),
          422,
        );
        const failure = pageState(page.html).actionData?.[ROUTE.board];
        expect(failure.code).toBe("dependency_not_done");
        expect(Object.keys(failure.fieldErrors)).toEqual(["status"]);
      }
    });

    it("starting anyway needs a reason and a manager", async () => {
      const noReason = await refused(
        () => manager.post(board(), { intent: "override", task_id: build.id, status: "in_progress", reason: "  " }),
        422,
      );
      expect(pageState(noReason.html).actionData?.[ROUTE.board].fieldErrors).toEqual({
        reason: ["Say why the dependencies can wait."],
      });
      await refused(
        () =>
          member.post(board(), {
            intent: "override",
            task_id: build.id,
            status: "in_progress",
            reason: "I am in a hurry",
          }),
        403,
      );
      expect(await overrides(build.id)).toEqual([]);
    });

    it("a manager starts it anyway with a reason, which the audit log keeps", async () => {
      const page = await manager.post(board(), {
        intent: "override",
        task_id: build.id,
        status: "in_progress",
        reason: "Client approved the sketches by phone",
      });
      expect(page.status, page.html.slice(0, 300)).toBe(302);
      expect(await taskRow(build.id)).toMatchObject({ status: "in_progress" });
      expect(await overrides(build.id)).toEqual([
        {
          actor_id: a.manager.user_id,
          reason: "dependency override: Client approved the sketches by phone",
          new_status: "in_progress",
        },
      ]);
      expect(await taskRow(design.id)).toMatchObject({ status: "todo" });
    });
  });
});

describe("/projects/:id/tasks/:taskId", () => {
  let mine: Task;
  let theirs: Task;
  const path = (t: Task) => `/projects/${project.id}/tasks/${t.id}`;
  const update = (fields: Record<string, string>) => ({
    intent: "update",
    title: "Write the copy",
    description: "Tone: friendly",
    priority: "high",
    assignee_id: a.member.user_id,
    start_date: "2027-02-01",
    due_date: "2027-02-05",
    estimated_hours: "6,5",
    milestone_id: "",
    ...fields,
  });

  beforeAll(async () => {
    mine = await task({ title: "Panel: mine", assignee_id: a.member.user_id });
    theirs = await task({ title: "Panel: theirs", assignee_id: a.colleague.user_id });
  });

  it("opens inside the board for the team; 404 for another project's URL or agency", async () => {
    const page = await member.get(path(mine));
    expect(page.status).toBe(200);
    const state = pageState(page.html);
    expect(state.loaderData[ROUTE.task].task).toMatchObject({ id: mine.id, title: "Panel: mine" });
    expect(state.loaderData[ROUTE.board]).toBeDefined();

    const elsewhere = await created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Elsewhere" } }),
    );
    expect((await manager.get(`/projects/${elsewhere.id}/tasks/${mine.id}`)).status).toBe(404);
    expect((await outsider.get(path(mine))).status).toBe(404);
    expect((await manager.get(`/projects/${project.id}/tasks/not-a-uuid`)).status).toBe(404);

    // Forms posted under another project's URL find no such task and change nothing, on every page.
    const other = `/projects/${elsewhere.id}`;
    await refused(() => manager.post(`${other}/tasks/${mine.id}`, update({ title: "Hijacked" })), 404);
    await refused(() => manager.post(`${other}/tasks/${mine.id}`, { intent: "comment", body: "Wrong place" }), 404);
    await refused(
      () => manager.post(`${other}/tasks`, { intent: "move", task_id: mine.id, status: "review", index: "0" }),
      404,
    );
    await refused(
      () =>
        manager.post(`${other}/gantt`, {
          intent: "task_dates",
          task_id: mine.id,
          start_date: "2027-05-03",
          due_date: "2027-05-04",
        }),
      404,
    );
    const milestone = await created(
      api(a.manager, `/api/projects/${project.id}/milestones`, { body: { title: "Kept" } }),
    );
    await refused(
      () => manager.post(`${other}/milestones`, { intent: "status", milestone_id: milestone.id, status: "reached" }),
      404,
    );
    await refused(() => manager.post(`${other}/milestones`, { intent: "delete", milestone_id: milestone.id }), 404);
  });

  it("a manager saves the fields", async () => {
    const milestone = await created(
      api(a.manager, `/api/projects/${project.id}/milestones`, { body: { title: "M1" } }),
    );
    const page = await manager.post(path(mine), update({ milestone_id: milestone.id }));
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(path(mine));
    const [row] = await adminSql()`
      select title, description, priority::text, assignee_id, start_date::text, due_date::text,
             estimated_hours::float8 as estimated_hours, milestone_id
      from public.tasks where id = ${mine.id}`;
    expect(row).toEqual({
      title: "Write the copy",
      description: "Tone: friendly",
      priority: "high",
      assignee_id: a.member.user_id,
      start_date: "2027-02-01",
      due_date: "2027-02-05",
      estimated_hours: 6.5,
      milestone_id: milestone.id,
    });
  });

  it("refuses an assignee off the team and a due date before the start, at the field", async () => {
    const offTeam = await refused(() => manager.post(path(mine), update({ assignee_id: a.owner.user.id })), 422);
    expect(pageState(offTeam.html).actionData?.[ROUTE.task]).toMatchObject({
      code: "assignee_not_on_team",
      fieldErrors: { assignee_id: [expect.any(String)] },
    });
    expect(visibleText(offTeam.html)).toContain(
      pageState(offTeam.html).actionData?.[ROUTE.task].fieldErrors.assignee_id[0],
    );

    const backwards = await refused(
      () => manager.post(path(mine), update({ start_date: "2027-03-02", due_date: "2027-03-01" })),
      422,
    );
    expect(pageState(backwards.html).actionData?.[ROUTE.task].fieldErrors).toEqual({
      due_date: ["The due date is before the start date."],
    });
  });

  it("the assignee may not edit the title, but comments and changes the status", async () => {
    await refused(() => member.post(path(mine), update({ title: "Renamed by member" })), 403);

    const comment = await member.post(path(mine), { intent: "comment", body: "Draft is in the shared folder." });
    expect(comment.status, comment.html.slice(0, 300)).toBe(302);
    expect(comment.location).toBe(path(mine));
    const comments = await adminSql()`select author_id, body from public.task_comments where task_id = ${mine.id}`;
    expect(comments).toEqual([{ author_id: a.member.user_id, body: "Draft is in the shared folder." }]);

    const status = await member.post(path(mine), { intent: "status", status: "review" });
    expect(status.status).toBe(302);
    expect(await taskRow(mine.id)).toMatchObject({ status: "review", title: "Write the copy" });
  });

  it("a member may not comment on someone else's task", async () => {
    await refused(() => member.post(path(theirs), { intent: "comment", body: "Sneaky note" }), 403);
  });

  it("a dependency that would close a cycle is refused at the field", async () => {
    const first = await task({ title: "Cycle: first" });
    const second = await task({ title: "Cycle: second" });
    const added = await manager.post(path(second), { intent: "add_dependency", depends_on: first.id });
    expect(added.status).toBe(302);
    const [link] = await adminSql()`
      select depends_on_task_id from public.task_dependencies where task_id = ${second.id}`;
    expect(link).toEqual({ depends_on_task_id: first.id });

    const cycle = await refused(
      () => manager.post(path(first), { intent: "add_dependency", depends_on: second.id }),
      422,
    );
    const failure = pageState(cycle.html).actionData?.[ROUTE.task];
    expect(failure.code).toBe("dependency_cycle");
    expect(Object.keys(failure.fieldErrors)).toEqual(["depends_on"]);
    expect(failure.fieldErrors.depends_on[0]).toMatch(/cycle/);
  });
});

describe("/projects/:id/gantt", () => {
  let dated: Task;
  const gantt = () => `/projects/${project.id}/gantt`;

  beforeAll(async () => {
    dated = await task({
      title: "Gantt bar",
      assignee_id: a.member.user_id,
      start_date: "2027-04-05",
      due_date: "2027-04-09",
    });
  });

  it("a manager moves a bar and returns to the chart with its zoom", async () => {
    const page = await manager.post(gantt(), {
      intent: "task_dates",
      task_id: dated.id,
      start_date: "2027-04-12",
      due_date: "2027-04-16",
      back: "?zoom=month",
    });
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(`${gantt()}?zoom=month`);
    expect(await taskRow(dated.id)).toMatchObject({ start_date: "2027-04-12", due_date: "2027-04-16" });
    const chart = await manager.get(`${gantt()}?zoom=month`);
    expect(pageState(chart.html).loaderData[ROUTE.gantt].tasks).toContainEqual(
      expect.objectContaining({ id: dated.id, start_date: "2027-04-12", due_date: "2027-04-16" }),
    );
  });

  it("a due date before the start is refused with the message", async () => {
    const page = await refused(
      () =>
        manager.post(gantt(), {
          intent: "task_dates",
          task_id: dated.id,
          start_date: "2027-04-20",
          due_date: "2027-04-19",
        }),
      422,
    );
    const failure = pageState(page.html).actionData?.[ROUTE.gantt];
    expect(failure.fieldErrors).toEqual({ due_date: ["The due date cannot be before the start date."] });
    expect(visibleText(page.html)).toContain("The due date cannot be before the start date.");
  });

  it("a member may not move bars, not even of their own task", async () => {
    await refused(
      () =>
        member.post(gantt(), {
          intent: "task_dates",
          task_id: dated.id,
          start_date: "2027-05-03",
          due_date: "2027-05-07",
        }),
      403,
    );
  });
});

describe("/my-tasks", () => {
  let here: Task;
  let there: Task;
  let colleagues: Task;

  beforeAll(async () => {
    const side = await created(
      api(a.owner, "/api/projects", {
        body: { client_id: a.clientId, name: "Side project", status: "active", team: [a.member.user_id] },
      }),
    );
    here = await task({ title: "Mine here", assignee_id: a.member.user_id, due_date: "2027-01-10" });
    there = await task({ title: "Mine there", assignee_id: a.member.user_id }, side.id, a.owner);
    colleagues = await task({ title: "Colleague's", assignee_id: a.colleague.user_id });
  });

  async function listed(browser: BrowserSession): Promise<string[]> {
    const page = await browser.get("/my-tasks");
    expect(page.status).toBe(200);
    return pageState(page.html)
      .loaderData[ROUTE.myTasks].tasks.map((t: Task) => t.id)
      .sort();
  }

  it("lists the viewer's open tasks across projects, and nobody else's", async () => {
    const ids = await listed(member);
    expect(ids).toEqual(expect.arrayContaining([here.id, there.id]));
    expect(ids).not.toContain(colleagues.id);
    const expected = await adminSql()<{ id: string }[]>`
      select id from public.tasks
      where agency_id = ${a.owner.agency.id} and assignee_id = ${a.member.user_id} and status <> 'done'`;
    expect(ids).toEqual(expected.map((t) => t.id).sort());
    expect(await listed(outsider)).toEqual([]);
  });

  it("a status change saves; done leaves the list; someone else's task is refused", async () => {
    const review = await member.post("/my-tasks", { task_id: here.id, status: "review" });
    expect(review.status).toBe(302);
    expect(review.location).toBe("/my-tasks");
    expect(await taskRow(here.id)).toMatchObject({ status: "review" });

    const done = await member.post("/my-tasks", { task_id: there.id, status: "done" });
    expect(done.status).toBe(302);
    expect(await taskRow(there.id)).toMatchObject({ status: "done" });
    expect(await listed(member)).not.toContain(there.id);

    const page = await refused(() => member.post("/my-tasks", { task_id: colleagues.id, status: "done" }), 403);
    expect(pageState(page.html).actionData?.[ROUTE.myTasks].formError).toEqual(expect.any(String));
  });
});

describe("/notifications", () => {
  let budgeted: { id: string };

  beforeAll(async () => {
    budgeted = await created(
      api(a.manager, "/api/projects", {
        body: { client_id: a.clientId, name: "Tight budget", budget_cents: 100_000, team: [a.member.user_id] },
      }),
    );
  });

  async function unread(browser: BrowserSession, path = "/projects"): Promise<number> {
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    return pageState(page.html).loaderData[ROUTE.shell].unreadNotifications;
  }

  it("a budget crossing reaches the manager; marking it read lowers the count in the nav", async () => {
    expect(await unread(manager)).toBe(0);
    const empty = await manager.get("/notifications");
    expect(visibleText(empty.html)).toContain("You are all caught up.");

    // 9 hours at 100.00 of a 1,000.00 budget: 90 %, past the 80 % threshold.
    await logTime({
      agencyId: a.owner.agency.id,
      projectId: budgeted.id,
      userId: a.member.user_id,
      hours: 9,
      rateCents: 10_000,
    });
    expect(await unread(manager)).toBe(1);
    expect(await unread(member)).toBe(0);

    const page = await manager.get("/notifications");
    const { data, unread_count } = pageState(page.html).loaderData[ROUTE.notifications];
    expect(unread_count).toBe(1);
    expect(data).toEqual([
      expect.objectContaining({
        kind: "budget_alert",
        title: "Tight budget has used 90% of its money budget",
        link_path: `/projects/${budgeted.id}`,
        read_at: null,
      }),
    ]);
    expect(visibleText(page.html)).toContain("Tight budget has used 90% of its money budget");
    expect(visibleText(page.html)).toContain("1 unread");

    const marked = await manager.post("/notifications", { id: data[0].id });
    expect(marked.status).toBe(200);
    const after = pageState(marked.html);
    expect(after.actionData?.[ROUTE.notifications]).toEqual({ marked: 1, unread_count: 0 });
    expect(after.loaderData[ROUTE.shell].unreadNotifications).toBe(0);
    const [row] = await adminSql()`select read_at from public.notifications where id = ${data[0].id}`;
    expect(row!.read_at).not.toBeNull();
    expect(await unread(manager)).toBe(0);
  });

  it("marks only the viewer's own; “mark all” clears them; a bad id is a 400", async () => {
    const [theirs] = await adminSql()<{ id: string }[]>`
      insert into public.notifications (agency_id, user_id, kind, title)
      values (${a.owner.agency.id}, ${a.member.user_id}, 'budget_alert', 'For the member')
      returning id`;
    await adminSql()`
      insert into public.notifications (agency_id, user_id, kind, title)
      values (${a.owner.agency.id}, ${a.manager.user_id}, 'budget_alert', 'One'),
             (${a.owner.agency.id}, ${a.manager.user_id}, 'budget_alert', 'Two')`;
    expect(await unread(manager)).toBe(2);

    const notMine = await manager.post("/notifications", { id: theirs!.id });
    expect(pageState(notMine.html).actionData?.[ROUTE.notifications]).toEqual({ marked: 0, unread_count: 2 });
    const [row] = await adminSql()`select read_at from public.notifications where id = ${theirs!.id}`;
    expect(row!.read_at).toBeNull();

    expect((await manager.post("/notifications", { id: "not-a-uuid" })).status).toBe(400);

    const all = await manager.post("/notifications", {});
    expect(pageState(all.html).actionData?.[ROUTE.notifications]).toEqual({ marked: 2, unread_count: 0 });
    expect(pageState(all.html).loaderData[ROUTE.shell].unreadNotifications).toBe(0);
    expect(await unread(member)).toBe(1);
  });
});

describe("as the owner", () => {
  it("manages a project they are not on the team of", async () => {
    const t = await task({ title: "Owner moves it" });
    const page = await owner.post(`/projects/${project.id}/tasks`, { intent: "move", task_id: t.id, status: "done" });
    expect(page.status).toBe(302);
    expect(await taskRow(t.id)).toMatchObject({ status: "done" });
  });
});
