import { listTimeline } from "#app/models/clients.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { PageQuery, uuid } from "#app/utils/api/schemas.ts";

/** GET /api/clients/:id/timeline — notes, calls, meetings, emails and system events, newest first. */
const get = apiRoute({ query: PageQuery }, async ({ viewer, params, query }) => {
  const timeline = await listTimeline({
    claims: viewer.claims,
    clientId: uuid.parse(params.clientId),
    page: query.page,
    perPage: query.per_page,
  });
  return { data: timeline };
});

export const { loader, action } = apiMethods({ GET: get });
