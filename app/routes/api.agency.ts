import { getAgency, updateAgencySettings } from "#app/models/agency.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { AgencyPatchBody } from "#app/utils/api/schemas.ts";

/** GET /api/agency — the active agency and its settings. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  return { data: { data: await getAgency({ claims: viewer.claims, agencyId: agency_id }) } };
});

/** PATCH /api/agency — settings (owners and managers). */
const patch = apiRoute({ body: AgencyPatchBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const agency = await updateAgencySettings({ claims: viewer.claims, agencyId: agency_id, settings: body });
  return { data: { data: agency } };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch });
