import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { addMember, adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import {
  agencyWithTeam,
  apiAs,
  created,
  expectRefused,
  logTime,
  NIL_UUID,
  projectCounts,
  type Agency,
  type Member,
} from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/** Projects over the API: create (blank, template, team), list with filters, read with budget, change, team. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

type Project = Record<string, any> & { id: string };

function createProject(as: { access_token: string }, body: Record<string, unknown>) {
  return created<Project>(api(as, "/api/projects", { body }));
}

async function projectRow(id: string) {
  const [row] = await adminSql()`
    select name, status::text, budget_cents::float8 as budget_cents, budget_hours::float8 as budget_hours,
           hourly_rate_cents, start_date::text, deadline::text, manager_id, currency
    from public.projects where id = ${id}`;
  return row;
}

async function teamRows(projectId: string) {
  return adminSql()<{ user_id: string; billable_rate_cents: number | null }[]>`
    select user_id, billable_rate_cents from public.project_members where project_id = ${projectId} order by user_id`;
}

describe("POST /api/projects", () => {
  let a: Agency;
  let stranger: SignedUp;
  let strangersClient: string;
  let former: Member;

  beforeAll(async () => {
    a = await agencyWithTeam(request, "project-create");
    former = await addMember(request, a.owner, "member", "project-former");
    const off = await api(a.owner, `/api/members/${former.member_id}`, { method: "PATCH", body: { is_active: false } });
    expect(off.status).toBe(200);
    stranger = await signUp(request, "project-create-stranger");
    strangersClient = (await created(api(stranger, "/api/clients", { body: { name: "Theirs" } }))).id;
  });

  it("creates a blank project with budget, rate, dates and a team; the creator manages it", async () => {
    const before = await projectCounts(a.owner.agency.id);
    const project = await createProject(a.manager, {
      client_id: a.clientId,
      name: "  Website relaunch ",
      description: "New site",
      billing_type: "hourly",
      budget_cents: 500_000,
      budget_hours: 40.5,
      hourly_rate_cents: 12_000,
      start_date: "2027-01-04",
      deadline: "2027-03-31",
      team: [a.member.user_id, { user_id: a.colleague.user_id, billable_rate_cents: 9_000 }],
    });
    expect(project).toMatchObject({
      name: "Website relaunch",
      description: "New site",
      status: "planning",
      billing_type: "hourly",
      currency: "EUR", // the client's
      client_id: a.clientId,
      budget_cents: 500_000,
      budget_hours: 40.5,
      hourly_rate_cents: 12_000,
      start_date: "2027-01-04",
      deadline: "2027-03-31",
      manager_id: a.manager.user_id,
      manager_name: `project-create-manager person`,
      can_manage: true,
      budget: {
        budget_cents: 500_000,
        spent_cents: 0,
        remaining_cents: 500_000,
        percent_used: 0,
        budget_hours: 40.5,
        spent_hours: 0,
        remaining_hours: 40.5,
        percent_hours_used: 0,
      },
    });
    const team = Object.fromEntries(project.team.map((m: Project) => [m.user_id, m]));
    expect(Object.keys(team).sort()).toEqual([a.manager.user_id, a.member.user_id, a.colleague.user_id].sort());
    expect(team[a.colleague.user_id]).toMatchObject({ billable_rate_cents: 9_000, effective_rate_cents: 9_000 });
    // No project rate for the member: the project's hourly rate applies.
    expect(team[a.member.user_id]).toMatchObject({
      billable_rate_cents: null,
      effective_rate_cents: 12_000,
      role: "member",
    });
    expect(await projectRow(project.id)).toMatchObject({
      name: "Website relaunch",
      budget_hours: 40.5,
      currency: "EUR",
    });
    expect(await projectCounts(a.owner.agency.id)).toMatchObject({
      projects: before.projects + 1,
      project_members: before.project_members + 3,
      tasks: before.tasks,
    });
  });

  it("creates a project from a template with its tasks, for a named manager", async () => {
    const template = await created(
      api(a.owner, "/api/project-templates", {
        body: { name: "Launch kit", tasks: ["Brief", "Design", "Build", "Ship"] },
      }),
    );
    const project = await createProject(a.owner, {
      client_id: a.clientId,
      name: "From the kit",
      template_id: template.id,
      manager_id: a.manager.user_id,
      currency: "usd",
    });
    expect(project).toMatchObject({ template_id: template.id, manager_id: a.manager.user_id, currency: "USD" });
    expect(project.team.map((m: Project) => m.user_id)).toEqual([a.manager.user_id]);
    const tasks = await api(a.owner, `/api/projects/${project.id}/tasks`);
    expect(tasks.status).toBe(200);
    expect(tasks.body.data.map((t: Project) => t.title)).toEqual(["Brief", "Design", "Build", "Ship"]);
  });

  describe("refusals write nothing", () => {
    const refuse = (body: unknown, expected: { status?: number; code: string; field?: string }, as?: Member) =>
      expectRefused(a.owner.agency.id, () => api(as ?? a.owner, "/api/projects", { body }), {
        status: 422,
        ...expected,
      });

    it("a member may not create projects: 403", async () => {
      await refuse({ client_id: a.clientId, name: "Mine" }, { status: 403, code: "forbidden" }, a.member);
    });

    it("a deadline before the start", async () => {
      const response = await refuse(
        { client_id: a.clientId, name: "Backwards", start_date: "2027-05-01", deadline: "2027-04-30" },
        { code: "validation_failed", field: "deadline" },
      );
      expect(response.body.errors.deadline).toEqual(["The deadline cannot be before the start date."]);
    });

    it("negative, fractional or absurd budgets and rates", async () => {
      for (const [extra, field] of [
        [{ budget_cents: -1 }, "budget_cents"],
        [{ budget_cents: 10.5 }, "budget_cents"],
        [{ budget_hours: -2 }, "budget_hours"],
        [{ budget_hours: 1.234 }, "budget_hours"],
        [{ budget_hours: "10" }, "budget_hours"],
        [{ hourly_rate_cents: -100 }, "hourly_rate_cents"],
      ] as const) {
        await refuse({ client_id: a.clientId, name: "Money", ...extra }, { code: "validation_failed", field });
      }
    });

    it("bad values, a missing name and unknown fields", async () => {
      for (const [body, field] of [
        [{ client_id: a.clientId }, "name"],
        [{ client_id: a.clientId, name: "   " }, "name"],
        [{ name: "No client" }, "client_id"],
        [{ client_id: "nope", name: "x" }, "client_id"],
        [{ client_id: a.clientId, name: "x", status: "done" }, "status"],
        [{ client_id: a.clientId, name: "x", billing_type: "barter" }, "billing_type"],
        [{ client_id: a.clientId, name: "x", start_date: "04/01/2027" }, "start_date"],
        [{ client_id: a.clientId, name: "x", team: ["nope"] }, "team.0.user_id"],
      ] as const) {
        await refuse(body, { code: "validation_failed", field });
      }
      const unknown = await refuse({ client_id: a.clientId, name: "x", spent_cents: 5 }, { code: "validation_failed" });
      expect(JSON.stringify(unknown.body.errors)).toContain("spent_cents");
    });

    it("another agency's client or template, and unknown ids", async () => {
      await refuse({ client_id: strangersClient, name: "Poach" }, { code: "invalid_reference", field: "client_id" });
      await refuse({ client_id: NIL_UUID, name: "Nobody" }, { code: "invalid_reference", field: "client_id" });
      const theirTemplate = await created(
        api(stranger, "/api/project-templates", { body: { name: "Their kit", tasks: ["Secret step"] } }),
      );
      await refuse(
        { client_id: a.clientId, name: "Copy", template_id: theirTemplate.id },
        { code: "invalid_reference", field: "template_id" },
      );
      const [leaked] = await adminSql()`select count(*)::int as n from public.tasks where title = 'Secret step'`;
      expect(leaked!.n).toBe(0);
    });

    it("a team or manager outside the agency, or deactivated", async () => {
      await refuse(
        { client_id: a.clientId, name: "Outsider", team: [stranger.user.id] },
        { code: "invalid_reference", field: "team" },
      );
      await refuse(
        { client_id: a.clientId, name: "Former", team: [{ user_id: former.user_id }] },
        { code: "member_inactive", field: "team" },
      );
      await refuse(
        { client_id: a.clientId, name: "Outside manager", manager_id: stranger.user.id },
        { code: "invalid_reference", field: "manager_id" },
      );
      await refuse(
        { client_id: a.clientId, name: "Former manager", manager_id: former.user_id },
        { code: "member_inactive", field: "manager_id" },
      );
    });
  });
});

describe("GET /api/projects", () => {
  let a: Agency;
  let stranger: SignedUp;
  let otherClient: string;
  let alpha: Project;
  let beta: Project;
  let gamma: Project;

  beforeAll(async () => {
    a = await agencyWithTeam(request, "project-list");
    stranger = await signUp(request, "project-list-stranger");
    otherClient = (await created(api(a.owner, "/api/clients", { body: { name: "Second client" } }))).id;
    alpha = await createProject(a.manager, {
      client_id: a.clientId,
      name: "Alpha",
      status: "active",
      budget_cents: 100_000,
      budget_hours: 10,
      deadline: "2027-01-31",
      team: [a.member.user_id],
    });
    beta = await createProject(a.owner, {
      client_id: otherClient,
      name: "Beta",
      deadline: "2027-02-28",
      budget_hours: 100,
    });
    gamma = await createProject(a.owner, { client_id: a.clientId, name: "Gamma", status: "completed" });
    const theirClient = (await created(api(stranger, "/api/clients", { body: { name: "Elsewhere" } }))).id;
    await createProject(stranger, { client_id: theirClient, name: "Theirs" });
    // Alpha goes over its money budget (and to 80 % of its hours).
    await logTime({
      agencyId: a.owner.agency.id,
      projectId: alpha.id,
      userId: a.member.user_id,
      hours: 8,
      rateCents: 15_000,
    });
  });

  const names = (body: { data: Project[] }) => body.data.map((p) => p.name);

  it("lists the agency's projects, open ones first by deadline, paginated", async () => {
    const all = await api(a.owner, "/api/projects");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, per_page: 50 });
    expect(names(all.body)).toEqual(["Alpha", "Beta", "Gamma"]);
    expect(all.body.data[0]).toMatchObject({
      id: alpha.id,
      client_name: "project-list Client",
      manager_id: a.manager.user_id,
      manager_name: "project-list-manager person",
      status: "active",
      open_tasks: 0,
      budget: {
        budget_cents: 100_000,
        spent_cents: 120_000,
        remaining_cents: -20_000,
        percent_used: 120,
        spent_hours: 8,
      },
    });

    const page2 = await api(a.owner, "/api/projects?per_page=2&page=2");
    expect(page2.body).toMatchObject({ total: 3, page: 2, per_page: 2 });
    expect(names(page2.body)).toEqual(["Gamma"]);
    const beyond = await api(a.owner, "/api/projects?per_page=2&page=5");
    expect(beyond.body).toEqual({ data: [], total: 3, page: 5, per_page: 2 });
  });

  it("filters by client, status, manager and over budget", async () => {
    expect(names((await api(a.owner, `/api/projects?client_id=${a.clientId}`)).body)).toEqual(["Alpha", "Gamma"]);
    expect(names((await api(a.owner, "/api/projects?status=completed")).body)).toEqual(["Gamma"]);
    expect(names((await api(a.owner, "/api/projects?status=open")).body)).toEqual(["Alpha", "Beta"]);
    expect(names((await api(a.owner, `/api/projects?manager_id=${a.manager.user_id}`)).body)).toEqual(["Alpha"]);
    expect(names((await api(a.owner, `/api/projects?manager_id=${a.owner.user.id}`)).body)).toEqual(["Beta", "Gamma"]);
    const over = await api(a.owner, "/api/projects?over_budget=true");
    expect(over.body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: alpha.id })] });
    expect(names((await api(a.owner, "/api/projects?q=ET")).body)).toEqual(["Beta"]);
    expect((await api(a.owner, `/api/projects?client_id=${a.clientId}&status=active`)).body.total).toBe(1);
  });

  it("shows a member only their team's projects, with hours and without money", async () => {
    const mine = await api(a.member, "/api/projects");
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(1);
    expect(mine.body.data[0]).toMatchObject({
      id: alpha.id,
      budget: {
        budget_cents: null,
        spent_cents: null,
        remaining_cents: null,
        percent_used: null,
        budget_hours: 10,
        spent_hours: 8,
        remaining_hours: 2,
        percent_hours_used: 80,
      },
    });
    // Over budget for a member means hours: Alpha is at 80 %.
    expect((await api(a.member, "/api/projects?over_budget=true")).body.total).toBe(0);
    expect((await api(a.colleague, "/api/projects")).body).toEqual({ data: [], total: 0, page: 1, per_page: 50 });
  });

  it("never lists another agency's projects, and refuses bad filters", async () => {
    expect(names((await api(stranger, "/api/projects")).body)).toEqual(["Theirs"]);
    expect((await api(stranger, `/api/projects?client_id=${a.clientId}`)).body.total).toBe(0);
    for (const query of ["status=done", "per_page=500", "page=0", "client_id=nope", "over_budget=yes", "colour=red"]) {
      const response = await api(a.owner, `/api/projects?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.code).toBe("validation_failed");
    }
    expect(gamma.status).toBe("completed");
    expect(beta.manager_id).toBe(a.owner.user.id);
  });
});

describe("GET and PATCH /api/projects/:id", () => {
  let a: Agency;
  let stranger: SignedUp;
  let project: Project;
  let theirs: Project;

  beforeAll(async () => {
    a = await agencyWithTeam(request, "project-one");
    stranger = await signUp(request, "project-one-stranger");
    project = await createProject(a.manager, {
      client_id: a.clientId,
      name: "Budgeted",
      budget_cents: 1_000_000,
      budget_hours: 100,
      hourly_rate_cents: 10_000,
      start_date: "2027-01-01",
      deadline: "2027-06-30",
      team: [{ user_id: a.member.user_id, billable_rate_cents: 8_000 }],
    });
    const theirClient = (await created(api(stranger, "/api/clients", { body: { name: "Other" } }))).id;
    theirs = await createProject(stranger, { client_id: theirClient, name: "Not yours" });
  });

  it("reads a project with its budget and team; the budget follows tracked time", async () => {
    const fresh = await api(a.owner, `/api/projects/${project.id}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.budget).toEqual({
      budget_cents: 1_000_000,
      spent_cents: 0,
      remaining_cents: 1_000_000,
      percent_used: 0,
      budget_hours: 100,
      spent_hours: 0,
      remaining_hours: 100,
      percent_hours_used: 0,
    });

    const agencyId = a.owner.agency.id;
    await logTime({ agencyId, projectId: project.id, userId: a.member.user_id, hours: 10, rateCents: 8_000 });
    await logTime({ agencyId, projectId: project.id, userId: a.manager.user_id, hours: 2.5, rateCents: 10_000 });
    // Non-billable time counts as hours, not money.
    await logTime({
      agencyId,
      projectId: project.id,
      userId: a.manager.user_id,
      hours: 1.5,
      rateCents: 10_000,
      billable: false,
    });
    const moved = await api(a.owner, `/api/projects/${project.id}`);
    expect(moved.body.data.budget).toEqual({
      budget_cents: 1_000_000,
      spent_cents: 105_000, // 10 h × 80.00 + 2.5 h × 100.00
      remaining_cents: 895_000,
      percent_used: 10.5,
      budget_hours: 100,
      spent_hours: 14,
      remaining_hours: 86,
      percent_hours_used: 14,
    });
  });

  it("shows a member on the team the hours but no money, and no rates", async () => {
    const seen = await api(a.member, `/api/projects/${project.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.data).toMatchObject({
      can_manage: false,
      budget_cents: null,
      hourly_rate_cents: null,
      budget: { budget_cents: null, spent_cents: null, remaining_cents: null, percent_used: null, budget_hours: 100 },
    });
    expect(seen.body.data.budget.spent_hours).toBeGreaterThan(0);
    for (const person of seen.body.data.team) {
      expect(person).toMatchObject({ billable_rate_cents: null, effective_rate_cents: null });
    }
  });

  it("answers 404 for projects the caller may not see, and 422 for a malformed id", async () => {
    for (const [as, id] of [
      [a.colleague, project.id],
      [a.owner, theirs.id],
      [a.owner, NIL_UUID],
      [stranger, project.id],
    ] as const) {
      const response = await api(as, `/api/projects/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    expect((await api(a.owner, "/api/projects/nope")).status).toBe(422);
  });

  it("changes fields with PATCH", async () => {
    const response = await api(a.manager, `/api/projects/${project.id}`, {
      method: "PATCH",
      body: {
        name: "Budgeted (phase 2)",
        status: "active",
        budget_cents: 2_000_000,
        budget_hours: 120.25,
        description: null,
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({
      name: "Budgeted (phase 2)",
      status: "active",
      description: null,
      budget_cents: 2_000_000,
      budget_hours: 120.25,
      budget: { budget_cents: 2_000_000, percent_used: 5.3 },
    });
    expect(await projectRow(project.id)).toMatchObject({
      status: "active",
      budget_cents: 2_000_000,
      budget_hours: 120.25,
    });
  });

  it("naming a team member manager keeps their project rate", async () => {
    const response = await api(a.owner, `/api/projects/${project.id}`, {
      method: "PATCH",
      body: { manager_id: a.member.user_id },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.manager_id).toBe(a.member.user_id);
    const rates = await teamRows(project.id);
    expect(rates.find((r) => r.user_id === a.member.user_id)?.billable_rate_cents).toBe(8_000);
    // And someone not yet on the team joins it.
    const colleague = await api(a.owner, `/api/projects/${project.id}`, {
      method: "PATCH",
      body: { manager_id: a.colleague.user_id },
    });
    expect(colleague.body.data.team.map((m: Project) => m.user_id)).toContain(a.colleague.user_id);
    await api(a.owner, `/api/projects/${project.id}`, { method: "PATCH", body: { manager_id: a.manager.user_id } });
    const off = await api(a.owner, `/api/projects/${project.id}/members?user_id=${a.colleague.user_id}`, {
      method: "DELETE",
    });
    expect(off.status).toBe(200);
  });

  it("refuses bad changes and writes nothing", async () => {
    const before = await projectRow(project.id);
    const patch =
      (body: unknown, as: { access_token: string } = a.owner, id = project.id) =>
      () =>
        api(as, `/api/projects/${id}`, { method: "PATCH", body });
    const agencyId = a.owner.agency.id;

    // Both dates sent: zod answers. Only one: the database's check does, on the same field.
    await expectRefused(agencyId, patch({ start_date: "2027-07-01", deadline: "2027-06-01" }), {
      status: 422,
      code: "validation_failed",
      field: "deadline",
    });
    const db = await expectRefused(agencyId, patch({ deadline: "2026-12-31" }), {
      status: 422,
      code: "invalid_value",
      field: "deadline",
    });
    expect(db.body.errors.deadline).toEqual(["The deadline cannot be before the start date."]);
    await expectRefused(agencyId, patch({ start_date: "2027-07-01" }), {
      status: 422,
      code: "invalid_value",
      field: "deadline",
    });
    await expectRefused(agencyId, patch({ budget_cents: -5 }), {
      status: 422,
      code: "validation_failed",
      field: "budget_cents",
    });
    await expectRefused(agencyId, patch({ budget_hours: -0.5 }), {
      status: 422,
      code: "validation_failed",
      field: "budget_hours",
    });
    await expectRefused(agencyId, patch({}), { status: 422, code: "validation_failed" });
    const unknown = await expectRefused(agencyId, patch({ client_id: a.clientId }), {
      status: 422,
      code: "validation_failed",
    });
    expect(JSON.stringify(unknown.body.errors)).toContain("client_id");
    await expectRefused(agencyId, patch({ manager_id: stranger.user.id }), {
      status: 422,
      code: "invalid_reference",
      field: "manager_id",
    });
    await expectRefused(agencyId, patch({ name: "Mine" }, a.member), { status: 403, code: "manager_required" });
    await expectRefused(agencyId, patch({ name: "Mine" }, a.colleague), { status: 404, code: "not_found" });
    await expectRefused(agencyId, patch({ name: "Mine" }, stranger), { status: 404, code: "not_found" });
    expect(await projectRow(project.id)).toEqual(before);

    const theirsBefore = await projectRow(theirs.id);
    const response = await patch({ name: "Mine" }, a.owner, theirs.id)();
    expect(response.status).toBe(404);
    expect(await projectRow(theirs.id)).toEqual(theirsBefore);
  });
});

describe("POST and DELETE /api/projects/:id/members", () => {
  let a: Agency;
  let stranger: SignedUp;
  let project: Project;

  beforeAll(async () => {
    a = await agencyWithTeam(request, "project-team");
    stranger = await signUp(request, "project-team-stranger");
    project = await createProject(a.manager, { client_id: a.clientId, name: "Team work" });
  });

  const members = (as: { access_token: string }, body: unknown, method = "POST", query = "") =>
    api(as, `/api/projects/${project.id}/members${query}`, { method, body });

  it("adds a person, sets and keeps their project rate, and the member then sees the project", async () => {
    expect((await api(a.member, `/api/projects/${project.id}`)).status).toBe(404);
    const added = await members(a.manager, { user_id: a.member.user_id, billable_rate_cents: 7_500 });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: a.member.user_id, billable_rate_cents: 7_500, effective_rate_cents: 7_500 }),
        expect.objectContaining({ user_id: a.manager.user_id }),
      ]),
    );
    // Adding again without a rate keeps it; null clears it.
    const again = await members(a.manager, { user_id: a.member.user_id });
    expect(again.body.data.find((m: Project) => m.user_id === a.member.user_id).billable_rate_cents).toBe(7_500);
    const cleared = await members(a.manager, { user_id: a.member.user_id, billable_rate_cents: null });
    expect(cleared.body.data.find((m: Project) => m.user_id === a.member.user_id).billable_rate_cents).toBeNull();
    expect((await api(a.member, `/api/projects/${project.id}`)).status).toBe(200);
  });

  it("removes a person by body or by query; their tasks become unassigned", async () => {
    await members(a.manager, { user_id: a.colleague.user_id });
    const task = await created(
      api(a.manager, `/api/projects/${project.id}/tasks`, {
        body: { title: "Theirs", assignee_id: a.colleague.user_id },
      }),
    );
    const removed = await members(a.manager, { user_id: a.colleague.user_id }, "DELETE");
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.data.map((m: Project) => m.user_id)).not.toContain(a.colleague.user_id);
    const [row] = await adminSql()`select assignee_id from public.tasks where id = ${task.id}`;
    expect(row!.assignee_id).toBeNull();
    expect((await api(a.colleague, `/api/projects/${project.id}`)).status).toBe(404);

    await members(a.manager, { user_id: a.colleague.user_id });
    const byQuery = await members(a.manager, undefined, "DELETE", `?user_id=${a.colleague.user_id}`);
    expect(byQuery.status, JSON.stringify(byQuery.body)).toBe(200);
    expect(byQuery.body.data.map((m: Project) => m.user_id)).not.toContain(a.colleague.user_id);
  });

  it("refuses members, outsiders, unknown people and bad bodies, writing nothing", async () => {
    const agencyId = a.owner.agency.id;
    await expectRefused(agencyId, () => members(a.member, { user_id: a.colleague.user_id }), {
      status: 403,
      code: "manager_required",
    });
    await expectRefused(agencyId, () => members(a.member, { user_id: a.manager.user_id }, "DELETE"), {
      status: 403,
      code: "manager_required",
    });
    await expectRefused(agencyId, () => members(a.colleague, { user_id: a.colleague.user_id }), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => members(a.manager, { user_id: stranger.user.id }), {
      status: 422,
      code: "invalid_reference",
      field: "user_id",
    });
    await expectRefused(agencyId, () => members(a.manager, { user_id: a.colleague.user_id }, "DELETE"), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => members(a.manager, { user_id: a.member.user_id, billable_rate_cents: -1 }), {
      status: 422,
      code: "validation_failed",
      field: "billable_rate_cents",
    });
    await expectRefused(agencyId, () => members(a.manager, { user_id: a.member.user_id, role: "owner" }), {
      status: 422,
      code: "validation_failed",
    });
    await expectRefused(agencyId, () => members(a.manager, {}, "DELETE"), {
      status: 422,
      code: "validation_failed",
      field: "user_id",
    });
    await expectRefused(agencyId, () => members(stranger, { user_id: stranger.user.id }), {
      status: 404,
      code: "not_found",
    });
  });
});
