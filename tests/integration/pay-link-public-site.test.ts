import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { localCheckout } from "#app/utils/payments/local-checkout.server.ts";
import { session, visibleText } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import type { Invoice } from "../setup/invoices.ts";
import { apiAs, created, pageState } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * A deployment on a public address with no STRIPE_SECRET_KEY. The local checkout stand-in takes
 * no money, so there it would let anyone holding a pay link mark the invoice paid: it must be off.
 * Sending still works, the pay link shows the invoice with no Pay button and a sentence about
 * paying by bank transfer, a stale "Pay" post goes back to that page, and /dev/checkout is 404
 * even for a session file left from local use.
 */
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
delete process.env.STRIPE_SECRET_KEY;
delete process.env.LOCAL_CHECKOUT;
// Nothing listens here: should the stand-in run anyway, it must not reach a developer's `npm start`.
process.env.FUNCTIONS_URL = "http://127.0.0.1:9/functions/v1";
trustForwardedFor();
const app = useTestServer({ siteUrl: "https://billing.agency.example" });
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const PAY_ROUTE = "routes/pay.$token";

let owner: SignedUp;
let invoiceId: string;
let token: string;

async function invoiceRow() {
  const [row] = await adminSql()<
    {
      status: string;
      amount_paid_cents: number;
      stripe_checkout_session_id: string | null;
      checkout_url: string | null;
      public_token: string;
      payments: number;
    }[]
  >`
    select status::text, amount_paid_cents::int, stripe_checkout_session_id, checkout_url, public_token,
           (select count(*)::int from public.invoice_payments p where p.invoice_id = i.id) as payments
    from public.invoices i where i.id = ${invoiceId}`;
  return row!;
}

/** Local checkout sessions on disk that were made for this invoice. */
async function sessionFilesForInvoice(): Promise<string[]> {
  const dir = path.join(inject("dataDir"), "checkout");
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const mine: string[] = [];
  for (const name of names) {
    const raw = await fs.readFile(path.join(dir, name), "utf8").catch(() => "{}");
    if ((JSON.parse(raw) as { metadata?: { invoice_id?: string } }).metadata?.invoice_id === invoiceId) mine.push(name);
  }
  return mine;
}

beforeAll(async () => {
  owner = await signUp(request, "public-site");
  const client = await created(
    api(owner, "/api/clients", {
      body: {
        name: "Public Client",
        currency: "EUR",
        contact_name: "Pat",
        contact_email: uniqueEmail("public-billing"),
      },
    }),
  );
  const draft = await created<Invoice>(
    api(owner, "/api/invoices", {
      body: {
        client_id: client.id,
        notes: "Bank transfer to IE00 TEST 0000 0000 0000 00",
        lines: [{ description: "Retainer", quantity: 1, unit_price_cents: 50_000, tax_rate_bps: 0 }],
      },
    }),
  );
  invoiceId = draft.id;
});

describe("a public site without a Stripe key", () => {
  it("sends the invoice without a checkout session and without a warning on every send", async () => {
    const warn = vi.spyOn(console, "warn");
    const response = await api(owner, `/api/invoices/${invoiceId}/send`, { method: "POST" }).finally(() =>
      warn.mockRestore(),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(warn).not.toHaveBeenCalled();
    const row = await invoiceRow();
    token = row.public_token;
    expect(row).toMatchObject({ status: "sent", stripe_checkout_session_id: null, checkout_url: null });
    // The email still carries the pay link on the public address: the page shows the invoice.
    expect(response.body.data.pay_url).toBe(`https://billing.agency.example/pay/${token}`);
    expect(await sessionFilesForInvoice()).toEqual([]);
  });

  it("shows the pay page with no Pay button, saying to pay by bank transfer", async () => {
    const page = await session(app.url).get(`/pay/${token}`);
    expect(page.status).toBe(200);
    const data = pageState(page.html).loaderData[PAY_ROUTE];
    expect(data).toMatchObject({ onlinePayment: false, testMode: false });
    expect(data.invoice).toMatchObject({ status: "sent", amount_due_cents: 50_000 });
    const text = visibleText(page.html);
    expect(text).toContain("Online payment is not available");
    expect(text).toContain("bank transfer");
    expect(text).not.toContain("Pay €500.00");
    expect(text).not.toMatch(/test mode/i);
    expect(page.html).not.toMatch(/<form[^>]*method="post"/i);
    expect(text).toContain("Download PDF");
    expect(text).toContain("IE00 TEST");
  });

  it("a Pay post (a page from before) goes back to the pay page: no local session, nothing written", async () => {
    const before = await invoiceRow();
    const client = session(app.url);
    const paid = await client.post(`/pay/${token}`, {});
    expect(paid.status).toBe(302);
    expect(paid.location).toBe(`/pay/${token}`);
    expect(await invoiceRow()).toEqual(before);
    expect(await sessionFilesForInvoice()).toEqual([]);
    expect((await client.get(paid.location!)).status).toBe(200);
  });

  it("the local checkout is 404, even for a session left on disk and remembered on the invoice", async () => {
    // As if the same data directory had been used in local mode before.
    const left = await localCheckout().create({
      amountCents: 50_000,
      currency: "EUR",
      description: "Invoice",
      metadata: { agency_id: owner.agency.id, invoice_id: invoiceId },
      successUrl: `https://billing.agency.example/pay/${token}?paid=1`,
      cancelUrl: `https://billing.agency.example/pay/${token}`,
      idempotencyKey: "unused",
    });
    await adminSql()`
      update public.invoices set stripe_checkout_session_id = ${left.id}, checkout_url = ${left.url}
      where id = ${invoiceId}`;
    const before = await invoiceRow();
    const client = session(app.url);
    expect((await client.get(`/dev/checkout/${left.id}`)).status).toBe(404);
    expect((await client.post(`/dev/checkout/${left.id}`, {})).status).toBe(404);
    // Pay does not hand out the remembered local session either.
    const paid = await client.post(`/pay/${token}`, {});
    expect(paid.location).toBe(`/pay/${token}`);
    expect(await invoiceRow()).toEqual(before);
    expect(before).toMatchObject({ status: "sent", amount_paid_cents: 0, payments: 0 });
    const file = JSON.parse(await fs.readFile(path.join(inject("dataDir"), "checkout", `${left.id}.json`), "utf8"));
    expect(file.status).toBe("open");
  });
});
