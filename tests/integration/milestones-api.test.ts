import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, type SignedUp } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, expectRefused, NIL_UUID, type Actor, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/** Milestones over the API: create, list, reach (a timeline event), approve (final), delete. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

type Milestone = Record<string, any> & { id: string };

async function milestoneRow(id: string) {
  const [row] = await adminSql()`
    select title, status::text, due_date::text, amount_cents::float8 as amount_cents, reached_at, approved_at
    from public.milestones where id = ${id}`;
  return row;
}

async function timeline(clientId: string) {
  return adminSql()<{ event: string; body: string; project_id: string | null }[]>`
    select event, body, project_id from public.client_activities
    where client_id = ${clientId} and event like 'milestone_%' order by occurred_at`;
}

describe("milestones", () => {
  let a: Agency;
  let stranger: SignedUp;
  let project: { id: string };
  let theirProject: { id: string };
  let theirMilestone: Milestone;

  beforeAll(async () => {
    a = await agencyWithTeam(request, "milestones");
    stranger = await signUp(request, "milestones-stranger");
    project = await created(
      api(a.manager, "/api/projects", {
        body: { client_id: a.clientId, name: "Shop build", team: [a.member.user_id] },
      }),
    );
    const theirClient = (await created(api(stranger, "/api/clients", { body: { name: "Elsewhere" } }))).id;
    theirProject = await created(api(stranger, "/api/projects", { body: { client_id: theirClient, name: "Theirs" } }));
    theirMilestone = await created(
      api(stranger, `/api/projects/${theirProject.id}/milestones`, { body: { title: "Their beta" } }),
    );
  });

  const create = (as: Actor, body: unknown, projectId = project.id) =>
    api(as, `/api/projects/${projectId}/milestones`, { body });
  const patch = (as: Actor, id: string, body: unknown) => api(as, `/api/milestones/${id}`, { method: "PATCH", body });

  it("creates milestones and lists them by due date, with task progress; the team reads them", async () => {
    const launch = await created<Milestone>(
      create(a.manager, { title: " Launch ", due_date: "2027-06-30", amount_cents: 2_500_000, description: "Go live" }),
    );
    expect(launch).toMatchObject({
      project_id: project.id,
      title: "Launch",
      description: "Go live",
      due_date: "2027-06-30",
      amount_cents: 2_500_000,
      status: "pending",
      reached_at: null,
      approved_at: null,
    });
    const beta = await created<Milestone>(create(a.owner, { title: "Beta", due_date: "2027-03-31" }));
    const someday = await created<Milestone>(create(a.owner, { title: "Someday" }));
    await created(
      api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title: "Beta task", milestone_id: beta.id } }),
    );
    await created(
      api(a.manager, `/api/projects/${project.id}/tasks`, {
        body: { title: "Beta task done", milestone_id: beta.id, status: "done" },
      }),
    );

    const list = await api(a.member, `/api/projects/${project.id}/milestones`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    expect(list.body.data.map((m: Milestone) => m.id)).toEqual([beta.id, launch.id, someday.id]);
    expect(list.body.data[0]).toMatchObject({ task_count: 2, done_count: 1 });
    // Milestone money is for owners and managers, as the budget is.
    expect(list.body.data[1]).toMatchObject({ title: "Launch", amount_cents: null });
    const asManager = await api(a.manager, `/api/projects/${project.id}/milestones`);
    expect(asManager.body.data[1]).toMatchObject({ title: "Launch", amount_cents: 2_500_000 });
  });

  it("reaching a milestone writes a client timeline event; approving too; approved is final", async () => {
    const milestone = await created<Milestone>(create(a.manager, { title: "Design sign-off", amount_cents: 100_000 }));
    const reached = await patch(a.manager, milestone.id, { status: "reached" });
    expect(reached.status, JSON.stringify(reached.body)).toBe(200);
    expect(reached.body.data).toMatchObject({ status: "reached", reached_at: expect.any(String), approved_at: null });
    expect(await timeline(a.clientId)).toEqual([
      { event: "milestone_reached", body: 'Milestone "Design sign-off" reached', project_id: project.id },
    ]);

    const approved = await patch(a.owner, milestone.id, { status: "approved", title: "Design signed off" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.data).toMatchObject({ status: "approved", approved_at: expect.any(String) });
    expect((await timeline(a.clientId)).map((e) => e.event)).toEqual(["milestone_reached", "milestone_approved"]);

    const before = await milestoneRow(milestone.id);
    for (const status of ["pending", "reached"]) {
      const response = await expectRefused(a.owner.agency.id, () => patch(a.owner, milestone.id, { status }), {
        status: 422,
        code: "milestone_approved",
        field: "status",
      });
      expect(response.body.detail).toMatch(/approved/);
    }
    expect(await milestoneRow(milestone.id)).toEqual(before);
    expect(await timeline(a.clientId)).toHaveLength(2);
    // Other fields of an approved milestone may still change.
    expect((await patch(a.owner, milestone.id, { due_date: "2027-01-31" })).status).toBe(200);
  });

  it("refuses bad input, members and other agencies' projects, writing nothing", async () => {
    const agencyId = a.owner.agency.id;
    for (const [body, field] of [
      [{}, "title"],
      [{ title: " " }, "title"],
      [{ title: "x", amount_cents: -1 }, "amount_cents"],
      [{ title: "x", amount_cents: 9.99 }, "amount_cents"],
      [{ title: "x", due_date: "next week" }, "due_date"],
      [{ title: "x", status: "done" }, "status"],
    ] as const) {
      await expectRefused(agencyId, () => create(a.manager, body), { status: 422, code: "validation_failed", field });
    }
    const unknown = await expectRefused(agencyId, () => create(a.manager, { title: "x", approved_at: "2027-01-01" }), {
      status: 422,
      code: "validation_failed",
    });
    expect(JSON.stringify(unknown.body.errors)).toContain("approved_at");
    await expectRefused(agencyId, () => create(a.member, { title: "Mine" }), { status: 403, code: "forbidden" });
    await expectRefused(agencyId, () => create(a.colleague, { title: "Not my project" }), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => create(a.owner, { title: "Yours" }, theirProject.id), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => create(a.owner, { title: "Nobody's" }, NIL_UUID), {
      status: 404,
      code: "not_found",
    });
    expect((await api(a.colleague, `/api/projects/${project.id}/milestones`)).status).toBe(404);
    expect((await api(stranger, `/api/projects/${project.id}/milestones`)).status).toBe(404);
  });

  it("refuses PATCH and DELETE by members and on other agencies' milestones", async () => {
    const agencyId = a.owner.agency.id;
    const milestone = await created<Milestone>(create(a.manager, { title: "Guarded" }));
    const before = await milestoneRow(milestone.id);
    await expectRefused(agencyId, () => patch(a.member, milestone.id, { status: "reached" }), {
      status: 403,
      code: "manager_required",
    });
    await expectRefused(agencyId, () => api(a.member, `/api/milestones/${milestone.id}`, { method: "DELETE" }), {
      status: 403,
      code: "manager_required",
    });
    for (const body of [{}, { amount_cents: -5 }, { project_id: project.id }, { title: "" }]) {
      await expectRefused(agencyId, () => patch(a.manager, milestone.id, body), {
        status: 422,
        code: "validation_failed",
      });
    }
    expect(await milestoneRow(milestone.id)).toEqual(before);

    const theirsBefore = await milestoneRow(theirMilestone.id);
    await expectRefused(agencyId, () => patch(a.owner, theirMilestone.id, { title: "Mine" }), {
      status: 404,
      code: "not_found",
    });
    await expectRefused(agencyId, () => api(a.owner, `/api/milestones/${theirMilestone.id}`, { method: "DELETE" }), {
      status: 404,
      code: "not_found",
    });
    expect(await milestoneRow(theirMilestone.id)).toEqual(theirsBefore);
    expect((await patch(a.owner, "nope", { title: "x" })).status).toBe(422);
  });

  it("deletes a milestone: 204; its tasks stay, without the milestone", async () => {
    const doomed = await created<Milestone>(create(a.manager, { title: "Doomed" }));
    const task = await created(
      api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title: "Survivor", milestone_id: doomed.id } }),
    );
    const removed = await api(a.manager, `/api/milestones/${doomed.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await milestoneRow(doomed.id)).toBeUndefined();
    const after = await api(a.manager, `/api/tasks/${task.id}`);
    expect(after.body.data).toMatchObject({ title: "Survivor", milestone_id: null });
    expect((await api(a.manager, `/api/milestones/${doomed.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("a completed project takes no new milestones: 422 project_closed", async () => {
    const closed = await created(api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Closed" } }));
    expect(
      (await api(a.manager, `/api/projects/${closed.id}`, { method: "PATCH", body: { status: "archived" } })).status,
    ).toBe(200);
    await expectRefused(a.owner.agency.id, () => create(a.manager, { title: "Too late" }, closed.id), {
      status: 422,
      code: "project_closed",
      field: "_",
    });
  });
});
