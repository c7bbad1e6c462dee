import { inviteMember, listTeam } from "#app/models/team.server.ts";
import { apiRoute, methodNotAllowed } from "#app/utils/api/handler.server.ts";
import { InviteBody } from "#app/utils/api/schemas.ts";

/** GET /api/members — the team; rates are null where the caller may not see them. */
export const loader = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  const team = await listTeam({ claims: viewer.claims, agencyId: agency_id });
  return { data: { data: team.members, invitations: team.invitations, total: team.members.length } };
});

/** POST /api/members — invite someone by email with a role (owners and managers). */
const invite = apiRoute({ body: InviteBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const invitation = await inviteMember({ claims: viewer.claims, agencyId: agency_id, ...body });
  return { status: 201, data: { data: invitation } };
});

export const action: typeof invite = (args) =>
  args.request.method === "POST" ? invite(args) : Promise.resolve(methodNotAllowed(["GET", "POST"]));
