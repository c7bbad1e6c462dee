import { beforeAll, describe, expect, it } from "vitest";
import { session, visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, logTime, pageState, signedIn, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The invoice pages as a browser without JavaScript uses them: a draft from a project's unbilled
 * time and a milestone, refusals with the message at the field and nothing written, lines added
 * and removed (time released), issuing (the number), a manual payment (paid), voiding (time
 * released again) and members turned away.
 */
trustForwardedFor();
// No webhook function in this file (the browser flow runs it): "Pay" on the local checkout must
// find nothing listening, never a developer's `npm start` on the default port.
process.env.FUNCTIONS_URL = "http://127.0.0.1:9/functions/v1";
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = {
  list: "routes/_app.invoices._index",
  create: "routes/_app.invoices.new",
  invoice: "routes/_app.invoices.$invoiceId",
} as const;

let a: Agency;
let agencyId: string;
let project: { id: string; name: string };
let milestone: { id: string };
let owner: BrowserSession;
let manager: BrowserSession;
let member: BrowserSession;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  a = await agencyWithTeam(request, "invoice-pages");
  agencyId = a.owner.agency.id;
  project = await created(
    api(a.manager, "/api/projects", {
      body: {
        client_id: a.clientId,
        name: "Website",
        status: "active",
        manager_id: a.manager.user_id,
        team: [a.member.user_id],
      },
    }),
  );
  milestone = await created(
    api(a.manager, `/api/projects/${project.id}/milestones`, { body: { title: "Launch", amount_cents: 50_000 } }),
  );
  await created(
    api(a.manager, `/api/milestones/${milestone.id}`, { method: "PATCH", body: { status: "reached" } }),
    200,
  );
  // 2 h and 1.5 h at €80, one hour not billable, and an hour outside the period used below.
  for (const [hours, billable, date] of [
    [2, true, day(-3)],
    [1.5, true, day(-2)],
    [1, false, day(-2)],
    [1, true, day(-20)],
  ] as const) {
    await logTime({
      agencyId,
      projectId: project.id,
      userId: a.member.user_id,
      hours,
      rateCents: 8000,
      billable,
      date,
    });
  }
  [owner, manager, member] = await Promise.all([
    signedIn(app.url, a.owner.email),
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
  ]);
});

async function invoiceRows() {
  return adminSql()`
    select i.id, i.status::text, i.invoice_number, i.total_cents::int, i.amount_paid_cents::int,
           (select count(*)::int from public.invoice_lines l where l.invoice_id = i.id) as lines
    from public.invoices i where i.agency_id = ${agencyId} order by i.created_at`;
}

async function billedEntries() {
  const [row] = await adminSql()<{ billed: number }[]>`
    select count(*)::int as billed from public.time_entries where agency_id = ${agencyId} and invoice_id is not null`;
  return row!.billed;
}

/** Where the form posts from: the page with its choice in the query, as a browser keeps it. */
const newPath = () => `/invoices/new?project=${project.id}&from=${day(-7)}&to=${day(0)}`;

function draftFields(extra: Record<string, string> = {}) {
  return {
    project_id: project.id,
    currency: "EUR",
    period_from: day(-7),
    period_to: day(0),
    include_time: "1",
    grouping: "single",
    due_date: "",
    notes: "",
    ...extra,
  };
}

let invoiceId: string;

