import { sql, type SQL } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * Invoices, their lines and payments (ADR 011). Totals, numbers, links to billed time and
 * milestones, statuses and payments are the database's (triggers and SQL functions); this module
 * calls them and shapes rows. Only owners and managers see invoices (RLS): members get 404.
 */
export type InvoiceStatus = "draft" | "sent" | "partially_paid" | "paid" | "overdue" | "void";
export type InvoiceLineKind = "time" | "milestone" | "manual" | "discount" | "expense";
export type PaymentMethod = "stripe" | "bank_transfer" | "cash" | "card" | "other";
export type TimeGrouping = "task" | "person" | "date" | "single";

export type InvoiceLine = {
  id: string;
  position: number;
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unit_price_cents: number;
  tax_rate_bps: number;
  amount_cents: number;
  tax_cents: number;
  project_id: string | null;
  /** Time entries billed on this line (time lines). */
  entry_count: number;
};

export type InvoicePayment = {
  id: string;
  amount_cents: number;
  method: PaymentMethod;
  paid_at: string;
  reference: string | null;
  stripe_event_id: string | null;
  created_at: string;
};

export type InvoiceSummary = {
  id: string;
  invoice_number: string | null;
  /** Derived now: a sent invoice past its due date reads overdue before the daily job marks it. */
  status: InvoiceStatus;
  client_id: string;
  client_name: string;
  project_id: string | null;
  project_name: string | null;
  currency: string;
  issue_date: string | null;
  due_date: string | null;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  amount_paid_cents: number;
  amount_due_cents: number;
  period_from: string | null;
  period_to: string | null;
  created_at: string;
};

export type Invoice = InvoiceSummary & {
  notes: string | null;
  terms: string | null;
  checkout_url: string | null;
  sent_at: string | null;
  viewed_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  /** The client's pay link, `/pay/<token>` (relative to the site). */
  pay_path: string;
  /** The same in full (SITE_URL); null while a draft, whose link does not open yet. */
  pay_url: string | null;
  sent_to_email: string | null;
  lines: InvoiceLine[];
  payments: InvoicePayment[];
  activity: InvoiceActivity[];
};

/** Timeline events beyond the invoice's own columns (ADR 012). */
export type InvoiceActivity = {
  id: string;
  kind: "sent" | "viewed" | "reminded" | "payment_failed" | "payment_unmatched";
  to_email: string | null;
  reminder_offset_days: number | null;
  detail: string | null;
  actor_name: string | null;
  created_at: string;
};

export interface InvoiceFilters {
  status?: InvoiceStatus;
  clientId?: string;
  projectId?: string;
  from?: string;
  to?: string;
}

const money = ["subtotal_cents", "tax_cents", "total_cents", "amount_paid_cents", "amount_due_cents"] as const;

function summarySelect(where: SQL) {
  return sql`
    select i.id, i.invoice_number,
           private.invoice_status_for(i.status, i.total_cents, i.amount_paid_cents, i.due_date,
                                      private.agency_today(i.agency_id)) as status,
           i.client_id, c.name as client_name, i.project_id, p.name as project_name, i.currency,
           i.issue_date::text as issue_date, i.due_date::text as due_date, i.subtotal_cents, i.tax_cents, i.total_cents,
           i.amount_paid_cents,
           case when i.status in ('draft', 'void') then 0 else i.total_cents - i.amount_paid_cents end as amount_due_cents,
           i.created_at, i.period_from::text as period_from, i.period_to::text as period_to, i.notes, i.terms,
           i.checkout_url, i.sent_at, i.viewed_at, i.paid_at, i.voided_at, i.void_reason,
           '/pay/' || i.public_token as pay_path, i.sent_to_email
    from public.invoices i
    join public.clients c on c.agency_id = i.agency_id and c.id = i.client_id
    left join public.projects p on p.agency_id = i.agency_id and p.id = i.project_id
    where ${where}`;
}

function toNumbers<T extends Record<string, unknown>>(row: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const key of keys) out[key] = Number(row[key] ?? 0);
  return out as T;
}

/** The invoices matching the filters, with the derived status ("overdue" finds what lists show as overdue). */
function filteredInvoices(agencyId: string, filters: InvoiceFilters): SQL {
  const parts: SQL[] = [sql`i.agency_id = ${agencyId}`];
  if (filters.clientId) parts.push(sql`i.client_id = ${filters.clientId}`);
  if (filters.projectId) parts.push(sql`i.project_id = ${filters.projectId}`);
  if (filters.from) parts.push(sql`coalesce(i.issue_date, i.created_at::date) >= ${filters.from}::date`);
  if (filters.to) parts.push(sql`coalesce(i.issue_date, i.created_at::date) <= ${filters.to}::date`);
  return sql`select * from (${summarySelect(sql.join(parts, sql` and `))}) s
    where (${filters.status ?? null}::public.invoice_status is null or s.status = ${filters.status ?? null}::public.invoice_status)`;
}

