import { inviteMember, listTeam } from "#app/models/team.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InviteBody } from "#app/utils/api/schemas.ts";

/** GET /api/members — the team; rates are null where the caller may not see them. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  const team = await listTeam({ claims: viewer.claims, agencyId: agency_id });
  // A team is small enough for one page; the list keeps the API's paginated shape.
  const total = team.members.length;
  return { data: { data: team.members, invitations: team.invitations, total, page: 1, per_page: total } };
});

/** POST /api/members — invite someone by email with a role (owners and managers). */
const invite = apiRoute({ body: InviteBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const invitation = await inviteMember({ claims: viewer.claims, agencyId: agency_id, ...body });
  return { status: 201, data: { data: invitation } };
});

export const { loader, action } = apiMethods({ GET: get, POST: invite });
