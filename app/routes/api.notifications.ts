import { listNotifications, markRead } from "#app/models/notifications.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { NotificationListQuery, NotificationsReadBody } from "#app/utils/api/schemas.ts";

/** GET /api/notifications?unread=&page=&per_page= — newest first, with the unread count. */
const list = apiRoute({ query: NotificationListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  return {
    data: await listNotifications({
      claims: viewer.claims,
      agencyId: agency_id,
      unreadOnly: query.unread === "true",
      page: query.page,
      perPage: query.per_page,
    }),
  };
});

/** POST /api/notifications {ids} or {all: true} — marks them read. */
const read = apiRoute({ body: NotificationsReadBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  return { data: { data: await markRead({ claims: viewer.claims, agencyId: agency_id, ids: body.ids }) } };
});

export const { loader, action } = apiMethods({ GET: list, POST: read });
