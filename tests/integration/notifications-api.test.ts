import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, logTime, type Actor, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Budget alerts reach the project's managers as notifications (and emails) once per crossing of
 * 80 % and 100 %; GET /api/notifications lists them and POST marks them read.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

type Notification = Record<string, any> & { id: string };

async function alerts(as: Actor): Promise<Notification[]> {
  const response = await api(as, "/api/notifications");
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.filter((n: Notification) => n.kind === "budget_alert");
}

async function budgetEmails(projectId: string) {
  return adminSql()<{ to_email: string; threshold: number; metric: string }[]>`
    select to_email, (data ->> 'threshold')::int as threshold, data ->> 'metric' as metric
    from private.email_outbox
    where template = 'budget_alert' and data ->> 'project_path' = ${`/projects/${projectId}`}
    order by created_at, to_email`;
}

describe("budget alerts in /api/notifications", () => {
  let a: Agency;
  let project: { id: string };

  beforeAll(async () => {
    a = await agencyWithTeam(request, "budget-alert");
    // 1 000.00 of money and 20 hours; the manager manages it, the member works on it.
    project = await created(
      api(a.manager, "/api/projects", {
        body: {
          client_id: a.clientId,
          name: "Tight budget",
          budget_cents: 100_000,
          budget_hours: 20,
          team: [a.member.user_id],
        },
      }),
    );
  });

  const log = (hours: number, billable = true) =>
    logTime({
      agencyId: a.owner.agency.id,
      projectId: project.id,
      userId: a.member.user_id,
      hours,
      rateCents: 10_000,
      billable,
    });

  it("nothing below 80 %", async () => {
    await log(7); // 700.00 = 70 %, 7 of 20 hours
    expect(await alerts(a.manager)).toEqual([]);
    const budget = (await api(a.manager, `/api/projects/${project.id}`)).body.data.budget;
    expect(budget).toMatchObject({ spent_cents: 70_000, percent_used: 70, spent_hours: 7 });
  });

  it("crossing 80 % notifies the manager once, in-app and by email; the member hears nothing", async () => {
    await log(1.5); // 850.00 = 85 %
    const [alert, ...more] = await alerts(a.manager);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      kind: "budget_alert",
      title: "Tight budget has used 85% of its money budget",
      body: "The budget is running low.",
      link_path: `/projects/${project.id}`,
      data: { project_id: project.id, metric: "money", threshold: 80, percent_used: 85 },
      read_at: null,
    });
    expect(await alerts(a.member)).toEqual([]);
    // The owner is not on the team and someone manages it: no alert for them.
    expect(await alerts(a.owner)).toEqual([]);
    expect(await budgetEmails(project.id)).toEqual([{ to_email: a.manager.email, threshold: 80, metric: "money" }]);

    // More time below 100 %: the open crossing does not alert again.
    await log(0.5); // 90 %
    expect(await alerts(a.manager)).toHaveLength(1);
    const [row] = await adminSql()`
      select count(*)::int as n from public.project_budget_alerts where project_id = ${project.id} and cleared_at is null`;
    expect(row!.n).toBe(1);
  });

  it("crossing 100 % alerts again, once; non-billable time moves only the hours", async () => {
    await log(1); // 1 000.00 = 100 %
    const money = (await alerts(a.manager)).filter((n) => n.data.metric === "money");
    expect(money.map((n) => n.data.threshold)).toEqual([100, 80]);
    expect(money[0]).toMatchObject({ body: "The budget is used up.", data: { percent_used: 100 } });
    await log(1); // 110 %
    expect((await alerts(a.manager)).filter((n) => n.data.metric === "money")).toHaveLength(2);

    // 11 billable hours so far; 5 non-billable make 16 of 20 hours = 80 % of the hours budget.
    await log(5, false);
    const budget = (await api(a.manager, `/api/projects/${project.id}`)).body.data.budget;
    expect(budget).toMatchObject({ spent_cents: 110_000, spent_hours: 16, percent_hours_used: 80 });
    const hours = (await alerts(a.manager)).filter((n) => n.data.metric === "hours");
    expect(hours).toEqual([
      expect.objectContaining({
        title: "Tight budget has used 80% of its hours budget",
        data: expect.objectContaining({ threshold: 80 }),
      }),
    ]);
    expect((await budgetEmails(project.id)).map((e) => `${e.metric} ${e.threshold}`)).toEqual([
      "money 80",
      "money 100",
      "hours 80",
    ]);
  });

  it("raising the budget clears the crossing, so the next one alerts again", async () => {
    const raised = await api(a.manager, `/api/projects/${project.id}`, {
      method: "PATCH",
      body: { budget_cents: 1_000_000 },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.data.budget.percent_used).toBe(11);
    const before = (await alerts(a.manager)).length;
    const lowered = await api(a.manager, `/api/projects/${project.id}`, {
      method: "PATCH",
      body: { budget_cents: 120_000 },
    });
    expect(lowered.status).toBe(200); // 110 000 of 120 000 = 91.7 %
    const after = await alerts(a.manager);
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ data: { metric: "money", threshold: 80, percent_used: 91.7 } });
  });
});

