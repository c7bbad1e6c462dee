import postgres from "postgres";
import { startTestCluster } from "../setup/test-database.ts";
import { ENTRIES, measure, seed } from "./load.ts";

/**
 * `npm run bench`, invoicing (ADR 011/012): drafting from a project's year of time, recording a
 * Stripe event, and the two hourly jobs (reminders over 10 000 open invoices, recurring invoices
 * over 1 000 schedules) in their steady state, when they find (almost) nothing to do — that is
 * what they cost every hour. Prints medians; asserts nothing.
 */
const OPEN_INVOICES = 10_000;
const SCHEDULES = 1_000;

class Rollback extends Error {}

async function main(): Promise<void> {
  const cluster = await startTestCluster("bench-invoicing");
  const database = await cluster.database("crm_bench_invoicing");
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const { agencyId, ownerId, projectIds } = await seed(sql);
    const [client] = await sql<{ id: string }[]>`select id from public.clients where agency_id = ${agencyId}`;
    await sql`insert into public.client_contacts (agency_id, client_id, name, email, is_primary)
              values (${agencyId}, ${client!.id}, 'Payer', 'payer@bench.test', true)`;
    const openIds = await loadOpenInvoices(sql, agencyId, client!.id);
    await loadSchedules(sql, agencyId, client!.id);
    const claims = JSON.stringify({ sub: ownerId, role: "authenticated", aud: "authenticated" });
    const asOwner = <T>(work: (tx: postgres.TransactionSql) => Promise<T>) =>
      sql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
        return work(tx);
      }) as Promise<T>;
    const asService = <T>(work: (tx: postgres.TransactionSql) => Promise<T>) =>
      sql.begin(async (tx) => {
        await tx`set local role service_role`;
        return work(tx);
      }) as Promise<T>;

    const catchUp = await timed(() => asService((tx) => tx`select public.generate_recurring_invoices()`));
    const firstReminders = await timed(() => asService((tx) => tx`select public.send_due_reminders()`));
    let event = 0;
    const results = [
      await measure("create_invoice: one project's unbilled year (~1 000 entries), then rolled back", 10, () =>
        asOwner(async (tx) => {
          // projectIds[1]: the load makes every entry of the first project non-billable (n % 5 = 0).
          await tx`select id from public.create_invoice(${agencyId}, ${projectIds[1]!}, null, null, null, true, 'person',
                                                          '{}', '[]', null, null)`;
          throw new Rollback();
        }).catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        }),
      ),
      await measure("record_stripe_event: a payment on an open invoice (new event each run)", 50, () => {
        event += 1;
        return asService(
          (tx) => tx`select public.record_stripe_event(${`evt_bench_${event}`}, 'payment_intent.succeeded', ${agencyId},
                       ${openIds[event]!}, ${`pi_bench_${event}`}, 100, 'EUR', now())`,
        );
      }),
      await measure(`send_due_reminders, steady state (${OPEN_INVOICES.toLocaleString("en")} open invoices)`, 10, () =>
        asService((tx) => tx`select public.send_due_reminders()`),
      ),
      await measure(`generate_recurring_invoices, steady state (${SCHEDULES.toLocaleString("en")} schedules)`, 10, () =>
        asService((tx) => tx`select public.generate_recurring_invoices()`),
      ),
    ];
    console.log(`\nInvoicing: ${ENTRIES.toLocaleString("en")} time entries, ${OPEN_INVOICES} open invoices\n`);
    console.log(
      `  ${catchUp.toFixed(0).padStart(8)} ms once     generate_recurring_invoices catching up 3 months × ${SCHEDULES} schedules`,
    );
    console.log(
      `  ${firstReminders.toFixed(0).padStart(8)} ms once     send_due_reminders queueing the first reminders`,
    );
    for (const r of results)
      console.log(`  ${r.median.toFixed(1).padStart(8)} ms median  (p95 ${r.p95.toFixed(1)} ms)  ${r.name}`);
  } finally {
    await sql.end();
    await cluster.stop();
  }
}

/** Issued, emailed invoices due over the last and next weeks, so each has a reminder step or will. */
async function loadOpenInvoices(sql: postgres.Sql, agencyId: string, clientId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into public.invoices (agency_id, client_id, currency, status, invoice_number, sequence_number, issue_date,
                                 due_date, total_cents, subtotal_cents, sent_to_email, sent_at)
    select ${agencyId}, ${clientId}, 'EUR', 'sent', 'B-' || n, n, current_date - 40 + (n % 30),
           current_date - 10 + (n % 30), 100000, 100000, 'payer@bench.test', now()
    from generate_series(1, ${OPEN_INVOICES}) n
    returning id`;
  await sql`insert into private.invoice_counters (agency_id, last_number) values (${agencyId}, ${OPEN_INVOICES})`;
  await sql`vacuum analyze public.invoices`;
  return rows.map((r) => r.id);
}

async function loadSchedules(sql: postgres.Sql, agencyId: string, clientId: string): Promise<void> {
  await sql`
    insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
    select ${agencyId}, ${clientId}, 'Retainer ' || n, 'monthly', (date_trunc('month', current_date) - interval '2 months')::date,
           100000 + n
    from generate_series(1, ${SCHEDULES}) n`;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
