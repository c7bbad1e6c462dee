import { updateMember } from "#app/models/team.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { MemberPatchBody, uuid } from "#app/utils/api/schemas.ts";

/** PATCH /api/members/:memberId — role and activation (owners), capacity and rates (owners, managers). */
const patch = apiRoute({ body: MemberPatchBody }, async ({ viewer, membership, params, body }) => {
  const memberId = uuid.parse(params.memberId);
  const { agency_id } = await membership();
  const member = await updateMember({ claims: viewer.claims, agencyId: agency_id, memberId, changes: body });
  return { data: { data: member } };
});

export const { loader, action } = apiMethods({ PATCH: patch });
