import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import {
  backdate,
  expectInvoiceRefused,
  expectTotalsFollowLines,
  hoursOf,
  invoiceState,
  type Invoice,
} from "../setup/invoices.ts";
import { apiAs, created, NIL_UUID, type Actor } from "../setup/projects.ts";
import { addDays, localToday, timeAgency, type TimeAgency } from "../setup/time.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Invoices over the API: drafts from time logged through the real time API (grouping, per-project
 * rounding), milestones, manual and discount lines with totals checked against the SQL rule
 * computed independently, issue (gapless numbers per agency), void and delete releasing work,
 * manual payments and the derived status, list and aging, who may see what, every refusal
 * writing nothing, and two drafts racing for one project's time.
 */
// Hundreds of calls by one manager within a minute: the per-user API limit is not under test here.
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

const ZONE = "Europe/Berlin";
const daysAgo = (n: number) => addDays(localToday(ZONE), -n);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** to_char(date, 'FMDD Mon YYYY'): the date grouping's line label. */
const dateLabel = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return `${d} ${MONTHS[m! - 1]} ${y}`;
};

const draft = (as: Actor, body: unknown) => api(as, "/api/invoices", { body });
const get = (as: Actor, id: string) => api(as, `/api/invoices/${id}`);
const issue = (as: Actor, id: string) => api(as, `/api/invoices/${id}/issue`, { method: "POST" });
const voidIt = (as: Actor, id: string, body?: unknown) => api(as, `/api/invoices/${id}/void`, { method: "POST", body });
const pay = (as: Actor, id: string, body: unknown) => api(as, `/api/invoices/${id}/payments`, { body });
const remove = (as: Actor, id: string) => api(as, `/api/invoices/${id}`, { method: "DELETE" });

async function drafted(as: Actor, body: unknown): Promise<Invoice> {
  return created<Invoice>(draft(as, body));
}

/** Logs a date + duration entry through the time API as a team member. */
async function logTime(
  as: Actor,
  body: { project_id: string; date: string; duration_seconds: number; task_id?: string; is_billable?: boolean },
): Promise<string> {
  const [entry] = await created<Array<{ id: string }>>(
    api(as, "/api/time-entries", { body: { description: "Work", ...body } }),
  );
  return entry!.id;
}

async function setRate(a: TimeAgency, projectId: string, userId: string, cents: number) {
  await created(
    api(a.manager, `/api/projects/${projectId}/members`, { body: { user_id: userId, billable_rate_cents: cents } }),
    200,
  );
}

async function entryLinks(ids: string[]) {
  return adminSql()<
    { id: string; invoice_id: string | null; invoice_line_id: string | null; duration_seconds: number }[]
  >`
    select id, invoice_id, invoice_line_id, duration_seconds from public.time_entries where id in ${adminSql()(ids)}
    order by id`;
}

const lineShape = (line: Record<string, any>) => [
  line.kind,
  line.description,
  line.quantity,
  line.unit_price_cents,
  line.tax_rate_bps,
  line.entry_count,
];

