import { deleteMilestone, updateMilestone } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { MilestonePatchBody, uuid } from "#app/utils/api/schemas.ts";

/** PATCH /api/milestones/:id — reaching one writes a client timeline event; approved is final. */
const patch = apiRoute({ body: MilestonePatchBody }, async ({ viewer, params, body }) => {
  const milestone = await updateMilestone({
    claims: viewer.claims,
    milestoneId: uuid.parse(params.milestoneId),
    changes: body,
  });
  return { data: { data: milestone } };
});

const remove = apiRoute({}, async ({ viewer, params }) => {
  await deleteMilestone({ claims: viewer.claims, milestoneId: uuid.parse(params.milestoneId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ PATCH: patch, DELETE: remove });
