import { deleteInvoice, getInvoice, updateInvoice } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { InvoicePatchBody, uuid } from "#app/utils/api/schemas.ts";

/** Invoices are read through row-level security: members and other agencies get 404. */
const get = apiRoute({}, async ({ viewer, params }) => {
  const invoice = await getInvoice({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId) });
  return { data: { data: invoice } };
});

/** PATCH /api/invoices/:id — due date, notes, terms; only while a draft (invoice_not_draft). */
const patch = apiRoute({ body: InvoicePatchBody }, async ({ viewer, params, body }) => {
  const invoice = await updateInvoice({
    claims: viewer.claims,
    invoiceId: uuid.parse(params.invoiceId),
    changes: body,
  });
  return { data: { data: invoice } };
});

/** DELETE /api/invoices/:id — a draft only; its time and milestones become billable again. */
const remove = apiRoute({}, async ({ viewer, params }) => {
  await deleteInvoice({ claims: viewer.claims, invoiceId: uuid.parse(params.invoiceId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch, DELETE: remove });
