import { createTask, listTasks } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { TaskCreateBody, TaskListQuery, uuid } from "#app/utils/api/schemas.ts";

/** GET /api/projects/:id/tasks?status=&assignee_id= — the board's tasks in column order. */
const list = apiRoute({ query: TaskListQuery }, async ({ viewer, params, query }) => {
  const tasks = await listTasks({ claims: viewer.claims, projectId: uuid.parse(params.projectId) });
  return {
    data: onePage(
      tasks.filter(
        (t) =>
          (!query.status || t.status === query.status) && (!query.assignee_id || t.assignee_id === query.assignee_id),
      ),
    ),
  };
});

/** POST /api/projects/:id/tasks — owners and managers; the assignee must be on the team. */
const create = apiRoute({ body: TaskCreateBody }, async ({ viewer, params, body }) => {
  const task = await createTask({ claims: viewer.claims, projectId: uuid.parse(params.projectId), input: body });
  return { status: 201, data: { data: task } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
