import { beforeAll, describe, expect, it } from "vitest";
import { inputValue, visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import {
  agencyWithTeam,
  apiAs,
  created,
  logTime,
  NIL_UUID,
  pageState,
  projectCounts,
  signedIn,
  type Agency,
} from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The project pages as a browser without JavaScript uses them (list, new, overview, edit, team,
 * milestones), for owner, manager, member and another agency: what each loader hands over, what
 * each form action answers, and what ends up in the database.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = {
  list: "routes/_app.projects._index",
  new: "routes/_app.projects.new",
  layout: "routes/_app.projects.$projectId",
  edit: "routes/_app.projects.$projectId.edit",
  team: "routes/_app.projects.$projectId.team",
  milestones: "routes/_app.projects.$projectId.milestones",
} as const;

type Project = { id: string; name: string };

let a: Agency;
let stranger: SignedUp;
let otherClientId: string;
let alpha: Project;
let beta: Project;
let theirProject: Project;
let owner: BrowserSession;
let manager: BrowserSession;
let member: BrowserSession;
let outsider: BrowserSession;

beforeAll(async () => {
  a = await agencyWithTeam(request, "project-pages");
  stranger = await signUp(request, "project-pages-stranger");
  otherClientId = (await created(api(a.owner, "/api/clients", { body: { name: "Zeta Corp", currency: "EUR" } }))).id;
  const project = (as: { access_token: string }, body: Record<string, unknown>) =>
    created<Project>(api(as, "/api/projects", { body }));
  // Gamma is the owner's own: ?manager=<owner> finds only it.
  [alpha, beta] = await Promise.all([
    project(a.manager, {
      client_id: a.clientId,
      name: "Alpha website",
      status: "active",
      budget_hours: 10,
      team: [a.member.user_id],
    }),
    project(a.manager, { client_id: otherClientId, name: "Beta branding" }),
    project(a.owner, { client_id: a.clientId, name: "Gamma app", status: "on_hold" }),
  ]);
  const theirClient = await created(api(stranger, "/api/clients", { body: { name: "Elsewhere" } }));
  theirProject = await project(stranger, { client_id: theirClient.id, name: "Theirs" });
  [owner, manager, member, outsider] = await Promise.all([
    signedIn(app.url, a.owner.email),
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
    signedIn(app.url, stranger.email),
  ]);
});

async function listed(browser: BrowserSession, query = ""): Promise<string[]> {
  const page = await browser.get(`/projects${query}`);
  expect(page.status).toBe(200);
  return pageState(page.html)
    .loaderData[ROUTE.list].projects.map((p: Project) => p.name)
    .sort();
}

async function projectRow(id: string) {
  const [row] = await adminSql()`
    select name, description, status::text, billing_type::text, currency, budget_cents::float8 as budget_cents,
           budget_hours::float8 as budget_hours, hourly_rate_cents::float8 as hourly_rate_cents,
           start_date::text, deadline::text, manager_id, template_id, invoice_rounding,
           invoice_rounding_minutes::int as invoice_rounding_minutes, updated_at::text
    from public.projects where id = ${id}`;
  return row;
}

async function teamRates(projectId: string) {
  const rows = await adminSql()<{ user_id: string; rate: number | null }[]>`
    select user_id, billable_rate_cents::float8 as rate from public.project_members where project_id = ${projectId}`;
  return Object.fromEntries(rows.map((r) => [r.user_id, r.rate]));
}

describe("/projects", () => {
  it("lists the agency's projects; the filters live in the URL and bad values are dropped", async () => {
    expect(await listed(owner)).toEqual(["Alpha website", "Beta branding", "Gamma app"]);
    expect(await listed(owner, "?q=ALPHA")).toEqual(["Alpha website"]);
    expect(await listed(owner, "?status=planning")).toEqual(["Beta branding"]);
    expect(await listed(owner, "?status=open")).toEqual(["Alpha website", "Beta branding", "Gamma app"]);
    expect(await listed(owner, `?client=${otherClientId}`)).toEqual(["Beta branding"]);
    expect(await listed(owner, `?manager=${a.owner.user.id}`)).toEqual(["Gamma app"]);
    expect(await listed(owner, `?client=${a.clientId}&status=active&q=web`)).toEqual(["Alpha website"]);

    const bad = await owner.get("/projects?status=bogus&client=not-a-uuid&over=yes&q=");
    expect(pageState(bad.html).loaderData[ROUTE.list]).toMatchObject({ query: {}, filtered: false });
    expect(pageState(bad.html).loaderData[ROUTE.list].projects).toHaveLength(3);

    const page = await owner.get("/projects?status=planning");
    const text = visibleText(page.html);
    expect(text).toContain("1 project matches.");
    expect(text).toContain("Beta branding");
    expect(text).not.toContain("Alpha website");
  });

  it("?over=1 lists the projects past a budget", async () => {
    expect(await listed(manager, "?over=1")).toEqual([]);
    // 12 of 10 budgeted hours.
    await logTime({
      agencyId: a.owner.agency.id,
      projectId: alpha.id,
      userId: a.member.user_id,
      hours: 12,
      rateCents: 10_000,
    });
    expect(await listed(manager, "?over=1")).toEqual(["Alpha website"]);
  });

  it("a member sees only the projects whose team they are on; another agency sees none of them", async () => {
    expect(await listed(member)).toEqual(["Alpha website"]);
    expect(await listed(member, "?q=beta")).toEqual([]);
    const none = await member.get("/projects?q=beta");
    expect(visibleText(none.html)).toContain("No projects match");
    expect(visibleText(none.html)).not.toContain("New project");
    expect(await listed(outsider)).toEqual(["Theirs"]);
  });
});

describe("/projects/new", () => {
  const form = (fields: Record<string, string>) => ({
    client_id: a.clientId,
    currency: "",
    name: "Launch site",
    description: "",
    status: "planning",
    billing_type: "fixed",
    budget: "",
    budget_hours: "",
    hourly_rate: "",
    manager_id: a.manager.user_id,
    start_date: "",
    deadline: "",
    template_id: "",
    ...fields,
  });

  it("puts each mistake next to its field, keeps the input and writes nothing", async () => {
    const before = await projectCounts(a.owner.agency.id);
    const cases: [Record<string, string>, string, string][] = [
      [
        { name: "Backwards", start_date: "2027-05-02", deadline: "2027-05-01" },
        "deadline",
        "The deadline is before the start date.",
      ],
      [{ name: "In the red", budget: "-500" }, "budget", "Enter an amount such as 12500 or 12500.50."],
      [{ name: "For nobody", client_id: "" }, "client_id", "Choose a client."],
    ];
    for (const [fields, field, message] of cases) {
      const page = await manager.post("/projects/new", form(fields));
      expect(page.status, field).toBe(422);
      const failure = pageState(page.html).actionData?.[ROUTE.new];
      expect(failure.fieldErrors, field).toEqual({ [field]: [message] });
      expect(failure.values.name).toBe(fields.name);
      // Rendered at the field, with what was typed still in the form.
      expect(visibleText(page.html)).toContain(message);
      expect(inputValue(page.html, "name")).toBe(fields.name);
    }
    expect(await projectCounts(a.owner.agency.id)).toEqual(before);
  });

  it("creates the project with its template's tasks, team and budget, and opens it", async () => {
    const template = await created(
      api(a.owner, "/api/project-templates", {
        body: { name: "Site kit", tasks: ["Kick-off", "Wireframes", "Build"] },
      }),
    );
    const page = await manager.post(
      "/projects/new",
      form({
        name: "Launch site",
        status: "active",
        billing_type: "hourly",
        budget: "12,500.50",
        budget_hours: "40",
        hourly_rate: "95",
        start_date: "2027-01-04",
        deadline: "2027-03-31",
        template_id: template.id,
        team: a.member.user_id,
      }),
    );
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    const id = /^\/projects\/([0-9a-f-]{36})$/.exec(page.location ?? "")?.[1];
    expect(id, String(page.location)).toBeDefined();

    expect(await projectRow(id!)).toMatchObject({
      name: "Launch site",
      status: "active",
      billing_type: "hourly",
      currency: "EUR",
      budget_cents: 1_250_050,
      budget_hours: 40,
      hourly_rate_cents: 9_500,
      start_date: "2027-01-04",
      deadline: "2027-03-31",
      manager_id: a.manager.user_id,
      template_id: template.id,
    });
    const tasks = await adminSql()`select title from public.tasks where project_id = ${id!} order by position`;
    expect(tasks.map((t) => t.title)).toEqual(["Kick-off", "Wireframes", "Build"]);
    expect(Object.keys(await teamRates(id!)).sort()).toEqual([a.manager.user_id, a.member.user_id].sort());

    const opened = await manager.get(page.location!);
    expect(opened.status).toBe(200);
    expect(pageState(opened.html).loaderData[ROUTE.layout].project).toMatchObject({ id, name: "Launch site" });
  });

  it("a member is told only managers start projects, and a submitted form is refused", async () => {
    const page = await member.get("/projects/new");
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("Only owners and managers start projects.");
    const before = await projectCounts(a.owner.agency.id);
    const refused = await member.post("/projects/new", form({ name: "Mine", manager_id: a.member.user_id }));
    expect(refused.status).toBe(403);
    expect(pageState(refused.html).actionData?.[ROUTE.new].formError).toEqual(expect.any(String));
    expect(await projectCounts(a.owner.agency.id)).toEqual(before);
  });
});

describe("/projects/:id", () => {
  it("opens for the agency's managers and for the team, with what each may do", async () => {
    const asOwner = await owner.get(`/projects/${alpha.id}`);
    expect(asOwner.status).toBe(200);
    expect(pageState(asOwner.html).loaderData[ROUTE.layout].project).toMatchObject({
      name: "Alpha website",
      can_manage: true,
    });
    const asMember = await member.get(`/projects/${alpha.id}`);
    expect(asMember.status).toBe(200);
    expect(pageState(asMember.html).loaderData[ROUTE.layout].project).toMatchObject({ can_manage: false });
  });

  it("is not found for another agency, a member off the team, a bad or unknown id, on every tab", async () => {
    const tabs = ["", "/edit", "/tasks", "/gantt", "/milestones", "/team"];
    const cases: [BrowserSession, string][] = [
      [outsider, alpha.id],
      [member, beta.id],
      [owner, "not-a-uuid"],
      [owner, NIL_UUID],
      [owner, theirProject.id],
    ];
    for (const [browser, id] of cases) {
      for (const tab of tabs) {
        const page = await browser.get(`/projects/${id}${tab}`);
        expect(page.status, `${id}${tab}`).toBe(404);
        expect(page.html).not.toContain("Alpha website");
      }
    }
  });

  it("another agency's form posts find nothing and change nothing", async () => {
    const before = await projectRow(alpha.id);
    const counts = await projectCounts(a.owner.agency.id);
    const edit = await outsider.post(`/projects/${alpha.id}/edit`, {
      name: "Hijacked",
      status: "active",
      billing_type: "fixed",
    });
    expect(edit.status).toBe(404);
    const team = await outsider.post(`/projects/${alpha.id}/team`, { intent: "add", user_id: stranger.user.id });
    expect(team.status).toBe(404);
    const milestone = await outsider.post(`/projects/${alpha.id}/milestones`, { intent: "create", title: "Mine" });
    expect(milestone.status).toBe(404);
    // A malformed id in a form post's URL is "not found" too, on every tab that takes posts.
    for (const tab of ["/edit", "/tasks", "/gantt", "/milestones", "/team"]) {
      expect((await owner.post(`/projects/not-a-uuid${tab}`, { intent: "create", title: "x" })).status, tab).toBe(404);
    }
    expect(await projectRow(alpha.id)).toEqual(before);
    expect(await projectCounts(a.owner.agency.id)).toEqual(counts);
  });
});

describe("/projects/:id/edit", () => {
  let delta: Project;
  const form = (fields: Record<string, string> = {}) => ({
    name: "Delta relaunch",
    description: "Phase two",
    status: "active",
    billing_type: "retainer",
    budget: "30000",
    budget_hours: "120.5",
    hourly_rate: "110.25",
    manager_id: a.owner.user.id,
    start_date: "2027-02-01",
    deadline: "2027-06-30",
    ...fields,
  });

  beforeAll(async () => {
    delta = await created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Delta", team: [a.member.user_id] } }),
    );
  });

  it("a manager saves every field; a new manager joins the team", async () => {
    const page = await manager.post(`/projects/${delta.id}/edit`, form());
    expect(page.status, page.html.slice(0, 300)).toBe(302);
    expect(page.location).toBe(`/projects/${delta.id}`);
    expect(await projectRow(delta.id)).toMatchObject({
      name: "Delta relaunch",
      description: "Phase two",
      status: "active",
      billing_type: "retainer",
      budget_cents: 3_000_000,
      budget_hours: 120.5,
      hourly_rate_cents: 11_025,
      manager_id: a.owner.user.id,
      start_date: "2027-02-01",
      deadline: "2027-06-30",
    });
    expect(Object.keys(await teamRates(delta.id))).toContain(a.owner.user.id);
  });

  it("a deadline before the start is refused at the field", async () => {
    const before = await projectRow(delta.id);
    const page = await manager.post(`/projects/${delta.id}/edit`, form({ deadline: "2027-01-31" }));
    expect(page.status).toBe(422);
    expect(pageState(page.html).actionData?.[ROUTE.edit].fieldErrors).toEqual({
      deadline: ["The deadline is before the start date."],
    });
    expect(await projectRow(delta.id)).toEqual(before);
  });

  it("saves the rounding on invoices; a bad value is refused at the field, writing nothing", async () => {
    const page = await manager.get(`/projects/${delta.id}/edit`);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("Each entry is rounded when invoiced; tracked time never changes.");
    expect(await projectRow(delta.id)).toMatchObject({ invoice_rounding: "none", invoice_rounding_minutes: 15 });

    const saved = await manager.post(
      `/projects/${delta.id}/edit`,
      form({ invoice_rounding: "up", invoice_rounding_minutes: "6" }),
    );
    expect(saved.status, saved.html.slice(0, 300)).toBe(302);
    expect(await projectRow(delta.id)).toMatchObject({ invoice_rounding: "up", invoice_rounding_minutes: 6 });
    const read = await api(a.manager, `/api/projects/${delta.id}`, { method: "GET" });
    expect(read.body.data).toMatchObject({ invoice_rounding: "up", invoice_rounding_minutes: 6 });

    const before = await projectRow(delta.id);
    const refused = await manager.post(
      `/projects/${delta.id}/edit`,
      form({ name: "Not saved", invoice_rounding: "sideways", invoice_rounding_minutes: "10" }),
    );
    expect(refused.status).toBe(422);
    expect(pageState(refused.html).actionData?.[ROUTE.edit].fieldErrors).toEqual({
      invoice_rounding: ["Choose a rounding rule from the list."],
      invoice_rounding_minutes: ["Choose 6, 15 or 30 minutes."],
    });
    expect(await projectRow(delta.id)).toEqual(before);

    // The API takes the same rule as numbers.
    const patch = (body: unknown) => api(a.manager, `/api/projects/${delta.id}`, { method: "PATCH", body });
    const patched = await patch({ invoice_rounding: "nearest", invoice_rounding_minutes: 30 });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ invoice_rounding: "nearest", invoice_rounding_minutes: 30 });
    const bad = await patch({ invoice_rounding_minutes: 10 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(["invoice_rounding_minutes"]);
    expect(await projectRow(delta.id)).toMatchObject({ invoice_rounding: "nearest", invoice_rounding_minutes: 30 });
  });

  it("a member of the team is shown a notice, and a submitted form is refused", async () => {
    const page = await member.get(`/projects/${delta.id}/edit`);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("Only owners and managers change a project.");
    expect(inputValue(page.html, "name")).toBeUndefined();

    const before = await projectRow(delta.id);
    const refused = await member.post(`/projects/${delta.id}/edit`, form({ name: "Member's name" }));
    expect(refused.status).toBe(403);
    expect(await projectRow(delta.id)).toEqual(before);
  });
});

