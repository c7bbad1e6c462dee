import { deleteTask, getTask, updateTask } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TaskPatchBody, uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

const get = apiRoute({}, async ({ viewer, params }) => {
  const task = await getTask({ claims: viewer.claims, taskId: uuid.parse(params.taskId) });
  if (!task) throw new AppError(404, "not_found", "There is no such task.");
  return { data: { data: task } };
});

/**
 * PATCH /api/tasks/:id — members may change only the status of their own tasks. Leaving todo while
 * a dependency is unfinished needs override_reason (owners and managers; kept in the audit log).
 */
const patch = apiRoute({ body: TaskPatchBody }, async ({ viewer, params, body }) => {
  const { override_reason, ...changes } = body;
  const task = await updateTask({
    claims: viewer.claims,
    taskId: uuid.parse(params.taskId),
    changes,
    overrideReason: override_reason,
  });
  return { data: { data: task } };
});

const remove = apiRoute({}, async ({ viewer, params }) => {
  await deleteTask({ claims: viewer.claims, taskId: uuid.parse(params.taskId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch, DELETE: remove });
