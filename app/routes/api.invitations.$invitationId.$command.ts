import { resendInvitation, revokeInvitation } from "#app/models/team.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** POST /api/invitations/:id/resend (new link, old one stops working) and /revoke. */
const handle = apiRoute({}, async ({ viewer, params }) => {
  const invitationId = uuid.parse(params.invitationId);
  if (params.command === "resend") await resendInvitation({ claims: viewer.claims, invitationId });
  else if (params.command === "revoke") await revokeInvitation({ claims: viewer.claims, invitationId });
  else throw new AppError(404, "not_found", "Use /resend or /revoke.");
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ POST: handle });
