import { createClient, listClients } from "#app/models/clients.server.ts";
import { splitClientFields, toClientInput } from "#app/utils/api/client-input.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { ClientCreateBody, ClientListQuery } from "#app/utils/api/schemas.ts";
import { toClientFilters } from "#app/utils/client-filters.ts";

/** GET /api/clients?q=&tag=&industry=&relationship=&sort=&page=&per_page= — search and filter. */
const list = apiRoute({ query: ClientListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  const result = await listClients({ claims: viewer.claims, agencyId: agency_id, filters: toClientFilters(query) });
  return { data: result };
});

/** POST /api/clients — a client with an optional primary contact (owners and managers). */
const create = apiRoute({ body: ClientCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const { client, contact } = splitClientFields(body);
  const created = await createClient({
    claims: viewer.claims,
    agencyId: agency_id,
    client: toClientInput(client),
    contact,
  });
  return { status: 201, data: { data: created } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
