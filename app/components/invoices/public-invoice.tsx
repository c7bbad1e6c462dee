import type { ReactNode } from "react";
import { hexToRgb } from "#app/components/auth-shell.tsx";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import type { InvoiceDocument } from "#app/pdf/types.ts";
import { formatMoney } from "#app/utils/money.ts";
import { InvoiceTotals } from "./invoice-totals.tsx";
import { formatQuantity, formatRate, periodLabel } from "./labels.tsx";

/**
 * The invoice as the client sees it on the pay page: the agency's mark and address, who it is
 * billed to, lines, totals and payments. It reads the same document the PDF is printed from, so
 * the page and the PDF never disagree.
 */
export type PublicInvoice = Pick<
  InvoiceDocument,
  | "invoice_number"
  | "status"
  | "currency"
  | "issue_date"
  | "due_date"
  | "period_from"
  | "period_to"
  | "notes"
  | "terms"
  | "subtotal_cents"
  | "tax_cents"
  | "total_cents"
  | "amount_paid_cents"
  | "amount_due_cents"
  | "agency"
  | "client"
  | "lines"
  | "payments"
>;

/** The page frame in the agency's colours, with its logo (or initial) and name. */
export function AgencyFrame({ agency, children }: { agency: PublicInvoice["agency"]; children: ReactNode }) {
  return (
    <div
      className="min-h-full bg-zinc-50"
      style={agency.brand_color ? ({ "--brand-rgb": hexToRgb(agency.brand_color) } as React.CSSProperties) : undefined}
    >
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-4">
          {agency.logo_url ? (
            <img src={agency.logo_url} alt={agency.name} className="h-9 w-auto max-w-[10rem] object-contain" />
          ) : (
            <span
              aria-hidden="true"
              className="flex h-9 w-9 shrink-0 items-center justify-center rounded-lg bg-brand text-lg font-bold text-white"
            >
              {agency.name.charAt(0).toUpperCase()}
            </span>
          )}
          <span className={agency.logo_url ? "sr-only" : "truncate font-semibold text-zinc-900"}>{agency.name}</span>
        </div>
      </header>
      <main className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:py-10">{children}</main>
    </div>
  );
}

export function InvoiceSheet({ invoice }: { invoice: PublicInvoice }) {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const period = periodLabel(invoice.period_from, invoice.period_to);
  return (
    <article aria-labelledby="invoice-title" className="rounded-xl border border-zinc-200 bg-white shadow-sm">
      <div className="grid gap-6 border-b border-zinc-100 p-5 sm:grid-cols-2 sm:p-6">
        <div className="min-w-0">
          <h2 id="invoice-title" className="text-lg font-semibold text-zinc-900">
            Invoice {invoice.invoice_number}
          </h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-zinc-500">Issued</dt>
            <dd className="text-zinc-900">{formatDate(invoice.issue_date)}</dd>
            <dt className="text-zinc-500">Due</dt>
            <dd className={invoice.status === "overdue" ? "font-medium text-red-700" : "text-zinc-900"}>
              {formatDate(invoice.due_date)}
            </dd>
            {period ? (
              <>
                <dt className="text-zinc-500">Period</dt>
                <dd className="text-zinc-900">{period}</dd>
              </>
            ) : null}
          </dl>
        </div>
        <div className="grid min-w-0 gap-4 text-sm sm:grid-cols-2">
          <div className="min-w-0">
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">From</h3>
            <p className="mt-1 font-medium text-zinc-900">{invoice.agency.name}</p>
            {invoice.agency.address ? (
              <p className="whitespace-pre-line break-words text-zinc-600">{invoice.agency.address}</p>
            ) : null}
          </div>
          <div className="min-w-0">
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">Billed to</h3>
            <p className="mt-1 font-medium text-zinc-900">{invoice.client.name}</p>
            {invoice.client.contact_name ? <p className="text-zinc-600">{invoice.client.contact_name}</p> : null}
            {invoice.client.address ? (
              <p className="whitespace-pre-line break-words text-zinc-600">{invoice.client.address}</p>
            ) : null}
          </div>
        </div>
      </div>

      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Invoice lines</caption>
          <thead className="border-b border-zinc-100 bg-zinc-50 text-xs text-zinc-500">
            <tr>
              <th scope="col" className="px-5 py-2.5 font-medium">
                Description
              </th>
              <th scope="col" className="px-3 py-2.5 text-right font-medium">
                Qty
              </th>
              <th scope="col" className="hidden px-3 py-2.5 text-right font-medium sm:table-cell">
                Unit price
              </th>
              <th scope="col" className="hidden px-3 py-2.5 text-right font-medium sm:table-cell">
                Tax
              </th>
              <th scope="col" className="px-5 py-2.5 text-right font-medium">
                Amount
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {invoice.lines.map((line) => (
              <tr key={line.position}>
                <td className="px-5 py-3 text-zinc-900">
                  {line.description}
                  <span className="block text-xs text-zinc-500 sm:hidden">
                    {money(line.unit_price_cents)} each
                    {line.tax_rate_bps ? ` · tax ${formatRate(line.tax_rate_bps)}` : ""}
                  </span>
                </td>
                <td className="px-3 py-3 text-right tabular-nums">{formatQuantity(Number(line.quantity))}</td>
                <td className="hidden whitespace-nowrap px-3 py-3 text-right tabular-nums sm:table-cell">
                  {money(line.unit_price_cents)}
                </td>
                <td className="hidden whitespace-nowrap px-3 py-3 text-right tabular-nums text-zinc-600 sm:table-cell">
                  {formatRate(line.tax_rate_bps)}
                </td>
                <td className="whitespace-nowrap px-5 py-3 text-right font-medium tabular-nums text-zinc-900">
                  {money(line.amount_cents)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <InvoiceTotals invoice={invoice} money={money} showPayments className="sm:p-6" />

      {invoice.payments.length > 0 ? (
        <div className="border-t border-zinc-100 p-5 sm:p-6">
          <h3 className="text-sm font-semibold text-zinc-900">Payments received</h3>
          <ul className="mt-2 divide-y divide-zinc-100 text-sm" aria-label="Payments received">
            {invoice.payments.map((payment, index) => (
              <li key={index} className="flex justify-between gap-3 py-2">
                <span className="text-zinc-700">
                  {formatDay(payment.paid_at)}
                  {" · "}
                  {payment.amount_cents < 0 ? "Refund" : payment.method === "stripe" ? "Paid online" : "Payment"}
                </span>
                <span className="tabular-nums text-zinc-900">{money(payment.amount_cents)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {invoice.notes || invoice.terms ? (
        <div className="space-y-3 border-t border-zinc-100 p-5 text-sm text-zinc-700 sm:p-6">
          {invoice.notes ? <p className="whitespace-pre-line">{invoice.notes}</p> : null}
          {invoice.terms ? <p className="whitespace-pre-line text-zinc-600">{invoice.terms}</p> : null}
        </div>
      ) : null}
    </article>
  );
}
