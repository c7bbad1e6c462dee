import type postgres from "postgres";

/**
 * The demo's invoices, made as the manager through the same SQL functions the app calls: the
 * Brand refresh time up to two weeks ago becomes an invoice (grouped by person), sent to the
 * client's contact (the email with its PDF and pay link is in the dev mailbox), with a bank
 * transfer paying part of it. Last week's and this week's time stay unbilled, so "New invoice"
 * has something to pick up. A monthly retainer for the same client has billed its past months as
 * drafts (the hourly job would do the same).
 */
type Sql = postgres.Sql;
type AsUser = <T>(
  sql: Sql,
  userId: string,
  email: string,
  work: (tx: postgres.TransactionSql) => Promise<T>,
) => Promise<T>;

export async function seedInvoices({
  sql,
  asUser,
  agencyId,
  ids,
}: {
  sql: Sql;
  asUser: AsUser;
  agencyId: string;
  ids: Record<string, string>;
}): Promise<void> {
  const [brand] = await sql<{ id: string }[]>`
    select id from public.projects where agency_id = ${agencyId} and name = 'Brand refresh'`;
  await asUser(sql, ids["max@northwind.test"]!, "max@northwind.test", async (tx) => {
    const [invoice] = await tx<{ id: string; total_cents: string }[]>`
      select id, total_cents from public.create_invoice(${agencyId}, ${brand!.id}, null, null,
        date_trunc('week', current_date)::date - 8, true, 'person', '{}', '[]', null,
        'Brand refresh: discovery, audit and moodboards.')`;
    await tx`select public.issue_invoice(${invoice!.id})`;
    await tx`select public.record_payment(${invoice!.id}, ${Math.floor(Number(invoice!.total_cents) / 2)},
                                          'bank_transfer', clock_timestamp(), 'Transfer ref. NW-2231')`;
    // Emailed after the deposit, so the email and its PDF both ask for the rest.
    await tx`select public.send_invoice(${invoice!.id}, null, 'Thanks for the deposit — here is the invoice with the balance.')`;
    const [project] = await tx<{ client_id: string }[]>`select client_id from public.projects where id = ${brand!.id}`;
    await tx`
      insert into public.recurring_invoices (agency_id, client_id, project_id, name, frequency, start_date, retainer_amount_cents,
                                             tax_rate_bps, auto_send, notes)
      values (${agencyId}, ${project!.client_id}, ${brand!.id}, 'Brand care retainer', 'monthly',
              (date_trunc('month', current_date) - interval '2 months')::date, 250000, 2000, false,
              'Ongoing design support: up to 20 hours a month.')`;
  });
  await sql`select public.generate_recurring_invoices()`;
}
