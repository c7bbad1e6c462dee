import { beforeAll, describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import { deliveryState, expectDeliveryRefused, type Invoice } from "../setup/invoices.ts";
import { agencyWithTeam, apiAs, created, NIL_UUID, type Actor, type Agency } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * Recurring invoices over the API: schedules with lines or a retainer, listed with the next
 * period they will bill, changed (paused, ended, new lines), refused with a field and nothing
 * written when they could bill nothing, end before they start or name another client's project;
 * then the job (public.generate_recurring_invoices, run as the database owner as the worker does)
 * turns them into invoices the invoice API lists — each period once, however often it runs.
 */
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));
const api = apiAs(request);

type Schedule = Record<string, any> & { id: string };

const createSchedule = (as: Actor, body: unknown) => api(as, "/api/recurring-invoices", { body });
const patchSchedule = (as: Actor, id: string, body: unknown) =>
  api(as, `/api/recurring-invoices/${id}`, { method: "PATCH", body });
const getSchedule = (as: Actor, id: string) => api(as, `/api/recurring-invoices/${id}`);

interface RecurringAgency extends Agency {
  today: string;
  /** A client with an emailable contact, and a project of it. */
  billed: { id: string; email: string; projectId: string };
  /** A project of the other client (a.clientId). */
  otherProjectId: string;
  stranger: SignedUp;
  theirClientId: string;
}

async function recurringAgency(prefix: string): Promise<RecurringAgency> {
  const a = await agencyWithTeam(request, prefix);
  const email = uniqueEmail(`${prefix}-billing`);
  const client = await created(
    api(a.owner, "/api/clients", {
      body: { name: `${prefix} Retainer Co`, currency: "EUR", contact_name: "Rita Retainer", contact_email: email },
    }),
  );
  const project = (clientId: string, name: string) =>
    created(api(a.manager, "/api/projects", { body: { client_id: clientId, name, manager_id: a.manager.user_id } }));
  const [billedProject, otherProject] = await Promise.all([
    project(client.id, `${prefix} care plan`),
    project(a.clientId, `${prefix} other`),
  ]);
  const stranger = await signUp(request, `${prefix}-stranger`);
  const theirClient = await created(api(stranger, "/api/clients", { body: { name: "Theirs" } }));
  const [row] = await adminSql()`select private.agency_today(${a.owner.agency.id})::text as today`;
  return {
    ...a,
    today: row!.today,
    billed: { id: client.id, email, projectId: billedProject.id },
    otherProjectId: otherProject.id,
    stranger,
    theirClientId: theirClient.id,
  };
}

/** A date some months (or days) from another, as PostgreSQL adds them (31 Jan + 1 month = 28/29 Feb). */
async function shift(date: string, by: string): Promise<string> {
  const [row] = await adminSql()`select (${date}::date + ${by}::interval)::date::text as d`;
  return row!.d;
}

async function runJob(): Promise<void> {
  await adminSql()`select public.generate_recurring_invoices()`;
}

async function invoicesOf(as: Actor, clientId: string): Promise<Invoice[]> {
  const response = await api(as, `/api/invoices?client_id=${clientId}&per_page=100`);
  expect(response.status).toBe(200);
  return response.body.data;
}

