import { recordPayment } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { PaymentBody, uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/invoices/:id/payments — a manual payment (or a negative refund) through the same SQL
 * function as the payment provider's; never more than is due. Answers the invoice with its
 * derived status.
 */
const create = apiRoute({ body: PaymentBody }, async ({ viewer, params, body }) => {
  const invoice = await recordPayment({
    claims: viewer.claims,
    invoiceId: uuid.parse(params.invoiceId),
    payment: body,
  });
  return { status: 201, data: { data: invoice } };
});

export const { loader, action } = apiMethods({ POST: create });
