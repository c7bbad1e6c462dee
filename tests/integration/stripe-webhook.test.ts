import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import type { TransactionSql } from "postgres";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFunctions, type FunctionsServer } from "#db/functions.ts";
import { freePort } from "../setup/test-database.ts";
import { adminSql } from "../setup/http.ts";

/**
 * The Stripe webhook Edge Function, run under Deno exactly as `npm start` runs it (db/functions.ts),
 * against the integration database. Events are signed with the Node SDK the way Stripe signs them.
 * Data is arranged directly as the database owner; the function's answers and the rows it leaves
 * are what is checked. The mapping's own unit tests (Deno) run from here too, so `npm test` has them.
 */
const secret = `whsec_${randomBytes(24).toString("base64url")}`;
const connectSecret = `whsec_${randomBytes(24).toString("base64url")}`;
const stripe = new Stripe("sk_test_unused");
const logs: string[] = [];
let functions: FunctionsServer;

beforeAll(async () => {
  functions = await startFunctions({
    port: 0,
    databaseUrl: inject("adminUrl"),
    webhookSecret: secret,
    connectWebhookSecret: connectSecret,
    log: (line) => logs.push(line),
  });
});
afterAll(async () => {
  await functions?.stop();
});

// ---------------------------------------------------------------------------------------------
// Arranging: an agency with a EUR project, and issued invoices on it
// ---------------------------------------------------------------------------------------------
interface Arranged {
  agencyId: string;
  projectId: string;
  claims: string;
}
let agency: Arranged | undefined;

/** The agency most tests use: no connected account, so its checkouts run on the platform's. */
async function theAgency(): Promise<Arranged> {
  agency ??= await newAgency();
  return agency;
}

/** An agency of its own; with `stripeAccountId`, its checkouts run on that connected account. */
async function newAgency(stripeAccountId: string | null = null): Promise<Arranged> {
  return adminSql().begin(async (tx) => {
    const [owner] = await tx<{ id: string }[]>`
      insert into auth.users (id, email, raw_user_meta_data, email_confirmed_at)
      values (${randomUUID()}, ${`owner-${randomUUID()}@webhook.test`}, '{"name": "Owner"}', now()) returning id`;
    const claims = JSON.stringify({ sub: owner!.id, role: "authenticated", aud: "authenticated" });
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    const [created] = await tx<{ id: string }[]>`select (public.create_agency('Webhook agency')).id as id`;
    const agencyId = created!.id;
    const [client] = await tx<{ id: string }[]>`
      insert into public.clients (agency_id, name) values (${agencyId}, 'Acme') returning id`;
    const [project] = await tx<{ id: string }[]>`
      insert into public.projects (agency_id, client_id, name, currency, status)
      values (${agencyId}, ${client!.id}, 'Site', 'EUR', 'active') returning id`;
    await tx`update public.agencies set stripe_account_id = ${stripeAccountId} where id = ${agencyId}`;
    return { agencyId, projectId: project!.id, claims };
  }) as Promise<Arranged>;
}

