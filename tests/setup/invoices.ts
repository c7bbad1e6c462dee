import { expect } from "vitest";
import { adminSql, type ApiResponse } from "./http.ts";

/**
 * Fixtures for the invoices API tests: the SQL money rule computed independently (exact, BigInt),
 * and before/after snapshots that prove a refused request wrote nothing — rows, totals and the
 * links from time and milestones.
 */
export type Invoice = Record<string, any> & { id: string; lines: Line[]; payments: Record<string, any>[] };
export type Line = Record<string, any> & { id: string };

/** n / d rounded half away from zero, exactly. */
export function halfAway(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const rounded = (2n * a + b) / (2n * b);
  return negative ? -rounded : rounded;
}

/** ADR 011: amount = quantity × unit price and tax = amount × rate, each rounded half away from zero. */
export function lineMoney(quantity: number, unitPriceCents: number, taxRateBps: number) {
  const q4 = BigInt(Math.round(quantity * 10_000));
  const amount = halfAway(q4 * BigInt(unitPriceCents), 10_000n);
  const tax = halfAway(amount * BigInt(taxRateBps), 10_000n);
  return { amount_cents: Number(amount), tax_cents: Number(tax) };
}

/** Hours as the database puts them on a time line: seconds / 3600 to four decimals. */
export function hoursOf(seconds: number): number {
  return Number(halfAway(BigInt(seconds) * 10_000n, 3600n)) / 10_000;
}

/** The invoice's totals recomputed from its lines with the rule above; they must match the database. */
export function expectTotalsFollowLines(invoice: Invoice): void {
  let subtotal = 0;
  let tax = 0;
  for (const line of invoice.lines) {
    const money = lineMoney(line.quantity, line.unit_price_cents, line.tax_rate_bps);
    expect({ id: line.id, amount_cents: line.amount_cents, tax_cents: line.tax_cents }).toEqual({
      id: line.id,
      ...money,
    });
    subtotal += money.amount_cents;
    tax += money.tax_cents;
  }
  expect({
    subtotal_cents: invoice.subtotal_cents,
    tax_cents: invoice.tax_cents,
    total_cents: invoice.total_cents,
  }).toEqual({ subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax });
}

/** Everything invoicing writes for one agency, read as admin. */
export async function invoiceState(agencyId: string) {
  const sql = adminSql();
  const [counts] = await sql`
    select (select count(*)::int from public.invoices where agency_id = ${agencyId}) as invoices,
           (select count(*)::int from public.invoice_lines where agency_id = ${agencyId}) as invoice_lines,
           (select count(*)::int from public.invoice_payments where agency_id = ${agencyId}) as invoice_payments,
           (select count(*)::int from public.time_entries where agency_id = ${agencyId} and invoice_id is not null) as linked_entries,
           (select count(*)::int from public.milestones where agency_id = ${agencyId} and invoice_id is not null) as linked_milestones,
           (select count(*)::int from public.audit_log where agency_id = ${agencyId}) as audit_log,
           (select last_number from private.invoice_counters where agency_id = ${agencyId}) as last_number`;
  const invoices = await sql`
    select id, status::text, invoice_number, subtotal_cents::text, tax_cents::text, total_cents::text,
           amount_paid_cents::text, due_date::text, issue_date::text, notes, terms, updated_at
    from public.invoices where agency_id = ${agencyId} order by id`;
  const links = await sql`
    select id, invoice_id, invoice_line_id from public.time_entries
    where agency_id = ${agencyId} and invoice_id is not null
    union all
    select id, invoice_id, invoice_line_id from public.milestones
    where agency_id = ${agencyId} and invoice_id is not null
    order by id`;
  return { counts, invoices, links };
}

/**
 * Runs a request that must be refused and proves it: the status, a problem+json body with the
 * code (and field), and nothing of the agency's invoicing changed.
 */
export async function expectInvoiceRefused(
  agencyId: string,
  run: () => Promise<ApiResponse>,
  expected: { status: number; code: string; field?: string },
): Promise<ApiResponse> {
  const before = await invoiceState(agencyId);
  const response = await run();
  expect(response.status, JSON.stringify(response.body)).toBe(expected.status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.code, JSON.stringify(response.body)).toBe(expected.code);
  if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
  expect(await invoiceState(agencyId)).toEqual(before);
  return response;
}

/** Moves an issued invoice's dates as the database owner (the guard keeps issued terms; tests need old invoices). */
export async function backdate(invoiceId: string, issueDate: string, dueDate: string): Promise<void> {
  await adminSql().begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update public.invoices set issue_date = ${issueDate}::date, due_date = ${dueDate}::date where id = ${invoiceId}`;
  });
}

/**
 * Everything sending and recurring invoices write for one agency, on top of invoiceState: the
 * outbox, the timeline, pay-link and checkout columns, schedules and their runs, and the agency's
 * invoicing settings. A refused send, reminder or schedule change must leave all of it as it was.
 */
export async function deliveryState(agencyId: string) {
  const sql = adminSql();
  const [counts] = await sql`
    select (select count(*)::int from private.email_outbox where agency_id = ${agencyId}) as email_outbox,
           (select count(*)::int from public.invoice_activity where agency_id = ${agencyId}) as invoice_activity,
           (select count(*)::int from public.recurring_invoice_runs where agency_id = ${agencyId}) as recurring_runs`;
  const invoices = await sql`
    select id, public_token, sent_to_email, sent_at, stripe_checkout_session_id, checkout_url
    from public.invoices where agency_id = ${agencyId} order by id`;
  const schedules = await sql`
    select id, client_id, project_id, name, frequency, start_date::text, end_date::text, lines, retainer_amount_cents::text,
           tax_rate_bps, auto_send, active, notes, updated_at
    from public.recurring_invoices where agency_id = ${agencyId} order by id`;
  const [agency] = await sql`
    select address, stripe_account_id, reminder_offsets_days, updated_at from public.agencies where id = ${agencyId}`;
  return { ...(await invoiceState(agencyId)), delivery: counts, sending: invoices, schedules, agency };
}

/** expectInvoiceRefused over deliveryState: the status, problem+json with code (and field), nothing written. */
export async function expectDeliveryRefused(
  agencyId: string,
  run: () => Promise<ApiResponse>,
  expected: { status: number; code: string; field?: string },
): Promise<ApiResponse> {
  const before = await deliveryState(agencyId);
  const response = await run();
  expect(response.status, JSON.stringify(response.body)).toBe(expected.status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.code, JSON.stringify(response.body)).toBe(expected.code);
  if (expected.field) expect(response.body.errors, JSON.stringify(response.body)).toHaveProperty([expected.field]);
  expect(await deliveryState(agencyId)).toEqual(before);
  return response;
}
