import { createStage, listStages, updateStages } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { StageCreateBody, StagesPatchBody } from "#app/utils/api/schemas.ts";

const list = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  const stages = await listStages({ claims: viewer.claims, agencyId: agency_id });
  return { data: onePage(stages) };
});

/** POST /api/pipeline/stages — a new open stage at the end of the open ones. */
const create = apiRoute({ body: StageCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const stage = await createStage({
    claims: viewer.claims,
    agencyId: agency_id,
    name: body.name,
    defaultProbability: body.default_probability,
  });
  return { status: 201, data: { data: stage } };
});

/** PATCH /api/pipeline/stages {stages: [{id, name?, default_probability?}], order?: [open stage ids]} */
const patch = apiRoute({ body: StagesPatchBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const stages = await updateStages({
    claims: viewer.claims,
    agencyId: agency_id,
    changes: body.stages ?? [],
    order: body.order,
  });
  return { data: onePage(stages) };
});

export const { loader, action } = apiMethods({ GET: list, POST: create, PATCH: patch });
