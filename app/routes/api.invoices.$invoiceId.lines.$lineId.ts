import { removeLine } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";

/**
 * DELETE /api/invoices/:id/lines/:lineId — from a draft; a time or milestone line gives its work
 * back. Answers the invoice with its new totals.
 */
const remove = apiRoute({}, async ({ viewer, params }) => {
  const invoice = await removeLine({
    claims: viewer.claims,
    invoiceId: uuid.parse(params.invoiceId),
    lineId: uuid.parse(params.lineId),
  });
  return { data: { data: invoice } };
});

export const { loader, action } = apiMethods({ DELETE: remove });
