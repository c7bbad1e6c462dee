import { inviteMember, listTeam } from "#app/models/team.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { InviteBody } from "#app/utils/api/schemas.ts";

/** GET /api/members — the team; rates are null where the caller may not see them. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  const team = await listTeam({ claims: viewer.claims, agencyId: agency_id });
  return { data: { ...onePage(team.members), invitations: team.invitations } };
});

/** POST /api/members — invite someone by email with a role (owners and managers). */
const invite = apiRoute({ body: InviteBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const invitation = await inviteMember({ claims: viewer.claims, agencyId: agency_id, ...body });
  return { status: 201, data: { data: invitation } };
});

export const { loader, action } = apiMethods({ GET: get, POST: invite });
