import { sql } from "drizzle-orm";
import type { InvoiceDocument } from "#app/pdf/types.ts";
import { asAnon, asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * Getting an invoice to the client and paid (ADR 012): sending and reminders (SQL queues the
 * emails; the worker attaches the PDF), the printable document, and the pay link's reads and
 * checkout hint. Who may do what is decided in SQL; the pay link is a capability token.
 */
export type CheckoutState = {
  public_token: string;
  stripe_checkout_session_id: string | null;
  stripe_account_id: string | null;
};
export type StaffInvoiceDocument = InvoiceDocument & CheckoutState;

/** Issues a draft if needed and emails it with the pay link, in one transaction. */
export function sendInvoice({
  claims,
  invoiceId,
  toEmail,
  message,
}: {
  claims: JwtClaims;
  invoiceId: string;
  toEmail?: string | null;
  message?: string | null;
}): Promise<StaffInvoiceDocument> {
  return asUser(claims, async (tx) => {
    await tx.execute(sql`select public.send_invoice(${invoiceId}, ${toEmail ?? null}, ${message ?? null})`);
    const [row] = await tx.execute<{ doc: StaffInvoiceDocument }>(
      sql`select public.invoice_document(${invoiceId}) as doc`,
    );
    return row!.doc;
  });
}

export function sendReminder({ claims, invoiceId }: { claims: JwtClaims; invoiceId: string }) {
  return asUser(claims, async (tx) => {
    const [row] = await tx.execute<{ id: string; to_email: string; created_at: string }>(sql`
      select id, to_email, created_at from public.send_invoice_reminder(${invoiceId})`);
    return row!;
  });
}

/** The printable invoice (owners and managers). */
export function invoiceDocument({ claims, invoiceId }: { claims: JwtClaims; invoiceId: string }) {
  return asUser(claims, async (tx) => {
    const [row] = await tx.execute<{ doc: StaffInvoiceDocument }>(
      sql`select public.invoice_document(${invoiceId}) as doc`,
    );
    return row!.doc;
  });
}

/**
 * The invoice behind a pay link, as whoever opens it: signed-in staff of the agency do not count
 * as the client viewing it. 404 for an unknown token or a draft.
 */
export async function invoiceForToken({
  claims,
  token,
}: {
  claims?: JwtClaims | null;
  token: string;
}): Promise<StaffInvoiceDocument> {
  const read = async (tx: Tx) => {
    const [row] = await tx.execute<{ doc: StaffInvoiceDocument | null }>(
      sql`select public.invoice_for_token(${token}) as doc`,
    );
    return row?.doc ?? null;
  };
  const doc = claims?.role === "authenticated" ? await asUser(claims, read) : await asAnon(read);
  if (!doc) throw new AppError(404, "not_found", "This payment link does not exist.");
  return doc;
}

/** Remembers the checkout session made for a pay link (a hint the next click verifies). */
export function rememberCheckout({ token, sessionId, url }: { token: string; sessionId: string; url: string }) {
  return asAnon(async (tx) => {
    await tx.execute(sql`select public.attach_checkout_session(${token}, ${sessionId}, ${url})`);
  });
}
