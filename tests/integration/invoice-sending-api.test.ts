import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import { deliveryState, expectDeliveryRefused, invoiceState, type Invoice } from "../setup/invoices.ts";
import { agencyWithTeam, apiAs, created, NIL_UUID, type Actor, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Sending invoices over the API in local mode (no STRIPE_SECRET_KEY): a draft gets its number and
 * its email (outbox) in one transaction, then a checkout session from the local provider (a file
 * under DATA_DIR/checkout) and an absolute pay link. Sending again reuses an open session for the
 * same amount; a refused send takes no number. Also the PDF, manual reminders, the agency's
 * invoicing settings, and who may do any of it. The Stripe provider is proven in
 * invoice-sending-stripe.test.ts against a stand-in of Stripe's API.
 */
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const draft = (as: Actor, body: unknown) => created<Invoice>(api(as, "/api/invoices", { body }));
const send = (as: Actor, id: string, body?: unknown) => api(as, `/api/invoices/${id}/send`, { method: "POST", body });
const remind = (as: Actor, id: string) => api(as, `/api/invoices/${id}/reminders`, { method: "POST" });
const issue = (as: Actor, id: string) =>
  created<Invoice>(api(as, `/api/invoices/${id}/issue`, { method: "POST" }), 200);

interface SendingAgency extends Agency {
  /** A client whose primary contact has an email address. */
  contactClient: { id: string; email: string };
  stranger: SignedUp;
}

async function sendingAgency(prefix: string): Promise<SendingAgency> {
  const a = await agencyWithTeam(request, prefix);
  const email = uniqueEmail(`${prefix}-billing`);
  const client = await created(
    api(a.owner, "/api/clients", {
      body: { name: `${prefix} Contacted`, currency: "EUR", contact_name: "Bea Billing", contact_email: email },
    }),
  );
  const stranger = await signUp(request, `${prefix}-stranger`);
  return { ...a, contactClient: { id: client.id, email }, stranger };
}

/** A draft for a client with manual lines only: 2 × 100.00 + 50.00, no tax. */
function draftFor(as: Actor, clientId: string, extra: Record<string, unknown> = {}) {
  return draft(as, {
    client_id: clientId,
    lines: [
      { description: "Design", quantity: 2, unit_price_cents: 10_000, tax_rate_bps: 0 },
      { description: "Hosting", unit_price_cents: 5_000, tax_rate_bps: 0 },
    ],
    ...extra,
  });
}

async function checkoutColumns(invoiceId: string) {
  const [row] = await adminSql()<
    { public_token: string; stripe_checkout_session_id: string | null; checkout_url: string | null }[]
  >`select public_token, stripe_checkout_session_id, checkout_url from public.invoices where id = ${invoiceId}`;
  return row!;
}

async function localSession(id: string) {
  const file = path.join(inject("dataDir"), "checkout", `${id}.json`);
  return JSON.parse(await fs.readFile(file, "utf8")) as Record<string, any>;
}

async function outboxFor(agencyId: string, template: string) {
  return adminSql()<{ to_email: string; data: Record<string, any> }[]>`
    select to_email, data from private.email_outbox
    where agency_id = ${agencyId} and template = ${template} order by created_at, id`;
}

describe("sending an invoice", () => {
  let a: SendingAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await sendingAgency("send");
    agencyId = a.owner.agency.id;
  });

  it("issues a draft and emails it: number, outbox row, a local checkout session and the absolute pay link", async () => {
    const invoice = await draftFor(a.manager, a.contactClient.id);
    const before = await invoiceState(agencyId);
    const response = await send(a.manager, invoice.id, { message: "  Thanks for the project!  " });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const sent = response.body.data as Invoice;

    const { public_token, stripe_checkout_session_id, checkout_url } = await checkoutColumns(invoice.id);
    expect(sent).toMatchObject({
      id: invoice.id,
      status: "sent",
      invoice_number: expect.stringMatching(/^INV-\d{4}-\d{4}$/),
      total_cents: 25_000,
      amount_due_cents: 25_000,
      sent_to_email: a.contactClient.email,
      pay_path: `/pay/${public_token}`,
      pay_url: `${app.url()}/pay/${public_token}`,
      checkout_url: `/dev/checkout/${stripe_checkout_session_id}`,
    });
    expect(sent.issue_date).not.toBeNull();
    expect(sent.activity).toEqual([
      expect.objectContaining({ kind: "sent", to_email: a.contactClient.email, detail: null }),
    ]);
    // One number, the next one.
    expect((await invoiceState(agencyId)).counts!.last_number).toBe((before.counts!.last_number ?? 0) + 1);

    // The email: queued in the same transaction, with the pay path and the PDF to attach.
    const [email, ...more] = await outboxFor(agencyId, "invoice_sent");
    expect(more).toEqual([]);
    expect(email!.to_email).toBe(a.contactClient.email);
    expect(email!.data).toMatchObject({
      invoice_id: invoice.id,
      invoice_number: sent.invoice_number,
      contact_name: "Bea Billing",
      total_cents: 25_000,
      amount_due_cents: 25_000,
      currency: "EUR",
      pay_path: `/pay/${public_token}`,
      message: "Thanks for the project!",
      attach_invoice_pdf: invoice.id,
    });

    // The local provider's session: a file under DATA_DIR/checkout, for the amount due, naming the invoice.
    expect(stripe_checkout_session_id).toMatch(/^cs_test_local_[A-Za-z0-9]{24}$/);
    expect(checkout_url).toBe(`/dev/checkout/${stripe_checkout_session_id}`);
    expect(await localSession(stripe_checkout_session_id!)).toMatchObject({
      id: stripe_checkout_session_id,
      status: "open",
      amount_total: 25_000,
      currency: "EUR",
      metadata: { agency_id: agencyId, invoice_id: invoice.id },
      customer_email: a.contactClient.email,
      success_url: `${app.url()}/pay/${public_token}?paid=1`,
      cancel_url: `${app.url()}/pay/${public_token}`,
    });

    // Reading it back gives the same shape, pay_url included; a draft has no pay_url yet.
    const read = await api(a.owner, `/api/invoices/${invoice.id}`);
    expect(read.body.data).toMatchObject({ pay_url: sent.pay_url, sent_to_email: a.contactClient.email });
    const other = await draftFor(a.manager, a.contactClient.id);
    expect(other.pay_url).toBeNull();
  });

  it("sends again to another address with the same number, reusing the open session; after a part payment a new session asks for the rest", async () => {
    const invoice = await draftFor(a.owner, a.contactClient.id);
    const first = (await send(a.owner, invoice.id)).body.data as Invoice;
    const { stripe_checkout_session_id: firstSession } = await checkoutColumns(invoice.id);
    const counter = (await invoiceState(agencyId)).counts!.last_number;

    const again = await send(a.owner, invoice.id, { to_email: "  Accounts@Example.TEST " });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data).toMatchObject({
      invoice_number: first.invoice_number,
      sent_to_email: "accounts@example.test",
      checkout_url: `/dev/checkout/${firstSession}`,
    });
    expect(again.body.data.activity.map((x: Invoice) => [x.kind, x.to_email, x.detail])).toEqual([
      ["sent", a.contactClient.email, null],
      ["sent", "accounts@example.test", "sent again"],
    ]);
    expect((await invoiceState(agencyId)).counts!.last_number).toBe(counter);
    expect((await checkoutColumns(invoice.id)).stripe_checkout_session_id).toBe(firstSession);
    const emails = await adminSql()`
      select to_email from private.email_outbox where template = 'invoice_sent' and data ->> 'invoice_id' = ${invoice.id}
      order by created_at, id`;
    expect(emails.map((e) => e.to_email)).toEqual([a.contactClient.email, "accounts@example.test"]);

    await created(
      api(a.owner, `/api/invoices/${invoice.id}/payments`, { body: { amount_cents: 5_000, method: "bank_transfer" } }),
    );
    const rest = await send(a.owner, invoice.id);
    expect(rest.status).toBe(200);
    const { stripe_checkout_session_id: secondSession } = await checkoutColumns(invoice.id);
    expect(secondSession).not.toBe(firstSession);
    expect(rest.body.data).toMatchObject({
      status: "partially_paid",
      amount_due_cents: 20_000,
      sent_to_email: "accounts@example.test",
      checkout_url: `/dev/checkout/${secondSession}`,
    });
    expect(await localSession(secondSession!)).toMatchObject({ amount_total: 20_000, status: "open" });
  });

  it("a client without a contact: 422 invoice_no_recipient on to_email and no number taken; with to_email it goes out with the next number", async () => {
    const invoice = await draftFor(a.manager, a.clientId);
    const before = await invoiceState(agencyId);
    const refused = await expectDeliveryRefused(agencyId, () => send(a.manager, invoice.id), {
      status: 422,
      code: "invoice_no_recipient",
      field: "to_email",
    });
    expect(refused.body.errors.to_email[0]).toMatch(/email address/);
    expect((await checkoutColumns(invoice.id)).stripe_checkout_session_id).toBeNull();

    const sent = await send(a.manager, invoice.id, { to_email: "someone@client.test" });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const next = (before.counts!.last_number ?? 0) + 1;
    expect(sent.body.data.invoice_number).toMatch(new RegExp(`-${String(next).padStart(4, "0")}$`));
    expect(sent.body.data.sent_to_email).toBe("someone@client.test");
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const invoice = await draftFor(a.manager, a.contactClient.id);
    const refused = (run: Parameters<typeof expectDeliveryRefused>[1], status: number, code: string, field?: string) =>
      expectDeliveryRefused(agencyId, run, { status, code, field });

    await refused(
      () => send(a.manager, invoice.id, { to_email: "not an email" }),
      422,
      "validation_failed",
      "to_email",
    );
    await refused(() => send(a.manager, invoice.id, { to_email: "" }), 422, "validation_failed", "to_email");
    await refused(
      () => send(a.manager, invoice.id, { message: "x".repeat(5001) }),
      422,
      "validation_failed",
      "message",
    );
    await refused(() => send(a.manager, invoice.id, { message: 42 }), 422, "validation_failed", "message");
    await refused(() => send(a.manager, invoice.id, { cc: "x@y.test" }), 422, "validation_failed");
    await refused(
      () =>
        request(`/api/invoices/${invoice.id}/send`, {
          token: a.manager.access_token,
          rawBody: "{nope",
          headers: { "Content-Type": "application/json" },
        }),
      400,
      "invalid_json",
    );
    await refused(
      () =>
        request(`/api/invoices/${invoice.id}/send`, {
          token: a.manager.access_token,
          rawBody: "to=x",
          headers: { "Content-Type": "text/plain" },
        }),
      415,
      "unsupported_media_type",
    );
    await refused(() => send(a.manager, "not-a-uuid"), 422, "validation_failed");
    await refused(() => send(a.manager, NIL_UUID), 404, "not_found");

    // Rules the database decides, before a number is taken.
    const empty = await draft(a.manager, {
      client_id: a.contactClient.id,
      lines: [{ description: "Gone", unit_price_cents: 1 }],
    });
    await created(api(a.manager, `/api/invoices/${empty.id}/lines/${empty.lines[0]!.id}`, { method: "DELETE" }), 200);
    await refused(() => send(a.manager, empty.id), 422, "invoice_empty");
    const negative = await draft(a.manager, {
      client_id: a.contactClient.id,
      lines: [
        { description: "Work", unit_price_cents: 10_000 },
        { description: "Goodwill", unit_price_cents: -20_000 },
      ],
    });
    await refused(() => send(a.manager, negative.id), 422, "invoice_negative");
    const late = await draftFor(a.manager, a.contactClient.id, { due_date: "2020-01-01" });
    await refused(() => send(a.manager, late.id), 422, "due_before_issue", "due_date");

    // Void and paid invoices are not sent.
    const voided = await issue(a.manager, (await draftFor(a.manager, a.contactClient.id)).id);
    await created(
      api(a.manager, `/api/invoices/${voided.id}/void`, { method: "POST", body: { reason: "wrong client" } }),
      200,
    );
    await refused(() => send(a.manager, voided.id), 422, "invoice_not_sendable");
    const paid = await issue(a.manager, (await draftFor(a.manager, a.contactClient.id)).id);
    await created(
      api(a.manager, `/api/invoices/${paid.id}/payments`, { body: { amount_cents: paid.total_cents, method: "cash" } }),
    );
    await refused(() => send(a.manager, paid.id), 422, "invoice_not_sendable");
  });

  it("answers a send with no body at all (the body is optional)", async () => {
    const invoice = await draftFor(a.manager, a.contactClient.id);
    const response = await request(`/api/invoices/${invoice.id}/send`, {
      method: "POST",
      token: a.manager.access_token,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.status).toBe("sent");
  });
});

