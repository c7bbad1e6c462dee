import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import {
  agencyWithTeam,
  apiAs,
  created,
  expectRefused,
  NIL_UUID,
  taskRow,
  type Actor,
  type Agency,
} from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/** Tasks over the API: create, read, change (members: status of their own), dependencies, the board, comments. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

type Task = Record<string, any> & { id: string };

/** An agency whose project has the manager, member and colleague on its team, and a stranger with a project. */
async function setup(prefix: string) {
  const a = await agencyWithTeam(request, prefix);
  const project = await created(
    api(a.manager, "/api/projects", {
      body: { client_id: a.clientId, name: `${prefix} project`, team: [a.member.user_id, a.colleague.user_id] },
    }),
  );
  const stranger = await signUp(request, `${prefix}-stranger`);
  const theirClient = (await created(api(stranger, "/api/clients", { body: { name: "Elsewhere" } }))).id;
  const theirProject = await created(
    api(stranger, "/api/projects", { body: { client_id: theirClient, name: "Theirs" } }),
  );
  const theirTask = await created<Task>(
    api(stranger, `/api/projects/${theirProject.id}/tasks`, { body: { title: "Their task" } }),
  );
  return { a, project, stranger, theirProject, theirTask };
}

function createTask(as: Actor, projectId: string, body: Record<string, unknown>) {
  return created<Task>(api(as, `/api/projects/${projectId}/tasks`, { body }));
}

const patch = (as: Actor, taskId: string, body: unknown) => api(as, `/api/tasks/${taskId}`, { method: "PATCH", body });

