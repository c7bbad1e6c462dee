import { beforeAll, describe, expect, it } from "vitest";
import { visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { agencyWithTeam, apiAs, created, pageState, signedIn, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * The recurring-invoice pages as a browser without JavaScript uses them: an empty list that says
 * what a schedule is, schedules made from a retainer amount and from lines, refusals with the
 * message at the field (the form's checks and the database's) and nothing written, edits, pause
 * and resume, the invoices the job makes (a deleted draft stays "deleted" and is not made again),
 * and members and other agencies turned away.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ROUTE = {
  list: "routes/_app.invoices.recurring._index",
  create: "routes/_app.invoices.recurring.new",
  schedule: "routes/_app.invoices.recurring.$recurringId",
} as const;

let a: Agency;
let agencyId: string;
let project: { id: string };
let otherClient: { id: string };
let owner: BrowserSession;
let manager: BrowserSession;
let member: BrowserSession;
let stranger: BrowserSession;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  a = await agencyWithTeam(request, "recurring-pages");
  agencyId = a.owner.agency.id;
  // The agency's default tax: what an empty tax field means.
  await adminSql()`update public.agencies set default_tax_rate_bp = 1900 where id = ${agencyId}`;
  project = await created(
    api(a.manager, "/api/projects", {
      body: { client_id: a.clientId, name: "Care plan", status: "active", currency: "USD" },
    }),
  );
  otherClient = await created(api(a.owner, "/api/clients", { body: { name: "Other client", currency: "EUR" } }));
  const strangers = await agencyWithTeam(request, "recurring-stranger");
  [owner, manager, member, stranger] = await Promise.all([
    signedIn(app.url, a.owner.email),
    signedIn(app.url, a.manager.email),
    signedIn(app.url, a.member.email),
    signedIn(app.url, strangers.owner.email),
  ]);
});

async function schedules() {
  return adminSql()`
    select id, client_id, project_id, name, frequency, start_date::text, end_date::text, lines,
           retainer_amount_cents::int, tax_rate_bps, auto_send, active, notes
    from public.recurring_invoices where agency_id = ${agencyId} order by created_at`;
}

async function generate() {
  await adminSql()`select public.generate_recurring_invoices()`;
}

function retainerFields(extra: Record<string, string> = {}) {
  return {
    client_id: a.clientId,
    project_id: project.id,
    name: "Monthly retainer",
    frequency: "monthly",
    start_date: day(-3),
    end_date: "",
    billing: "retainer",
    retainer_amount: "1500",
    tax_rate: "20",
    "lines.0.description": "",
    "lines.0.quantity": "1",
    "lines.0.unit_price": "",
    "lines.0.tax_rate": "",
    delivery: "draft",
    notes: "",
    ...extra,
  };
}

let retainerId: string;
let linesId: string;