describe("GET and POST /api/notifications", () => {
  let a: Agency;
  let stranger: SignedUp;
  let ids: string[];

  beforeAll(async () => {
    a = await agencyWithTeam(request, "notify-read");
    stranger = await signUp(request, "notify-read-stranger");
    // Written as SQL functions do; the API only reads and marks them.
    const rows = await adminSql()<{ id: string }[]>`
      insert into public.notifications (agency_id, user_id, kind, title, created_at)
      select ${a.owner.agency.id}, ${a.manager.user_id}, 'budget_alert', 'Alert ' || i, now() - i * interval '1 minute'
      from generate_series(1, 3) i
      returning id`;
    ids = rows.map((r) => r.id);
    await adminSql()`
      insert into public.notifications (agency_id, user_id, kind, title)
      values (${a.owner.agency.id}, ${a.member.user_id}, 'budget_alert', 'For the member'),
             (${stranger.agency.id}, ${stranger.user.id}, 'budget_alert', 'For the stranger')`;
  });

  it("lists the caller's notifications newest first, paginated, with the unread count", async () => {
    const all = await api(a.manager, "/api/notifications");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, per_page: 50, unread_count: 3 });
    expect(all.body.data.map((n: Notification) => n.title)).toEqual(["Alert 1", "Alert 2", "Alert 3"]);
    const page = await api(a.manager, "/api/notifications?per_page=2&page=2");
    expect(page.body).toMatchObject({ total: 3, page: 2, per_page: 2, unread_count: 3 });
    expect(page.body.data.map((n: Notification) => n.title)).toEqual(["Alert 3"]);
    expect((await api(a.member, "/api/notifications")).body.data.map((n: Notification) => n.title)).toEqual([
      "For the member",
    ]);
    expect((await api(a.owner, "/api/notifications")).body).toMatchObject({ data: [], total: 0, unread_count: 0 });
    for (const query of ["unread=maybe", "per_page=0", "kind=budget_alert"]) {
      expect((await api(a.manager, `/api/notifications?${query}`)).status, query).toBe(422);
    }
  });

  it("marks some read by id, then all; others' notifications are untouched", async () => {
    const [first, second] = ids as [string, string];
    const marked = await api(a.manager, "/api/notifications", { body: { ids: [first] } });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body.data).toEqual({ marked: 1, unread_count: 2 });
    const unread = await api(a.manager, "/api/notifications?unread=true");
    expect(unread.body.data.map((n: Notification) => n.id)).not.toContain(first);
    expect(unread.body.total).toBe(2);
    const read = (await api(a.manager, "/api/notifications")).body.data.find((n: Notification) => n.id === first);
    expect(read.read_at).toEqual(expect.any(String));

    // Marking again changes nothing; someone else's id is not theirs to mark.
    const [membersOne] = await adminSql()<{ id: string }[]>`
      select id from public.notifications where user_id = ${a.member.user_id}`;
    const again = await api(a.manager, "/api/notifications", { body: { ids: [first, membersOne!.id] } });
    expect(again.body.data).toEqual({ marked: 0, unread_count: 2 });
    const [still] = await adminSql()`select read_at from public.notifications where id = ${membersOne!.id}`;
    expect(still!.read_at).toBeNull();

    const everything = await api(a.manager, "/api/notifications", { body: { all: true } });
    expect(everything.body.data).toEqual({ marked: 2, unread_count: 0 });
    const [row] = await adminSql()`select read_at from public.notifications where id = ${second}`;
    expect(row!.read_at).not.toBeNull();
    expect((await api(a.member, "/api/notifications")).body.unread_count).toBe(1);
    expect((await api(stranger, "/api/notifications")).body.unread_count).toBe(1);
  });

  it("refuses bodies that are neither ids nor all, and writes nothing", async () => {
    const before = await adminSql()`select id, read_at from public.notifications order by id`;
    for (const body of [
      {},
      { ids: [], all: true },
      { ids: ["nope"] },
      { all: false },
      { ids: [], extra: 1 },
      { ids: [] },
    ]) {
      const response = await api(a.member, "/api/notifications", { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe("validation_failed");
    }
    expect(await adminSql()`select id, read_at from public.notifications order by id`).toEqual(before);
    expect((await api(a.member, "/api/notifications", { method: "DELETE" })).status).toBe(405);
  });
});