describe("/projects/:id/team", () => {
  let team: Project;

  beforeAll(async () => {
    team = await created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Team work", team: [a.member.user_id] } }),
    );
  });

  it("a manager adds someone with a project rate, changes it and removes them", async () => {
    const added = await manager.post(`/projects/${team.id}/team`, {
      intent: "add",
      user_id: a.colleague.user_id,
      rate: "95.50",
    });
    expect(added.status, added.html.slice(0, 300)).toBe(302);
    expect(added.location).toBe(`/projects/${team.id}/team`);
    expect(await teamRates(team.id)).toEqual({
      [a.manager.user_id]: null,
      [a.member.user_id]: null,
      [a.colleague.user_id]: 9_550,
    });

    const rated = await manager.post(`/projects/${team.id}/team`, {
      intent: "rate",
      user_id: a.colleague.user_id,
      rate: "120",
    });
    expect(rated.status).toBe(302);
    expect((await teamRates(team.id))[a.colleague.user_id]).toBe(12_000);

    // The page hands rates to managers only.
    const rateOf = async (browser: BrowserSession) => {
      const page = await browser.get(`/projects/${team.id}/team`);
      expect(page.status).toBe(200);
      const members = pageState(page.html).loaderData[ROUTE.layout].project.team;
      return members.find((m: { user_id: string }) => m.user_id === a.colleague.user_id)?.billable_rate_cents;
    };
    expect(await rateOf(manager)).toBe(12_000);
    expect(await rateOf(member)).toBeNull();

    const removed = await manager.post(`/projects/${team.id}/team`, { intent: "remove", user_id: a.colleague.user_id });
    expect(removed.status).toBe(302);
    expect(Object.keys(await teamRates(team.id)).sort()).toEqual([a.manager.user_id, a.member.user_id].sort());
  });

  it("refuses a bad rate and someone from another agency, at the field", async () => {
    const before = await teamRates(team.id);
    const badRate = await manager.post(`/projects/${team.id}/team`, {
      intent: "add",
      user_id: a.colleague.user_id,
      rate: "lots",
    });
    expect(badRate.status).toBe(422);
    expect(Object.keys(pageState(badRate.html).actionData?.[ROUTE.team].fieldErrors)).toEqual(["rate"]);

    const foreign = await manager.post(`/projects/${team.id}/team`, { intent: "add", user_id: stranger.user.id });
    expect(foreign.status).toBe(422);
    expect(Object.keys(pageState(foreign.html).actionData?.[ROUTE.team].fieldErrors)).toEqual(["user_id"]);
    expect(await teamRates(team.id)).toEqual(before);
  });

  it("a member may neither add nor remove", async () => {
    const before = await teamRates(team.id);
    const add = await member.post(`/projects/${team.id}/team`, { intent: "add", user_id: a.colleague.user_id });
    expect(add.status).toBe(403);
    const remove = await member.post(`/projects/${team.id}/team`, { intent: "remove", user_id: a.manager.user_id });
    expect(remove.status).toBe(403);
    expect(pageState(remove.html).actionData?.[ROUTE.team].formError).toBe(
      "Only an owner or manager can change the team.",
    );
    expect(await teamRates(team.id)).toEqual(before);
  });
});