describe("drafts from tracked time", () => {
  let a: TimeAgency;
  let e: Record<string, string>;

  beforeAll(async () => {
    a = await timeAgency(request, "inv-time", ZONE);
    const agencyId = a.owner.agency.id;
    await adminSql()`update public.agencies set default_tax_rate_bp = 1950, default_hourly_rate_cents = 5000
                     where id = ${agencyId}`;
    // Per entry, up to the next quarter hour; the other project bills raw time.
    await adminSql()`update public.projects set invoice_rounding = 'up', invoice_rounding_minutes = 15
                     where id = ${a.project.id}`;
    await setRate(a, a.project.id, a.member.user_id, 12_345);
    await setRate(a, a.project.id, a.colleague.user_id, 9_999);
    const p = a.project.id;
    e = {
      designD3: await logTime(a.member, {
        project_id: p,
        task_id: a.task.id,
        date: daysAgo(3),
        duration_seconds: 1000,
      }),
      generalD3: await logTime(a.member, { project_id: p, date: daysAgo(3), duration_seconds: 3607 }),
      colleagueD2: await logTime(a.colleague, {
        project_id: p,
        task_id: a.task.id,
        date: daysAgo(2),
        duration_seconds: 2000,
      }),
      designD1: await logTime(a.member, {
        project_id: p,
        task_id: a.task.id,
        date: daysAgo(1),
        duration_seconds: 1234,
      }),
      unbillable: await logTime(a.member, {
        project_id: p,
        date: daysAgo(2),
        duration_seconds: 600,
        is_billable: false,
      }),
      other: await logTime(a.member, { project_id: a.otherProject.id, date: daysAgo(2), duration_seconds: 900 }),
    };
  });

  it("groups by task (default) with each entry rounded up to 15 minutes; raw entries stay; each entry links to its line", async () => {
    const invoice = await drafted(a.manager, { project_id: a.project.id });
    expect(invoice).toMatchObject({
      status: "draft",
      invoice_number: null,
      client_id: a.clientId,
      project_id: a.project.id,
      currency: "EUR",
      issue_date: null,
      due_date: null,
      amount_paid_cents: 0,
      amount_due_cents: 0,
      payments: [],
    });
    // 1000 s → 1800, 1234 s → 1800 (one line: same task and rate); 3607 s → 4500; 2000 s → 2700.
    expect(invoice.lines.map(lineShape)).toEqual([
      ["time", "Design", 1, 12_345, 1950, 2],
      ["time", "General work", 1.25, 12_345, 1950, 1],
      ["time", "Design", 0.75, 9_999, 1950, 1],
    ]);
    expectTotalsFollowLines(invoice);
    const links = await entryLinks(Object.values(e));
    const byId = Object.fromEntries(links.map((l) => [l.id, l]));
    const [design, general, colleague] = invoice.lines;
    expect(byId[e.designD3!]).toMatchObject({
      invoice_id: invoice.id,
      invoice_line_id: design!.id,
      duration_seconds: 1000,
    });
    expect(byId[e.designD1!]).toMatchObject({
      invoice_id: invoice.id,
      invoice_line_id: design!.id,
      duration_seconds: 1234,
    });
    expect(byId[e.generalD3!]).toMatchObject({ invoice_line_id: general!.id, duration_seconds: 3607 });
    expect(byId[e.colleagueD2!]).toMatchObject({ invoice_line_id: colleague!.id, duration_seconds: 2000 });
    expect(byId[e.unbillable!]).toMatchObject({ invoice_id: null, invoice_line_id: null });
    expect(byId[e.other!]).toMatchObject({ invoice_id: null });

    // Invoiced time is immutable through the time API.
    const locked = await api(a.member, `/api/time-entries/${e.designD3}`, {
      method: "PATCH",
      body: { description: "Changed" },
    });
    expect([locked.status, locked.body.code]).toEqual([422, "entry_locked"]);

    // Nothing is left for a second draft of the project.
    await expectInvoiceRefused(a.owner.agency.id, () => draft(a.manager, { project_id: a.project.id }), {
      status: 422,
      code: "invoice_empty",
    });

    // Deleting the draft releases everything; a new draft picks the same entries up again.
    expect((await remove(a.manager, invoice.id)).status).toBe(204);
    expect((await get(a.manager, invoice.id)).status).toBe(404);
    expect((await entryLinks(Object.values(e))).every((l) => l.invoice_id === null)).toBe(true);
    const again = await drafted(a.owner, { project_id: a.project.id, grouping: "person" });
    expect(again.lines.map(lineShape)).toEqual([
      ["time", "inv-time-member person", hoursOf(1800 + 4500 + 1800), 12_345, 1950, 3],
      ["time", "inv-time-colleague person", 0.75, 9_999, 1950, 1],
    ]);
    expectTotalsFollowLines(again);
    expect((await remove(a.owner, again.id)).status).toBe(204);
  });

  it("groups by date and in a single line; a period picks its days only", async () => {
    const byDate = await drafted(a.manager, { project_id: a.project.id, grouping: "date" });
    expect(byDate.lines.map(lineShape)).toEqual([
      ["time", dateLabel(daysAgo(3)), 1.75, 12_345, 1950, 2],
      ["time", dateLabel(daysAgo(2)), 0.75, 9_999, 1950, 1],
      ["time", dateLabel(daysAgo(1)), 0.5, 12_345, 1950, 1],
    ]);
    expect((await remove(a.manager, byDate.id)).status).toBe(204);

    const recent = await drafted(a.manager, {
      project_id: a.project.id,
      grouping: "single",
      period_from: daysAgo(2),
      period_to: daysAgo(1),
    });
    expect(recent).toMatchObject({ period_from: daysAgo(2), period_to: daysAgo(1) });
    expect(recent.lines.map(lineShape).sort()).toEqual(
      [
        ["time", "Professional services", 0.5, 12_345, 1950, 1],
        ["time", "Professional services", 0.75, 9_999, 1950, 1],
      ].sort(),
    );
    const older = await drafted(a.manager, { project_id: a.project.id, grouping: "single", period_to: daysAgo(3) });
    expect(older.lines.map(lineShape)).toEqual([["time", "Professional services", 1.75, 12_345, 1950, 2]]);
    const links = await entryLinks([e.designD3!, e.generalD3!, e.colleagueD2!, e.designD1!]);
    expect(links.map((l) => l.invoice_id).sort()).toEqual([older.id, older.id, recent.id, recent.id].sort());
    await Promise.all([remove(a.manager, recent.id), remove(a.manager, older.id)]);
  });

  it("a client-wide draft bills every project of the client, each by its own rounding, labelled by project", async () => {
    const invoice = await drafted(a.manager, { client_id: a.clientId, grouping: "single" });
    expect(invoice.project_id).toBeNull();
    const shapes = invoice.lines.map(lineShape);
    expect(shapes).toEqual(
      expect.arrayContaining([
        ["time", "Professional services — inv-time project", 2.25, 12_345, 1950, 3],
        ["time", "Professional services — inv-time project", 0.75, 9_999, 1950, 1],
        // Raw time on the other project: 900 s at the agency rate.
        ["time", "Professional services — inv-time other", 0.25, 5000, 1950, 1],
      ]),
    );
    expect(shapes).toHaveLength(3);
    expectTotalsFollowLines(invoice);
    expect((await remove(a.manager, invoice.id)).status).toBe(204);
  });

  it("keeps totals to the SQL rule with awkward quantities, prices, rates and a discount", async () => {
    const lines = [
      { description: "Hosting", quantity: 3, unit_price_cents: 3333, tax_rate_bps: 1950 },
      { description: "Licences", quantity: 0.3333, unit_price_cents: 1001, tax_rate_bps: 1950 },
      { description: "Half a cent up", quantity: 2.5, unit_price_cents: 1, tax_rate_bps: 2000 },
      { description: "Tax on a half", quantity: 1, unit_price_cents: 25, tax_rate_bps: 1000 },
      { description: "Small discount", quantity: 0.5, unit_price_cents: -5, tax_rate_bps: 1000 },
      { description: "Agency tax rate", quantity: 1.2345, unit_price_cents: 9999 },
      { description: "Odd rate", quantity: 7, unit_price_cents: 1429, tax_rate_bps: 725 },
    ];
    const invoice = await drafted(a.manager, { project_id: a.project.id, include_time: false, lines });
    expect(invoice.lines.map((l) => [l.kind, l.description, l.amount_cents, l.tax_cents])).toEqual([
      ["manual", "Hosting", 9999, 1950],
      ["manual", "Licences", 334, 65],
      ["manual", "Half a cent up", 3, 1],
      ["manual", "Tax on a half", 25, 3],
      ["discount", "Small discount", -3, 0],
      ["manual", "Agency tax rate", 12_344, 2407],
      ["manual", "Odd rate", 10_003, 725],
    ]);
    expect(invoice.lines.find((l) => l.description === "Agency tax rate")!.tax_rate_bps).toBe(1950);
    expectTotalsFollowLines(invoice);
    expect(invoice).toMatchObject({ subtotal_cents: 32_705, tax_cents: 5151, total_cents: 37_856 });
    // No time was taken.
    expect((await entryLinks(Object.values(e))).every((l) => l.invoice_id === null)).toBe(true);

    const discounted = await created<Invoice>(
      api(a.manager, `/api/invoices/${invoice.id}/lines`, {
        body: { description: "Loyalty discount", unit_price_cents: -1234, tax_rate_bps: 1950 },
      }),
    );
    const discount = discounted.lines.at(-1)!;
    expect(discount).toMatchObject({
      kind: "discount",
      quantity: 1,
      amount_cents: -1234,
      tax_cents: -241,
      position: 8,
    });
    expectTotalsFollowLines(discounted);
    expect(discounted.total_cents).toBe(37_856 - 1234 - 241);

    const added = await created<Invoice>(
      api(a.manager, `/api/invoices/${invoice.id}/lines`, {
        body: { description: "Extra", quantity: 0.0001, unit_price_cents: 4999 },
      }),
    );
    expect(added.lines.at(-1)).toMatchObject({ kind: "manual", amount_cents: 0, tax_cents: 0, tax_rate_bps: 1950 });

    const removed = await created<Invoice>(
      api(a.manager, `/api/invoices/${invoice.id}/lines/${discount.id}`, { method: "DELETE" }),
      200,
    );
    expect(removed.lines.map((l) => l.id)).not.toContain(discount.id);
    expect(removed.total_cents).toBe(37_856);
    expectTotalsFollowLines(removed);
    await expectInvoiceRefused(
      a.owner.agency.id,
      () => api(a.manager, `/api/invoices/${invoice.id}/lines/${discount.id}`, { method: "DELETE" }),
      { status: 404, code: "not_found" },
    );
    expect((await remove(a.manager, invoice.id)).status).toBe(204);
  });

  it("removing a time line from a draft gives its entries back", async () => {
    const invoice = await drafted(a.manager, { project_id: a.project.id });
    const general = invoice.lines.find((l) => l.description === "General work")!;
    const after = await created<Invoice>(
      api(a.manager, `/api/invoices/${invoice.id}/lines/${general.id}`, { method: "DELETE" }),
      200,
    );
    expect(after.lines).toHaveLength(2);
    expectTotalsFollowLines(after);
    const [link] = await entryLinks([e.generalD3!]);
    expect(link).toMatchObject({ invoice_id: null, invoice_line_id: null });
    const picked = await drafted(a.manager, { project_id: a.project.id });
    expect(picked.lines.map(lineShape)).toEqual([["time", "General work", 1.25, 12_345, 1950, 1]]);
    await Promise.all([remove(a.manager, invoice.id), remove(a.manager, picked.id)]);
  });
});

