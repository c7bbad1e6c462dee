import { moveTask } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TaskMoveBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/tasks/:id/move {status, index} — a kanban drop (the board uses it too): the task goes
 * to position `index` of the status column, through the same rules as PATCH.
 */
const move = apiRoute({ body: TaskMoveBody }, async ({ viewer, params, body }) => {
  const task = await moveTask({ claims: viewer.claims, taskId: uuid.parse(params.taskId), ...body });
  return { data: { data: task } };
});

export const { loader, action } = apiMethods({ POST: move });