export function listInvoices({
  claims,
  agencyId,
  filters = {},
  page = 1,
  perPage = 50,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters?: InvoiceFilters;
  page?: number;
  perPage?: number;
}): Promise<{ data: InvoiceSummary[]; total: number; page: number; per_page: number }> {
  return asUser(claims, async (tx) => {
    const listed = filteredInvoices(agencyId, filters);
    const [rows, [counted]] = await Promise.all([
      tx.execute<Record<string, unknown>>(
        sql`${listed} order by coalesce(s.issue_date::date, s.created_at::date) desc, s.created_at desc
            limit ${perPage} offset ${(page - 1) * perPage}`,
      ),
      tx.execute<{ total: number }>(sql`select count(*)::int as total from (${listed}) counted`),
    ]);
    return {
      data: rows.map((row) => toNumbers(row, money) as unknown as InvoiceSummary),
      total: Number(counted?.total ?? 0),
      page,
      per_page: perPage,
    };
  });
}

/** Sums of the filtered invoices per currency (drafts and voided ones bill nothing): the list's totals row. */
export type InvoiceTotals = {
  currency: string;
  count: number;
  total_cents: number;
  paid_cents: number;
  due_cents: number;
};

export function invoiceTotals({
  claims,
  agencyId,
  filters = {},
}: {
  claims: JwtClaims;
  agencyId: string;
  filters?: InvoiceFilters;
}): Promise<InvoiceTotals[]> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<Record<string, unknown>>(sql`
      select s.currency, count(*)::int as count,
             coalesce(sum(s.total_cents) filter (where s.status not in ('draft', 'void')), 0) as total_cents,
             coalesce(sum(s.amount_paid_cents) filter (where s.status not in ('draft', 'void')), 0) as paid_cents,
             coalesce(sum(s.amount_due_cents), 0) as due_cents
      from (${filteredInvoices(agencyId, filters)}) s group by s.currency order by s.currency`);
    return rows.map((row) => toNumbers(row, ["total_cents", "paid_cents", "due_cents"]) as unknown as InvoiceTotals);
  });
}

/** Money owed by age of the due date: current (not yet due), 1–30, 31–60, 61–90 and 90+ days late. */
export type Aging = Record<"current" | "days_1_30" | "days_31_60" | "days_61_90" | "days_90_plus", number> & {
  currency: string;
};

export function agingSummary({ claims, agencyId }: { claims: JwtClaims; agencyId: string }): Promise<Aging[]> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<Record<string, unknown>>(sql`
      with today as (select private.agency_today(${agencyId}) as d),
      open as (
        select i.currency, i.total_cents - i.amount_paid_cents as due, today.d - i.due_date as late
        from public.invoices i cross join today
        where i.agency_id = ${agencyId} and i.status in ('sent', 'partially_paid', 'overdue')
      )
      select currency,
             coalesce(sum(due) filter (where late <= 0), 0) as current,
             coalesce(sum(due) filter (where late between 1 and 30), 0) as days_1_30,
             coalesce(sum(due) filter (where late between 31 and 60), 0) as days_31_60,
             coalesce(sum(due) filter (where late between 61 and 90), 0) as days_61_90,
             coalesce(sum(due) filter (where late > 90), 0) as days_90_plus
      from open group by currency order by currency`);
    return rows.map(
      (row) => toNumbers(row, ["current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus"]) as unknown as Aging,
    );
  });
}

async function invoiceIn(tx: Tx, invoiceId: string): Promise<Invoice> {
  const [row] = await tx.execute<Record<string, unknown>>(summarySelect(sql`i.id = ${invoiceId}`));
  if (!row) throw new AppError(404, "not_found", "There is no such invoice.");
  const [lines, payments, activity] = await Promise.all([
    tx.execute<Record<string, unknown>>(sql`
      select l.id, l.position, l.kind, l.description, l.quantity, l.unit_price_cents, l.tax_rate_bps, l.amount_cents,
             l.tax_cents, l.project_id,
             (select count(*)::int from public.time_entries e where e.agency_id = l.agency_id and e.invoice_line_id = l.id) as entry_count
      from public.invoice_lines l where l.invoice_id = ${invoiceId} order by l.position, l.created_at`),
    tx.execute<Record<string, unknown>>(sql`
      select id, amount_cents, method, paid_at, reference, stripe_event_id, created_at
      from public.invoice_payments where invoice_id = ${invoiceId} order by paid_at, created_at`),
    tx.execute<Record<string, unknown>>(sql`
      select a.id, a.kind, a.to_email, a.reminder_offset_days, a.detail, a.created_at,
             (select coalesce(nullif(p.name, ''), p.email) from public.profiles p where p.user_id = a.actor_id) as actor_name
      from public.invoice_activity a where a.invoice_id = ${invoiceId} order by a.created_at, a.id`),
  ]);
  return {
    ...toNumbers(row, money),
    pay_url: row.status === "draft" ? null : `${env().siteUrl}${String(row.pay_path)}`,
    lines: lines.map(
      (line) =>
        toNumbers(line, ["quantity", "unit_price_cents", "amount_cents", "tax_cents"]) as unknown as InvoiceLine,
    ),
    payments: payments.map((payment) => toNumbers(payment, ["amount_cents"]) as unknown as InvoicePayment),
    activity: activity as unknown as InvoiceActivity[],
  } as Invoice;
}

