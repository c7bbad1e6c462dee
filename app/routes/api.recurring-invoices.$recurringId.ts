import { getRecurringInvoice, updateRecurringInvoice } from "#app/models/recurring-invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { RecurringPatchBody, uuid } from "#app/utils/api/schemas.ts";

/** Read through row-level security: members and other agencies get 404. */
const get = apiRoute({}, async ({ viewer, params }) => {
  const schedule = await getRecurringInvoice({ claims: viewer.claims, id: uuid.parse(params.recurringId) });
  return { data: { data: schedule } };
});

/**
 * PATCH /api/recurring-invoices/:id — pause or resume (active), end date, lines, retainer, tax,
 * auto_send, notes. Client, project, frequency and start stay: periods already billed count from them.
 */
const patch = apiRoute({ body: RecurringPatchBody }, async ({ viewer, params, body }) => {
  const schedule = await updateRecurringInvoice({
    claims: viewer.claims,
    id: uuid.parse(params.recurringId),
    changes: body,
  });
  return { data: { data: schedule } };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch });
