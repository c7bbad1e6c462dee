import { createDeal, getDeal, listDeals } from "#app/models/pipeline.server.ts";
import { splitClientFields } from "#app/utils/api/client-input.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { DealCreateBody, DealListQuery } from "#app/utils/api/schemas.ts";

/** GET /api/deals?stage= — deals (members: the ones assigned to them). */
const list = apiRoute({ query: DealListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  return {
    data: await listDeals({
      claims: viewer.claims,
      agencyId: agency_id,
      stage: query.stage,
      page: query.page,
      perPage: query.per_page,
    }),
  };
});

/** POST /api/deals — for client_id, or for a new client created in the same transaction. */
const create = apiRoute({ body: DealCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const { client_id, client, ...deal } = body;
  const inline = client ? splitClientFields(client) : undefined;
  const created = await createDeal({
    claims: viewer.claims,
    agencyId: agency_id,
    clientId: client_id,
    newClient: inline && {
      client: (({ company_name, ...rest }) => ({ ...rest, name: company_name }))(inline.client),
      contact: inline.contact,
    },
    deal,
  });
  return { status: 201, data: { data: await getDeal({ claims: viewer.claims, dealId: created.id }) } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
