import { createInvoice, listInvoices } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InvoiceCreateBody, InvoiceListQuery } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * GET /api/invoices?status=&client_id=&project_id=&from=&to=&page=&per_page= — owners and
 * managers. Members never see invoices: the list answers them 404 like every invoice does
 * (row-level security would only give them an empty page).
 */
const list = apiRoute({ query: InvoiceListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id, role } = await membership();
  if (role === "member") throw new AppError(404, "not_found", "There is no such resource.");
  return {
    data: await listInvoices({
      claims: viewer.claims,
      agencyId: agency_id,
      filters: {
        status: query.status,
        clientId: query.client_id,
        projectId: query.project_id,
        from: query.from,
        to: query.to,
      },
      page: query.page,
      perPage: query.per_page,
    }),
  };
});

/**
 * POST /api/invoices — a draft for a project (or a client across its projects) from unbilled
 * time, reached milestones and manual lines, linked in one transaction (create_invoice).
 */
const create = apiRoute({ body: InvoiceCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const invoice = await createInvoice({ claims: viewer.claims, agencyId: agency_id, draft: body });
  return { status: 201, data: { data: invoice } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
