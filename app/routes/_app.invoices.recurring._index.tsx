import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Repeat } from "lucide-react";
import { amountPerPeriod, frequencyLabel, perPeriod } from "#app/components/invoices/recurring-labels.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { formatDate } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { listRecurringInvoices, type RecurringInvoice } from "#app/models/recurring-invoices.server.ts";
import { formatMoney } from "#app/utils/money.ts";

export const meta: MetaFunction = () => [{ title: "Recurring invoices · Invoices · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireInvoicer(request, context.app);
  return { schedules: await listRecurringInvoices({ claims: viewer.claims, agencyId }) };
}

export default function RecurringList() {
  const { schedules } = useLoaderData<typeof loader>();
  if (schedules.length === 0) {
    return (
      <EmptyState
        icon={<Repeat className="h-6 w-6" />}
        title="No recurring invoices yet"
        action={
          <Button asChild>
            <Link to="/invoices/recurring/new">New schedule</Link>
          </Button>
        }
      >
        <p>
          A schedule bills a client the same way every week, month, quarter or year: a retainer amount or your own
          lines. When a period starts, its invoice is made once — left as a draft for you to check, or issued and
          emailed to the client by itself.
        </p>
      </EmptyState>
    );
  }
  return (
    <Card className="overflow-hidden">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Recurring invoice schedules, active first</caption>
          <thead className="border-b border-zinc-100 bg-zinc-50 text-xs text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Schedule
              </th>
              <th scope="col" className="hidden px-4 py-2.5 font-medium md:table-cell">
                Client · project
              </th>
              <th scope="col" className="px-4 py-2.5 text-right font-medium">
                Per period
              </th>
              <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                Next period
              </th>
              <th scope="col" className="hidden px-4 py-2.5 font-medium lg:table-cell">
                When it starts
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Status
              </th>
              <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                Invoices
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {schedules.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function nextPeriod(schedule: RecurringInvoice): string {
  if (!schedule.active) return "Paused";
  return schedule.next_period_start ? formatDate(schedule.next_period_start) : "Ended";
}

function ScheduleRow({ schedule }: { schedule: RecurringInvoice }) {
  const clientAndProject = `${schedule.client_name}${schedule.project_name ? ` · ${schedule.project_name}` : ""}`;
  return (
    <tr className="hover:bg-zinc-50">
      <th scope="row" className="px-4 py-3 font-medium">
        <Link to={`/invoices/recurring/${schedule.id}`} className="text-zinc-900 hover:text-brand hover:underline">
          {schedule.name}
        </Link>
        <span className="block text-xs font-normal text-zinc-500 md:hidden">{clientAndProject}</span>
        <span className="block text-xs font-normal text-zinc-500 sm:hidden">
          {frequencyLabel[schedule.frequency]}
          {schedule.active && schedule.next_period_start ? ` · next ${formatDate(schedule.next_period_start)}` : ""}
          {` · ${schedule.invoices_generated === 1 ? "1 invoice" : `${schedule.invoices_generated} invoices`}`}
        </span>
      </th>
      <td className="hidden px-4 py-3 text-zinc-700 md:table-cell">
        {schedule.client_name}
        <span className="block text-xs text-zinc-500">{schedule.project_name ?? "No project"}</span>
      </td>
      <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-zinc-900">
        {formatMoney(amountPerPeriod(schedule), schedule.currency)}
        <span className="block text-xs text-zinc-500">
          {perPeriod[schedule.frequency]}
          {schedule.tax_rate_bps > 0 || schedule.lines.some((l) => l.tax_rate_bps > 0) ? " + tax" : ""}
        </span>
      </td>
      <td className="hidden whitespace-nowrap px-4 py-3 text-zinc-700 sm:table-cell">
        {nextPeriod(schedule)}
        <span className="block text-xs text-zinc-500">{frequencyLabel[schedule.frequency]}</span>
      </td>
      <td className="hidden px-4 py-3 text-zinc-700 lg:table-cell">
        {schedule.auto_send ? "Sent automatically" : "Draft for review"}
      </td>
      <td className="px-4 py-3">
        {schedule.active ? (
          schedule.next_period_start ? (
            <Badge tone="green">Active</Badge>
          ) : (
            <Badge>Ended</Badge>
          )
        ) : (
          <Badge tone="amber">Paused</Badge>
        )}
        {schedule.last_error ? <span className="mt-1 block text-xs text-red-700">Last run failed</span> : null}
      </td>
      <td className="hidden whitespace-nowrap px-4 py-3 text-zinc-700 sm:table-cell">
        {schedule.invoices_generated === 0 ? (
          <span className="text-zinc-400">None yet</span>
        ) : (
          <>
            <span className="tabular-nums">{schedule.invoices_generated}</span>
            {schedule.last_invoice_id ? (
              <Link
                to={`/invoices/${schedule.last_invoice_id}`}
                className="block text-xs font-medium text-brand hover:underline"
              >
                Latest invoice<span className="sr-only"> of {schedule.name}</span>
              </Link>
            ) : (
              <span className="block text-xs text-zinc-500">Latest deleted</span>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/invoices" backLabel="Back to the invoices" />;
}
