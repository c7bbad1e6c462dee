import { createMilestone, listMilestones } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { MilestoneCreateBody, uuid } from "#app/utils/api/schemas.ts";

/** GET /api/projects/:id/milestones — by due date, with task progress. */
const list = apiRoute({}, async ({ viewer, params }) => {
  const milestones = await listMilestones({ claims: viewer.claims, projectId: uuid.parse(params.projectId) });
  return { data: onePage(milestones) };
});

/** POST /api/projects/:id/milestones — owners and managers; not on completed or archived projects. */
const create = apiRoute({ body: MilestoneCreateBody }, async ({ viewer, params, body }) => {
  const milestone = await createMilestone({
    claims: viewer.claims,
    projectId: uuid.parse(params.projectId),
    input: body,
  });
  return { status: 201, data: { data: milestone } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