export function getInvoice({ claims, invoiceId }: { claims: JwtClaims; invoiceId: string }): Promise<Invoice> {
  return asUser(claims, (tx) => invoiceIn(tx, invoiceId));
}

export interface ManualLine {
  description: string;
  quantity?: number;
  unit_price_cents: number;
  tax_rate_bps?: number;
}

export interface DraftInput {
  project_id?: string | null;
  client_id?: string | null;
  period_from?: string | null;
  period_to?: string | null;
  include_time?: boolean;
  grouping?: TimeGrouping;
  milestone_ids?: string[];
  lines?: ManualLine[];
  due_date?: string | null;
  notes?: string | null;
}

/** Drafts an invoice in one SQL call: time, milestones and manual lines, all linked atomically. */
export function createInvoice({ claims, agencyId, draft }: { claims: JwtClaims; agencyId: string; draft: DraftInput }) {
  return asUser(claims, async (tx) => {
    const [row] = await tx.execute<{ id: string }>(sql`
      select (public.create_invoice(
        ${agencyId}, ${draft.project_id ?? null}, ${draft.client_id ?? null},
        ${draft.period_from ?? null}::date, ${draft.period_to ?? null}::date, ${draft.include_time ?? true},
        ${draft.grouping ?? "task"}, ${`{${(draft.milestone_ids ?? []).join(",")}}`}::uuid[], ${JSON.stringify(draft.lines ?? [])}::jsonb,
        ${draft.due_date ?? null}::date, ${draft.notes ?? null})).id`);
    return invoiceIn(tx, row!.id);
  });
}

export type InvoiceChanges = Partial<{ due_date: string | null; notes: string | null; terms: string | null }>;

export function updateInvoice({
  claims,
  invoiceId,
  changes,
}: {
  claims: JwtClaims;
  invoiceId: string;
  changes: InvoiceChanges;
}) {
  return asUser(claims, async (tx) => {
    await invoiceIn(tx, invoiceId);
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
    if (sets.length > 0) {
      await tx.execute(sql`update public.invoices set ${sql.join(sets, sql`, `)} where id = ${invoiceId}`);
    }
    return invoiceIn(tx, invoiceId);
  });
}

/** Deletes a draft; its time and milestones are free to be invoiced again (foreign keys release them). */
export function deleteInvoice({ claims, invoiceId }: { claims: JwtClaims; invoiceId: string }) {
  return asUser(claims, async (tx) => {
    await invoiceIn(tx, invoiceId);
    await tx.execute(sql`delete from public.invoices where id = ${invoiceId}`);
  });
}

export function addLine({ claims, invoiceId, line }: { claims: JwtClaims; invoiceId: string; line: ManualLine }) {
  return asUser(claims, async (tx) => {
    const [invoice] = await tx.execute<{ agency_id: string; position: number }>(sql`
      select i.agency_id, coalesce((select max(l.position) from public.invoice_lines l where l.invoice_id = i.id), 0) + 1 as position
      from public.invoices i where i.id = ${invoiceId}`);
    if (!invoice) throw new AppError(404, "not_found", "There is no such invoice.");
    await tx.execute(sql`
      insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps)
      values (${invoice.agency_id}, ${invoiceId}, ${invoice.position},
              ${line.unit_price_cents < 0 ? "discount" : "manual"}::public.invoice_line_kind, ${line.description},
              ${line.quantity ?? 1}, ${line.unit_price_cents},
              coalesce(${line.tax_rate_bps ?? null}::integer,
                       (select a.default_tax_rate_bp from public.agencies a where a.id = ${invoice.agency_id})))`);
    return invoiceIn(tx, invoiceId);
  });
}

