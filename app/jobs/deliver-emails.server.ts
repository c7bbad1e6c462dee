import type postgres from "postgres";
import { renderEmail } from "#app/emails/render.server.tsx";
import { renderInvoicePdf } from "#app/pdf/render.server.ts";
import { invoiceDocumentSchema, type InvoiceDocument } from "#app/pdf/types.ts";
import { safeFileName, type EmailAttachment, type Mailer } from "#app/utils/email/mailer.server.ts";

/**
 * Sends what is due in the outbox. Claiming, retry scheduling and giving up are SQL
 * (private.claim_due_emails / complete_email / fail_email); this only renders and hands over.
 */
interface OutboxRow {
  id: string;
  to_email: string;
  template: string;
  data: unknown;
  attempts: number;
  created_at: Date;
}

const BATCH = 20;
const LEASE = "5 minutes";

export async function deliverDueEmails({
  admin,
  mailer,
  siteUrl,
  log = console,
}: {
  admin: postgres.Sql;
  mailer: Mailer;
  siteUrl: string;
  log?: Pick<Console, "error">;
}): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const batch = await admin<OutboxRow[]>`select * from private.claim_due_emails(${BATCH}, ${LEASE}::interval)`;
    if (batch.length === 0) return { sent, failed };
    for (const row of batch) {
      try {
        const doc = await invoiceNow(admin, row);
        if (doc && row.template === "invoice_reminder" && (doc.status === "paid" || doc.status === "void")) {
          // Paid (or voided) between queueing and delivery: a reminder would now be wrong.
          await admin`select private.complete_email(${row.id}, ${`skipped: invoice ${doc.status}`})`;
          continue;
        }
        // The email says what the attached PDF says: amounts and due date as they are now.
        const data = doc
          ? {
              ...(row.data as object),
              total_cents: doc.total_cents,
              amount_due_cents: doc.amount_due_cents,
              due_date: doc.due_date,
            }
          : row.data;
        const { attachInvoicePdf, ...rendered } = await renderEmail(row.template, data, siteUrl);
        const attachments = attachInvoicePdf && doc ? [await invoicePdf(doc, siteUrl, row)] : [];
        const providerId = await mailer.send({ id: row.id, to: row.to_email, ...rendered, attachments });
        await admin`select private.complete_email(${row.id}, ${providerId})`;
        sent += 1;
      } catch (error) {
        failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        await admin`select private.fail_email(${row.id}, ${message})`;
        log.error(`[mail] delivery of ${row.template} (attempt ${row.attempts}) failed: ${message}`);
      }
    }
  }
}

/**
 * The invoice an email attaches, as it stands now, read as admin through private.invoice_document
 * (the worker has no user session). A missing invoice throws, so the row is retried (and finally
 * given up) like any other delivery failure; an email promising a PDF never goes out without it.
 */
async function invoiceNow(admin: postgres.Sql, row: OutboxRow): Promise<InvoiceDocument | null> {
  const invoiceId = (row.data as { attach_invoice_pdf?: unknown } | null)?.attach_invoice_pdf;
  if (typeof invoiceId !== "string") return null;
  const [found] = await admin<{ doc: unknown }[]>`select private.invoice_document(${invoiceId}::uuid) as doc`;
  if (!found?.doc) throw new Error(`invoice ${invoiceId} for the PDF attachment was not found`);
  return invoiceDocumentSchema.parse(found.doc);
}

async function invoicePdf(doc: InvoiceDocument, siteUrl: string, row: OutboxRow): Promise<EmailAttachment> {
  // The row's creation date keeps the bytes the same on a retry (see renderInvoicePdf).
  const content = await renderInvoicePdf(doc, { siteUrl, createdAt: new Date(row.created_at) });
  return {
    filename: `${safeFileName(doc.invoice_number ?? "invoice")}.pdf`,
    content,
    contentType: "application/pdf",
  };
}
