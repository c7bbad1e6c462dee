import { createRecurringInvoice, listRecurringInvoices } from "#app/models/recurring-invoices.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { RecurringCreateBody } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * GET /api/recurring-invoices — the agency's schedules (owners and managers). Members never see
 * invoicing: 404, like the invoice list, rather than the empty page row-level security gives.
 */
const list = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id, role } = await membership();
  if (role === "member") throw new AppError(404, "not_found", "There is no such resource.");
  return { data: onePage(await listRecurringInvoices({ claims: viewer.claims, agencyId: agency_id })) };
});

/**
 * POST /api/recurring-invoices — a schedule; the hourly job bills each period once
 * (generate_recurring_invoices). The database checks the project's client, the lines and the dates.
 */
const create = apiRoute({ body: RecurringCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const schedule = await createRecurringInvoice({ claims: viewer.claims, agencyId: agency_id, input: body });
  return { status: 201, data: { data: schedule } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
