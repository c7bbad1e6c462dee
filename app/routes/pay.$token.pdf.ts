import type { LoaderFunctionArgs } from "@remix-run/node";
import { invoicePdfResponse } from "#app/components/invoices/pdf-response.server.ts";
import { invoiceForToken } from "#app/models/invoice-delivery.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** The pay link's "Download PDF": the same document the page shows, for whoever holds the link. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = await context.app.viewer();
  try {
    const doc = await invoiceForToken({ claims: viewer?.claims ?? null, token: params.token ?? "" });
    return await invoicePdfResponse(doc, { "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex" });
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
