import type { LoaderFunctionArgs } from "@remix-run/node";
import { addDependency, removeDependency } from "#app/models/tasks.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { DependencyBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/tasks/:id/dependencies {depends_on} — finish-to-start within one project; the database
 * rejects cycles. DELETE with {depends_on} or ?depends_on= removes one. Both answer the task.
 */
const add = apiRoute({ body: DependencyBody }, async ({ viewer, params, body }) => {
  const task = await addDependency({
    claims: viewer.claims,
    taskId: uuid.parse(params.taskId),
    dependsOn: body.depends_on,
  });
  return { status: 201, data: { data: task } };
});

const removeByQuery = apiRoute({ query: DependencyBody }, async ({ viewer, params, query }) => ({
  data: {
    data: await removeDependency({
      claims: viewer.claims,
      taskId: uuid.parse(params.taskId),
      dependsOn: query.depends_on,
    }),
  },
}));
const removeByBody = apiRoute({ body: DependencyBody }, async ({ viewer, params, body }) => ({
  data: {
    data: await removeDependency({
      claims: viewer.claims,
      taskId: uuid.parse(params.taskId),
      dependsOn: body.depends_on,
    }),
  },
}));

export const { loader, action } = apiMethods({
  POST: add,
  DELETE: (args: LoaderFunctionArgs) =>
    new URL(args.request.url).searchParams.has("depends_on") ? removeByQuery(args) : removeByBody(args),
});
