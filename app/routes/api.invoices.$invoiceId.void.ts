import { voidInvoice } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InvoiceVoidBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/invoices/:id/void {reason?} — an issued invoice with nothing paid; its number stays
 * used and its time and milestones can be invoiced again.
 */
const voidIt = apiRoute({ body: InvoiceVoidBody, bodyOptional: true }, async ({ viewer, params, body }) => {
  const invoice = await voidInvoice({
    claims: viewer.claims,
    invoiceId: uuid.parse(params.invoiceId),
    reason: body.reason,
  });
  return { data: { data: invoice } };
});

export const { loader, action } = apiMethods({ POST: voidIt });
