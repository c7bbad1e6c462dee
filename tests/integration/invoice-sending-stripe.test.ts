import { beforeAll, describe, expect, it, vi } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { useFakeStripe } from "../setup/fake-stripe.ts";
import { adminSql, http, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import type { Invoice } from "../setup/invoices.ts";
import { apiAs, created, type Actor } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Sending with STRIPE_SECRET_KEY set: the real Stripe SDK creates the checkout session, against
 * a stand-in of Stripe's API (STRIPE_API_BASE), so what goes over the wire is asserted — the
 * amount due, the lower-case currency, the invoice in the session's and the payment intent's
 * metadata, the connected account header, an idempotency key — and a Stripe outage does not
 * stop an invoice from going out.
 */
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
trustForwardedFor();
const stripe = useFakeStripe();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const send = (as: Actor, id: string, body?: unknown) => api(as, `/api/invoices/${id}/send`, { method: "POST", body });

async function agencyWithClient(prefix: string, stripeAccountId: string | null) {
  const owner = await signUp(request, prefix);
  if (stripeAccountId) {
    await created(api(owner, "/api/agency", { method: "PATCH", body: { stripe_account_id: stripeAccountId } }), 200);
  }
  const email = uniqueEmail(`${prefix}-billing`);
  const client = await created(
    api(owner, "/api/clients", {
      body: { name: `${prefix} Client`, currency: "EUR", contact_name: "Carl Client", contact_email: email },
    }),
  );
  return { owner, clientId: client.id as string, email };
}

function draftFor(owner: SignedUp, clientId: string) {
  return created<Invoice>(
    api(owner, "/api/invoices", {
      body: {
        client_id: clientId,
        lines: [{ description: "Retainer", quantity: 1.5, unit_price_cents: 12_345, tax_rate_bps: 1900 }],
      },
    }),
  );
}

async function sessionColumns(invoiceId: string) {
  const [row] = await adminSql()<
    { stripe_checkout_session_id: string | null; checkout_url: string | null; public_token: string }[]
  >`
    select stripe_checkout_session_id, checkout_url, public_token from public.invoices where id = ${invoiceId}`;
  return row!;
}

describe("sending with Stripe", () => {
  const account = "acct_1StandInAgency";
  let a: Awaited<ReturnType<typeof agencyWithClient>>;

  beforeAll(async () => {
    a = await agencyWithClient("stripe", account);
  });

  it("creates the checkout session through the SDK on the agency's connected account, for the amount due", async () => {
    const invoice = await draftFor(a.owner, a.clientId);
    const before = stripe().requests.length;
    const response = await send(a.owner, invoice.id);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const sent = response.body.data as Invoice;
    // 1.5 × 123.45 = 185.175 → 185.18; 19 % tax = 35.1842 → 35.18.
    expect(sent).toMatchObject({ status: "sent", total_cents: 22_036, amount_due_cents: 22_036 });

    const calls = stripe().requests.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([["POST", "/v1/checkout/sessions", 200]]);
    const [call] = calls;
    expect(call!.authorization).toBe(`Bearer ${stripe().secretKey}`);
    expect(call!.stripeAccount).toBe(account);
    expect(call!.idempotencyKey).toBe(`invoice-${invoice.id}-22036-first`);
    const { public_token, stripe_checkout_session_id, checkout_url } = await sessionColumns(invoice.id);
    expect(call!.form).toMatchObject({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "22036",
      "line_items[0][price_data][product_data][name]": `Invoice ${sent.invoice_number} from ${a.owner.agency.name}`,
      customer_email: a.email,
      "metadata[agency_id]": a.owner.agency.id,
      "metadata[invoice_id]": invoice.id,
      "payment_intent_data[metadata][agency_id]": a.owner.agency.id,
      "payment_intent_data[metadata][invoice_id]": invoice.id,
      success_url: `${app.url()}/pay/${public_token}?paid=1`,
      cancel_url: `${app.url()}/pay/${public_token}`,
    });

    // The session is remembered for the pay page, and its hosted URL is on the invoice.
    const session = stripe().session(stripe_checkout_session_id!, account);
    expect(session).toBeDefined();
    expect(checkout_url).toBe(session!.url);
    expect(sent).toMatchObject({ checkout_url: session!.url, pay_url: `${app.url()}/pay/${public_token}` });
  });

  it("sending again retrieves the open session on the same account and reuses it; a part payment gets a new one", async () => {
    const invoice = await draftFor(a.owner, a.clientId);
    await send(a.owner, invoice.id);
    const first = (await sessionColumns(invoice.id)).stripe_checkout_session_id!;

    const before = stripe().requests.length;
    expect((await send(a.owner, invoice.id)).status).toBe(200);
    const calls = stripe().requests.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.stripeAccount])).toEqual([
      ["GET", `/v1/checkout/sessions/${first}`, account],
    ]);
    expect((await sessionColumns(invoice.id)).stripe_checkout_session_id).toBe(first);

    await created(
      api(a.owner, `/api/invoices/${invoice.id}/payments`, { body: { amount_cents: 2_036, method: "bank_transfer" } }),
    );
    const mark = stripe().requests.length;
    expect((await send(a.owner, invoice.id)).status).toBe(200);
    const after = stripe().requests.slice(mark);
    expect(after.map((c) => [c.method, c.path])).toEqual([
      ["GET", `/v1/checkout/sessions/${first}`],
      ["POST", "/v1/checkout/sessions"],
    ]);
    expect(after[1]!.form["line_items[0][price_data][unit_amount]"]).toBe("20000");
    // The predecessor is part of the key: a new amount is a new request to Stripe, never a replay.
    expect(after[1]!.idempotencyKey).toBe(`invoice-${invoice.id}-20000-${first}`);
    const second = (await sessionColumns(invoice.id)).stripe_checkout_session_id!;
    expect(second).not.toBe(first);
    expect(stripe().session(second, account)).toMatchObject({ amount_total: 20_000, currency: "eur" });
  });

  it("an agency without a connected account uses the platform's (no Stripe-Account header)", async () => {
    const b = await agencyWithClient("stripe-platform", null);
    const invoice = await draftFor(b.owner, b.clientId);
    const before = stripe().requests.length;
    expect((await send(b.owner, invoice.id)).status).toBe(200);
    const [call, ...rest] = stripe().requests.slice(before);
    expect(rest).toEqual([]);
    expect(call!.stripeAccount).toBeUndefined();
    expect(call!.form["metadata[agency_id]"]).toBe(b.owner.agency.id);
    expect(stripe().session((await sessionColumns(invoice.id)).stripe_checkout_session_id!)).toBeDefined();
  });

  it("Stripe failing does not stop the invoice: sent, emailed, no session remembered (the pay page makes one)", async () => {
    const invoice = await draftFor(a.owner, a.clientId);
    // The SDK tries three times (maxNetworkRetries: 2).
    stripe().failNext(3);
    const warnings: string[] = [];
    const warn = vi
      .spyOn(console, "warn")
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    const before = stripe().requests.length;
    const response = await send(a.owner, invoice.id).finally(() => warn.mockRestore());
    expect(warnings).toEqual([
      expect.stringContaining(`Invoice ${invoice.id} was sent; its checkout session will be made on the pay page`),
    ]);
    const attempts = stripe().requests.slice(before);
    expect(attempts.map((c) => [c.method, c.status, c.idempotencyKey])).toEqual(
      Array(3).fill(["POST", 500, `invoice-${invoice.id}-22036-first`]),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({ status: "sent", checkout_url: null, sent_to_email: a.email });
    expect((await sessionColumns(invoice.id)).stripe_checkout_session_id).toBeNull();
    const [queued] = await adminSql()`
      select count(*)::int as n from private.email_outbox where template = 'invoice_sent' and data ->> 'invoice_id' = ${invoice.id}`;
    expect(queued!.n).toBe(1);
  });
});
