import { issueInvoice } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/invoices/:id/issue — the draft gets the agency's next number (gapless), today's date
 * and its due date, and becomes sent. Emailing it with a payment link comes with sending.
 */
const issue = apiRoute({}, async ({ viewer, params }) => {
  const invoice = await issueInvoice({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId) });
  return { data: { data: invoice } };
});

export const { loader, action } = apiMethods({ POST: issue });
