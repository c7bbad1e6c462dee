import { sql, type SQL } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import type { InvoiceStatus, ManualLine } from "./invoices.server.ts";

/**
 * Recurring invoices (retainers): schedules the hourly job turns into one invoice per period,
 * exactly once (public.generate_recurring_invoices, ADR 012). Owners and managers only.
 */
export type Frequency = "weekly" | "monthly" | "quarterly" | "yearly";

export type RecurringInvoice = {
  id: string;
  client_id: string;
  client_name: string;
  project_id: string | null;
  project_name: string | null;
  name: string;
  frequency: Frequency;
  start_date: string;
  end_date: string | null;
  lines: Required<ManualLine>[];
  retainer_amount_cents: number | null;
  tax_rate_bps: number;
  auto_send: boolean;
  active: boolean;
  notes: string | null;
  currency: string;
  next_period_start: string | null;
  invoices_generated: number;
  last_invoice_id: string | null;
  /** Why the job could not bill the last period it tried (kept until a run succeeds). */
  last_error: string | null;
  last_error_at: string | null;
  created_at: string;
};

export type RecurringInput = {
  client_id: string;
  project_id?: string | null;
  name: string;
  frequency: Frequency;
  start_date: string;
  end_date?: string | null;
  lines?: ManualLine[];
  retainer_amount_cents?: number | null;
  tax_rate_bps?: number | null;
  auto_send?: boolean;
  active?: boolean;
  notes?: string | null;
};

export type RecurringChanges = Partial<
  Pick<
    RecurringInput,
    "name" | "end_date" | "lines" | "retainer_amount_cents" | "tax_rate_bps" | "auto_send" | "active" | "notes"
  >
>;

function select(where: SQL) {
  return sql`
    select r.id, r.client_id, c.name as client_name, r.project_id, p.name as project_name, r.name, r.frequency,
           r.start_date::text as start_date, r.end_date::text as end_date, r.lines, r.retainer_amount_cents::float8 as retainer_amount_cents,
           r.tax_rate_bps, r.auto_send, r.active, r.notes, r.last_error, r.last_error_at, r.created_at,
           coalesce(p.currency, c.currency, a.currency) as currency,
           case when r.active then public.recurring_next_period(r)::text end as next_period_start,
           (select count(*)::int from public.recurring_invoice_runs x where x.agency_id = r.agency_id and x.recurring_invoice_id = r.id and not x.skipped) as invoices_generated,
           (select x.invoice_id from public.recurring_invoice_runs x where x.agency_id = r.agency_id and x.recurring_invoice_id = r.id
              and not x.skipped order by x.period_start desc limit 1) as last_invoice_id
    from public.recurring_invoices r
    join public.agencies a on a.id = r.agency_id
    join public.clients c on c.agency_id = r.agency_id and c.id = r.client_id
    left join public.projects p on p.agency_id = r.agency_id and p.id = r.project_id
    where ${where}`;
}

function normalizedLines(lines: ManualLine[] | undefined, taxRateBps: number | null | undefined) {
  return (lines ?? []).map((line) => ({
    description: line.description,
    quantity: line.quantity ?? 1,
    unit_price_cents: line.unit_price_cents,
    tax_rate_bps: line.tax_rate_bps ?? taxRateBps ?? 0,
  }));
}

async function recurringIn(tx: Tx, id: string): Promise<RecurringInvoice> {
  const [row] = await tx.execute<RecurringInvoice>(select(sql`r.id = ${id}`));
  if (!row) throw new AppError(404, "not_found", "There is no such recurring invoice.");
  return row;
}

export function listRecurringInvoices({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) =>
    tx.execute<RecurringInvoice>(
      sql`${select(sql`r.agency_id = ${agencyId}`)} order by r.active desc, lower(r.name), r.created_at`,
    ),
  ) as Promise<RecurringInvoice[]>;
}

export function getRecurringInvoice({ claims, id }: { claims: JwtClaims; id: string }) {
  return asUser(claims, (tx) => recurringIn(tx, id));
}

export function createRecurringInvoice({
  claims,
  agencyId,
  input,
}: {
  claims: JwtClaims;
  agencyId: string;
  input: RecurringInput;
}) {
  return asUser(claims, async (tx) => {
    // Lines without a rate take the schedule's, which defaults to the agency's (as invoice lines do).
    const [agency] = await tx.execute<{ rate: number }>(sql`
      select a.default_tax_rate_bp as rate from public.agencies a where a.id = ${agencyId}`);
    const taxRateBps = input.tax_rate_bps ?? agency?.rate ?? 0;
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into public.recurring_invoices (agency_id, client_id, project_id, name, frequency, start_date, end_date, lines,
                                             retainer_amount_cents, tax_rate_bps, auto_send, active, notes)
      values (${agencyId}, ${input.client_id}, ${input.project_id ?? null}, ${input.name}, ${input.frequency},
              ${input.start_date}::date, ${input.end_date ?? null}::date,
              ${JSON.stringify(normalizedLines(input.lines, taxRateBps))}::jsonb,
              ${input.retainer_amount_cents ?? null}, ${taxRateBps},
              ${input.auto_send ?? false}, ${input.active ?? true}, ${input.notes ?? null})
      returning id`);
    return recurringIn(tx, row!.id);
  });
}

export function updateRecurringInvoice({
  claims,
  id,
  changes,
}: {
  claims: JwtClaims;
  id: string;
  changes: RecurringChanges;
}) {
  return asUser(claims, async (tx) => {
    const current = await recurringIn(tx, id);
    const sets: SQL[] = [];
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (column === "lines") {
        const lines = normalizedLines(value as ManualLine[], changes.tax_rate_bps ?? current.tax_rate_bps);
        sets.push(sql`lines = ${JSON.stringify(lines)}::jsonb`);
      } else {
        sets.push(sql`${sql.identifier(column)} = ${value}`);
      }
    }
    if (sets.length > 0) {
      await tx.execute(sql`update public.recurring_invoices set ${sql.join(sets, sql`, `)} where id = ${id}`);
    }
    return recurringIn(tx, id);
  });
}

export type RecurringRun = {
  period_start: string;
  /** Null when the generated draft was deleted: the run row stays so the period is not billed again. */
  invoice_id: string | null;
  /** The period started while the schedule was paused; it is never billed. */
  skipped: boolean;
  invoice_number: string | null;
  status: InvoiceStatus | null;
  period_to: string | null;
  total_cents: number | null;
  currency: string | null;
  created_at: string;
};

/** The periods a schedule has billed, newest first, with the invoice each became (if it still exists). */
export function listRecurringRuns({ claims, id }: { claims: JwtClaims; id: string }) {
  return asUser(claims, async (tx) => {
    await recurringIn(tx, id);
    return tx.execute<RecurringRun>(sql`
      select x.period_start::text as period_start, x.invoice_id, x.skipped, i.invoice_number,
             case when i.id is not null then private.invoice_status_for(i.status, i.total_cents, i.amount_paid_cents,
                                                                        i.due_date, private.agency_today(i.agency_id))::text end as status,
             i.period_to::text as period_to, i.total_cents::float8 as total_cents, i.currency, x.created_at
      from public.recurring_invoices r
      join public.recurring_invoice_runs x on x.agency_id = r.agency_id and x.recurring_invoice_id = r.id
      left join public.invoices i on i.agency_id = x.agency_id and i.id = x.invoice_id
      where r.id = ${id}
      order by x.period_start desc
      limit 200`) as Promise<RecurringRun[]>;
  });
}
