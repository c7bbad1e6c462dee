import { applyCurrentRates } from "#app/models/time-entries.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ApplyRatesBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/projects/:id/apply-rates {from?, to?} — the explicit "apply current rates to unbilled
 * time" (rate snapshots never change otherwise). Owners and managers; answers how many changed.
 */
const apply = apiRoute({ body: ApplyRatesBody, bodyOptional: true }, async ({ viewer, params, body }) => {
  const updated = await applyCurrentRates({
    claims: viewer.claims,
    projectId: uuid.parse(params.projectId),
    from: body.from,
    to: body.to,
  });
  return { data: { data: { updated } } };
});

export const { loader, action } = apiMethods({ POST: apply });