describe("POST and GET /api/projects/:id/tasks, GET /api/tasks/:id", () => {
  let a: Agency;
  let project: { id: string };
  let stranger: SignedUp;
  let theirProject: { id: string };
  let theirTask: Task;
  let outsiderOfTeam: string;

  beforeAll(async () => {
    ({ a, project, stranger, theirProject, theirTask } = await setup("task-create"));
    // The owner belongs to the agency but not to this project's team.
    outsiderOfTeam = a.owner.user.id;
  });

  it("creates a task with every field", async () => {
    const milestone = await created(
      api(a.manager, `/api/projects/${project.id}/milestones`, { body: { title: "Beta", due_date: "2027-02-01" } }),
    );
    const task = await createTask(a.manager, project.id, {
      title: " Write the brief ",
      description: "# Goals\n- one",
      priority: "high",
      assignee_id: a.member.user_id,
      start_date: "2027-01-04",
      due_date: "2027-01-08",
      estimated_hours: 6.25,
      milestone_id: milestone.id,
    });
    expect(task).toMatchObject({
      project_id: project.id,
      title: "Write the brief",
      description: "# Goals\n- one",
      status: "todo",
      priority: "high",
      assignee_id: a.member.user_id,
      assignee_name: "task-create-member person",
      start_date: "2027-01-04",
      due_date: "2027-01-08",
      estimated_hours: 6.25,
      milestone_id: milestone.id,
      completed_at: null,
      depends_on: [],
      comment_count: 0,
    });
    const [row] = await adminSql()`select created_by, agency_id from public.tasks where id = ${task.id}`;
    expect(row).toEqual({ created_by: a.manager.user_id, agency_id: a.owner.agency.id });
    const second = await createTask(a.owner, project.id, { title: "Second" });
    expect(second.position).toBeGreaterThan(task.position);
  });

  it("lists a project's tasks (filtered by status or assignee) and reads one; team members too", async () => {
    const done = await createTask(a.manager, project.id, { title: "Finished", status: "done" });
    expect(done.completed_at).not.toBeNull();
    const all = await api(a.member, `/api/projects/${project.id}/tasks`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    const onlyDone = await api(a.owner, `/api/projects/${project.id}/tasks?status=done`);
    expect(onlyDone.body.data.map((t: Task) => t.id)).toEqual([done.id]);
    const assigned = await api(a.owner, `/api/projects/${project.id}/tasks?assignee_id=${a.member.user_id}`);
    expect(assigned.body.data.map((t: Task) => t.title)).toEqual(["Write the brief"]);
    expect((await api(a.owner, `/api/projects/${project.id}/tasks?status=blocked`)).status).toBe(422);

    const one = await api(a.colleague, `/api/tasks/${done.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: done.id, status: "done" });
  });

  it("answers 404 for another agency's (or an unknown) project or task", async () => {
    for (const path of [
      `/api/projects/${theirProject.id}/tasks`,
      `/api/projects/${NIL_UUID}/tasks`,
      `/api/tasks/${theirTask.id}`,
      `/api/tasks/${NIL_UUID}`,
    ]) {
      const response = await api(a.owner, path);
      expect(response.status, path).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    expect((await api(stranger, `/api/projects/${project.id}/tasks`)).status).toBe(404);
    expect((await api(a.owner, "/api/tasks/nope")).status).toBe(422);
  });

  describe("refusals write nothing", () => {
    const refuse = (
      body: unknown,
      expected: { status?: number; code: string; field?: string },
      as: Actor = a.manager,
      id?: string,
    ) =>
      expectRefused(a.owner.agency.id, () => api(as, `/api/projects/${id ?? project.id}/tasks`, { body }), {
        status: 422,
        ...expected,
      });

    it("an assignee who is not on the team: 422 assignee_not_on_team", async () => {
      const response = await refuse(
        { title: "Outsider", assignee_id: outsiderOfTeam },
        { code: "assignee_not_on_team", field: "assignee_id" },
      );
      expect(response.body.errors.assignee_id[0]).toMatch(/team/);
      await refuse(
        { title: "Stranger", assignee_id: stranger.user.id },
        { code: "assignee_not_on_team", field: "assignee_id" },
      );
    });

    it("a due date before the start, bad hours and bad values", async () => {
      await refuse(
        { title: "Backwards", start_date: "2027-03-02", due_date: "2027-03-01" },
        { code: "validation_failed", field: "due_date" },
      );
      for (const [body, field] of [
        [{}, "title"],
        [{ title: "" }, "title"],
        [{ title: "x".repeat(201) }, "title"],
        [{ title: "x", estimated_hours: -1 }, "estimated_hours"],
        [{ title: "x", estimated_hours: 1.005 }, "estimated_hours"],
        [{ title: "x", status: "blocked" }, "status"],
        [{ title: "x", priority: "asap" }, "priority"],
        [{ title: "x", due_date: "2027-13-01" }, "due_date"],
        [{ title: "x", assignee_id: "me" }, "assignee_id"],
      ] as const) {
        await refuse(body, { code: "validation_failed", field });
      }
      const unknown = await refuse({ title: "x", position: 3 }, { code: "validation_failed" });
      expect(JSON.stringify(unknown.body.errors)).toContain("position");
    });

    it("a milestone of another project", async () => {
      const elsewhere = await created(
        api(a.owner, "/api/projects", { body: { client_id: a.clientId, name: "Milestone elsewhere" } }),
      );
      const milestone = await created(
        api(a.owner, `/api/projects/${elsewhere.id}/milestones`, { body: { title: "Not here" } }),
      );
      await refuse({ title: "x", milestone_id: milestone.id }, { code: "invalid_reference", field: "milestone_id" });
    });

    it("a member may not add tasks; another agency's project is not found", async () => {
      await refuse({ title: "Mine" }, { status: 403, code: "forbidden" }, a.member);
      await refuse({ title: "Yours" }, { status: 404, code: "not_found" }, a.owner, theirProject.id);
      await refuse({ title: "Nobody's" }, { status: 404, code: "not_found" }, a.owner, NIL_UUID);
    });

    it("a completed project takes no new tasks: 422 project_closed", async () => {
      const closed = await created(
        api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Wrapped up" } }),
      );
      const done = await api(a.manager, `/api/projects/${closed.id}`, {
        method: "PATCH",
        body: { status: "completed" },
      });
      expect(done.status).toBe(200);
      const response = await refuse(
        { title: "Late idea" },
        { code: "project_closed", field: "_" },
        a.manager,
        closed.id,
      );
      expect(response.body.detail).toMatch(/completed/);
    });
  });
});

describe("PATCH and DELETE /api/tasks/:id", () => {
  let a: Agency;
  let project: { id: string };
  let theirTask: Task;
  let mine: Task;
  let theirs: Task;

  beforeAll(async () => {
    ({ a, project, theirTask } = await setup("task-change"));
    mine = await createTask(a.manager, project.id, { title: "Member's task", assignee_id: a.member.user_id });
    theirs = await createTask(a.manager, project.id, { title: "Colleague's task", assignee_id: a.colleague.user_id });
  });

  it("a manager changes anything", async () => {
    const response = await patch(a.manager, theirs.id, {
      title: "Colleague's task (renamed)",
      priority: "urgent",
      due_date: "2027-05-01",
      estimated_hours: 3,
      description: "Details",
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({
      title: "Colleague's task (renamed)",
      priority: "urgent",
      due_date: "2027-05-01",
      estimated_hours: 3,
      description: "Details",
    });
  });

  it("a member changes the status of their own task: 200", async () => {
    const response = await patch(a.member, mine.id, { status: "in_progress" });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.status).toBe("in_progress");
    const done = await patch(a.member, mine.id, { status: "done" });
    expect(done.body.data).toMatchObject({ status: "done", completed_at: expect.any(String) });
    expect((await taskRow(mine.id))!.status).toBe("done");
  });

  it("a member may not change the title of their own task (403) nor touch someone else's (403)", async () => {
    const before = await taskRow(mine.id);
    const title = await expectRefused(a.owner.agency.id, () => patch(a.member, mine.id, { title: "Renamed by me" }), {
      status: 403,
      code: "member_status_only",
    });
    expect(title.body.detail).toMatch(/status/);
    await expectRefused(a.owner.agency.id, () => patch(a.member, mine.id, { status: "review", priority: "low" }), {
      status: 403,
      code: "member_status_only",
    });
    await expectRefused(a.owner.agency.id, () => patch(a.member, mine.id, { assignee_id: a.colleague.user_id }), {
      status: 403,
      code: "member_status_only",
    });
    expect(await taskRow(mine.id)).toEqual(before);

    const othersBefore = await taskRow(theirs.id);
    await expectRefused(a.owner.agency.id, () => patch(a.member, theirs.id, { status: "done" }), {
      status: 403,
      code: "forbidden",
    });
    expect(await taskRow(theirs.id)).toEqual(othersBefore);
  });

  it("refuses an assignee off the team, a due date before the start, and bad bodies", async () => {
    const agencyId = a.owner.agency.id;
    await api(a.manager, `/api/tasks/${theirs.id}`, { method: "PATCH", body: { start_date: "2027-04-01" } });
    const before = await taskRow(theirs.id);
    await expectRefused(agencyId, () => patch(a.manager, theirs.id, { assignee_id: a.owner.user.id }), {
      status: 422,
      code: "assignee_not_on_team",
      field: "assignee_id",
    });
    // Only the due date sent: the database's check answers on the same field.
    const db = await expectRefused(agencyId, () => patch(a.manager, theirs.id, { due_date: "2027-03-31" }), {
      status: 422,
      code: "invalid_value",
      field: "due_date",
    });
    expect(db.body.errors.due_date).toEqual(["The due date cannot be before the start date."]);
    for (const body of [{}, { title: "  " }, { estimated_hours: -3 }, { project_id: project.id }, { status: "nope" }]) {
      await expectRefused(agencyId, () => patch(a.manager, theirs.id, body), {
        status: 422,
        code: "validation_failed",
      });
    }
    await expectRefused(agencyId, () => patch(a.manager, theirs.id, { override_reason: "Because" }), {
      status: 422,
      code: "validation_failed",
      field: "override_reason",
    });
    expect(await taskRow(theirs.id)).toEqual(before);
    await expectRefused(agencyId, () => patch(a.manager, theirTask.id, { title: "Mine" }), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => patch(a.manager, NIL_UUID, { title: "Nobody" }), {
      status: 404,
      code: "not_found",
    });
  });

  it("deletes: members may not (403), managers may (204, then 404)", async () => {
    const agencyId = a.owner.agency.id;
    await expectRefused(agencyId, () => api(a.member, `/api/tasks/${mine.id}`, { method: "DELETE" }), {
      status: 403,
      code: "manager_required",
    });
    await expectRefused(agencyId, () => api(a.owner, `/api/tasks/${theirTask.id}`, { method: "DELETE" }), {
      status: 404,
      code: "not_found",
    });
    const [still] = await adminSql()`select count(*)::int as n from public.tasks where id = ${theirTask.id}`;
    expect(still!.n).toBe(1);
    const removed = await api(a.manager, `/api/tasks/${theirs.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await api(a.manager, `/api/tasks/${theirs.id}`)).status).toBe(404);
  });
});

describe("dependencies and the start rule", () => {
  let a: Agency;
  let project: { id: string };
  let theirTask: Task;
  let design: Task;
  let build: Task;
  let launch: Task;

  beforeAll(async () => {
    ({ a, project, theirTask } = await setup("task-deps"));
    design = await createTask(a.manager, project.id, { title: "Design" });
    build = await createTask(a.manager, project.id, { title: "Build", assignee_id: a.member.user_id });
    launch = await createTask(a.manager, project.id, { title: "Launch" });
  });

  const link = (as: Actor, taskId: string, dependsOn: string) =>
    api(as, `/api/tasks/${taskId}/dependencies`, { body: { depends_on: dependsOn } });

  it("links finish-to-start dependencies: 201 with depends_on", async () => {
    const response = await link(a.manager, build.id, design.id);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data).toMatchObject({ id: build.id, depends_on: [design.id] });
    expect((await link(a.manager, launch.id, build.id)).status).toBe(201);
  });

  it("rejects cycles, self-links, duplicates, other projects' tasks and members, writing nothing", async () => {
    const agencyId = a.owner.agency.id;
    const direct = await expectRefused(agencyId, () => link(a.manager, design.id, build.id), {
      status: 422,
      code: "dependency_cycle",
      field: "depends_on",
    });
    expect(direct.body.detail).toMatch(/cycle/);
    // Design → Build → Launch: Launch may not come before Design either.
    await expectRefused(agencyId, () => link(a.manager, design.id, launch.id), {
      status: 422,
      code: "dependency_cycle",
      field: "depends_on",
    });
    await expectRefused(agencyId, () => link(a.manager, design.id, design.id), {
      status: 422,
      code: "dependency_cycle",
      field: "depends_on",
    });
    await expectRefused(agencyId, () => link(a.manager, build.id, design.id), {
      status: 409,
      code: "conflict",
      field: "depends_on",
    });
    const elsewhere = await created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Elsewhere" } }),
    );
    const foreign = await createTask(a.manager, elsewhere.id, { title: "Other project's task" });
    await expectRefused(agencyId, () => link(a.manager, launch.id, foreign.id), {
      status: 422,
      code: "dependency_other_project",
      field: "depends_on",
    });
    await expectRefused(agencyId, () => link(a.manager, launch.id, theirTask.id), {
      status: 422,
      code: "dependency_other_project",
      field: "depends_on",
    });
    await expectRefused(agencyId, () => link(a.member, launch.id, design.id), { status: 403, code: "forbidden" });
    await expectRefused(agencyId, () => link(a.manager, theirTask.id, design.id), { status: 404, code: "not_found" });
    await expectRefused(agencyId, () => api(a.manager, `/api/tasks/${launch.id}/dependencies`, { body: {} }), {
      status: 422,
      code: "validation_failed",
      field: "depends_on",
    });
  });

  it("a task does not start while a dependency is unfinished: 422 dependency_not_done", async () => {
    const before = await taskRow(build.id);
    const response = await expectRefused(
      a.owner.agency.id,
      () => patch(a.member, build.id, { status: "in_progress" }),
      {
        status: 422,
        code: "dependency_not_done",
        field: "status",
      },
    );
    expect(response.body.errors.status[0]).toMatch(/1 unfinished/);
    await expectRefused(a.owner.agency.id, () => patch(a.manager, build.id, { status: "review" }), {
      status: 422,
      code: "dependency_not_done",
      field: "status",
    });
    expect(await taskRow(build.id)).toEqual(before);
  });

  it("a manager overrides with a reason, which the audit log keeps; members may not", async () => {
    const agencyId = a.owner.agency.id;
    await expectRefused(
      agencyId,
      () => patch(a.member, build.id, { status: "in_progress", override_reason: "I am sure" }),
      { status: 403, code: "manager_required" },
    );
    await expectRefused(
      agencyId,
      () => patch(a.manager, build.id, { status: "in_progress", override_reason: " ok " }),
      {
        status: 422,
        code: "override_reason_required",
        field: "override_reason",
      },
    );
    const response = await patch(a.manager, build.id, {
      status: "in_progress",
      override_reason: "Design is signed off on paper",
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({ status: "in_progress", depends_on: [design.id] });
    const audit = await adminSql()`
      select actor_id, reason, old_values ->> 'status' as old_status, new_values ->> 'status' as new_status
      from public.audit_log where table_name = 'tasks' and row_id = ${build.id} and action = 'update'`;
    expect(audit).toEqual([
      {
        actor_id: a.manager.user_id,
        reason: "dependency override: Design is signed off on paper",
        old_status: "todo",
        new_status: "in_progress",
      },
    ]);
  });

  it("once the dependency is done the task starts without an override; unlinking works", async () => {
    expect((await patch(a.manager, design.id, { status: "done" })).status).toBe(200);
    expect((await patch(a.manager, launch.id, { status: "in_progress" })).status).toBe(422); // Build is not done
    const unlinked = await api(a.manager, `/api/tasks/${launch.id}/dependencies`, {
      method: "DELETE",
      body: { depends_on: build.id },
    });
    expect(unlinked.status, JSON.stringify(unlinked.body)).toBe(200);
    expect(unlinked.body.data.depends_on).toEqual([]);
    expect((await patch(a.manager, launch.id, { status: "in_progress" })).status).toBe(200);

    const byQuery = await api(a.manager, `/api/tasks/${build.id}/dependencies?depends_on=${design.id}`, {
      method: "DELETE",
    });
    expect(byQuery.status).toBe(200);
    expect(byQuery.body.data.depends_on).toEqual([]);
    const agencyId = a.owner.agency.id;
    await expectRefused(
      agencyId,
      () =>
        api(a.manager, `/api/tasks/${build.id}/dependencies`, { method: "DELETE", body: { depends_on: design.id } }),
      { status: 404, code: "not_found" },
    );
    await link(a.manager, build.id, design.id);
    await expectRefused(
      agencyId,
      () => api(a.member, `/api/tasks/${build.id}/dependencies`, { method: "DELETE", body: { depends_on: design.id } }),
      { status: 403, code: "manager_required" },
    );
  });
});

describe("POST /api/tasks/:id/move (the board)", () => {
  let a: Agency;
  let project: { id: string };
  let theirTask: Task;
  let t1: Task;
  let t2: Task;
  let t3: Task;

  beforeAll(async () => {
    ({ a, project, theirTask } = await setup("task-move"));
    t1 = await createTask(a.manager, project.id, { title: "One" });
    t2 = await createTask(a.manager, project.id, { title: "Two", assignee_id: a.member.user_id });
    t3 = await createTask(a.manager, project.id, { title: "Three" });
  });

  const move = (as: Actor, taskId: string, body: unknown) => api(as, `/api/tasks/${taskId}/move`, { body });
  async function column(status: string): Promise<string[]> {
    const response = await api(a.manager, `/api/projects/${project.id}/tasks?status=${status}`);
    return response.body.data.map((t: Task) => t.title);
  }

  it("reorders within a column and moves across columns", async () => {
    expect(await column("todo")).toEqual(["One", "Two", "Three"]);
    const top = await move(a.manager, t3.id, { status: "todo", index: 0 });
    expect(top.status, JSON.stringify(top.body)).toBe(200);
    expect(top.body.data).toMatchObject({ id: t3.id, status: "todo" });
    expect(await column("todo")).toEqual(["Three", "One", "Two"]);
    expect((await move(a.manager, t3.id, { status: "todo", index: 2 })).status).toBe(200);
    expect(await column("todo")).toEqual(["One", "Two", "Three"]);

    expect((await move(a.manager, t1.id, { status: "in_progress", index: 0 })).status).toBe(200);
    expect((await move(a.manager, t3.id, { status: "in_progress", index: 0 })).status).toBe(200);
    expect(await column("in_progress")).toEqual(["Three", "One"]);
    expect(await column("todo")).toEqual(["Two"]);
    // An index past the end puts it last.
    expect((await move(a.manager, t2.id, { status: "in_progress", index: 99 })).status).toBe(200);
    expect(await column("in_progress")).toEqual(["Three", "One", "Two"]);
  });

  it("a member moves their own task, not others'; the start rule applies to moves too", async () => {
    const own = await move(a.member, t2.id, { status: "review", index: 0 });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.data.status).toBe("review");

    const agencyId = a.owner.agency.id;
    const before = await taskRow(t1.id);
    await expectRefused(agencyId, () => move(a.member, t1.id, { status: "done", index: 0 }), {
      status: 403,
      code: "forbidden",
    });
    expect(await taskRow(t1.id)).toEqual(before);

    const blocked = await createTask(a.manager, project.id, { title: "Blocked" });
    await api(a.manager, `/api/tasks/${blocked.id}/dependencies`, { body: { depends_on: t1.id } });
    await expectRefused(agencyId, () => move(a.manager, blocked.id, { status: "in_progress", index: 0 }), {
      status: 422,
      code: "dependency_not_done",
      field: "status",
    });
    expect(await column("in_progress")).toEqual(["Three", "One"]);
  });

  it("refuses bad bodies and unknown or foreign tasks", async () => {
    const agencyId = a.owner.agency.id;
    for (const body of [
      { status: "todo" },
      { status: "todo", index: -1 },
      { status: "todo", index: 1.5 },
      { status: "x", index: 0 },
      { status: "todo", index: 0, position: 3 },
    ]) {
      await expectRefused(agencyId, () => move(a.manager, t1.id, body), { status: 422, code: "validation_failed" });
    }
    await expectRefused(agencyId, () => move(a.manager, theirTask.id, { status: "done", index: 0 }), {
      status: 404,
      code: "not_found",
    });
    const [theirs] = await adminSql()`select status::text from public.tasks where id = ${theirTask.id}`;
    expect(theirs!.status).toBe("todo");
  });
});

