import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Pager, pageRange } from "#app/components/ui/pager.tsx";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { FileText } from "lucide-react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { AgingChart } from "#app/components/invoices/aging-chart.tsx";
import {
  InvoiceStatusBadge,
  invoiceStatusLabel,
  invoiceStatuses,
  periodLabel,
} from "#app/components/invoices/labels.tsx";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { formatDate } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { listClients } from "#app/models/clients.server.ts";
import { agingSummary, invoiceTotals, listInvoices, type InvoiceStatus } from "#app/models/invoices.server.ts";
import { formatMoney } from "#app/utils/money.ts";

export const meta: MetaFunction = () => [{ title: "Invoices · Agency CRM" }];

const PER_PAGE = 25;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The list's filters live in the URL (shareable, and the GET form works without JavaScript). */
const Query = z.object({
  status: z
    .enum(invoiceStatuses as [InvoiceStatus, ...InvoiceStatus[]])
    .optional()
    .catch(undefined),
  client: z.uuid().optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireInvoicer(request, context.app);
  const claims = viewer.claims;
  const url = new URL(request.url);
  const { page, ...query } = Query.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const filters = { status: query.status, clientId: query.client, from: query.from, to: query.to };
  const [list, totals, aging, clients] = await Promise.all([
    listInvoices({ claims, agencyId, filters, page, perPage: PER_PAGE }),
    invoiceTotals({ claims, agencyId, filters }),
    agingSummary({ claims, agencyId }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
  ]);
  return {
    ...list,
    totals,
    aging,
    clients: clients.data.map((c) => ({ value: c.id, label: c.name })),
    query,
    filtered: Object.values(query).some(Boolean),
  };
}

export default function InvoiceList() {
  const { data, total, page, per_page, totals, aging, clients, query, filtered } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { first, last } = pageRange(page, per_page, total);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/invoices";

  return (
    <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_18rem]">
      <div className="min-w-0">
        {total === 0 && !filtered ? (
          <EmptyState
            icon={<FileText className="h-6 w-6" />}
            title="No invoices yet"
            action={
              <Button asChild>
                <Link to="/invoices/new">Create an invoice</Link>
              </Button>
            }
          >
            Turn a project&rsquo;s unbilled time and reached milestones into an invoice, or write the lines yourself.
          </EmptyState>
        ) : (
          <>
            <InvoiceFilters query={query} clients={clients} />
            {total === 0 ? (
              <EmptyState
                icon={<FileText className="h-6 w-6" />}
                title="No invoices match"
                action={
                  <Link to="/invoices" className="text-sm font-medium text-brand hover:underline">
                    Clear the filters
                  </Link>
                }
              >
                Try another status, client or period.
              </EmptyState>
            ) : (
              <Card className={loading ? "overflow-hidden opacity-60 transition-opacity" : "overflow-hidden"}>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">
                      Invoices {first}–{last} of {total}, newest first
                    </caption>
                    <thead className="border-b border-zinc-100 bg-zinc-50 text-xs text-zinc-500">
                      <tr>
                        <th scope="col" className="px-4 py-2.5 font-medium">
                          Number
                        </th>
                        <th scope="col" className="hidden px-4 py-2.5 font-medium md:table-cell">
                          Client · project
                        </th>
                        <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                          Issued
                        </th>
                        <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                          Due
                        </th>
                        <th scope="col" className="px-4 py-2.5 text-right font-medium">
                          Total
                        </th>
                        <th scope="col" className="hidden px-4 py-2.5 text-right font-medium sm:table-cell">
                          Amount due
                        </th>
                        <th scope="col" className="px-4 py-2.5 font-medium">
                          Status
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-zinc-100">
                      {data.map((invoice) => (
                        <tr key={invoice.id} className="hover:bg-zinc-50">
                          <th scope="row" className="px-4 py-3 font-medium">
                            <Link
                              to={`/invoices/${invoice.id}`}
                              className="whitespace-nowrap text-zinc-900 hover:text-brand hover:underline"
                            >
                              {invoice.invoice_number ?? "Draft"}
                            </Link>
                            {invoice.period_from || invoice.period_to ? (
                              <span className="block whitespace-nowrap text-xs font-normal text-zinc-500">
                                {periodLabel(invoice.period_from, invoice.period_to)}
                              </span>
                            ) : null}
                            <span className="block text-xs font-normal text-zinc-500 md:hidden">
                              {invoice.client_name}
                              {invoice.project_name ? ` · ${invoice.project_name}` : ""}
                            </span>
                          </th>
                          <td className="hidden px-4 py-3 text-zinc-700 md:table-cell">
                            {invoice.client_name}
                            <span className="block text-xs text-zinc-500">
                              {invoice.project_name ?? "All projects"}
                            </span>
                          </td>
                          <td className="hidden whitespace-nowrap px-4 py-3 text-zinc-700 sm:table-cell">
                            {invoice.issue_date ? (
                              formatDate(invoice.issue_date)
                            ) : (
                              <span className="text-zinc-400">—</span>
                            )}
                          </td>
                          <td className="hidden whitespace-nowrap px-4 py-3 sm:table-cell">
                            {invoice.due_date ? (
                              <span
                                className={invoice.status === "overdue" ? "font-medium text-red-700" : "text-zinc-700"}
                              >
                                {formatDate(invoice.due_date)}
                              </span>
                            ) : (
                              <span className="text-zinc-400">—</span>
                            )}
                          </td>
                          <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-zinc-900">
                            {formatMoney(invoice.total_cents, invoice.currency)}
                          </td>
                          <td className="hidden whitespace-nowrap px-4 py-3 text-right tabular-nums text-zinc-700 sm:table-cell">
                            {invoice.amount_due_cents > 0
                              ? formatMoney(invoice.amount_due_cents, invoice.currency)
                              : "—"}
                          </td>
                          <td className="px-4 py-3">
                            <InvoiceStatusBadge status={invoice.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot className="border-t border-zinc-200 bg-zinc-50 text-sm">
                      {totals.map((row) => (
                        <tr key={row.currency}>
                          <th scope="row" className="px-4 py-2.5 text-left font-medium text-zinc-700" colSpan={1}>
                            Total{totals.length > 1 ? ` ${row.currency}` : ""}
                            <span className="block text-xs font-normal text-zinc-500">
                              {row.count === 1 ? "1 invoice" : `${row.count} invoices`}, drafts and void excluded
                            </span>
                          </th>
                          <td className="hidden md:table-cell" />
                          <td className="hidden sm:table-cell" />
                          <td className="hidden sm:table-cell" />
                          <td className="whitespace-nowrap px-4 py-2.5 text-right font-semibold tabular-nums text-zinc-900">
                            {formatMoney(row.total_cents, row.currency)}
                          </td>
                          <td className="hidden whitespace-nowrap px-4 py-2.5 text-right font-semibold tabular-nums text-zinc-900 sm:table-cell">
                            {formatMoney(row.due_cents, row.currency)}
                          </td>
                          <td className="px-4 py-2.5 text-xs text-zinc-500">
                            <span className="sm:hidden">{formatMoney(row.due_cents, row.currency)} due</span>
                          </td>
                        </tr>
                      ))}
                    </tfoot>
                  </table>
                </div>
                <Pager page={page} perPage={per_page} total={total} />
              </Card>
            )}
          </>
        )}
      </div>
      <div className="min-w-0">
        <Card>
          <CardHeader title="Aging" description="Issued and unpaid, by days past the due date" />
          <div className="p-5">
            <AgingChart aging={aging} />
          </div>
        </Card>
      </div>
    </div>
  );
}

type Query = { status?: string; client?: string; from?: string; to?: string };

const controlClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

/** A GET form: works without JavaScript ("Apply"); with it, the list follows each change. */
function InvoiceFilters({ query, clients }: { query: Query; clients: { value: string; label: string }[] }) {
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  // Uncontrolled fields follow the URL when it changes some other way (back button, "Clear").
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement) || !element.name) continue;
      if (element === document.activeElement) continue;
      element.value = query[element.name as keyof Query] ?? "";
    }
  }, [query]);
  return (
    <Form
      ref={formRef}
      method="get"
      role="search"
      aria-label="Filter invoices"
      className="mb-3 grid grid-cols-2 gap-3 rounded-xl border border-zinc-200 bg-white p-3 shadow-sm md:grid-cols-[repeat(2,minmax(0,1fr))_repeat(2,9.5rem)_auto]"
      onChange={(event) => submit(event.currentTarget, { replace: true })}
    >
      <div>
        <label htmlFor="invoice-filter-status" className="mb-1 block text-xs font-medium text-zinc-600">
          Status
        </label>
        <select id="invoice-filter-status" name="status" defaultValue={query.status ?? ""} className={controlClass}>
          <option value="">Any status</option>
          {invoiceStatuses.map((status) => (
            <option key={status} value={status}>
              {invoiceStatusLabel[status]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="invoice-filter-client" className="mb-1 block text-xs font-medium text-zinc-600">
          Client
        </label>
        <select id="invoice-filter-client" name="client" defaultValue={query.client ?? ""} className={controlClass}>
          <option value="">Any client</option>
          {clients.map((client) => (
            <option key={client.value} value={client.value}>
              {client.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="invoice-filter-from" className="mb-1 block text-xs font-medium text-zinc-600">
          Issued from
        </label>
        <input
          id="invoice-filter-from"
          type="date"
          name="from"
          defaultValue={query.from ?? ""}
          className={controlClass}
        />
      </div>
      <div>
        <label htmlFor="invoice-filter-to" className="mb-1 block text-xs font-medium text-zinc-600">
          Issued to
        </label>
        <input id="invoice-filter-to" type="date" name="to" defaultValue={query.to ?? ""} className={controlClass} />
      </div>
      <div className="col-span-2 flex items-end gap-3 md:col-span-1">
        <noscript>
          <Button type="submit" size="sm">
            Apply
          </Button>
        </noscript>
        {Object.values(query).some(Boolean) ? (
          <Link to="/invoices" className="pb-2 text-sm font-medium text-brand hover:underline">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