describe("recurring invoice schedules", () => {
  let a: RecurringAgency;
  let agencyId: string;

  beforeAll(async () => {
    a = await recurringAgency("rec");
    agencyId = a.owner.agency.id;
    // Lines without a rate take the schedule's, which defaults to the agency's.
    await created(api(a.owner, "/api/agency", { method: "PATCH", body: { default_tax_rate_bp: 1900 } }), 200);
  });

  it("creates a schedule from lines (defaults filled in) and one from a retainer; lists them with the next period", async () => {
    const withLines = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.billed.id,
        project_id: a.billed.projectId,
        name: "  Care plan ",
        frequency: "monthly",
        start_date: a.today,
        lines: [
          { description: "Maintenance", unit_price_cents: 50_000 },
          { description: "Support hours", quantity: 2.5, unit_price_cents: 9_000, tax_rate_bps: 0 },
        ],
        notes: "Thank you",
      }),
    );
    expect(withLines).toMatchObject({
      client_id: a.billed.id,
      project_id: a.billed.projectId,
      project_name: "rec care plan",
      name: "Care plan",
      frequency: "monthly",
      start_date: a.today,
      end_date: null,
      retainer_amount_cents: null,
      tax_rate_bps: 1900,
      auto_send: false,
      active: true,
      notes: "Thank you",
      currency: "EUR",
      next_period_start: a.today,
      invoices_generated: 0,
      last_invoice_id: null,
      lines: [
        { description: "Maintenance", quantity: 1, unit_price_cents: 50_000, tax_rate_bps: 1900 },
        { description: "Support hours", quantity: 2.5, unit_price_cents: 9_000, tax_rate_bps: 0 },
      ],
    });

    const retainer = await created<Schedule>(
      createSchedule(a.owner, {
        client_id: a.clientId,
        name: "Retainer",
        frequency: "quarterly",
        start_date: await shift(a.today, "1 month"),
        end_date: await shift(a.today, "1 year"),
        retainer_amount_cents: 300_000,
        tax_rate_bps: 0,
        auto_send: true,
      }),
    );
    expect(retainer).toMatchObject({ lines: [], retainer_amount_cents: 300_000, auto_send: true, project_id: null });
    expect(retainer.next_period_start).toBe(await shift(a.today, "1 month"));

    const list = await api(a.manager, "/api/recurring-invoices");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, page: 1 });
    expect(list.body.data.map((s: Schedule) => [s.id, s.next_period_start])).toEqual(
      expect.arrayContaining([
        [withLines.id, a.today],
        [retainer.id, await shift(a.today, "1 month")],
      ]),
    );
    expect((await getSchedule(a.owner, withLines.id)).body.data).toEqual(withLines);
  });

  it("changes a schedule: pause (no next period), end date, new lines, retainer; resumes", async () => {
    const schedule = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.billed.id,
        name: "Hosting",
        frequency: "yearly",
        start_date: a.today,
        lines: [{ description: "Hosting", unit_price_cents: 12_000 }],
      }),
    );
    const paused = await patchSchedule(a.manager, schedule.id, { active: false });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body.data).toMatchObject({ active: false, next_period_start: null });

    const changed = await patchSchedule(a.owner, schedule.id, {
      active: true,
      end_date: await shift(a.today, "2 years"),
      lines: [{ description: "Hosting, bigger plan", quantity: 2, unit_price_cents: 15_000 }],
      retainer_amount_cents: 1_000,
      name: "Hosting plus",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.data).toMatchObject({
      name: "Hosting plus",
      active: true,
      next_period_start: a.today,
      end_date: await shift(a.today, "2 years"),
      retainer_amount_cents: 1_000,
      lines: [{ description: "Hosting, bigger plan", quantity: 2, unit_price_cents: 15_000, tax_rate_bps: 1900 }],
    });
    // Retainer only: the lines may go.
    const retainerOnly = await patchSchedule(a.owner, schedule.id, { lines: [], notes: null });
    expect(retainerOnly.body.data).toMatchObject({ lines: [], retainer_amount_cents: 1_000, notes: null });
    // Ending on the start date leaves exactly one period.
    const ended = await patchSchedule(a.owner, schedule.id, { end_date: a.today });
    expect(ended.body.data).toMatchObject({ end_date: a.today, next_period_start: a.today });
  });

  it("refuses bad schedules with a field and writes nothing", async () => {
    const base = {
      client_id: a.billed.id,
      name: "Bad",
      frequency: "monthly",
      start_date: a.today,
      lines: [{ description: "Work", unit_price_cents: 1_000 }],
    };
    const refused = (body: unknown, status: number, code: string, field?: string) =>
      expectDeliveryRefused(agencyId, () => createSchedule(a.manager, body), { status, code, field });

    await refused({ ...base, lines: undefined }, 422, "validation_failed", "lines");
    await refused({ ...base, lines: [] }, 422, "validation_failed", "lines");
    await refused({ ...base, lines: [], retainer_amount_cents: 0 }, 422, "validation_failed", "retainer_amount_cents");
    await refused(
      { ...base, lines: [{ description: " ", unit_price_cents: 100 }] },
      422,
      "validation_failed",
      "lines.0.description",
    );
    await refused(
      { ...base, lines: [{ description: "x", unit_price_cents: 1.5 }] },
      422,
      "validation_failed",
      "lines.0.unit_price_cents",
    );
    await refused(
      { ...base, lines: [{ description: "x", unit_price_cents: 1, quantity: 0 }] },
      422,
      "validation_failed",
      "lines.0.quantity",
    );
    await refused(
      { ...base, lines: [{ description: "x", unit_price_cents: 1, tax_rate_bps: 10_001 }] },
      422,
      "validation_failed",
      "lines.0.tax_rate_bps",
    );
    await refused(
      { ...base, lines: [{ description: "x", unit_price_cents: 200_000_000_000 }] },
      422,
      "validation_failed",
      "lines.0.unit_price_cents",
    );
    await refused(
      { ...base, lines: [{ description: "x", unit_price_cents: 1, colour: "red" }] },
      422,
      "validation_failed",
    );
    await refused({ ...base, end_date: await shift(a.today, "-1 day") }, 422, "validation_failed", "end_date");
    await refused({ ...base, start_date: "2026-02-30" }, 422, "validation_failed", "start_date");
    await refused({ ...base, frequency: "daily" }, 422, "validation_failed", "frequency");
    await refused({ ...base, name: "" }, 422, "validation_failed", "name");
    await refused({ ...base, client_id: "nope" }, 422, "validation_failed", "client_id");
    // Rules the database decides.
    await refused({ ...base, project_id: a.otherProjectId }, 422, "invoice_target_mismatch", "project_id");
    await refused({ ...base, client_id: NIL_UUID }, 422, "invalid_reference", "client_id");
    await refused({ ...base, client_id: a.theirClientId }, 422, "invalid_reference", "client_id");

    const schedule = await created<Schedule>(createSchedule(a.manager, base));
    const patchRefused = (body: unknown, status: number, code: string, field?: string) =>
      expectDeliveryRefused(agencyId, () => patchSchedule(a.manager, schedule.id, body), { status, code, field });
    await patchRefused({}, 422, "validation_failed");
    await patchRefused({ lines: [] }, 422, "invalid_value", "lines");
    await patchRefused({ end_date: await shift(a.today, "-1 day") }, 422, "invalid_value", "end_date");
    await patchRefused(
      { lines: [{ description: "", unit_price_cents: 1 }] },
      422,
      "validation_failed",
      "lines.0.description",
    );
    await patchRefused({ client_id: a.clientId }, 422, "validation_failed");
    await patchRefused({ start_date: a.today }, 422, "validation_failed");
    await patchRefused({ active: "no" }, 422, "validation_failed", "active");
    await expectDeliveryRefused(agencyId, () => patchSchedule(a.manager, NIL_UUID, { active: false }), {
      status: 404,
      code: "not_found",
    });
  });
});

