import type postgres from "postgres";

/**
 * The demo's invoices, made as the manager through the same SQL functions the app calls: the
 * Brand refresh time up to two weeks ago becomes an invoice (grouped by person), issued, with a
 * bank transfer paying part of it. Last week's and this week's time stay unbilled, so "New
 * invoice" has something to pick up.
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
                                          'bank_transfer', now(), 'Transfer ref. NW-2231')`;
  });
}
