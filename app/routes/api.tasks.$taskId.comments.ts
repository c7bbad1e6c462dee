import { createComment, listComments } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { CommentBody, uuid } from "#app/utils/api/schemas.ts";

/** GET /api/tasks/:id/comments — oldest first. */
const list = apiRoute({}, async ({ viewer, params }) => {
  const comments = await listComments({ claims: viewer.claims, taskId: uuid.parse(params.taskId) });
  return { data: onePage(comments) };
});

/** POST /api/tasks/:id/comments {body} — owners and managers on any task, members on their assigned tasks. */
const create = apiRoute({ body: CommentBody }, async ({ viewer, params, body }) => {
  const comment = await createComment({ claims: viewer.claims, taskId: uuid.parse(params.taskId), body: body.body });
  return { status: 201, data: { data: comment } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
