import postgres from "postgres";
import { inject, it, expect } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Two managers link two tasks in opposite directions at the same moment, in repeatable-read
 * transactions (a snapshot taken before the cycle check's serialisation): one link must fail, so no
 * cycle is ever stored. Needs two real sessions, which pgTAP cannot open.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

it("concurrent opposite dependencies cannot both commit, even under repeatable read", async () => {
  const a = await agencyWithTeam(request, "race");
  const project = await created(api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Race" } }));
  const [t1, t2] = [
    await created(api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title: "One" } })),
    await created(api(a.manager, `/api/projects/${project.id}/tasks`, { body: { title: "Two" } })),
  ];
  const claims = JSON.stringify({ sub: a.manager.user_id, role: "authenticated", aud: "authenticated" });
  const sessions = [0, 1].map(() => postgres(inject("adminUrl"), { max: 1, onnotice: () => {} }));
  const link = (sql: postgres.Sql, from: string, to: string, hold: Promise<unknown>) =>
    sql.begin("isolation level repeatable read", async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
      await tx`select count(*) from public.tasks`; // takes the transaction's snapshot now
      await tx`insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id)
               values (${a.owner.agency.id}, ${project.id}, ${from}, ${to})`;
      await hold;
    });
  try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = link(sessions[0]!, t1.id, t2.id, held);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = link(sessions[1]!, t2.id, t1.id, Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const [one, two] = await Promise.allSettled([first, second]);
    expect(one.status).toBe("fulfilled");
    expect(two.status).toBe("rejected");
    expect((two as PromiseRejectedResult).reason).toMatchObject({ code: "40001" });
    const rows = await adminSql()`select task_id from public.task_dependencies where project_id = ${project.id}`;
    expect(rows.map((r) => r.task_id)).toEqual([t1.id]);
  } finally {
    await Promise.all(sessions.map((s) => s.end()));
  }
});
