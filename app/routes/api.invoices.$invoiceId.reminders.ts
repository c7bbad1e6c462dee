import { sendReminder } from "#app/models/invoice-delivery.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";

/**
 * POST /api/invoices/:id/reminders — the "send reminder" button: one reminder email now, to where
 * the invoice was sent. SQL refuses drafts, paid and void invoices, and a second email within an
 * hour (reminder_too_soon), so a double click sends one.
 */
const remind = apiRoute({}, async ({ viewer, params }) => {
  const reminder = await sendReminder({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId) });
  return { status: 201, data: { data: reminder } };
});

export const { loader, action } = apiMethods({ POST: remind });
