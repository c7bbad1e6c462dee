import assert from "node:assert/strict";
import type Stripe from "stripe";
import { mapStripeEvent } from "./events.ts";

/**
 * The event → SQL arguments mapping, under Deno (`deno test`); tests/integration/stripe-webhook.test.ts
 * runs this file so `npm test` covers it.
 */
const agencyId = "6f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f";
const invoiceId = "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70";
const metadata = { agency_id: agencyId, invoice_id: invoiceId };

/** Only the fields the mapping reads; Stripe's full objects are far larger. */
function event(type: string, object: Record<string, unknown>): Stripe.Event {
  return { id: "evt_1", object: "event", type, created: 1_764_000_000, data: { object } } as unknown as Stripe.Event;
}

const session = {
  object: "checkout.session",
  payment_status: "paid",
  amount_total: 12_345,
  currency: "eur",
  payment_intent: "pi_1",
  metadata,
};

Deno.test("a paid checkout session records its total against the invoice in its metadata", () => {
  assert.deepEqual(mapStripeEvent(event("checkout.session.completed", session)), {
    record: {
      eventId: "evt_1",
      eventType: "checkout.session.completed",
      agencyId,
      invoiceId,
      paymentIntentId: "pi_1",
      amountCents: 12_345,
      currency: "EUR",
      occurredAt: 1_764_000_000,
      stripeAccountId: null,
    },
  });
});

Deno.test("the connected account an event came from is passed on, for SQL to match to the agency", () => {
  const connected = { ...event("checkout.session.completed", session), account: "acct_1Agency" } as Stripe.Event;
  const mapped = mapStripeEvent(connected);
  assert.ok("record" in mapped);
  assert.equal(mapped.record.stripeAccountId, "acct_1Agency");
  const refund = { amount: 100, amount_refunded: 100, currency: "eur", payment_intent: "pi_1", metadata: {} };
  const refunded = mapStripeEvent({ ...event("charge.refunded", refund), account: "acct_1Agency" } as Stripe.Event);
  assert.ok("record" in refunded && refunded.record.stripeAccountId === "acct_1Agency");
});

Deno.test("an unpaid completed session (delayed method) is ignored until its money arrives", () => {
  assert.deepEqual(mapStripeEvent(event("checkout.session.completed", { ...session, payment_status: "unpaid" })), {
    ignore: "session unpaid",
  });
  const later = mapStripeEvent(
    event("checkout.session.async_payment_succeeded", { ...session, payment_status: "paid" }),
  );
  assert.ok("record" in later && later.record.amountCents === 12_345);
});

Deno.test("an expanded payment intent on the session gives its id", () => {
  const mapped = mapStripeEvent(event("checkout.session.completed", { ...session, payment_intent: { id: "pi_2" } }));
  assert.ok("record" in mapped && mapped.record.paymentIntentId === "pi_2");
});

Deno.test("a failed delayed payment is passed with amount 0", () => {
  const mapped = mapStripeEvent(
    event("checkout.session.async_payment_failed", { ...session, payment_status: "unpaid" }),
  );
  assert.ok("record" in mapped);
  assert.equal(mapped.record.amountCents, 0);
  assert.equal(mapped.record.paymentIntentId, "pi_1");
});

Deno.test("payment_intent.succeeded records the amount received with the intent's metadata", () => {
  const mapped = mapStripeEvent(
    event("payment_intent.succeeded", {
      id: "pi_3",
      amount: 20_000,
      amount_received: 19_000,
      currency: "usd",
      metadata,
    }),
  );
  assert.ok("record" in mapped);
  assert.deepEqual(
    [mapped.record.paymentIntentId, mapped.record.amountCents, mapped.record.currency, mapped.record.invoiceId],
    ["pi_3", 19_000, "USD", invoiceId],
  );
});

Deno.test("a refund passes the cumulative amount refunded, with or without metadata", () => {
  const refund = { amount: 12_345, amount_refunded: 5_000, currency: "eur", payment_intent: "pi_1" };
  const withMetadata = mapStripeEvent(event("charge.refunded", { ...refund, metadata }));
  assert.ok("record" in withMetadata);
  assert.deepEqual([withMetadata.record.amountCents, withMetadata.record.invoiceId], [5_000, invoiceId]);
  // Checkout does not always copy metadata onto the charge: SQL finds the invoice by the intent.
  const bare = mapStripeEvent(event("charge.refunded", { ...refund, metadata: {} }));
  assert.ok("record" in bare);
  assert.deepEqual([bare.record.invoiceId, bare.record.agencyId, bare.record.paymentIntentId], [null, null, "pi_1"]);
  assert.deepEqual(mapStripeEvent(event("charge.refunded", { ...refund, payment_intent: null, metadata: {} })), {
    ignore: "refund of an unknown payment",
  });
});

Deno.test("payments without invoice metadata, or with a malformed id, are ignored, not failed", () => {
  assert.deepEqual(mapStripeEvent(event("checkout.session.completed", { ...session, metadata: {} })), {
    ignore: "no invoice metadata",
  });
  const forged = { ...session, metadata: { agency_id: agencyId, invoice_id: "1; drop table invoices" } };
  assert.deepEqual(mapStripeEvent(event("checkout.session.completed", forged)), { ignore: "no invoice metadata" });
  // Our sessions always name the agency too: a payment naming only an invoice is not one of ours.
  const invoiceOnly = { ...session, metadata: { invoice_id: invoiceId } };
  assert.deepEqual(mapStripeEvent(event("checkout.session.completed", invoiceOnly)), { ignore: "no invoice metadata" });
  assert.deepEqual(
    mapStripeEvent(
      event("payment_intent.succeeded", {
        id: "pi_5",
        amount_received: 1,
        currency: "usd",
        metadata: { agency_id: "not-a-uuid", invoice_id: invoiceId },
      }),
    ),
    { ignore: "no invoice metadata" },
  );
  assert.deepEqual(
    mapStripeEvent(
      event("payment_intent.succeeded", { id: "pi_4", amount_received: 1, currency: "usd", metadata: null }),
    ),
    { ignore: "no invoice metadata" },
  );
});

Deno.test("other event types are ignored", () => {
  assert.deepEqual(mapStripeEvent(event("customer.created", { id: "cus_1" })), { ignore: "event type not handled" });
});
