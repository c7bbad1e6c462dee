import { listMyTasks } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { MyTasksQuery } from "#app/utils/api/schemas.ts";

/** GET /api/my-tasks?include_done= — the caller's tasks across projects, soonest due first. */
const list = apiRoute({ query: MyTasksQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  const tasks = await listMyTasks({
    claims: viewer.claims,
    agencyId: agency_id,
    includeDone: query.include_done === "true",
  });
  return { data: onePage(tasks) };
});

export const { loader, action } = apiMethods({ GET: list });
