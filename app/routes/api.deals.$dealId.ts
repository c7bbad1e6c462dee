import { deleteDeal, getDeal, updateDeal } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { DealPatchBody, uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

const get = apiRoute({}, async ({ viewer, params }) => {
  const deal = await getDeal({ claims: viewer.claims, dealId: uuid.parse(params.dealId) });
  if (!deal) throw new AppError(404, "not_found", "There is no such deal.");
  return { data: { data: deal } };
});

/** PATCH /api/deals/:id — fields; the stage moves through POST /api/deals/:id/stage. */
const patch = apiRoute({ body: DealPatchBody }, async ({ viewer, params, body }) => {
  const dealId = uuid.parse(params.dealId);
  await updateDeal({ claims: viewer.claims, dealId, changes: body });
  return { data: { data: await getDeal({ claims: viewer.claims, dealId }) } };
});

const remove = apiRoute({}, async ({ viewer, params }) => {
  await deleteDeal({ claims: viewer.claims, dealId: uuid.parse(params.dealId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch, DELETE: remove });
