import { sendInvoice } from "#app/models/invoice-delivery.server.ts";
import { getInvoice } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InvoiceSendBody, uuid } from "#app/utils/api/schemas.ts";
import { checkoutFor } from "#app/utils/payments/invoice-checkout.server.ts";

/**
 * POST /api/invoices/:id/send — issues a draft (number, dates) and queues the email with the pay
 * link in one transaction (public.send_invoice); an issued, unpaid invoice is emailed again.
 * The checkout session comes after the commit and is best effort: the email carries the stable
 * pay link, whose page makes a session on demand, so Stripe being down never blocks sending.
 */
const send = apiRoute({ body: InvoiceSendBody, bodyOptional: true }, async ({ viewer, params, body }) => {
  const invoiceId = uuid.parse(params.invoiceId);
  const doc = await sendInvoice({ claims: viewer.claims, invoiceId, toEmail: body.to_email, message: body.message });
  try {
    await checkoutFor(doc);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`Invoice ${invoiceId} was sent; its checkout session will be made on the pay page (${reason}).`);
  }
  return { data: { data: await getInvoice({ claims: viewer.claims, invoiceId }) } };
});

export const { loader, action } = apiMethods({ POST: send });