describe("milestones, issuing, voiding, payments", () => {
  let a: TimeAgency;
  let agencyId: string;
  let milestones: Record<string, string>;
  let entryId: string;

  beforeAll(async () => {
    a = await timeAgency(request, "inv-flow", ZONE);
    agencyId = a.owner.agency.id;
    await created(
      api(a.manager, `/api/projects/${a.project.id}`, { method: "PATCH", body: { hourly_rate_cents: 10_000 } }),
      200,
    );
    entryId = await logTime(a.member, { project_id: a.project.id, date: daysAgo(2), duration_seconds: 7200 });
    const milestone = async (projectId: string, body: Record<string, unknown>) =>
      (await created<{ id: string }>(api(a.manager, `/api/projects/${projectId}/milestones`, { body }))).id;
    milestones = {
      reached: await milestone(a.project.id, { title: "Launch", amount_cents: 150_000, status: "reached" }),
      pending: await milestone(a.project.id, { title: "Later", amount_cents: 50_000 }),
      noAmount: await milestone(a.project.id, { title: "Unpriced", status: "reached" }),
      elsewhere: await milestone(a.otherProject.id, { title: "Other", amount_cents: 70_000, status: "reached" }),
      theirs: (
        await created<{ id: string }>(
          api(a.stranger, `/api/projects/${a.theirProject.id}/milestones`, {
            body: { title: "Theirs", amount_cents: 1000, status: "reached" },
          }),
        )
      ).id,
    };
  });

  it("refuses bad drafts with field errors and writes nothing", async () => {
    const refused = (body: unknown, status: number, code: string, field?: string) =>
      expectInvoiceRefused(agencyId, () => draft(a.manager, body), { status, code, field });
    const p = a.project.id;
    await refused({ project_id: p, client_id: a.clientId }, 422, "validation_failed", "project_id");
    await refused({}, 422, "validation_failed", "project_id");
    await refused({ project_id: p, extra: 1 }, 422, "validation_failed");
    await refused({ project_id: "nope" }, 422, "validation_failed", "project_id");
    await refused({ project_id: p, grouping: "week" }, 422, "validation_failed", "grouping");
    await refused({ project_id: p, include_time: "yes" }, 422, "validation_failed", "include_time");
    await refused(
      { project_id: p, period_from: daysAgo(1), period_to: daysAgo(3) },
      422,
      "validation_failed",
      "period_to",
    );
    await refused({ project_id: p, due_date: "31.12.2026" }, 422, "validation_failed", "due_date");
    await refused({ project_id: p, notes: "x".repeat(5001) }, 422, "validation_failed", "notes");
    await refused(
      { project_id: p, milestone_ids: [milestones.reached, milestones.reached] },
      422,
      "validation_failed",
      "milestone_ids",
    );
    const line = { description: "Work", quantity: 1, unit_price_cents: 100, tax_rate_bps: 0 };
    await refused({ project_id: p, lines: [{ ...line, quantity: 0 }] }, 422, "validation_failed", "lines.0.quantity");
    await refused(
      { project_id: p, lines: [{ ...line, quantity: 1.00001 }] },
      422,
      "validation_failed",
      "lines.0.quantity",
    );
    await refused(
      { project_id: p, lines: [line, { ...line, description: "  " }] },
      422,
      "validation_failed",
      "lines.1.description",
    );
    await refused(
      { project_id: p, lines: [{ ...line, unit_price_cents: 1.5 }] },
      422,
      "validation_failed",
      "lines.0.unit_price_cents",
    );
    await refused(
      { project_id: p, lines: [{ ...line, tax_rate_bps: 10_001 }] },
      422,
      "validation_failed",
      "lines.0.tax_rate_bps",
    );
    await refused({ project_id: p, lines: [{ ...line, kind: "time" }] }, 422, "validation_failed");
    await refused(
      { project_id: p, lines: [{ ...line, quantity: 1_000_000, unit_price_cents: 100_000_000_000 }] },
      422,
      "validation_failed",
      "lines.0.unit_price_cents",
    );
    await expectInvoiceRefused(
      agencyId,
      () =>
        request("/api/invoices", {
          token: a.manager.access_token,
          rawBody: "{",
          headers: { "Content-Type": "application/json" },
        }),
      { status: 400, code: "invalid_json" },
    );
    // Someone else's project or client, and unknown ones: not found.
    await refused({ project_id: a.theirProject.id }, 404, "not_found");
    await refused({ project_id: NIL_UUID }, 404, "not_found");
    await refused({ client_id: NIL_UUID }, 404, "not_found");
    // Milestones: pending, unpriced, of another project, of another agency, unknown.
    for (const id of [milestones.pending, milestones.noAmount, milestones.elsewhere, milestones.theirs, NIL_UUID]) {
      await refused({ project_id: p, milestone_ids: [id] }, 422, "milestone_not_billable", "milestone_ids");
    }
    // Nothing to bill: the time stays unbilled (the draft and its time line were rolled back).
    await refused({ project_id: p, include_time: false }, 422, "invoice_empty");
    await refused({ project_id: a.heldProject.id }, 422, "invoice_empty");
    const [link] = await entryLinks([entryId]);
    expect(link!.invoice_id).toBeNull();
  });

  it("bills a reached milestone once; delete releases it", async () => {
    const invoice = await drafted(a.manager, {
      project_id: a.project.id,
      milestone_ids: [milestones.reached],
      include_time: false,
      notes: "Thanks",
    });
    expect(invoice.lines.map(lineShape)).toEqual([["milestone", "Milestone: Launch", 1, 150_000, 0, 0]]);
    expect(invoice).toMatchObject({ subtotal_cents: 150_000, total_cents: 150_000, notes: "Thanks" });
    const [row] =
      await adminSql()`select invoice_id, invoice_line_id from public.milestones where id = ${milestones.reached!}`;
    expect(row).toEqual({ invoice_id: invoice.id, invoice_line_id: invoice.lines[0]!.id });
    await expectInvoiceRefused(
      agencyId,
      () => draft(a.manager, { project_id: a.project.id, milestone_ids: [milestones.reached] }),
      { status: 422, code: "milestone_not_billable", field: "milestone_ids" },
    );
    // An invoiced milestone keeps its amount.
    const changed = await api(a.manager, `/api/milestones/${milestones.reached}`, {
      method: "PATCH",
      body: { amount_cents: 1 },
    });
    expect([changed.status, changed.body.code]).toEqual([422, "milestone_invoiced"]);
    expect((await remove(a.manager, invoice.id)).status).toBe(204);
    const [released] = await adminSql()`select invoice_id from public.milestones where id = ${milestones.reached!}`;
    expect(released!.invoice_id).toBeNull();
  });

  it("edits a draft; issues it with the next number; then it only takes payments or a void", async () => {
    const invoice = await drafted(a.manager, {
      project_id: a.project.id,
      milestone_ids: [milestones.reached],
      lines: [{ description: "Setup", quantity: 1, unit_price_cents: 5000, tax_rate_bps: 2000 }],
    });
    expect(invoice.lines.map((l) => l.kind)).toEqual(["time", "milestone", "manual"]);
    expect(invoice.total_cents).toBe(20_000 + 150_000 + 6000);

    const patched = await created<Invoice>(
      api(a.manager, `/api/invoices/${invoice.id}`, {
        method: "PATCH",
        body: { notes: " Net 30 ", terms: "Pay by bank transfer." },
      }),
      200,
    );
    expect(patched).toMatchObject({ notes: "Net 30", terms: "Pay by bank transfer.", due_date: null });
    await expectInvoiceRefused(
      agencyId,
      () => api(a.manager, `/api/invoices/${invoice.id}`, { method: "PATCH", body: {} }),
      {
        status: 422,
        code: "validation_failed",
      },
    );
    await expectInvoiceRefused(
      agencyId,
      () => api(a.manager, `/api/invoices/${invoice.id}`, { method: "PATCH", body: { total_cents: 1 } }),
      { status: 422, code: "validation_failed" },
    );
    // A due date before today is refused when issuing, and no number is used up.
    await created(
      api(a.manager, `/api/invoices/${invoice.id}`, { method: "PATCH", body: { due_date: daysAgo(1) } }),
      200,
    );
    await expectInvoiceRefused(agencyId, () => issue(a.manager, invoice.id), {
      status: 422,
      code: "due_before_issue",
      field: "due_date",
    });
    await created(api(a.manager, `/api/invoices/${invoice.id}`, { method: "PATCH", body: { due_date: null } }), 200);
    // Voiding or paying a draft: not yet.
    await expectInvoiceRefused(agencyId, () => voidIt(a.manager, invoice.id), {
      status: 422,
      code: "invoice_not_voidable",
    });
    await expectInvoiceRefused(agencyId, () => pay(a.manager, invoice.id, { amount_cents: 100, method: "cash" }), {
      status: 422,
      code: "invoice_not_payable",
    });

    const today = localToday(ZONE);
    const issued = await created<Invoice>(issue(a.manager, invoice.id), 200);
    expect(issued).toMatchObject({
      status: "sent",
      invoice_number: `INV-${today.slice(0, 4)}-0001`,
      issue_date: today,
      due_date: addDays(today, 30),
      amount_due_cents: 176_000,
    });
    expect(issued.sent_at).toEqual(expect.any(String));

    // Issued: no edits, no lines, no delete, no second issue.
    const id = invoice.id;
    const line = issued.lines[0]!.id;
    for (const run of [
      () => api(a.manager, `/api/invoices/${id}`, { method: "PATCH", body: { notes: "late" } }),
      () => api(a.manager, `/api/invoices/${id}/lines`, { body: { description: "More", unit_price_cents: 1 } }),
      () => api(a.manager, `/api/invoices/${id}/lines/${line}`, { method: "DELETE" }),
      () => remove(a.manager, id),
      () => issue(a.manager, id),
    ]) {
      await expectInvoiceRefused(agencyId, run, { status: 422, code: "invoice_not_draft" });
    }

    // The next issued invoice of the agency is 0002; another agency starts at its own 0001.
    const second = await drafted(a.manager, {
      project_id: a.project.id,
      include_time: false,
      lines: [{ description: "Support", unit_price_cents: 999 }],
    });
    expect((await created<Invoice>(issue(a.owner, second.id), 200)).invoice_number).toBe(
      `INV-${today.slice(0, 4)}-0002`,
    );
    const theirs = await drafted(a.stranger, {
      project_id: a.theirProject.id,
      include_time: false,
      lines: [{ description: "Theirs", unit_price_cents: 100 }],
    });
    expect((await created<Invoice>(issue(a.stranger, theirs.id), 200)).invoice_number).toBe(
      `INV-${today.slice(0, 4)}-0001`,
    );

    // A negative invoice and an emptied one are never issued (and take no number).
    const negative = await drafted(a.manager, {
      project_id: a.project.id,
      include_time: false,
      lines: [{ description: "Credit", unit_price_cents: -500 }],
    });
    await expectInvoiceRefused(agencyId, () => issue(a.manager, negative.id), {
      status: 422,
      code: "invoice_negative",
    });
    await created(
      api(a.manager, `/api/invoices/${negative.id}/lines/${negative.lines[0]!.id}`, { method: "DELETE" }),
      200,
    );
    await expectInvoiceRefused(agencyId, () => issue(a.manager, negative.id), { status: 422, code: "invoice_empty" });
    expect((await remove(a.manager, negative.id)).status).toBe(204);

    // Payments: partial → partially_paid; more than due refused; the rest → paid.
    const bad = (body: unknown, code: string, field?: string, status = 422) =>
      expectInvoiceRefused(agencyId, () => pay(a.manager, id, body), { status, code, field });
    await bad({ amount_cents: 0, method: "cash" }, "validation_failed", "amount_cents");
    await bad({ amount_cents: 1.5, method: "cash" }, "validation_failed", "amount_cents");
    await bad({ amount_cents: 100, method: "stripe" }, "validation_failed", "method");
    await bad({ amount_cents: 100 }, "validation_failed", "method");
    await bad({ amount_cents: 100, method: "cash", paid_at: "yesterday" }, "validation_failed", "paid_at");
    await bad({ amount_cents: 100, method: "cash", stripe_event_id: "evt_1" }, "validation_failed");
    await bad({ amount_cents: 176_001, method: "bank_transfer" }, "payment_exceeds_due", "amount_cents");
    await bad({ amount_cents: -1, method: "bank_transfer" }, "refund_exceeds_paid", "amount_cents");

    const partial = await created<Invoice>(
      pay(a.manager, id, {
        amount_cents: 76_000,
        method: "bank_transfer",
        reference: "SEPA 42",
        paid_at: `${daysAgo(1)}T10:00:00Z`,
      }),
    );
    expect(partial).toMatchObject({ status: "partially_paid", amount_paid_cents: 76_000, amount_due_cents: 100_000 });
    expect(partial.payments).toEqual([
      expect.objectContaining({
        amount_cents: 76_000,
        method: "bank_transfer",
        reference: "SEPA 42",
        stripe_event_id: null,
      }),
    ]);
    await bad({ amount_cents: 100_001, method: "cash" }, "payment_exceeds_due", "amount_cents");
    await expectInvoiceRefused(agencyId, () => voidIt(a.manager, id), { status: 422, code: "invoice_not_voidable" });
    const paid = await created<Invoice>(pay(a.owner, id, { amount_cents: 100_000, method: "card" }));
    expect(paid).toMatchObject({ status: "paid", amount_paid_cents: 176_000, amount_due_cents: 0 });
    expect(paid.paid_at).toEqual(expect.any(String));
    await bad({ amount_cents: 1, method: "cash" }, "payment_exceeds_due", "amount_cents");
    // A refund makes it partially paid again.
    const refunded = await created<Invoice>(
      pay(a.manager, id, { amount_cents: -6000, method: "other", reference: "refund" }),
    );
    expect(refunded).toMatchObject({ status: "partially_paid", amount_paid_cents: 170_000, amount_due_cents: 6000 });
  });

  it("voids an issued, unpaid invoice: its number stays used and its work is billable again", async () => {
    const invoice = await drafted(a.manager, {
      project_id: a.otherProject.id,
      milestone_ids: [milestones.elsewhere],
    });
    const issued = await created<Invoice>(issue(a.manager, invoice.id), 200);
    const voided = await created<Invoice>(voidIt(a.manager, invoice.id, { reason: "  Wrong client " }), 200);
    expect(voided).toMatchObject({
      status: "void",
      invoice_number: issued.invoice_number,
      void_reason: "Wrong client",
      amount_due_cents: 0,
    });
    expect(voided.voided_at).toEqual(expect.any(String));
    const [milestone] = await adminSql()`select invoice_id from public.milestones where id = ${milestones.elsewhere!}`;
    expect(milestone!.invoice_id).toBeNull();
    await expectInvoiceRefused(agencyId, () => voidIt(a.manager, invoice.id), {
      status: 422,
      code: "invoice_not_voidable",
    });
    await expectInvoiceRefused(agencyId, () => pay(a.manager, invoice.id, { amount_cents: 1, method: "cash" }), {
      status: 422,
      code: "invoice_not_payable",
    });
    await expectInvoiceRefused(agencyId, () => voidIt(a.manager, invoice.id, { reason: 5 }), {
      status: 422,
      code: "validation_failed",
      field: "reason",
    });
    const rebilled = await drafted(a.manager, { project_id: a.otherProject.id, milestone_ids: [milestones.elsewhere] });
    expect(rebilled.lines.map(lineShape)).toEqual([["milestone", "Milestone: Other", 1, 70_000, 0, 0]]);
    // Voiding released time too: issue and void a time invoice, then draft it again.
    const timeEntry = await logTime(a.colleague, {
      project_id: a.otherProject.id,
      date: daysAgo(4),
      duration_seconds: 1800,
    });
    await remove(a.manager, rebilled.id);
    // The colleague's time is worth nothing here (no rate): a setup fee makes the invoice worth issuing.
    const withTime = await drafted(a.manager, {
      project_id: a.otherProject.id,
      lines: [{ description: "Setup", quantity: 1, unit_price_cents: 1_000, tax_rate_bps: 0 }],
    });
    await created(issue(a.manager, withTime.id), 200);
    await created(voidIt(a.manager, withTime.id), 200);
    const [released] = await entryLinks([timeEntry]);
    expect(released).toMatchObject({ invoice_id: null, invoice_line_id: null });
    const redrafted = await drafted(a.manager, { project_id: a.otherProject.id, include_time: true });
    expect(redrafted.lines.find((l) => l.kind === "time")).toMatchObject({ quantity: 0.5, entry_count: 1 });
  });

  it("lists with filters and pages, derives overdue, and sums aging buckets per currency", async () => {
    const all = await api(a.manager, "/api/invoices");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, per_page: 50 });
    const statuses = all.body.data.map((i: Invoice) => i.status).sort();
    expect(statuses).toEqual(["draft", "partially_paid", "sent", "void", "void"]);
    expect(all.body.total).toBe(5);
    for (const item of all.body.data) {
      expect(item).toEqual(
        expect.objectContaining({
          client_name: "inv-flow Client",
          currency: "EUR",
          amount_due_cents: expect.any(Number),
        }),
      );
    }

    const sent = all.body.data.find((i: Invoice) => i.status === "sent");
    const partially = all.body.data.find((i: Invoice) => i.status === "partially_paid");
    // 45 days past due: overdue before any job runs, in the 31–60 bucket.
    await backdate(sent.id, daysAgo(75), daysAgo(45));
    const overdue = await api(a.manager, "/api/invoices?status=overdue");
    expect(overdue.body.data.map((i: Invoice) => i.id)).toEqual([sent.id]);
    expect(overdue.body.data[0].status).toBe("overdue");
    expect((await get(a.manager, sent.id)).body.data.status).toBe("overdue");

    const byProject = await api(a.manager, `/api/invoices?project_id=${a.project.id}&status=partially_paid`);
    expect(byProject.body.data.map((i: Invoice) => i.id)).toEqual([partially.id]);
    const other = await api(a.manager, `/api/invoices?project_id=${a.otherProject.id}`);
    expect(other.body.data.map((i: Invoice) => i.status).sort()).toEqual(["draft", "void", "void"]);
    const byClient = await api(a.manager, `/api/invoices?client_id=${a.clientId}&per_page=2&page=2`);
    expect(byClient.body).toMatchObject({ total: 5, page: 2, per_page: 2 });
    expect(byClient.body.data).toHaveLength(2);
    const old = await api(a.manager, `/api/invoices?to=${daysAgo(60)}`);
    expect(old.body.data.map((i: Invoice) => i.id)).toEqual([sent.id]);
    const recent = await api(a.manager, `/api/invoices?from=${daysAgo(1)}`);
    expect(recent.body.total).toBe(4);
    for (const [query, field] of [
      ["?status=late", "status"],
      ["?client_id=x", "client_id"],
      ["?from=2026-13-01", "from"],
      [`?from=${daysAgo(1)}&to=${daysAgo(2)}`, "to"],
      ["?per_page=101", "per_page"],
      ["?page=0", "page"],
      ["?sort=total", "_"],
    ]) {
      const bad = await api(a.manager, `/api/invoices${query}`);
      expect([bad.status, bad.body.code, Object.keys(bad.body.errors ?? {})], query).toEqual([
        422,
        "validation_failed",
        [field],
      ]);
    }

    const aging = await api(a.manager, "/api/invoices/aging");
    expect(aging.status).toBe(200);
    expect(aging.body.data).toEqual([
      { currency: "EUR", current: 6000, days_1_30: 0, days_31_60: 999, days_61_90: 0, days_90_plus: 0 },
    ]);
  });
});