export function removeLine({ claims, invoiceId, lineId }: { claims: JwtClaims; invoiceId: string; lineId: string }) {
  return asUser(claims, async (tx) => {
    await invoiceIn(tx, invoiceId);
    const deleted = await tx.execute(sql`
      delete from public.invoice_lines where id = ${lineId} and invoice_id = ${invoiceId} returning id`);
    if (deleted.length === 0) throw new AppError(404, "not_found", "There is no such line on this invoice.");
    // A removed time or milestone line gives its work back (the foreign keys set the links null).
    return invoiceIn(tx, invoiceId);
  });
}

/** Gives the draft its number, issue and due dates (the sending around it is the caller's). */
export function issueInvoice({ claims, invoiceId }: { claims: JwtClaims; invoiceId: string }) {
  return asUser(claims, async (tx) => {
    await tx.execute(sql`select public.issue_invoice(${invoiceId})`);
    return invoiceIn(tx, invoiceId);
  });
}

export function voidInvoice({ claims, invoiceId, reason }: { claims: JwtClaims; invoiceId: string; reason?: string }) {
  return asUser(claims, async (tx) => {
    await tx.execute(sql`select public.void_invoice(${invoiceId}, ${reason ?? null})`);
    return invoiceIn(tx, invoiceId);
  });
}

export interface PaymentInput {
  amount_cents: number;
  method: Exclude<PaymentMethod, "stripe">;
  paid_at?: string;
  reference?: string | null;
}

/** A manual payment (bank transfer, cash…) through the same SQL function as the webhook's. */
export function recordPayment({
  claims,
  invoiceId,
  payment,
}: {
  claims: JwtClaims;
  invoiceId: string;
  payment: PaymentInput;
}) {
  return asUser(claims, async (tx) => {
    await tx.execute(sql`
      select public.record_payment(${invoiceId}, ${payment.amount_cents}, ${payment.method}::public.payment_method,
                                   ${payment.paid_at ?? null}::timestamptz, ${payment.reference ?? null})`);
    return invoiceIn(tx, invoiceId);
  });
}

/**
 * What a draft could include now: unbilled time (in the period, when one is given) and billable
 * milestones, for one project or for a client across its projects in the client's currency —
 * the same choice create_invoice makes. Hours and value are before the projects' rounding rules.
 */
export function unbilledWork({
  claims,
  agencyId,
  projectId,
  clientId,
  periodFrom,
  periodTo,
}: {
  claims: JwtClaims;
  agencyId: string;
  projectId?: string | null;
  clientId?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
}) {
  return asUser(claims, async (tx) => {
    if (!projectId && !clientId) throw new AppError(422, "validation_failed", "Choose a project or a client.");
    const scope = projectId
      ? sql`p.id = ${projectId}`
      : sql`p.client_id = ${clientId} and p.currency = (
          select coalesce(c.currency, a.currency) from public.clients c join public.agencies a on a.id = c.agency_id
          where c.agency_id = ${agencyId} and c.id = ${clientId})`;
    const [time] = await tx.execute<{
      entries: number;
      seconds: number;
      value_cents: number;
      first: string | null;
      last: string | null;
    }>(sql`
      select count(*)::int as entries, coalesce(sum(e.duration_seconds), 0)::int as seconds,
             coalesce(sum(private.entry_value_cents(e.duration_seconds, e.billable_rate_cents)), 0)::bigint as value_cents,
             min(e.entry_date)::text as first, max(e.entry_date)::text as last
      from public.time_entries e
      join public.agencies a on a.id = e.agency_id
      join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
      where e.agency_id = ${agencyId} and ${scope} and e.invoice_id is null and e.is_billable
        and (${periodFrom ?? null}::date is null or e.entry_date >= ${periodFrom ?? null}::date)
        and (${periodTo ?? null}::date is null or e.entry_date <= ${periodTo ?? null}::date)
        and case when a.invoice_requires_approved_time then e.status = 'approved' else e.status <> 'rejected' end`);
    const milestones = await tx.execute<{
      id: string;
      title: string;
      amount_cents: number;
      status: string;
      project_name: string;
    }>(sql`
      select m.id, m.title, m.amount_cents, m.status, p.name as project_name from public.milestones m
      join public.projects p on p.agency_id = m.agency_id and p.id = m.project_id
      where m.agency_id = ${agencyId} and ${scope} and m.invoice_id is null
        and m.status <> 'pending' and coalesce(m.amount_cents, 0) > 0
      order by m.due_date nulls last, m.title`);
    return {
      time: { ...time!, value_cents: Number(time?.value_cents ?? 0) },
      milestones: milestones.map((m) => ({ ...m, amount_cents: Number(m.amount_cents) })),
    };
  });
}