describe("the schedule list and the new-schedule form", () => {
  it("explains what a schedule is while there is none, and offers the client's projects", async () => {
    const list = await owner.get("/invoices/recurring");
    expect(list.status).toBe(200);
    expect(pageState(list.html).loaderData[ROUTE.list]).toEqual({ schedules: [] });
    const text = visibleText(list.html);
    expect(text).toContain("No recurring invoices yet");
    expect(text).toContain("its invoice is made once");
    expect(list.html).toContain('href="/invoices/recurring/new"');
    // The section tabs: both lists one click apart.
    expect(list.html).toMatch(/<nav aria-label="Invoice sections"/);

    const form = await manager.get("/invoices/recurring/new");
    expect(form.status).toBe(200);
    const data = pageState(form.html).loaderData[ROUTE.create];
    expect(data.clients.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([a.clientId, otherClient.id]));
    expect(data.projects).toEqual([
      expect.objectContaining({ id: project.id, client_id: a.clientId, currency: "USD" }),
    ]);
    expect(visibleText(form.html)).toContain("Send automatically");
  });

  it("refuses bad input with messages at the fields, writing nothing", async () => {
    const before = await schedules();
    const bad = await manager.post("/invoices/recurring/new", {
      ...retainerFields(),
      client_id: "",
      name: " ",
      frequency: "fortnightly",
      start_date: "soon",
      retainer_amount: "12.345",
      tax_rate: "120",
    });
    expect(bad.status).toBe(422);
    const failure = pageState(bad.html).actionData?.[ROUTE.create];
    expect(Object.keys(failure.fieldErrors).sort()).toEqual([
      "client_id",
      "frequency",
      "name",
      "retainer_amount",
      "start_date",
      "tax_rate",
    ]);
    expect(failure.values.retainer_amount).toBe("12.345");
    expect(visibleText(bad.html)).toContain("Choose a client.");
    expect(bad.html).toMatch(/aria-invalid="true"[^>]*name="name"|name="name"[^>]*aria-invalid="true"/);

    // Lines chosen: a bad price at its cell, and none at all at the lines.
    const badLine = await manager.post("/invoices/recurring/new", {
      ...retainerFields({ billing: "lines" }),
      "lines.0.description": "Hosting",
      "lines.0.unit_price": "x",
    });
    expect(badLine.status).toBe(422);
    expect(pageState(badLine.html).actionData?.[ROUTE.create].fieldErrors).toHaveProperty(["lines.0.unit_price"]);
    const noLines = await manager.post("/invoices/recurring/new", retainerFields({ billing: "lines" }));
    expect(pageState(noLines.html).actionData?.[ROUTE.create].fieldErrors.lines).toBeDefined();

    // The database's rules, at their fields: a project of another client, an end before the start.
    const mismatch = await manager.post("/invoices/recurring/new", retainerFields({ client_id: otherClient.id }));
    expect(mismatch.status).toBe(422);
    expect(pageState(mismatch.html).actionData?.[ROUTE.create].fieldErrors.project_id).toEqual([
      "The project belongs to another client",
    ]);
    const backwards = await manager.post("/invoices/recurring/new", retainerFields({ end_date: day(-10) }));
    expect(backwards.status).toBe(422);
    expect(pageState(backwards.html).actionData?.[ROUTE.create].fieldErrors.end_date).toEqual([
      "The schedule cannot end before it starts.",
    ]);
    expect(visibleText(backwards.html)).toContain("The schedule cannot end before it starts.");
    expect(await schedules()).toEqual(before);
  });

  it("saves a retainer schedule and a schedule of lines, and lists both", async () => {
    const retainer = await manager.post("/invoices/recurring/new", retainerFields());
    expect(retainer.status, retainer.html.slice(0, 300)).toBe(302);
    const lines = await manager.post("/invoices/recurring/new", {
      ...retainerFields({
        project_id: "",
        name: "Hosting",
        frequency: "yearly",
        billing: "lines",
        retainer_amount: "999", // ignored: lines were chosen
        tax_rate: "",
        delivery: "send",
        notes: "Paid yearly in advance.",
      }),
      "lines.0.description": "Hosting",
      "lines.0.quantity": "12",
      "lines.0.unit_price": "25.50",
      "lines.0.tax_rate": "",
      "lines.1.description": "Loyalty discount",
      "lines.1.quantity": "1",
      "lines.1.unit_price": "-6",
      "lines.1.tax_rate": "0",
      "lines.2.description": "",
      "lines.2.quantity": "1",
      "lines.2.unit_price": "",
      "lines.2.tax_rate": "",
    });
    expect(lines.status, lines.html.slice(0, 300)).toBe(302);
    const [first, second] = await schedules();
    retainerId = first!.id;
    linesId = second!.id;
    expect(retainer.location).toBe(`/invoices/recurring/${retainerId}`);
    expect(lines.location).toBe(`/invoices/recurring/${linesId}`);
    expect(first).toMatchObject({
      project_id: project.id,
      frequency: "monthly",
      start_date: day(-3),
      retainer_amount_cents: 150_000,
      tax_rate_bps: 2000,
      lines: [],
      auto_send: false,
      active: true,
    });
    // Empty tax: the agency's default, on the schedule and on the line without its own rate.
    expect(second).toMatchObject({
      project_id: null,
      retainer_amount_cents: null,
      tax_rate_bps: 1900,
      auto_send: true,
      notes: "Paid yearly in advance.",
      lines: [
        { description: "Hosting", quantity: 12, unit_price_cents: 2550, tax_rate_bps: 1900 },
        { description: "Loyalty discount", quantity: 1, unit_price_cents: -600, tax_rate_bps: 0 },
      ],
    });

    const list = await owner.get("/invoices/recurring");
    const rows = pageState(list.html).loaderData[ROUTE.list].schedules;
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([retainerId, linesId].sort());
    const text = visibleText(list.html);
    // In the project's currency; lines summed before tax (12 × 25.50 − 6).
    expect(text).toContain("$1,500.00");
    expect(text).toContain("€300.00");
    expect(text).toContain("per month");
    expect(text).toContain("Sent automatically");
    expect(text).toContain("None yet");
  });
});