describe("the PDF", () => {
  let a: SendingAgency;

  beforeAll(async () => {
    a = await sendingAgency("pdf");
  });

  async function download(as: Actor | null, id: string) {
    const response = await fetch(`${app.url()}/api/invoices/${id}/pdf`, {
      headers: as ? { Authorization: `Bearer ${as.access_token}` } : {},
    });
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it("renders for owners and managers: inline, named by the number (draft-invoice before one)", async () => {
    const invoice = await draftFor(a.owner, a.contactClient.id);
    const asDraft = await download(a.manager, invoice.id);
    expect(asDraft.response.status).toBe(200);
    expect(asDraft.response.headers.get("content-type")).toBe("application/pdf");
    expect(asDraft.response.headers.get("content-disposition")).toBe('inline; filename="draft-invoice.pdf"');
    expect(asDraft.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const sent = (await send(a.owner, invoice.id)).body.data as Invoice;
    const issued = await download(a.owner, invoice.id);
    expect(issued.response.status).toBe(200);
    expect(issued.response.headers.get("content-disposition")).toBe(`inline; filename="${sent.invoice_number}.pdf"`);
    expect(issued.response.headers.get("cache-control")).toContain("no-store");
    expect(issued.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(issued.bytes.subarray(-8).toString("latin1")).toContain("%%EOF");
  });

  it("members and other agencies get 404 problem+json, without a token 401", async () => {
    const invoice = await draftFor(a.owner, a.contactClient.id);
    for (const as of [a.member, a.colleague, a.stranger]) {
      const { response, bytes } = await download(as, invoice.id);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.parse(bytes.toString("utf8")).code).toBe("not_found");
    }
    expect((await download(null, invoice.id)).response.status).toBe(401);
    expect((await download(a.owner, NIL_UUID)).response.status).toBe(404);
  });
});

describe("reminders", () => {
  let a: SendingAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await sendingAgency("remind");
    agencyId = a.owner.agency.id;
  });

  it("emails a reminder for an issued invoice: 201 with the timeline entry; not again within the hour", async () => {
    const invoice = await issue(a.manager, (await draftFor(a.manager, a.contactClient.id)).id);
    const response = await remind(a.manager, invoice.id);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data).toEqual({
      id: expect.any(String),
      to_email: a.contactClient.email,
      created_at: expect.any(String),
    });
    const [email] = (await outboxFor(agencyId, "invoice_reminder")).filter((e) => e.data.invoice_id === invoice.id);
    expect(email).toMatchObject({
      to_email: a.contactClient.email,
      data: {
        invoice_number: invoice.invoice_number,
        days_overdue: expect.any(Number),
        attach_invoice_pdf: invoice.id,
      },
    });
    expect(email!.data.days_overdue).toBeLessThan(0);
    const read = (await api(a.manager, `/api/invoices/${invoice.id}`)).body.data as Invoice;
    expect(read.activity).toEqual([
      expect.objectContaining({ id: response.body.data.id, kind: "reminded", reminder_offset_days: null }),
    ]);

    await expectDeliveryRefused(agencyId, () => remind(a.owner, invoice.id), {
      status: 422,
      code: "reminder_too_soon",
    });
  });

  it("refuses drafts, paid invoices and clients without a contact, writing nothing", async () => {
    const refused = (run: () => ReturnType<typeof remind>, code: string) =>
      expectDeliveryRefused(agencyId, run, { status: 422, code });
    const aDraft = await draftFor(a.manager, a.contactClient.id);
    await refused(() => remind(a.manager, aDraft.id), "invoice_not_remindable");
    const paid = await issue(a.manager, (await draftFor(a.manager, a.contactClient.id)).id);
    await created(
      api(a.manager, `/api/invoices/${paid.id}/payments`, { body: { amount_cents: paid.total_cents, method: "cash" } }),
    );
    await refused(() => remind(a.manager, paid.id), "invoice_not_remindable");
    const noContact = await issue(a.manager, (await draftFor(a.manager, a.clientId)).id);
    await refused(() => remind(a.manager, noContact.id), "invoice_no_recipient");
  });
});