describe("the invoice list and the new-invoice form", () => {
  it("shows an empty list with the aging summary, and previews a project's unbilled work in a period", async () => {
    const list = await owner.get("/invoices");
    expect(list.status).toBe(200);
    expect(visibleText(list.html)).toContain("No invoices yet");
    expect(pageState(list.html).loaderData[ROUTE.list]).toMatchObject({ total: 0, aging: [] });

    const form = await manager.get(`/invoices/new?project=${project.id}&from=${day(-7)}&to=${day(0)}`);
    expect(form.status).toBe(200);
    const data = pageState(form.html).loaderData[ROUTE.create];
    expect(data.scope).toMatchObject({ kind: "project", value: project.id, currency: "EUR" });
    expect(data.work.time).toMatchObject({ entries: 2, seconds: 3.5 * 3600, value_cents: 28_000 });
    expect(data.work.milestones).toEqual([expect.objectContaining({ id: milestone.id, title: "Launch" })]);
    expect(visibleText(form.html)).toContain("Launch");
  });

  it("refuses a bad line and an empty invoice with messages at the fields, writing nothing", async () => {
    const before = await invoiceRows();
    const bad = await manager.post(newPath(), {
      ...draftFields({ include_time: "" }),
      "lines.0.description": "Hosting",
      "lines.0.quantity": "1",
      "lines.0.unit_price": "12.345",
      "lines.0.tax_rate": "",
    });
    expect(bad.status).toBe(422);
    const failure = pageState(bad.html).actionData?.[ROUTE.create];
    expect(failure.fieldErrors["lines.0.unit_price"]).toBeDefined();
    expect(failure.values["lines.0.description"]).toBe("Hosting");
    expect(visibleText(bad.html)).toContain("Enter an amount like 120.00 or -50.");

    // Nothing to bill: the database says so (invoice_empty) and the draft row it began is gone.
    const empty = await manager.post(newPath(), draftFields({ include_time: "", period_from: day(-1) }));
    expect(empty.status).toBe(422);
    expect(visibleText(empty.html)).toMatch(/nothing to invoice/i);

    // A milestone that is not this project's work: at the milestones.
    const other = await created(
      api(a.manager, "/api/projects", { body: { client_id: a.clientId, name: "Other", status: "active" } }),
    );
    const foreign = await created(
      api(a.manager, `/api/projects/${other.id}/milestones`, { body: { title: "Elsewhere", amount_cents: 100 } }),
    );
    const refused = await manager.post(
      newPath(),
      new URLSearchParams([
        ...Object.entries(draftFields({ include_time: "" })),
        ["milestone_ids", foreign.id],
      ]) as unknown as Record<string, string>,
    );
    expect(refused.status).toBe(422);
    expect(pageState(refused.html).actionData?.[ROUTE.create].fieldErrors.milestone_ids).toBeDefined();
    expect(await invoiceRows()).toEqual(before);
    expect(await billedEntries()).toBe(0);
  });

  it("creates a draft from the period's time, the milestone and a discount, and opens it", async () => {
    const page = await manager.post(
      newPath(),
      new URLSearchParams([
        ...Object.entries(draftFields()),
        ["milestone_ids", milestone.id],
        ["lines.0.description", "Loyalty discount"],
        ["lines.0.quantity", "1"],
        ["lines.0.unit_price", "-30"],
        ["lines.0.tax_rate", ""],
        ["lines.1.description", ""],
        ["lines.1.quantity", "1"],
        ["lines.1.unit_price", ""],
        ["lines.1.tax_rate", ""],
      ]) as unknown as Record<string, string>,
    );
    expect(page.status, page.html.slice(0, 400)).toBe(302);
    const [row] = await invoiceRows();
    invoiceId = row!.id;
    expect(page.location).toBe(`/invoices/${invoiceId}`);
    // €280 of time (one line), €500 milestone, -€30 discount, no tax by default.
    expect(row).toMatchObject({ status: "draft", invoice_number: null, total_cents: 75_000, lines: 3 });
    expect(await billedEntries()).toBe(2);

    const view = await manager.get(`/invoices/${invoiceId}`);
    expect(view.status).toBe(200);
    const invoice = pageState(view.html).loaderData[ROUTE.invoice].invoice;
    expect(invoice.lines.map((l: { kind: string }) => l.kind)).toEqual(["time", "milestone", "discount"]);
    expect(visibleText(view.html)).toContain("Draft invoice");
    expect(visibleText(view.html)).toContain("€750.00");
  });
});

describe("a draft, issued, paid and voided", () => {
  it("adds a line, refuses a bad one at its field, and removes the time line (releasing the entries)", async () => {
    const added = await manager.post(`/invoices/${invoiceId}`, {
      intent: "add_line",
      description: "Hosting",
      quantity: "2",
      unit_price: "10.50",
      tax_rate: "20",
    });
    expect(added.status).toBe(302);
    let invoice = pageState((await manager.get(`/invoices/${invoiceId}`)).html).loaderData[ROUTE.invoice].invoice;
    expect(invoice.lines.at(-1)).toMatchObject({ kind: "manual", amount_cents: 2100, tax_cents: 420 });

    const before = await invoiceRows();
    const bad = await manager.post(`/invoices/${invoiceId}`, {
      intent: "add_line",
      description: "",
      quantity: "0",
      unit_price: "x",
      tax_rate: "",
    });
    expect(bad.status).toBe(422);
    const failure = pageState(bad.html).actionData?.[ROUTE.invoice];
    expect(Object.keys(failure.fieldErrors).sort()).toEqual(["description", "quantity", "unit_price"]);
    expect(await invoiceRows()).toEqual(before);

    const timeLine = invoice.lines.find((l: { kind: string }) => l.kind === "time");
    const removed = await manager.post(`/invoices/${invoiceId}`, { intent: "remove_line", line_id: timeLine.id });
    expect(removed.status).toBe(302);
    expect(await billedEntries()).toBe(0);
    invoice = pageState((await manager.get(`/invoices/${invoiceId}`)).html).loaderData[ROUTE.invoice].invoice;
    expect(invoice.total_cents).toBe(50_000 - 3000 + 2100 + 420);
  });

  it("saves the due date and notes, then issues it with the next number", async () => {
    const saved = await manager.post(`/invoices/${invoiceId}`, {
      intent: "update",
      due_date: day(14),
      notes: "Thanks!",
    });
    expect(saved.status).toBe(302);
    const issued = await manager.post(`/invoices/${invoiceId}`, { intent: "issue" });
    expect(issued.status).toBe(302);
    const page = await manager.get(`/invoices/${invoiceId}`);
    const invoice = pageState(page.html).loaderData[ROUTE.invoice].invoice;
    expect(invoice).toMatchObject({ status: "sent", due_date: day(14), notes: "Thanks!" });
    expect(invoice.invoice_number).toMatch(/^INV-\d{4}-0001$/);
    expect(visibleText(page.html)).toContain(`Invoice ${invoice.invoice_number}`);
    // Issued: lines no longer change, and the database says so at the form.
    const refused = await manager.post(`/invoices/${invoiceId}`, {
      intent: "add_line",
      description: "Late",
      quantity: "1",
      unit_price: "1",
      tax_rate: "",
    });
    expect(refused.status).toBe(422);
    expect(pageState(refused.html).actionData?.[ROUTE.invoice].formError).toMatch(/only drafts change/);
  });

  it("refuses a payment over the amount due at its field, then records a partial and a full payment", async () => {
    const before = await invoiceRows();
    const over = await owner.post(`/invoices/${invoiceId}`, {
      intent: "payment",
      amount: "100000",
      method: "bank_transfer",
      paid_at: day(0),
      reference: "",
    });
    expect(over.status).toBe(422);
    expect(pageState(over.html).actionData?.[ROUTE.invoice].fieldErrors.amount).toBeDefined();
    expect(await invoiceRows()).toEqual(before);

    const part = await owner.post(`/invoices/${invoiceId}`, {
      intent: "payment",
      amount: "100",
      method: "cash",
      paid_at: day(-1),
      reference: "",
    });
    expect(part.status).toBe(302);
    let data = pageState((await owner.get(`/invoices/${invoiceId}`)).html).loaderData[ROUTE.invoice];
    expect(data.invoice).toMatchObject({ status: "partially_paid", amount_paid_cents: 10_000 });
    // Voiding is for invoices with nothing paid.
    const noVoid = await owner.post(`/invoices/${invoiceId}`, { intent: "void", reason: "" });
    expect(noVoid.status).toBe(422);

    const rest = await owner.post(`/invoices/${invoiceId}`, {
      intent: "payment",
      amount: (data.invoice.amount_due_cents / 100).toFixed(2),
      method: "bank_transfer",
      paid_at: day(0),
      reference: "TRX-1",
    });
    expect(rest.status).toBe(302);
    const page = await owner.get(`/invoices/${invoiceId}`);
    data = pageState(page.html).loaderData[ROUTE.invoice];
    expect(data.invoice).toMatchObject({ status: "paid", amount_due_cents: 0 });
    expect(data.invoice.payments).toHaveLength(2);
    expect(visibleText(page.html)).toContain("Paid in full");

    const list = pageState((await owner.get("/invoices?status=paid")).html).loaderData[ROUTE.list];
    expect(list.data.map((i: { id: string }) => i.id)).toEqual([invoiceId]);
  });

  it("voids an unpaid issued invoice, releasing its time, and deletes a draft", async () => {
    const page = await manager.post(newPath(), draftFields());
    expect(page.status).toBe(302);
    const id = page.location!.split("/").at(-1)!;
    expect(await billedEntries()).toBe(2);
    await manager.post(`/invoices/${id}`, { intent: "issue" });
    const voided = await manager.post(`/invoices/${id}`, { intent: "void", reason: "Wrong client" });
    expect(voided.status).toBe(302);
    const data = pageState((await manager.get(`/invoices/${id}`)).html).loaderData[ROUTE.invoice];
    expect(data.invoice).toMatchObject({ status: "void", void_reason: "Wrong client" });
    expect(data.invoice.invoice_number).toMatch(/-0002$/);
    expect(await billedEntries()).toBe(0);

    const draft = await manager.post(newPath(), draftFields());
    const draftId = draft.location!.split("/").at(-1)!;
    expect(await billedEntries()).toBe(2);
    const deleted = await manager.post(`/invoices/${draftId}`, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe("/invoices");
    expect(await billedEntries()).toBe(0);
    expect((await invoiceRows()).map((r) => r.id)).not.toContain(draftId);
  });
});

describe("members", () => {
  it("get a 403 page on every invoice page and cannot post", async () => {
    for (const path of ["/invoices", "/invoices/new", `/invoices/${invoiceId}`]) {
      const page = await member.get(path);
      expect(page.status, path).toBe(403);
      expect(visibleText(page.html)).toContain("Invoices are for owners and managers");
    }
    const before = await invoiceRows();
    const post = await member.post(`/invoices/${invoiceId}`, { intent: "void", reason: "" });
    expect(post.status).toBe(403);
    expect(await invoiceRows()).toEqual(before);
  });

  it("see no Create invoice link on a project overview; managers do", async () => {
    const asManager = await manager.get(`/projects/${project.id}`);
    expect(asManager.html).toContain(`/invoices/new?project=${project.id}`);
    const asMember = await member.get(`/projects/${project.id}`);
    expect(asMember.html).not.toContain("/invoices/new");
  });
});

describe("sending, reminding and the client's pay link", () => {
  const ROUTES = {
    pay: "routes/pay.$token",
    checkout: "routes/dev.checkout.$sessionId",
    settings: "routes/_app.settings.agency",
  } as const;
  let sentId: string;
  let token: string;

  async function outbox(template: string) {
    return adminSql()<{ to_email: string; data: Record<string, any> }[]>`
      select to_email, data from private.email_outbox
      where agency_id = ${agencyId} and template = ${template} order by created_at`;
  }

  async function invoiceRow(id: string) {
    const [row] = await adminSql()`
      select status::text, invoice_number, sent_to_email, viewed_at, public_token, stripe_checkout_session_id, checkout_url
      from public.invoices where id = ${id}`;
    return row!;
  }

  it("refuses to send without a recipient at the To field, issuing nothing and queuing nothing", async () => {
    const draft = await manager.post(newPath(), {
      ...draftFields({ include_time: "" }),
      "lines.0.description": "Design sprint",
      "lines.0.quantity": "1",
      "lines.0.unit_price": "1200",
      "lines.0.tax_rate": "",
    });
    expect(draft.status).toBe(302);
    sentId = draft.location!.split("/").at(-1)!;
    const page = await manager.get(`/invoices/${sentId}`);
    // The client has no contact with an email address: the dialog's To starts empty and says why.
    expect(pageState(page.html).loaderData[ROUTE.invoice].recipient).toBe("");
    expect(visibleText(page.html)).toContain("Issue without emailing");

    const refused = await manager.post(`/invoices/${sentId}`, { intent: "send", to_email: "", message: "" });
    expect(refused.status).toBe(422);
    const failure = pageState(refused.html).actionData?.[ROUTE.invoice];
    expect(failure.fieldErrors.to_email.join(" ")).toMatch(/no contact with an email address/);
    expect(visibleText(refused.html)).toMatch(/no contact with an email address/i);

    const bad = await manager.post(`/invoices/${sentId}`, { intent: "send", to_email: "not-an-email", message: "" });
    expect(bad.status).toBe(422);
    expect(pageState(bad.html).actionData?.[ROUTE.invoice].fieldErrors.to_email).toBeDefined();

    expect(await invoiceRow(sentId)).toMatchObject({ status: "draft", invoice_number: null, sent_to_email: null });
    expect(await outbox("invoice_sent")).toEqual([]);
  });

  it("sends a draft: numbered, emailed with the message and pay link, checkout prepared, on the timeline", async () => {
    const sent = await manager.post(`/invoices/${sentId}`, {
      intent: "send",
      to_email: "Billing@Client.test",
      message: "Thanks for a great sprint.",
    });
    expect(sent.status).toBe(302);
    const row = await invoiceRow(sentId);
    token = row.public_token;
    expect(row).toMatchObject({ status: "sent", sent_to_email: "billing@client.test" });
    expect(row.invoice_number).toMatch(/^INV-\d{4}-\d{4}$/);
    // Sending made the checkout session ahead of the client's click (local provider here).
    expect(row.stripe_checkout_session_id).toMatch(/^cs_test_local_/);
    expect(row.checkout_url).toBe(`/dev/checkout/${row.stripe_checkout_session_id}`);

    const [email] = await outbox("invoice_sent");
    expect(email).toMatchObject({
      to_email: "billing@client.test",
      data: expect.objectContaining({
        invoice_number: row.invoice_number,
        message: "Thanks for a great sprint.",
        pay_path: `/pay/${token}`,
        attach_invoice_pdf: sentId,
      }),
    });

    const page = await manager.get(`/invoices/${sentId}`);
    const data = pageState(page.html).loaderData[ROUTE.invoice];
    expect(data.recipient).toBe("billing@client.test");
    expect(data.payUrl).toBe(`${app.url()}/pay/${token}`);
    const text = visibleText(page.html);
    expect(text).toContain("Emailed to billing@client.test");
    expect(text).toContain("Send again");
    expect(text).toContain("Send reminder");
    expect(text).toContain("Pay link");
    expect(text).toContain("Download PDF");
  });

  it("sends a reminder, but not within an hour of the last email", async () => {
    const tooSoon = await manager.post(`/invoices/${sentId}`, { intent: "remind" });
    expect(tooSoon.status).toBe(422);
    expect(pageState(tooSoon.html).actionData?.[ROUTE.invoice].formError).toMatch(/less than an hour ago/);
    expect(await outbox("invoice_reminder")).toEqual([]);

    await adminSql()`
      update public.invoice_activity set created_at = created_at - interval '2 hours' where invoice_id = ${sentId}`;
    const reminded = await manager.post(`/invoices/${sentId}`, { intent: "remind" });
    expect(reminded.status).toBe(302);
    expect(await outbox("invoice_reminder")).toEqual([expect.objectContaining({ to_email: "billing@client.test" })]);
    const page = await manager.get(`/invoices/${sentId}`);
    const activity = pageState(page.html).loaderData[ROUTE.invoice].invoice.activity;
    expect(activity.map((a: { kind: string }) => a.kind)).toEqual(["sent", "reminded"]);
    expect(activity[1].reminder_offset_days).toBeNull();
    expect(visibleText(page.html)).toContain("Reminder sent to billing@client.test");
  });

  it("serves the PDF to owners and managers, not to members", async () => {
    const response = await fetch(`${app.url()}/invoices/${sentId}/pdf`, {
      headers: { Cookie: cookieHeader(manager) },
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/^inline; filename="INV-\d{4}-\d{4}\.pdf"$/);
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect((await member.get(`/invoices/${sentId}/pdf`)).status).toBe(403);
  });

  it("shows the pay page to staff without counting a view, then to the client, who is counted once", async () => {
    const asStaff = await manager.get(`/pay/${token}`);
    expect(asStaff.status).toBe(200);
    expect((await invoiceRow(sentId)).viewed_at).toBeNull();

    const client = session(app.url);
    const page = await client.get(`/pay/${token}`);
    expect(page.status).toBe(200);
    // No referrer to other sites; same-origin (not no-referrer) so the Pay form's post keeps its Origin.
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.html).toContain('<meta name="referrer" content="same-origin"');
    expect(page.html).not.toContain("no-referrer");
    expect(page.html).toContain('<meta name="robots" content="noindex, nofollow"');
    const data = pageState(page.html).loaderData[ROUTES.pay];
    expect(data.invoice).toMatchObject({ status: "sent", amount_due_cents: 120_000, currency: "EUR" });
    // Nothing the client does not need: no ids, no session hint, no connected account.
    expect(data.invoice).not.toHaveProperty("public_token");
    expect(data.invoice).not.toHaveProperty("stripe_checkout_session_id");
    const text = visibleText(page.html);
    expect(text).toContain("Pay €1,200.00");
    expect(text).toContain("Design sprint");
    expect(text).toContain("Download PDF");

    const viewed = (await invoiceRow(sentId)).viewed_at;
    expect(viewed).not.toBeNull();
    await client.get(`/pay/${token}`);
    expect((await invoiceRow(sentId)).viewed_at).toEqual(viewed);
    const [views] = await adminSql()<{ n: number }[]>`
      select count(*)::int as n from public.invoice_activity where invoice_id = ${sentId} and kind = 'viewed'`;
    expect(views!.n).toBe(1);

    const pdf = await fetch(`${app.url()}/pay/${token}/pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("referrer-policy")).toBe("same-origin");

    expect((await client.get(`/pay/${"0".repeat(64)}`)).status).toBe(404);
    expect((await client.get("/pay/not-a-token")).status).toBe(404);
  });

  it("does not open a draft's pay link", async () => {
    const draft = await manager.post(newPath(), {
      ...draftFields({ include_time: "" }),
      "lines.0.description": "Later",
      "lines.0.quantity": "1",
      "lines.0.unit_price": "10",
      "lines.0.tax_rate": "",
    });
    const id = draft.location!.split("/").at(-1)!;
    const { public_token } = await invoiceRow(id);
    expect((await session(app.url).get(`/pay/${public_token}`)).status).toBe(404);
    await manager.post(`/invoices/${id}`, { intent: "delete" });
  });

  it("Pay sends the client to the checkout session prepared at sending, which shows the amount", async () => {
    const client = session(app.url);
    // What a browser without Sec-Fetch-Site sends under the page's same-origin policy: the site's
    // Origin. (Under no-referrer it was "null", which the CSRF check rightly refuses.)
    expect((await client.post(`/pay/${token}`, {}, { origin: "null" })).status).toBe(403);
    const paid = await client.post(`/pay/${token}`, {}, { origin: new URL(app.url()).origin });
    expect(paid.status).toBe(302);
    const { stripe_checkout_session_id } = await invoiceRow(sentId);
    expect(paid.location).toBe(`/dev/checkout/${stripe_checkout_session_id}`);

    const checkout = await client.get(paid.location!);
    expect(checkout.status).toBe(200);
    expect(checkout.headers.get("referrer-policy")).toBe("same-origin");
    const data = pageState(checkout.html).loaderData[ROUTES.checkout];
    expect(data.session).toMatchObject({ status: "open", amount_total: 120_000, currency: "EUR" });
    expect(data.merchant.name).toBe(a.owner.agency.name);
    const text = visibleText(checkout.html);
    expect(text).toContain("Pay €1,200.00");
    expect(text).toMatch(/test card/i);
    // The card fields are decoration: none has a name, so the form posts nothing of them.
    expect(checkout.html).not.toMatch(/name="card/);
    expect((await client.get("/dev/checkout/cs_test_local_unknown")).status).toBe(404);
    // Paying runs the webhook function (a separate Deno process): the browser flow covers that.
    // Without it, the checkout says why and nothing is paid.
    const refused = await client.post(paid.location!, {});
    expect(refused.status).toBe(502);
    expect(visibleText(refused.html)).toContain("The webhook function is not reachable");
    expect((await invoiceRow(sentId)).status).toBe("sent");
    const again = pageState((await client.get(paid.location!)).html).loaderData[ROUTES.checkout];
    expect(again.session.status).toBe("open");
  });

  it("saves the agency's address, Stripe account and reminder schedule, with messages at bad fields", async () => {
    const settings = await owner.get("/settings/agency");
    const agency = pageState(settings.html).loaderData[ROUTES.settings].agency;
    expect(agency.reminder_offsets_days).toEqual([-3, 0, 7, 14]);
    const base = {
      name: agency.name,
      brand_color: agency.brand_color,
      currency: agency.currency,
      timezone: agency.timezone,
      default_tax_rate: "0",
      default_hourly_rate: "",
      invoice_prefix: agency.invoice_prefix,
      payment_terms_days: String(agency.payment_terms_days),
    };
    const bad = await postSettings({
      ...base,
      address: "1 Main Street",
      stripe_account_id: "sk_live_oops",
      reminder_offsets_days: "-3, soon, 7",
    });
    expect(bad.status).toBe(422);
    const failure = pageState(bad.html).actionData?.[ROUTES.settings];
    expect(Object.keys(failure.fieldErrors).sort()).toEqual(["reminder_offsets_days", "stripe_account_id"]);
    expect(visibleText(bad.html)).toContain("starts with acct_");

    const saved = await postSettings({
      ...base,
      address: "1 Main Street\nDublin",
      stripe_account_id: "acct_1TestAccount",
      reminder_offsets_days: "14, -2 0,0",
    });
    expect(saved.status).toBe(302);
    const [row] = await adminSql()`
      select address, stripe_account_id, reminder_offsets_days from public.agencies where id = ${agencyId}`;
    expect(row).toEqual({
      address: "1 Main Street\nDublin",
      stripe_account_id: "acct_1TestAccount",
      reminder_offsets_days: [-2, 0, 14],
    });
    // A form without the new fields leaves them alone; empty ones clear them.
    expect((await postSettings(base)).status).toBe(302);
    const cleared = await postSettings({
      ...base,
      address: "",
      stripe_account_id: "",
      reminder_offsets_days: "",
    });
    expect(cleared.status).toBe(302);
    const [after] = await adminSql()`
      select address, stripe_account_id, reminder_offsets_days from public.agencies where id = ${agencyId}`;
    expect(after).toEqual({ address: null, stripe_account_id: null, reminder_offsets_days: [] });
  });
});

function cookieHeader(browser: BrowserSession): string {
  return ["crm_auth", "crm_agency", "crm_activity"]
    .map((name) => [name, browser.cookie(name)] as const)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/** The agency settings form is multipart (it carries the logo), as the browser sends it. */
async function postSettings(fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const response = await fetch(`${app.url()}/settings/agency`, {
    method: "POST",
    body: form,
    headers: { Cookie: cookieHeader(owner), Origin: app.url() },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}
