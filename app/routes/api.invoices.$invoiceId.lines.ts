import { addLine } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InvoiceLineBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/invoices/:id/lines — a manual line, or a discount (negative unit price), on a draft.
 * Answers the whole invoice: the totals the database recomputed.
 */
const create = apiRoute({ body: InvoiceLineBody }, async ({ viewer, params, body }) => {
  const invoice = await addLine({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId), line: body });
  return { status: 201, data: { data: invoice } };
});

export const { loader, action } = apiMethods({ POST: create });
