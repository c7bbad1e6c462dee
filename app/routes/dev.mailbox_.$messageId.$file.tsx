import type { LoaderFunctionArgs } from "@remix-run/node";
import { devMailbox } from "#app/utils/email/mailer.server.ts";
import { env } from "#app/utils/env.server.ts";

/**
 * An attachment of a dev-mailbox email (an invoice PDF, say). PDFs open in the browser; anything
 * else downloads as opaque bytes, so an attachment can never run as a page of this site.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  if (!env().devMailbox)
    throw new Response("The dev mailbox is off: emails go to the configured provider.", { status: 404 });
  const found = await devMailbox().attachment(params.messageId ?? "", params.file ?? "");
  if (!found) throw new Response("No such attachment.", { status: 404 });
  const isPdf = found.attachment.content_type === "application/pdf";
  const name = found.attachment.filename.replace(/[^\w.-]+/g, "_");
  return new Response(new Uint8Array(found.content), {
    headers: {
      "Content-Type": isPdf ? "application/pdf" : "application/octet-stream",
      "Content-Length": String(found.content.length),
      "Content-Disposition": `${isPdf ? "inline" : "attachment"}; filename="${name}"; filename*=UTF-8''${encodeURIComponent(found.attachment.filename)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}