/** As the owner, like a request: role authenticated with their claims. */
async function asOwner<T>(work: (tx: TransactionSql) => Promise<T>, of?: Arranged): Promise<T> {
  const a = of ?? (await theAgency());
  return adminSql().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${a.claims}, true)`;
    return work(tx);
  }) as Promise<T>;
}

/** An issued invoice of one line (total = cents), not yet paid; of theAgency() unless `of` is given. */
async function issuedInvoice(cents = 12_000, of?: Arranged): Promise<{ agencyId: string; invoiceId: string }> {
  const a = of ?? (await theAgency());
  const invoiceId = await asOwner(async (tx) => {
    const lines = [{ description: "Website", quantity: 1, unit_price_cents: cents }];
    const [draft] = await tx<{ id: string }[]>`
      select (public.create_invoice(${a.agencyId}, ${a.projectId}, p_include_time => false,
              p_lines => ${tx.json(lines)})).id as id`;
    await tx`select public.issue_invoice(${draft!.id})`;
    return draft!.id;
  }, a);
  return { agencyId: a.agencyId, invoiceId };
}

async function invoiceState(invoiceId: string) {
  const sql = adminSql();
  const [invoice] = await sql<{ status: string; total: number; paid: number }[]>`
    select status::text, total_cents::int as total, amount_paid_cents::int as paid
    from public.invoices where id = ${invoiceId}`;
  const payments = await sql<{ amount: number; method: string; intent: string | null }[]>`
    select amount_cents::int as amount, method::text, stripe_payment_intent_id as intent
    from public.invoice_payments where invoice_id = ${invoiceId} order by created_at, id`;
  const activity = await sql<{ kind: string }[]>`
    select kind from public.invoice_activity where invoice_id = ${invoiceId} and stripe_event_id is not null
    order by created_at`;
  return { ...invoice!, payments, activity: activity.map((row) => row.kind) };
}

// ---------------------------------------------------------------------------------------------
// Events as Stripe sends them (only the fields that matter, plus some that must never be logged)
// ---------------------------------------------------------------------------------------------
type Target = { agencyId: string; invoiceId: string };
const metadataOf = (t: Target) => ({ agency_id: t.agencyId, invoice_id: t.invoiceId });
const customerEmail = () => `payer-${randomUUID()}@client.test`;

function event(type: string, object: Record<string, unknown>) {
  return {
    id: `evt_${randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: "2025-01-27",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object },
  };
}

function sessionCompleted(t: Target, intent: string, amount = 12_000, extra: Record<string, unknown> = {}) {
  return event("checkout.session.completed", {
    id: `cs_test_${randomUUID().replaceAll("-", "")}`,
    object: "checkout.session",
    mode: "payment",
    status: "complete",
    payment_status: "paid",
    amount_total: amount,
    currency: "eur",
    customer_details: { email: customerEmail(), name: "Pat Payer" },
    metadata: metadataOf(t),
    payment_intent: intent,
    ...extra,
  });
}

function intentSucceeded(t: Target, intent: string, amount = 12_000) {
  return event("payment_intent.succeeded", {
    id: intent,
    object: "payment_intent",
    amount,
    amount_received: amount,
    currency: "eur",
    status: "succeeded",
    metadata: metadataOf(t),
  });
}

function chargeRefunded(t: Target | null, intent: string, refundedSoFar: number, amount = 12_000) {
  return event("charge.refunded", {
    id: `ch_${randomUUID().replaceAll("-", "")}`,
    object: "charge",
    amount,
    amount_refunded: refundedSoFar,
    currency: "eur",
    payment_intent: intent,
    refunded: refundedSoFar === amount,
    metadata: t ? metadataOf(t) : {},
  });
}

const newIntent = () => `pi_${randomUUID().replaceAll("-", "")}`;

interface Delivered {
  status: number;
  contentType: string | null;
  body: any;
}

