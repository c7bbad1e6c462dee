import type { LoaderFunctionArgs } from "@remix-run/node";
import { invoicePdfResponse } from "#app/components/invoices/pdf-response.server.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { invoiceDocument } from "#app/models/invoice-delivery.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { fromDatabaseError } from "#app/utils/errors.server.ts";

/** The invoice's PDF for owners and managers ("Download PDF" on the invoice page). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireInvoicer(request, context.app);
  const invoiceId = uuid.safeParse(params.invoiceId);
  if (!invoiceId.success) throw new Response("There is no such invoice.", { status: 404 });
  try {
    const doc = await invoiceDocument({ claims: viewer.claims, invoiceId: invoiceId.data });
    return await invoicePdfResponse(doc);
  } catch (error) {
    // Another agency's invoice, a member asking, or none at all: the database says not_found.
    const known = fromDatabaseError(error);
    if (known?.status === 404) throw new Response(known.message, { status: 404 });
    throw error;
  }
}
