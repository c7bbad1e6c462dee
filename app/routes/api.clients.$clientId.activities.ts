import { logActivity } from "#app/models/clients.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ActivityBody, uuid } from "#app/utils/api/schemas.ts";

/** POST /api/clients/:id/activities — log a note, call, meeting or email on the timeline. */
const create = apiRoute({ body: ActivityBody }, async ({ viewer, membership, params, body }) => {
  const { agency_id } = await membership();
  const activity = await logActivity({
    claims: viewer.claims,
    agencyId: agency_id,
    clientId: uuid.parse(params.clientId),
    kind: body.kind,
    body: body.body,
    occurredAt: body.occurred_at,
  });
  return { status: 201, data: { data: activity } };
});

export const { loader, action } = apiMethods({ POST: create });
