import { rememberCheckout } from "#app/models/invoice-delivery.server.ts";
import { env } from "#app/utils/env.server.ts";
import {
  checkoutProvider,
  onlinePaymentConfigured,
  type CheckoutProvider,
  type CheckoutSession,
} from "./checkout.server.ts";

/**
 * The checkout session behind a pay link: the remembered one while it is open and still asks for
 * exactly what is due, else a new one. The remembered id is only a hint (a link holder can plant
 * one): a session is used only when the provider, asked with our key, returns it open and for
 * this invoice.
 */
export interface PayableInvoice {
  invoice_id: string;
  agency_id: string;
  invoice_number: string | null;
  currency: string;
  amount_due_cents: number;
  public_token: string;
  stripe_checkout_session_id: string | null;
  stripe_account_id: string | null;
  agency: { name: string };
  client: { contact_email?: string | null };
}

/**
 * null when nothing is due, or when online payment is not offered here (no Stripe key on a
 * public site): sending goes on and the pay page shows the invoice without "Pay".
 */
export async function checkoutFor(invoice: PayableInvoice, given?: CheckoutProvider): Promise<CheckoutSession | null> {
  if (invoice.amount_due_cents <= 0) return null;
  if (!given && !onlinePaymentConfigured()) return null;
  const provider = given ?? checkoutProvider();
  const account = invoice.stripe_account_id;
  if (invoice.stripe_checkout_session_id) {
    const known = await provider.retrieve(invoice.stripe_checkout_session_id, account);
    if (
      known?.status === "open" &&
      known.metadata.invoice_id === invoice.invoice_id &&
      known.amount_total === invoice.amount_due_cents &&
      known.currency === invoice.currency
    ) {
      return known;
    }
  }
  const payPage = `${env().siteUrl}/pay/${invoice.public_token}`;
  const session = await provider.create({
    amountCents: invoice.amount_due_cents,
    currency: invoice.currency,
    description: `Invoice ${invoice.invoice_number ?? ""} from ${invoice.agency.name}`.replace(/\s+/g, " ").trim(),
    customerEmail: invoice.client.contact_email,
    metadata: { agency_id: invoice.agency_id, invoice_id: invoice.invoice_id },
    successUrl: `${payPage}?paid=1`,
    cancelUrl: payPage,
    account,
    // Same invoice, same amount, same predecessor → the same session, even for two quick clicks.
    idempotencyKey: `invoice-${invoice.invoice_id}-${invoice.amount_due_cents}-${invoice.stripe_checkout_session_id ?? "first"}`,
  });
  await rememberCheckout({ token: invoice.public_token, sessionId: session.id, url: session.url });
  return session;
}