describe("who may see invoices", () => {
  let a: TimeAgency;
  let invoice: Invoice;
  let issued: Invoice;

  beforeAll(async () => {
    a = await timeAgency(request, "inv-access", ZONE);
    await logTime(a.member, { project_id: a.project.id, date: daysAgo(2), duration_seconds: 3600 });
    invoice = await drafted(a.manager, {
      project_id: a.project.id,
      lines: [{ description: "Setup", unit_price_cents: 10_000 }],
    });
    issued = await drafted(a.owner, {
      project_id: a.project.id,
      include_time: false,
      lines: [{ description: "Other", unit_price_cents: 500 }],
    });
    issued = await created<Invoice>(issue(a.owner, issued.id), 200);
  });

  it("members get 404 on every invoice endpoint and 403 on create; nothing is written", async () => {
    const agencyId = a.owner.agency.id;
    for (const as of [a.member, a.colleague]) {
      const calls: Array<[string, () => ReturnType<typeof get>]> = [
        ["list", () => api(as, "/api/invoices")],
        ["aging", () => api(as, "/api/invoices/aging")],
        ["get", () => get(as, invoice.id)],
        ["patch", () => api(as, `/api/invoices/${invoice.id}`, { method: "PATCH", body: { notes: "mine" } })],
        ["delete", () => remove(as, invoice.id)],
        [
          "add line",
          () => api(as, `/api/invoices/${invoice.id}/lines`, { body: { description: "x", unit_price_cents: 1 } }),
        ],
        [
          "remove line",
          () => api(as, `/api/invoices/${invoice.id}/lines/${invoice.lines[0]!.id}`, { method: "DELETE" }),
        ],
        ["issue", () => issue(as, invoice.id)],
        ["void", () => voidIt(as, issued.id)],
        ["pay", () => pay(as, issued.id, { amount_cents: 100, method: "cash" })],
      ];
      for (const [name, run] of calls) {
        const response = await expectInvoiceRefused(agencyId, run, { status: 404, code: "not_found" });
        expect(JSON.stringify(response.body), name).not.toContain("Setup");
      }
      await expectInvoiceRefused(agencyId, () => draft(as, { project_id: a.project.id }), {
        status: 403,
        code: "forbidden",
      });
    }
  });

  it("another agency gets 404 for every invoice and cannot draft from this agency's project or client", async () => {
    const agencyId = a.owner.agency.id;
    const them = a.stranger;
    for (const run of [
      () => get(them, invoice.id),
      () => api(them, `/api/invoices/${invoice.id}`, { method: "PATCH", body: { notes: "theirs" } }),
      () => remove(them, invoice.id),
      () => api(them, `/api/invoices/${invoice.id}/lines`, { body: { description: "x", unit_price_cents: 1 } }),
      () => api(them, `/api/invoices/${invoice.id}/lines/${invoice.lines[0]!.id}`, { method: "DELETE" }),
      () => issue(them, invoice.id),
      () => voidIt(them, issued.id),
      () => pay(them, issued.id, { amount_cents: 100, method: "cash" }),
      () => draft(them, { project_id: a.project.id }),
      () => draft(them, { client_id: a.clientId }),
    ]) {
      await expectInvoiceRefused(agencyId, run, { status: 404, code: "not_found" });
    }
    const theirs = await api(them, "/api/invoices");
    expect(theirs.body).toMatchObject({ data: [], total: 0 });
    const aging = await api(them, "/api/invoices/aging");
    expect(aging.body.data).toEqual([]);
    // Without a token: 401.
    expect((await request("/api/invoices")).status).toBe(401);
    expect((await request(`/api/invoices/${invoice.id}`)).status).toBe(401);
    // Unknown methods: 405 with Allow.
    const put = await api(a.manager, `/api/invoices/${invoice.id}/issue`, { method: "PUT", body: {} });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "POST"]);
    // Documented from the same schemas.
    const doc = (await request("/api/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/invoices",
        "/api/invoices/aging",
        "/api/invoices/{invoiceId}",
        "/api/invoices/{invoiceId}/lines",
        "/api/invoices/{invoiceId}/lines/{lineId}",
        "/api/invoices/{invoiceId}/issue",
        "/api/invoices/{invoiceId}/void",
        "/api/invoices/{invoiceId}/payments",
      ]),
    );
    expect(doc.paths["/api/invoices"].post.requestBody.content["application/json"].schema).toMatchObject({
      additionalProperties: false,
    });
    // A malformed id is a validation error, not a crash.
    const malformed = await get(a.manager, "not-a-uuid");
    expect([malformed.status, malformed.body.code]).toEqual([422, "validation_failed"]);
  });
});

