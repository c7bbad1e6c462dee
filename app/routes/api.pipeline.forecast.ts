import { getForecast } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";

/** GET /api/pipeline/forecast — value and weighted value by stage and by expected close month. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  return { data: { data: await getForecast({ claims: viewer.claims, agencyId: agency_id }) } };
});

export const { loader, action } = apiMethods({ GET: get });
