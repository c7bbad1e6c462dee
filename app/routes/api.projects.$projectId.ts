import { getProject, updateProject } from "#app/models/projects.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ProjectPatchBody, uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** GET /api/projects/:id — the project with its budget figures (derived by SQL) and team. */
const get = apiRoute({}, async ({ viewer, params }) => {
  const project = await getProject({ claims: viewer.claims, projectId: uuid.parse(params.projectId) });
  if (!project) throw new AppError(404, "not_found", "There is no such project.");
  return { data: { data: project } };
});

/** PATCH /api/projects/:id — fields, status, budget, manager (who joins the team). Owners and managers. */
const patch = apiRoute({ body: ProjectPatchBody }, async ({ viewer, params, body }) => {
  const project = await updateProject({
    claims: viewer.claims,
    projectId: uuid.parse(params.projectId),
    changes: body,
  });
  return { data: { data: project } };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch });
