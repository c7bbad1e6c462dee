import { getClient, updateClient } from "#app/models/clients.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ClientPatchBody, uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** GET /api/clients/:id — the client with contacts, deals and projects. */
const get = apiRoute({}, async ({ viewer, params }) => {
  const client = await getClient({ claims: viewer.claims, clientId: uuid.parse(params.clientId) });
  if (!client) throw new AppError(404, "not_found", "There is no such client.");
  return { data: { data: client } };
});

/** PATCH /api/clients/:id — owners and managers. */
const patch = apiRoute({ body: ClientPatchBody }, async ({ viewer, params, body }) => {
  const clientId = uuid.parse(params.clientId);
  await updateClient({ claims: viewer.claims, clientId, changes: body });
  return { data: { data: (await getClient({ claims: viewer.claims, clientId }))!.client } };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch });
