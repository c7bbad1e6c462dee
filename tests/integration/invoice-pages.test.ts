import { beforeAll, describe, expect, it } from "vitest";
import { visibleText, type BrowserSession } from "../setup/browser-like.ts";
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
