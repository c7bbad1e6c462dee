import type { InvoiceDocument } from "#app/pdf/types.ts";
import { renderInvoicePdf } from "#app/pdf/render.server.ts";
import { env } from "#app/utils/env.server.ts";

/**
 * An invoice as a PDF response, shared by the staff route and the pay link's. Inline, so a new tab
 * shows it; the file name is the invoice number for whoever saves it. Never cached: a payment
 * changes what it says.
 */
export async function invoicePdfResponse(doc: InvoiceDocument, extraHeaders: Record<string, string> = {}) {
  const pdf = await renderInvoicePdf(doc, { siteUrl: env().siteUrl });
  const name = (doc.invoice_number ?? "draft-invoice").replace(/[^A-Za-z0-9._-]/g, "-");
  // A plain copy: Node's Buffer type is not a BodyInit to TypeScript (its buffer may be shared).
  return new Response(Uint8Array.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${name}.pdf"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ...extraHeaders,
    },
  });
}
