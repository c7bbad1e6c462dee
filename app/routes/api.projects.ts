import { createProject, listProjectsPage } from "#app/models/projects.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ProjectCreateBody, ProjectListQuery } from "#app/utils/api/schemas.ts";

/**
 * GET /api/projects?client_id=&status=&manager_id=&over_budget=&q=&page=&per_page= — members see
 * the projects whose team they are on, with hours but no money.
 */
const list = apiRoute({ query: ProjectListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  return {
    data: await listProjectsPage({
      claims: viewer.claims,
      agencyId: agency_id,
      filters: {
        clientId: query.client_id,
        status: query.status,
        managerId: query.manager_id,
        overBudget: query.over_budget === "true",
        search: query.q,
      },
      page: query.page,
      perPage: query.per_page,
    }),
  };
});

/** POST /api/projects — blank or from a template (its tasks are copied), with a team. Owners and managers. */
const create = apiRoute({ body: ProjectCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const project = await createProject({ claims: viewer.claims, agencyId: agency_id, input: body });
  return { status: 201, data: { data: project } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
