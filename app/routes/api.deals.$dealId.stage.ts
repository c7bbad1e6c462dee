import { getDeal, moveDeal } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { DealStageBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/deals/:id/stage {stage, lost_reason?, position?} — stage is a key (lead, won, lost…) or
 * an id. Winning creates the project (once); the answer includes it.
 */
const move = apiRoute({ body: DealStageBody }, async ({ viewer, params, body }) => {
  const dealId = uuid.parse(params.dealId);
  const moved = await moveDeal({
    claims: viewer.claims,
    dealId,
    stage: body.stage,
    lostReason: body.lost_reason,
    position: body.position,
  });
  const deal = await getDeal({ claims: viewer.claims, dealId });
  return {
    data: {
      data: deal,
      ...(moved.project_id && { project: { id: moved.project_id, created: moved.project_created } }),
    },
  };
});

export const { loader, action } = apiMethods({ POST: move });
