import { getAgency, updateAgencySettings } from "#app/models/agency.server.ts";
import { apiRoute, methodNotAllowed } from "#app/utils/api/handler.server.ts";
import { AgencyPatchBody } from "#app/utils/api/schemas.ts";

/** GET /api/agency — the active agency and its settings. */
export const loader = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  return { data: { data: await getAgency({ claims: viewer.claims, agencyId: agency_id }) } };
});

/** PATCH /api/agency — settings (owners and managers). */
const patch = apiRoute({ body: AgencyPatchBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const agency = await updateAgencySettings({ claims: viewer.claims, agencyId: agency_id, settings: body });
  return { data: { data: agency } };
});

export const action: typeof patch = (args) =>
  args.request.method === "PATCH" ? patch(args) : Promise.resolve(methodNotAllowed(["GET", "PATCH"]));