describe("/projects/:id/milestones", () => {
  let project: Project;

  async function milestones() {
    return adminSql()<{ id: string; title: string; status: string; due_date: string | null; amount_cents: number }[]>`
      select id, title, status::text, due_date::text, amount_cents::float8 as amount_cents
      from public.milestones where project_id = ${project.id} order by created_at`;
  }

  async function timeline() {
    return adminSql()<{ event: string; project_id: string }[]>`
      select event, project_id from public.client_activities
      where client_id = ${a.clientId} and project_id = ${project.id} and event like 'milestone_%' order by occurred_at`;
  }

  beforeAll(async () => {
    project = await created(
      api(a.manager, "/api/projects", {
        body: { client_id: a.clientId, name: "Milestone run", team: [a.member.user_id] },
      }),
    );
  });

  it("a manager adds one, reaches it (a client timeline event) and approves it, which is final", async () => {
    const path = `/projects/${project.id}/milestones`;
    const added = await manager.post(path, {
      intent: "create",
      title: "Design sign-off",
      due_date: "2027-03-01",
      amount: "5000",
      description: "",
    });
    expect(added.status, added.html.slice(0, 300)).toBe(302);
    expect(added.location).toBe(path);
    const [milestone] = await milestones();
    expect(milestone).toMatchObject({
      title: "Design sign-off",
      status: "pending",
      due_date: "2027-03-01",
      amount_cents: 500_000,
    });
    expect(await timeline()).toEqual([]);

    const reached = await manager.post(path, { intent: "status", milestone_id: milestone!.id, status: "reached" });
    expect(reached.status).toBe(302);
    expect((await milestones())[0]!.status).toBe("reached");
    expect(await timeline()).toEqual([{ event: "milestone_reached", project_id: project.id }]);

    const approved = await owner.post(path, { intent: "status", milestone_id: milestone!.id, status: "approved" });
    expect(approved.status).toBe(302);
    expect((await milestones())[0]!.status).toBe("approved");
    expect((await timeline()).map((e) => e.event)).toEqual(["milestone_reached", "milestone_approved"]);

    const undo = await manager.post(path, { intent: "status", milestone_id: milestone!.id, status: "pending" });
    expect(undo.status).toBe(422);
    const failure = pageState(undo.html).actionData?.[ROUTE.milestones];
    expect(Object.keys(failure.fieldErrors)).toEqual(["status"]);
    expect(failure.fieldErrors.status[0]).toMatch(/approved/i);
    expect((await milestones())[0]!.status).toBe("approved");
    expect(await timeline()).toHaveLength(2);
  });

  it("refuses a missing title, and members, writing nothing", async () => {
    const path = `/projects/${project.id}/milestones`;
    const pending = await created<{ id: string }>(
      api(a.manager, `/api/projects/${project.id}/milestones`, { body: { title: "Pending one" } }),
    );
    const before = await projectCounts(a.owner.agency.id);
    const untitled = await manager.post(path, { intent: "create", title: " ", amount: "" });
    expect(untitled.status).toBe(422);
    expect(pageState(untitled.html).actionData?.[ROUTE.milestones].fieldErrors).toEqual({ title: ["Enter a title."] });

    const byMember = await member.post(path, { intent: "create", title: "Member's milestone" });
    expect(byMember.status).toBe(403);
    const reach = await member.post(path, { intent: "status", milestone_id: pending.id, status: "reached" });
    expect(reach.status).toBe(403);
    expect(pageState(reach.html).actionData?.[ROUTE.milestones].formError).toBe(
      "Only an owner or manager can change milestones.",
    );
    expect(await projectCounts(a.owner.agency.id)).toEqual(before);
    const [row] = await adminSql()`select status::text from public.milestones where id = ${pending.id}`;
    expect(row!.status).toBe("pending");
  });
});