describe("comments and my tasks", () => {
  let a: Agency;
  let project: { id: string };
  let stranger: SignedUp;
  let theirTask: Task;
  let mine: Task;
  let colleagues: Task;

  beforeAll(async () => {
    ({ a, project, stranger, theirTask } = await setup("task-comments"));
    mine = await createTask(a.manager, project.id, {
      title: "Mine",
      assignee_id: a.member.user_id,
      due_date: "2027-02-01",
    });
    colleagues = await createTask(a.manager, project.id, { title: "Colleague's", assignee_id: a.colleague.user_id });
  });

  const comment = (as: Actor, taskId: string, body: unknown) => api(as, `/api/tasks/${taskId}/comments`, { body });

  it("managers comment on any task, members on their assigned ones; everyone on the team reads them", async () => {
    const first = await comment(a.manager, colleagues.id, { body: " Please start **today** " });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data).toMatchObject({
      author_id: a.manager.user_id,
      author_name: "task-comments-manager person",
      body: "Please start **today**",
    });
    const own = await comment(a.member, mine.id, { body: "On it" });
    expect(own.status).toBe(201);
    expect(own.body.data.author_id).toBe(a.member.user_id);

    const list = await api(a.member, `/api/tasks/${colleagues.id}/comments`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: first.body.data.id })] });
    expect((await api(a.manager, `/api/tasks/${mine.id}`)).body.data.comment_count).toBe(1);
  });

  it("refuses members on others' tasks, empty comments and foreign tasks", async () => {
    const agencyId = a.owner.agency.id;
    await expectRefused(agencyId, () => comment(a.member, colleagues.id, { body: "Not mine" }), {
      status: 403,
      code: "forbidden",
    });
    await expectRefused(agencyId, () => comment(a.member, mine.id, { body: "   " }), {
      status: 422,
      code: "validation_failed",
      field: "body",
    });
    await expectRefused(agencyId, () => comment(a.member, mine.id, { body: "x", author_id: a.owner.user.id }), {
      status: 422,
      code: "validation_failed",
    });
    await expectRefused(agencyId, () => comment(a.owner, theirTask.id, { body: "Hello" }), {
      status: 404,
      code: "not_found",
    });
    expect((await api(stranger, `/api/tasks/${mine.id}/comments`)).status).toBe(404);
  });

  it("my tasks: the caller's open tasks across projects; include_done adds finished ones", async () => {
    const second = await created(
      api(a.owner, "/api/projects", {
        body: { client_id: a.clientId, name: "Second project", team: [a.member.user_id] },
      }),
    );
    const urgent = await createTask(a.owner, second.id, {
      title: "Urgent elsewhere",
      assignee_id: a.member.user_id,
      due_date: "2027-01-15",
    });
    const finished = await createTask(a.owner, second.id, {
      title: "Done elsewhere",
      assignee_id: a.member.user_id,
      status: "done",
    });
    const open = await api(a.member, "/api/my-tasks");
    expect(open.status).toBe(200);
    expect(open.body.data.map((t: Task) => t.id)).toEqual([urgent.id, mine.id]);
    expect(open.body.data[0]).toMatchObject({ project_name: "Second project", client_name: "task-comments Client" });
    const all = await api(a.member, "/api/my-tasks?include_done=true");
    expect(all.body.data.map((t: Task) => t.id)).toEqual([urgent.id, mine.id, finished.id]);
    expect((await api(a.colleague, "/api/my-tasks")).body.data.map((t: Task) => t.id)).toEqual([colleagues.id]);
    expect((await api(stranger, "/api/my-tasks")).body.total).toBe(0);
    expect((await api(a.member, "/api/my-tasks?include_done=yes")).status).toBe(422);
  });
});