describe("who may send, remind and configure", () => {
  let a: SendingAgency;
  let agencyId: string;
  let invoice: Invoice;
  let issued: Invoice;

  beforeAll(async () => {
    a = await sendingAgency("send-access");
    agencyId = a.owner.agency.id;
    invoice = await draftFor(a.owner, a.contactClient.id);
    issued = await issue(a.owner, (await draftFor(a.owner, a.contactClient.id)).id);
  });

  it("members and other agencies get 404 on send and reminders; without a token 401; nothing is written", async () => {
    for (const as of [a.member, a.colleague, a.stranger]) {
      for (const run of [
        () => send(as, invoice.id),
        () => send(as, issued.id, { to_email: "thief@elsewhere.test" }),
        () => remind(as, issued.id),
      ]) {
        await expectDeliveryRefused(agencyId, run, { status: 404, code: "not_found" });
      }
    }
    for (const path of [`/api/invoices/${invoice.id}/send`, `/api/invoices/${issued.id}/reminders`]) {
      await expectDeliveryRefused(agencyId, () => request(path, { method: "POST" }), {
        status: 401,
        code: "unauthorized",
      });
    }
    const get = await api(a.owner, `/api/invoices/${invoice.id}/send`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    const post = await api(a.owner, `/api/invoices/${invoice.id}/pdf`, { method: "POST", body: {} });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET"]);
  });

  it("owners and managers set the address, Stripe account and reminder days; bad values are refused with a field", async () => {
    const patch = (as: Actor, body: unknown) => api(as, "/api/agency", { method: "PATCH", body });
    const changed = await patch(a.manager, {
      address: "  1 Main Street\nBerlin  ",
      stripe_account_id: "acct_1TestAccount",
      reminder_offsets_days: [-5, 0, 10],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.data).toMatchObject({
      address: "1 Main Street\nBerlin",
      stripe_account_id: "acct_1TestAccount",
      reminder_offsets_days: [-5, 0, 10],
    });
    expect((await api(a.owner, "/api/agency")).body.data).toMatchObject({
      address: "1 Main Street\nBerlin",
      stripe_account_id: "acct_1TestAccount",
      reminder_offsets_days: [-5, 0, 10],
    });
    // The PDF and the pay page print the address: it is on the document.
    const [doc] = await adminSql()`select private.invoice_document(${invoice.id}) -> 'agency' ->> 'address' as address`;
    expect(doc!.address).toBe("1 Main Street\nBerlin");

    const refused = (body: unknown, field: string) =>
      expectDeliveryRefused(agencyId, () => patch(a.owner, body), { status: 422, code: "validation_failed", field });
    await refused({ stripe_account_id: "acct-nope" }, "stripe_account_id");
    await refused({ stripe_account_id: "sk_live_123" }, "stripe_account_id");
    await refused({ reminder_offsets_days: [1, 1] }, "reminder_offsets_days");
    await refused({ reminder_offsets_days: [200] }, "reminder_offsets_days.0");
    await refused({ reminder_offsets_days: [-61] }, "reminder_offsets_days.0");
    await refused({ reminder_offsets_days: [0.5] }, "reminder_offsets_days.0");
    await refused({ reminder_offsets_days: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, "reminder_offsets_days");
    await refused({ address: "x".repeat(501) }, "address");

    // Clearing: no connected account, no reminders.
    const cleared = await patch(a.owner, { stripe_account_id: null, reminder_offsets_days: [], address: null });
    expect(cleared.body.data).toMatchObject({ stripe_account_id: null, reminder_offsets_days: [], address: null });

    // Members cannot change settings (row-level security: 403 as before).
    const state = await deliveryState(agencyId);
    const byMember = await patch(a.member, { stripe_account_id: "acct_1Member" });
    expect([byMember.status, byMember.body.code]).toEqual([403, "manager_required"]);
    expect(await deliveryState(agencyId)).toEqual(state);
  });

  it("documents the new endpoints from the same schemas", async () => {
    const doc = (await request("/api/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/invoices/{invoiceId}/send",
        "/api/invoices/{invoiceId}/pdf",
        "/api/invoices/{invoiceId}/reminders",
      ]),
    );
    expect(
      doc.paths["/api/invoices/{invoiceId}/send"].post.requestBody.content["application/json"].schema,
    ).toMatchObject({
      additionalProperties: false,
      properties: { to_email: expect.any(Object), message: expect.any(Object) },
    });
    expect(Object.keys(doc.paths["/api/invoices/{invoiceId}/pdf"].get.responses["200"].content)).toEqual([
      "application/pdf",
    ]);
    expect(doc.paths["/api/agency"].patch.requestBody.content["application/json"].schema.properties).toHaveProperty(
      "reminder_offsets_days",
    );
  });
});
