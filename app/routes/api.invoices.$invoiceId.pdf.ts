import { invoicePdfResponse } from "#app/components/invoices/pdf-response.server.ts";
import { invoiceDocument } from "#app/models/invoice-delivery.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";

/**
 * GET /api/invoices/:id/pdf — the invoice as the client receives it (owners and managers; others
 * get 404 from invoice_document). The same response as the app's download: inline, named by the
 * number (draft-invoice before it has one).
 */
const pdf = apiRoute({}, async ({ viewer, params }) => {
  const doc = await invoiceDocument({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId) });
  return invoicePdfResponse(doc);
});

export const { loader, action } = apiMethods({ GET: pdf });
