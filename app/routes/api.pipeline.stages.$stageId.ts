import { deleteStage } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";

/** DELETE /api/pipeline/stages/:id — open stages without deals only. */
const remove = apiRoute({}, async ({ viewer, params }) => {
  await deleteStage({ claims: viewer.claims, stageId: uuid.parse(params.stageId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ DELETE: remove });
