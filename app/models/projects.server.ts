import { and, asc, desc, eq } from "drizzle-orm";
import { clients, deals, projects, tasks } from "#db/schema.ts";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";

/**
 * Projects as the pipeline creates them (a won deal → a project with its template's tasks). Read
 * only for now: the projects feature adds editing, teams and budgets. RLS decides who sees which
 * project (owners and managers: all; members: those of their deals), so the joins to clients and
 * deals are left joins — a row the viewer may see never disappears because a neighbour is hidden.
 */
const listColumns = {
  id: projects.id,
  name: projects.name,
  status: projects.status,
  billing_type: projects.billing_type,
  budget_cents: projects.budget_cents,
  currency: projects.currency,
  created_at: projects.created_at,
  client_id: projects.client_id,
  client_name: clients.name,
};

export function listProjects({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) =>
    tx
      .select(listColumns)
      .from(projects)
      .leftJoin(clients, and(eq(clients.id, projects.client_id), eq(clients.agency_id, projects.agency_id)))
      .where(eq(projects.agency_id, agencyId))
      .orderBy(desc(projects.created_at), asc(projects.name)),
  );
}

export function getProject({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, async (tx) => {
    const [project] = await tx
      .select({
        ...listColumns,
        description: projects.description,
        start_date: projects.start_date,
        deadline: projects.deadline,
        source_deal_id: projects.source_deal_id,
        source_deal_title: deals.title,
      })
      .from(projects)
      .leftJoin(clients, and(eq(clients.id, projects.client_id), eq(clients.agency_id, projects.agency_id)))
      .leftJoin(deals, and(eq(deals.id, projects.source_deal_id), eq(deals.agency_id, projects.agency_id)))
      .where(eq(projects.id, projectId));
    if (!project) return null;
    const projectTasks = await tx
      .select({ id: tasks.id, title: tasks.title, status: tasks.status, position: tasks.position })
      .from(tasks)
      .where(eq(tasks.project_id, projectId))
      .orderBy(asc(tasks.position), asc(tasks.created_at));
    return { ...project, tasks: projectTasks };
  });
}