describe("who may see recurring invoices", () => {
  let a: RecurringAgency;
  let agencyId: string;
  let schedule: Schedule;

  beforeAll(async () => {
    a = await recurringAgency("rec-access");
    agencyId = a.owner.agency.id;
    schedule = await created<Schedule>(
      createSchedule(a.owner, {
        client_id: a.clientId,
        name: "Secret retainer",
        frequency: "weekly",
        start_date: a.today,
        retainer_amount_cents: 99_000,
      }),
    );
  });

  it("members get 404 (403 on create), other agencies 404, no token 401; nothing is written", async () => {
    const body = {
      client_id: a.clientId,
      name: "Mine",
      frequency: "weekly",
      start_date: a.today,
      retainer_amount_cents: 1,
    };
    for (const as of [a.member, a.colleague]) {
      for (const run of [
        () => api(as, "/api/recurring-invoices"),
        () => getSchedule(as, schedule.id),
        () => patchSchedule(as, schedule.id, { active: false }),
      ]) {
        const response = await expectDeliveryRefused(agencyId, run, { status: 404, code: "not_found" });
        expect(JSON.stringify(response.body)).not.toContain("Secret");
      }
      // Like POST /api/invoices: a member may not create (row-level security), 403.
      await expectDeliveryRefused(agencyId, () => createSchedule(as, body), { status: 403, code: "forbidden" });
    }
    for (const run of [
      () => getSchedule(a.stranger, schedule.id),
      () => patchSchedule(a.stranger, schedule.id, { active: false }),
    ]) {
      await expectDeliveryRefused(agencyId, run, { status: 404, code: "not_found" });
    }
    expect((await api(a.stranger, "/api/recurring-invoices")).body).toMatchObject({ data: [], total: 0 });
    for (const run of [
      () => request("/api/recurring-invoices"),
      () => request("/api/recurring-invoices", { body }),
      () => request(`/api/recurring-invoices/${schedule.id}`),
      () => request(`/api/recurring-invoices/${schedule.id}`, { method: "PATCH", body: { active: false } }),
    ]) {
      await expectDeliveryRefused(agencyId, run, { status: 401, code: "unauthorized" });
    }
    const del = await api(a.owner, `/api/recurring-invoices/${schedule.id}`, { method: "DELETE" });
    expect([del.status, del.headers.get("allow")]).toEqual([405, "GET, PATCH"]);
    const doc = (await request("/api/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/recurring-invoices", "/api/recurring-invoices/{recurringId}"]),
    );
    expect(doc.paths["/api/recurring-invoices"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["client_id", "name", "frequency", "start_date"]),
    );
  });
});