describe("a schedule's page", () => {
  it("shows the schedule, refuses a bad edit at its fields, and saves a good one", async () => {
    const page = await manager.get(`/invoices/recurring/${retainerId}`);
    expect(page.status).toBe(200);
    expect(pageState(page.html).loaderData[ROUTE.schedule]).toMatchObject({
      schedule: { id: retainerId, next_period_start: day(-3), invoices_generated: 0 },
      runs: [],
    });
    expect(visibleText(page.html)).toContain("Monthly retainer");

    const before = await schedules();
    const bad = await manager.post(`/invoices/recurring/${retainerId}`, {
      ...retainerFields(),
      intent: "update",
      name: "",
      retainer_amount: "",
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(pageState(bad.html).actionData?.[ROUTE.schedule].fieldErrors).sort()).toEqual([
      "name",
      "retainer_amount",
    ]);
    const backwards = await manager.post(`/invoices/recurring/${retainerId}`, {
      ...retainerFields(),
      intent: "update",
      end_date: day(-30),
    });
    expect(backwards.status).toBe(422);
    expect(pageState(backwards.html).actionData?.[ROUTE.schedule].fieldErrors.end_date).toBeDefined();
    expect(await schedules()).toEqual(before);

    const saved = await manager.post(`/invoices/recurring/${retainerId}`, {
      ...retainerFields(),
      intent: "update",
      name: "Care plan retainer",
      end_date: day(400),
      retainer_amount: "1750.50",
      tax_rate: "",
      notes: "Thank you!",
    });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/invoices/recurring/${retainerId}`);
    const [row] = (await schedules()).filter((s) => s.id === retainerId);
    // An empty tax on an edit keeps the rate.
    expect(row).toMatchObject({
      name: "Care plan retainer",
      end_date: day(400),
      retainer_amount_cents: 175_050,
      tax_rate_bps: 2000,
      notes: "Thank you!",
      auto_send: false,
    });
  });

  it("switches what a period bills: choosing a retainer clears the lines", async () => {
    const switched = await manager.post(`/invoices/recurring/${linesId}`, {
      ...retainerFields({
        name: "Hosting",
        billing: "retainer",
        retainer_amount: "300",
        tax_rate: "",
        delivery: "send",
      }),
      intent: "update",
      "lines.0.description": "Hosting",
      "lines.0.quantity": "12",
      "lines.0.unit_price": "25.50",
    });
    expect(switched.status).toBe(302);
    const [row] = (await schedules()).filter((s) => s.id === linesId);
    expect(row).toMatchObject({ retainer_amount_cents: 30_000, lines: [], tax_rate_bps: 1900, auto_send: true });
  });

  it("pauses and resumes; the job bills only active schedules, each period once", async () => {
    const paused = await manager.post(`/invoices/recurring/${linesId}`, { intent: "pause" });
    expect(paused.status).toBe(302);
    let page = await manager.get(`/invoices/recurring/${linesId}`);
    expect(pageState(page.html).loaderData[ROUTE.schedule].schedule).toMatchObject({
      active: false,
      next_period_start: null,
    });
    expect(visibleText(page.html)).toContain("Resume");

    await generate();
    page = await manager.get(`/invoices/recurring/${retainerId}`);
    let data = pageState(page.html).loaderData[ROUTE.schedule];
    expect(data.runs).toHaveLength(1);
    const [run] = data.runs;
    expect(run).toMatchObject({ period_start: day(-3), invoice_number: null, status: "draft" });
    expect(data.schedule.invoices_generated).toBe(1);
    expect(page.html).toContain(`href="/invoices/${run.invoice_id}"`);
    expect(visibleText(page.html)).toContain("Draft");
    expect(
      pageState((await manager.get(`/invoices/recurring/${linesId}`)).html).loaderData[ROUTE.schedule].runs,
    ).toEqual([]);

    const resumed = await manager.post(`/invoices/recurring/${linesId}`, { intent: "resume" });
    expect(resumed.status).toBe(302);
    await generate();
    await generate();
    data = pageState((await manager.get(`/invoices/recurring/${linesId}`)).html).loaderData[ROUTE.schedule];
    // Auto-send: issued with a number (the client has no contact to email).
    expect(data.runs).toEqual([expect.objectContaining({ period_start: day(-3), status: "sent" })]);
    expect(data.runs[0].invoice_number).toMatch(/^INV-\d{4}-0001$/);
    data = pageState((await manager.get(`/invoices/recurring/${retainerId}`)).html).loaderData[ROUTE.schedule];
    expect(data.runs).toHaveLength(1);

    // The list links each schedule's latest invoice.
    const list = await owner.get("/invoices/recurring");
    expect(list.html).toContain(`href="/invoices/${run.invoice_id}"`);
  });

  it("shows a deleted draft as deleted, and the job does not bill that period again", async () => {
    const data = pageState((await manager.get(`/invoices/recurring/${retainerId}`)).html).loaderData[ROUTE.schedule];
    const invoiceId = data.runs[0].invoice_id as string;
    const deleted = await manager.post(`/invoices/${invoiceId}`, { intent: "delete" });
    expect(deleted.status).toBe(302);
    await generate();
    const page = await manager.get(`/invoices/recurring/${retainerId}`);
    expect(pageState(page.html).loaderData[ROUTE.schedule].runs).toEqual([
      expect.objectContaining({ period_start: day(-3), invoice_id: null }),
    ]);
    expect(visibleText(page.html)).toContain("Deleted");
    const list = await owner.get("/invoices/recurring");
    expect(visibleText(list.html)).toContain("Latest deleted");
  });
});

describe("a schedule the job could not bill", () => {
  it("says so on its page and in the list", async () => {
    await adminSql()`
      update public.recurring_invoices set last_error = 'Stand-in failure for the page test.', last_error_at = now()
      where id = ${linesId}`;
    const page = await manager.get(`/invoices/recurring/${linesId}`);
    expect(visibleText(page.html)).toContain("The last period could not be billed");
    expect(visibleText(page.html)).toContain("Stand-in failure for the page test.");
    expect(visibleText((await manager.get("/invoices/recurring")).html)).toContain("Last run failed");
    await adminSql()`update public.recurring_invoices set last_error = null, last_error_at = null where id = ${linesId}`;
  });
});

describe("who may see schedules", () => {
  it("turns members away from every page and refuses their posts", async () => {
    for (const path of ["/invoices/recurring", "/invoices/recurring/new", `/invoices/recurring/${retainerId}`]) {
      const page = await member.get(path);
      expect(page.status, path).toBe(403);
      expect(visibleText(page.html)).toContain("Invoices are for owners and managers");
    }
    const before = await schedules();
    expect((await member.post(`/invoices/recurring/${retainerId}`, { intent: "pause" })).status).toBe(403);
    expect((await member.post("/invoices/recurring/new", retainerFields())).status).toBe(403);
    expect(await schedules()).toEqual(before);
  });

  it("hides schedules from members in the database too (RLS), not only in the pages", async () => {
    const visible = await adminSql().begin(async (tx) => {
      const claims = JSON.stringify({ sub: a.member.user_id, role: "authenticated", aud: "authenticated" });
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
      const [row] = await tx<{ schedules: number; runs: number }[]>`
        select (select count(*)::int from public.recurring_invoices) as schedules,
               (select count(*)::int from public.recurring_invoice_runs) as runs`;
      return row!;
    });
    expect(visible).toEqual({ schedules: 0, runs: 0 });
  });

  it("answers another agency's owner with 404 and an empty list", async () => {
    const page = await stranger.get(`/invoices/recurring/${retainerId}`);
    expect(page.status).toBe(404);
    const before = await schedules();
    const post = await stranger.post(`/invoices/recurring/${retainerId}`, { intent: "pause" });
    expect(post.status).toBe(404);
    expect(await schedules()).toEqual(before);
    const list = await stranger.get("/invoices/recurring");
    expect(pageState(list.html).loaderData[ROUTE.list]).toEqual({ schedules: [] });
  });
});