describe("concurrent invoice generation on one project", () => {
  it("never bills an entry twice: every entry on at most one line, the drafts' time equals the entries' once", async () => {
    const a = await timeAgency(request, "inv-race", ZONE);
    const agencyId = a.owner.agency.id;
    await setRate(a, a.project.id, a.member.user_id, 7_777);
    await setRate(a, a.project.id, a.colleague.user_id, 3_333);
    const allEntries: string[] = [];
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const entries: Array<{ id: string; seconds: number }> = [];
      for (let i = 0; i < 6; i++) {
        const seconds = 600 + round * 97 + i * 61;
        const as = i % 2 === 0 ? a.member : a.colleague;
        const id = await logTime(as, {
          project_id: a.project.id,
          task_id: i % 3 === 0 ? a.task.id : undefined,
          date: daysAgo(1 + ((round * 6 + i) % 20)),
          duration_seconds: seconds,
        });
        entries.push({ id, seconds });
      }
      allEntries.push(...entries.map((entry) => entry.id));
      const grouping = (["task", "person", "date", "single"] as const)[round % 4];
      const answers = await Promise.all([
        draft(a.manager, { project_id: a.project.id, grouping }),
        draft(a.owner, { project_id: a.project.id, grouping: "single" }),
      ]);
      const made: Invoice[] = [];
      for (const answer of answers) {
        outcomes.push(`${answer.status} ${answer.body?.code ?? ""}`.trim());
        if (answer.status === 201) made.push(answer.body.data);
        else expect([answer.status, answer.body.code], JSON.stringify(answer.body)).toEqual([422, "invoice_empty"]);
      }
      expect(made.length).toBeGreaterThanOrEqual(1);
      // This round's entries are billed exactly once between the two drafts (no rounding here).
      const timeLines = made.flatMap((invoice) => invoice.lines.filter((l) => l.kind === "time"));
      const billedSeconds = timeLines.reduce((sum, line) => sum + Math.round(line.quantity * 3600), 0);
      expect(billedSeconds).toBe(entries.reduce((sum, entry) => sum + entry.seconds, 0));
      expect(timeLines.reduce((sum, line) => sum + line.entry_count, 0)).toBe(entries.length);
      const links = await entryLinks(entries.map((entry) => entry.id));
      const lineIds = new Set(timeLines.map((line) => line.id));
      expect(links.every((link) => link.invoice_line_id !== null && lineIds.has(link.invoice_line_id))).toBe(true);
      for (const invoice of made) expectTotalsFollowLines(invoice);
    }
    // Across all rounds: each entry on one line of one live invoice, lines bill exactly their entries.
    const [check] = await adminSql()`
      select count(*)::int as entries,
             count(*) filter (where e.invoice_line_id is not null)::int as linked,
             count(distinct e.id)::int as distinct_entries,
             (select count(*)::int from public.invoice_lines l where l.agency_id = ${agencyId} and l.kind = 'time') as lines,
             (select coalesce(sum(round(l.quantity * 3600)), 0)::int from public.invoice_lines l
              where l.agency_id = ${agencyId} and l.kind = 'time') as billed_seconds,
             sum(e.duration_seconds)::int as seconds
      from public.time_entries e where e.id in ${adminSql()(allEntries)}`;
    expect(check).toMatchObject({ entries: 36, linked: 36, distinct_entries: 36 });
    expect(check!.billed_seconds).toBe(check!.seconds);
    const state = await invoiceState(agencyId);
    expect(state.counts!.linked_entries).toBe(36);
    // Both answers are recorded so a run that never raced is visible in a failure message.
    expect(outcomes.filter((o) => o === "201").length).toBeGreaterThanOrEqual(6);
  });
});