describe("the recurring job", () => {
  let a: RecurringAgency;

  beforeAll(async () => {
    a = await recurringAgency("rec-job");
  });

  it("bills every missed period once, as drafts or sent with auto_send; a second run adds nothing; paused and ended schedules stop", async () => {
    const twoMonthsAgo = await shift(a.today, "-2 months");
    const monthly = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.clientId,
        name: "Monthly care",
        frequency: "monthly",
        start_date: twoMonthsAgo,
        lines: [{ description: "Care", unit_price_cents: 40_000, tax_rate_bps: 0 }],
      }),
    );
    const weekly = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.billed.id,
        project_id: a.billed.projectId,
        name: "Weekly retainer",
        frequency: "weekly",
        start_date: a.today,
        retainer_amount_cents: 25_000,
        tax_rate_bps: 1000,
        auto_send: true,
      }),
    );
    // Ended after its first week, started three weeks ago: one period only.
    const ended = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.billed.id,
        name: "Short",
        frequency: "weekly",
        start_date: await shift(a.today, "-21 days"),
        end_date: await shift(a.today, "-20 days"),
        retainer_amount_cents: 1_000,
      }),
    );
    const paused = await created<Schedule>(
      createSchedule(a.manager, {
        client_id: a.clientId,
        name: "Paused",
        frequency: "weekly",
        start_date: twoMonthsAgo,
        retainer_amount_cents: 5_000,
        active: false,
      }),
    );

    await runJob();
    await runJob();

    const monthlyInvoices = await invoicesOf(a.owner, a.clientId);
    expect(monthlyInvoices.map((i) => [i.status, i.invoice_number, i.total_cents])).toEqual(
      Array(3).fill(["draft", null, 40_000]),
    );
    const periods = await adminSql()<{ period_from: string; period_to: string }[]>`
      select period_from::text, period_to::text from public.invoices
      where id in ${adminSql()(monthlyInvoices.map((i) => i.id))} order by period_from`;
    expect(periods).toEqual([
      { period_from: twoMonthsAgo, period_to: await shift(twoMonthsAgo, "1 month -1 day") },
      { period_from: await shift(twoMonthsAgo, "1 month"), period_to: await shift(twoMonthsAgo, "2 months -1 day") },
      { period_from: await shift(twoMonthsAgo, "2 months"), period_to: await shift(twoMonthsAgo, "3 months -1 day") },
    ]);
    const draft = (await api(a.owner, `/api/invoices/${monthlyInvoices[0]!.id}`)).body.data as Invoice;
    expect(draft.lines).toEqual([expect.objectContaining({ kind: "manual", quantity: 1, unit_price_cents: 40_000 })]);
    expect(draft.lines[0]!.description).toMatch(/^Care \(.+\)$/);

    // auto_send: issued with a number and emailed to the contact, with the project's line.
    const billedInvoices = await invoicesOf(a.owner, a.billed.id);
    const sent = billedInvoices.filter((i) => i.project_id === a.billed.projectId);
    expect(sent.map((i) => [i.status, i.total_cents])).toEqual([["sent", 27_500]]);
    expect(sent[0]!.invoice_number).toMatch(/^INV-\d{4}-\d{4}$/);
    const [email] = await adminSql()`
      select to_email from private.email_outbox where template = 'invoice_sent' and data ->> 'invoice_id' = ${sent[0]!.id}`;
    expect(email!.to_email).toBe(a.billed.email);
    expect(billedInvoices.filter((i) => i.project_id === null).map((i) => i.total_cents)).toEqual([1_000]);

    // The schedules report what happened and what is next.
    const list = (await api(a.owner, "/api/recurring-invoices")).body.data as Schedule[];
    const byId = Object.fromEntries(list.map((s) => [s.id, s]));
    expect(byId[monthly.id]).toMatchObject({
      invoices_generated: 3,
      next_period_start: await shift(twoMonthsAgo, "3 months"),
    });
    expect(monthlyInvoices.map((i) => i.id)).toContain(byId[monthly.id]!.last_invoice_id);
    expect(byId[weekly.id]).toMatchObject({
      invoices_generated: 1,
      last_invoice_id: sent[0]!.id,
      next_period_start: await shift(a.today, "7 days"),
    });
    expect(byId[ended.id]).toMatchObject({ invoices_generated: 1, next_period_start: null });
    expect(byId[paused.id]).toMatchObject({ invoices_generated: 0, next_period_start: null });
    expect(list.every((s) => s.last_error === null && s.last_error_at === null)).toBe(true);
    // A schedule the job could not bill shows why (the job keeps the error; pgTAP proves when).
    await adminSql()`
      update public.recurring_invoices set last_error = 'the project is closed', last_error_at = now() where id = ${paused.id}`;
    expect((await getSchedule(a.manager, paused.id)).body.data).toMatchObject({
      last_error: "the project is closed",
      last_error_at: expect.any(String),
    });

    // A deleted draft's period is not billed again; pausing stops the schedule.
    expect((await api(a.owner, `/api/invoices/${monthlyInvoices[0]!.id}`, { method: "DELETE" })).status).toBe(204);
    await created(patchSchedule(a.owner, monthly.id, { active: true }), 200);
    await runJob();
    expect(await invoicesOf(a.owner, a.clientId)).toHaveLength(2);
    await created(patchSchedule(a.owner, monthly.id, { active: false }), 200);
    const state = await deliveryState(a.owner.agency.id);
    await runJob();
    expect(await deliveryState(a.owner.agency.id)).toEqual(state);
  });
});
