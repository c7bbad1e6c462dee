import { createTemplate, listTemplates } from "#app/models/pipeline.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { TemplateCreateBody } from "#app/utils/api/schemas.ts";

const list = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  const templates = await listTemplates({ claims: viewer.claims, agencyId: agency_id });
  return { data: onePage(templates) };
});

/** POST /api/project-templates {name, tasks: [titles], …} — owners and managers. */
const create = apiRoute({ body: TemplateCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const created = await createTemplate({ claims: viewer.claims, agencyId: agency_id, template: body });
  const templates = await listTemplates({ claims: viewer.claims, agencyId: agency_id });
  return { status: 201, data: { data: templates.find((t) => t.id === created.id) } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
