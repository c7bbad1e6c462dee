import type Stripe from "stripe";

/**
 * From a verified Stripe event to the arguments of the one SQL call, public.record_stripe_event.
 * Pure (no I/O) so it can be read and unit-tested on its own. The database decides everything
 * else — idempotency, amounts, statuses — so this only picks fields out of the event.
 */
export interface RecordArgs {
  eventId: string;
  eventType: string;
  agencyId: string | null;
  invoiceId: string | null;
  paymentIntentId: string | null;
  /** Cumulative for refunds (charge.amount_refunded); the SQL records the change. */
  amountCents: number;
  /** ISO 4217, upper case like the invoices' currency column. */
  currency: string | null;
  /** event.created: seconds since the epoch. */
  occurredAt: number;
  /**
   * The connected account the event happened on (event.account), null for the platform's own.
   * SQL only books it for an invoice of the agency whose checkouts run on that account, so
   * another tenant's account (whose metadata it controls) cannot pay or refund this one's invoices.
   */
  stripeAccountId: string | null;
}

export type Mapping = { record: RecordArgs } | { ignore: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Metadata is free text anyone with the Stripe account can set; a value that is not a uuid is
 * treated as absent, so it is ignored (2xx) instead of failing the cast in SQL (a 500 that Stripe
 * would retry for days).
 */
function uuidOrNull(value: string | undefined): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

function currencyOf(value: string | null | undefined): string | null {
  return value ? value.toUpperCase() : null;
}

type Metadata = Stripe.Metadata | null | undefined;

function base(event: Stripe.Event, metadata: Metadata) {
  return {
    eventId: event.id,
    eventType: event.type,
    agencyId: uuidOrNull(metadata?.agency_id),
    invoiceId: uuidOrNull(metadata?.invoice_id),
    occurredAt: event.created,
    stripeAccountId: event.account ?? null,
  };
}

/**
 * Payments must name their agency and invoice (our sessions always set both, and SQL checks they
 * belong together); only refunds may be found by their payment intent in SQL.
 */
function requireInvoice(args: RecordArgs): Mapping {
  return args.invoiceId && args.agencyId ? { record: args } : { ignore: "no invoice metadata" };
}

export function mapStripeEvent(event: Stripe.Event): Mapping {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed": {
      const session = event.data.object;
      // A delayed method (bank debit) completes the session unpaid; its money arrives with
      // async_payment_succeeded (or payment_intent.succeeded), which is recorded then.
      if (event.type === "checkout.session.completed" && session.payment_status !== "paid") {
        return { ignore: `session ${session.payment_status}` };
      }
      const failed = event.type === "checkout.session.async_payment_failed";
      return requireInvoice({
        ...base(event, session.metadata),
        paymentIntentId: idOf(session.payment_intent),
        // A failure moves no money: SQL logs it on the invoice's timeline and tells the agency.
        amountCents: failed ? 0 : (session.amount_total ?? 0),
        currency: currencyOf(session.currency),
      });
    }
    case "payment_intent.succeeded": {
      const intent = event.data.object;
      return requireInvoice({
        ...base(event, intent.metadata),
        paymentIntentId: intent.id,
        amountCents: intent.amount_received,
        currency: currencyOf(intent.currency),
      });
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const args: RecordArgs = {
        ...base(event, charge.metadata),
        paymentIntentId: idOf(charge.payment_intent),
        amountCents: charge.amount_refunded,
        currency: currencyOf(charge.currency),
      };
      // Checkout does not always copy the metadata onto the charge: SQL then finds the invoice
      // through the payment intent of the payment it refunds.
      return args.invoiceId || args.paymentIntentId ? { record: args } : { ignore: "refund of an unknown payment" };
    }
    default:
      return { ignore: "event type not handled" };
  }
}