async function deliver(
  payload: object | string,
  options: { header?: string | null; body?: string; url?: string; secret?: string; timestamp?: number } = {},
): Promise<Delivered> {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  const header =
    options.header === undefined
      ? stripe.webhooks.generateTestHeaderString({
          payload: text,
          secret: options.secret ?? secret,
          timestamp: options.timestamp,
        })
      : options.header;
  const response = await fetch(`${options.url ?? functions.url}/stripe-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(header ? { "stripe-signature": header } : {}) },
    body: options.body ?? text,
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.json() };
}

// ---------------------------------------------------------------------------------------------
describe("a paid checkout session", () => {
  it("pays the invoice once, as a Stripe payment, and logs one line without the payload", async () => {
    const t = await issuedInvoice(12_000);
    const intent = newIntent();
    const paid = sessionCompleted(t, intent);
    const answer = await deliver(paid);
    expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "recorded" } });
    expect(await invoiceState(t.invoiceId)).toEqual({
      status: "paid",
      total: 12_000,
      paid: 12_000,
      payments: [{ amount: 12_000, method: "stripe", intent }],
      activity: [],
    });
    const lines = logs.filter((line) => line.includes(paid.id));
    expect(lines).toEqual([`[functions] stripe-webhook checkout.session.completed ${paid.id} recorded`]);
    const email = (paid.data.object.customer_details as { email: string }).email;
    expect(logs.some((line) => line.includes(email) || line.includes(t.invoiceId))).toBe(false);
  });

  it("replayed five times, one after the other and all at once, is still one payment", async () => {
    const t = await issuedInvoice(12_000);
    const paid = sessionCompleted(t, newIntent());
    const atOnce = await Promise.all(Array.from({ length: 5 }, () => deliver(paid)));
    expect(atOnce.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(atOnce.map((a) => a.body.outcome).sort()).toEqual([
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "recorded",
    ]);
    for (let i = 0; i < 5; i += 1) {
      expect((await deliver(paid)).body).toEqual({ received: true, outcome: "duplicate" });
    }
    const state = await invoiceState(t.invoiceId);
    expect(state).toMatchObject({ status: "paid", paid: 12_000 });
    expect(state.payments).toHaveLength(1);
  });

  it("and the payment intent's own event (either order) count as one payment", async () => {
    const first = await issuedInvoice(12_000);
    const intent = newIntent();
    expect((await deliver(sessionCompleted(first, intent))).body.outcome).toBe("recorded");
    expect((await deliver(intentSucceeded(first, intent))).body.outcome).toBe("duplicate");
    expect((await invoiceState(first.invoiceId)).payments).toHaveLength(1);

    const second = await issuedInvoice(12_000);
    const other = newIntent();
    const both = await Promise.all([deliver(intentSucceeded(second, other)), deliver(sessionCompleted(second, other))]);
    expect(both.map((a) => a.body.outcome).sort()).toEqual(["duplicate", "recorded"]);
    expect(await invoiceState(second.invoiceId)).toMatchObject({ status: "paid", paid: 12_000 });
    expect((await invoiceState(second.invoiceId)).payments).toHaveLength(1);
  });

  it("that is not paid yet (a bank debit) records nothing until its money arrives", async () => {
    const t = await issuedInvoice(12_000);
    const intent = newIntent();
    const pending = sessionCompleted(t, intent, 12_000, { payment_status: "unpaid" });
    expect((await deliver(pending)).body).toEqual({ received: true, outcome: "ignored" });
    expect((await invoiceState(t.invoiceId)).payments).toEqual([]);
    const succeeded = event("checkout.session.async_payment_succeeded", {
      ...pending.data.object,
      payment_status: "paid",
    });
    expect((await deliver(succeeded)).body.outcome).toBe("recorded");
    expect(await invoiceState(t.invoiceId)).toMatchObject({ status: "paid", paid: 12_000 });
  });

  it("whose bank payment fails is put on the invoice's timeline, with no payment", async () => {
    const t = await issuedInvoice(12_000);
    const failed = event("checkout.session.async_payment_failed", {
      ...sessionCompleted(t, newIntent()).data.object,
      payment_status: "unpaid",
    });
    expect((await deliver(failed)).body).toEqual({ received: true, outcome: "recorded" });
    expect(await invoiceState(t.invoiceId)).toMatchObject({
      status: "sent",
      paid: 0,
      payments: [],
      activity: ["payment_failed"],
    });
  });
});

describe("signatures", () => {
  it("a bad, missing or stale signature, or a body changed after signing, is 400 and writes nothing", async () => {
    const t = await issuedInvoice(12_000);
    const before = await invoiceState(t.invoiceId);
    const paid = sessionCompleted(t, newIntent());
    const text = JSON.stringify(paid);
    const tampered = text.replace('"amount_total":12000', '"amount_total":1');
    expect(tampered).not.toBe(text);
    const refusals = [
      await deliver(paid, { secret: `whsec_${randomBytes(24).toString("base64url")}` }),
      await deliver(paid, { header: null }),
      await deliver(paid, { header: "t=1,v1=deadbeef" }),
      await deliver(text, { body: tampered }),
      // Older than Stripe's five-minute tolerance: a captured request cannot be replayed later.
      await deliver(paid, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status, JSON.stringify(refusal.body)).toBe(400);
      expect(refusal.contentType).toContain("application/problem+json");
      expect(refusal.body.status).toBe(400);
    }
    expect(await invoiceState(t.invoiceId)).toEqual(before);
    expect(logs.some((line) => line.includes(paid.id))).toBe(false);
  });

  it("an event from an agency's connected account, signed by the Connect endpoint, is accepted", async () => {
    const t = await issuedInvoice(12_000, await newAgency("acct_1AgencyOwn"));
    const paid = { ...sessionCompleted(t, newIntent()), account: "acct_1AgencyOwn" };
    expect((await deliver(paid, { secret: connectSecret })).body.outcome).toBe("recorded");
    expect(await invoiceState(t.invoiceId)).toMatchObject({ status: "paid", paid: 12_000 });
  });

  it("anything but POST is 405", async () => {
    const response = await fetch(`${functions.url}/stripe-webhook`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    await response.body?.cancel();
  });

  it("the local router answers 404 for a function that does not exist", async () => {
    const response = await fetch(`${functions.url}/no-such-function`, { method: "POST" });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe("the Stripe account an event comes from", () => {
  // Any agency can name a connected account in settings, and whoever controls that account
  // controls its events' metadata: an invoice only takes money from its own agency's account.
  const ownAccount = "acct_1PaysItsOwn";
  const otherAccount = "acct_1SomeoneElse";
  const fromAccount = <T extends object>(e: T, account: string) => ({ ...e, account });

  it("another connected account cannot pay an invoice of an agency on the platform's account", async () => {
    const t = await issuedInvoice(12_000);
    const before = await invoiceState(t.invoiceId);
    const intent = newIntent();
    for (const forged of [
      fromAccount(sessionCompleted(t, intent), otherAccount),
      fromAccount(intentSucceeded(t, intent), otherAccount),
    ]) {
      expect((await deliver(forged, { secret: connectSecret })).body).toEqual({
        received: true,
        outcome: "unknown_invoice",
      });
    }
    expect(await invoiceState(t.invoiceId)).toEqual(before);
  });

  it("an agency's invoice takes money from its own account only: not another's, not the platform's", async () => {
    const t = await issuedInvoice(12_000, await newAgency(ownAccount));
    const before = await invoiceState(t.invoiceId);
    const foreign = fromAccount(sessionCompleted(t, newIntent()), otherAccount);
    expect((await deliver(foreign, { secret: connectSecret })).body.outcome).toBe("unknown_invoice");
    expect((await deliver(sessionCompleted(t, newIntent()))).body.outcome).toBe("unknown_invoice");
    expect(await invoiceState(t.invoiceId)).toEqual(before);

    const intent = newIntent();
    const own = fromAccount(sessionCompleted(t, intent), ownAccount);
    expect((await deliver(own, { secret: connectSecret })).body.outcome).toBe("recorded");
    expect(await invoiceState(t.invoiceId)).toMatchObject({
      status: "paid",
      paid: 12_000,
      payments: [{ amount: 12_000, method: "stripe", intent }],
    });
    // Its refund, too, counts only from that account.
    const foreignRefund = fromAccount(chargeRefunded(null, intent, 12_000), otherAccount);
    expect((await deliver(foreignRefund, { secret: connectSecret })).body.outcome).toBe("unknown_invoice");
    expect((await invoiceState(t.invoiceId)).paid).toBe(12_000);
    const refund = fromAccount(chargeRefunded(null, intent, 2_000), ownAccount);
    expect((await deliver(refund, { secret: connectSecret })).body.outcome).toBe("recorded");
    expect(await invoiceState(t.invoiceId)).toMatchObject({ status: "partially_paid", paid: 10_000 });
  });
});

describe("body size", () => {
  /** A correctly signed event padded past 1 MB with whitespace (still valid JSON). */
  function oversized(t: Target) {
    const text = JSON.stringify(sessionCompleted(t, newIntent())).replace(/}$/, `${" ".repeat(1024 * 1024)}}`);
    const header = stripe.webhooks.generateTestHeaderString({ payload: text, secret });
    return { text, header };
  }

  it("over 1 MB with a Content-Length is 413 before anything is read or written", async () => {
    const t = await issuedInvoice(12_000);
    const before = await invoiceState(t.invoiceId);
    const { text, header } = oversized(t);
    const response = await fetch(`${functions.url}/stripe-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": header },
      body: text,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    await response.body?.cancel();
    expect(await invoiceState(t.invoiceId)).toEqual(before);
  });

  it("over 1 MB sent chunked (no Content-Length) is 413 once the limit is passed, and writes nothing", async () => {
    const t = await issuedInvoice(12_000);
    const before = await invoiceState(t.invoiceId);
    const { text, header } = oversized(t);
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        at += 64 * 1024;
      },
    });
    const response = await fetch(`${functions.url}/stripe-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": header },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    await response.body?.cancel();
    expect(await invoiceState(t.invoiceId)).toEqual(before);
  });

  it("an event just under the limit is still read and recorded", async () => {
    const t = await issuedInvoice(12_000);
    const base = JSON.stringify(sessionCompleted(t, newIntent()));
    const text = base.replace(/}$/, `${" ".repeat(1024 * 1024 - base.length)}}`);
    expect(Buffer.byteLength(text)).toBe(1024 * 1024);
    const answer = await deliver(text);
    expect(answer).toMatchObject({ status: 200, body: { outcome: "recorded" } });
  });
});

describe("refunds", () => {
  it("are recorded from the cumulative amount refunded, in any order, down to nothing paid", async () => {
    const t = await issuedInvoice(12_000);
    const intent = newIntent();
    expect((await deliver(sessionCompleted(t, intent))).body.outcome).toBe("recorded");

    const partial = chargeRefunded(t, intent, 3_000);
    expect((await deliver(partial)).body.outcome).toBe("recorded");
    expect(await invoiceState(t.invoiceId)).toMatchObject({ status: "partially_paid", paid: 9_000 });

    // Checkout does not always copy the metadata onto the charge: found by the payment intent.
    const more = chargeRefunded(null, intent, 8_000);
    const older = chargeRefunded(t, intent, 5_000); // created before `more`, delivered after it
    expect((await deliver(more)).body.outcome).toBe("recorded");
    expect((await deliver(older)).body.outcome).toBe("duplicate");
    expect((await deliver(partial)).body.outcome).toBe("duplicate");
    expect(await invoiceState(t.invoiceId)).toMatchObject({ status: "partially_paid", paid: 4_000 });

    expect((await deliver(chargeRefunded(t, intent, 12_000))).body.outcome).toBe("recorded");
    const state = await invoiceState(t.invoiceId);
    // Due in the agency's payment terms, so it is open again (overdue only once that date passed).
    expect(state).toMatchObject({ status: "sent", paid: 0 });
    expect(state.payments.map((p) => p.amount)).toEqual([12_000, -3_000, -5_000, -4_000]);
    expect(state.payments.every((p) => p.method === "stripe" && p.intent === intent)).toBe(true);
  });

  it("of a payment nobody knows is answered 2xx as an unknown invoice", async () => {
    expect((await deliver(chargeRefunded(null, newIntent(), 1_000))).body).toEqual({
      received: true,
      outcome: "unknown_invoice",
    });
  });
});

describe("events the database does not book as payments", () => {
  it("a payment for a void invoice is 2xx, flagged on the invoice, and not booked", async () => {
    const t = await issuedInvoice(12_000);
    await asOwner((tx) => tx`select public.void_invoice(${t.invoiceId}, 'sent by mistake')`);
    expect((await deliver(sessionCompleted(t, newIntent()))).body).toEqual({ received: true, outcome: "ignored" });
    expect(await invoiceState(t.invoiceId)).toMatchObject({
      status: "void",
      paid: 0,
      payments: [],
      activity: ["payment_unmatched"],
    });
  });

  it("an invoice that does not exist is 2xx 'unknown_invoice'", async () => {
    const t = await issuedInvoice(12_000);
    const stranger = { agencyId: t.agencyId, invoiceId: randomUUID() };
    expect((await deliver(sessionCompleted(stranger, newIntent()))).body).toEqual({
      received: true,
      outcome: "unknown_invoice",
    });
    // Another agency's id with this invoice: not this invoice.
    const crossed = { agencyId: randomUUID(), invoiceId: t.invoiceId };
    expect((await deliver(sessionCompleted(crossed, newIntent()))).body.outcome).toBe("unknown_invoice");
    expect((await invoiceState(t.invoiceId)).payments).toEqual([]);
  });

  it("money in another currency is 2xx 'currency_mismatch' and not booked", async () => {
    const t = await issuedInvoice(12_000);
    const usd = sessionCompleted(t, newIntent(), 12_000, { currency: "usd" });
    expect((await deliver(usd)).body).toEqual({ received: true, outcome: "currency_mismatch" });
    expect((await invoiceState(t.invoiceId)).payments).toEqual([]);
  });

  it("events without invoice metadata, or of other types, are 2xx 'ignored'", async () => {
    const t = await issuedInvoice(12_000);
    const bare = sessionCompleted(t, newIntent(), 12_000, { metadata: {} });
    expect((await deliver(bare)).body).toEqual({ received: true, outcome: "ignored" });
    expect((await deliver(event("customer.created", { id: "cus_1", object: "customer" }))).body).toEqual({
      received: true,
      outcome: "ignored",
    });
    expect((await invoiceState(t.invoiceId)).payments).toEqual([]);
  });
});

describe("when the database is down", () => {
  let offline: FunctionsServer | undefined;
  const offlineLogs: string[] = [];
  beforeAll(async () => {
    // Nothing listens on this port: every query fails.
    const url = new URL(inject("adminUrl"));
    url.port = String(await freePort());
    offline = await startFunctions({
      port: 0,
      databaseUrl: url.toString(),
      webhookSecret: secret,
      log: (line) => offlineLogs.push(line),
    });
  });
  afterAll(async () => {
    await offline?.stop();
  });

  it("the function answers 500 so Stripe delivers the event again", async () => {
    const t = await issuedInvoice(12_000);
    const paid = sessionCompleted(t, newIntent());
    const answer = await deliver(paid, { url: offline!.url });
    expect(answer.status).toBe(500);
    expect(answer.contentType).toContain("application/problem+json");
    expect(offlineLogs.filter((line) => line.includes(paid.id))).toHaveLength(1);
    expect(offlineLogs.find((line) => line.includes(paid.id))).toContain("failed");
    expect((await invoiceState(t.invoiceId)).payments).toEqual([]);
    // Once it is back, the retry is booked.
    expect((await deliver(paid)).body.outcome).toBe("recorded");
  });
});

describe("startFunctions", () => {
  it("refuses a port that is taken, with a message that says what to do", async () => {
    await expect(
      startFunctions({ port: functions.port, databaseUrl: inject("adminUrl"), webhookSecret: secret, log: () => {} }),
    ).rejects.toThrow(/FUNCTIONS_PORT \d+ is already in use/);
  });
});

it("the event mapping's Deno unit tests pass", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const run = spawnSync(
    path.join(root, "node_modules", ".bin", "deno"),
    [
      "test",
      "--node-modules-dir=manual",
      "--no-prompt",
      path.join(root, "supabase", "functions", "stripe-webhook", "events.test.ts"),
    ],
    {
      cwd: root,
      encoding: "utf8",
      // FORCE_COLOR (set by test runners) would win over NO_COLOR in Deno's output.
      env: { ...process.env, FORCE_COLOR: undefined, DENO_DIR: path.join(root, ".cache", "deno"), NO_COLOR: "1" },
    },
  );
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  // eslint-disable-next-line no-control-regex -- colour codes, should a terminal setting force them anyway
  expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/ok \| \d+ passed \| 0 failed/);
});
