import type { Aging } from "#app/models/invoices.server.ts";
import { formatMoney } from "#app/utils/money.ts";

const buckets = [
  { key: "current", label: "Current", bar: "bg-emerald-500" },
  { key: "days_1_30", label: "1–30 days", bar: "bg-amber-400" },
  { key: "days_31_60", label: "31–60 days", bar: "bg-orange-500" },
  { key: "days_61_90", label: "61–90 days", bar: "bg-red-500" },
  { key: "days_90_plus", label: "90+ days", bar: "bg-red-800" },
] as const;

/**
 * What clients owe by how late it is, one chart per currency. The numbers are the content (a
 * list a screen reader reads as "1–30 days late: €1,200.00"); the bars are decoration beside them.
 */
export function AgingChart({ aging }: { aging: Aging[] }) {
  if (aging.length === 0) {
    return <p className="text-sm text-zinc-600">Nothing is owed: no issued invoice waits for payment.</p>;
  }
  return (
    <div className="space-y-5">
      {aging.map((row) => {
        const max = Math.max(...buckets.map((b) => row[b.key]), 1);
        const owed = buckets.reduce((sum, b) => sum + row[b.key], 0);
        return (
          <figure key={row.currency}>
            <figcaption className="mb-2 flex items-baseline justify-between gap-2 text-sm">
              <span className="font-medium text-zinc-800">Owed in {row.currency}</span>
              <span className="tabular-nums text-zinc-900">{formatMoney(owed, row.currency)}</span>
            </figcaption>
            <ul className="space-y-1.5" aria-label={`Amounts owed in ${row.currency} by days past due`}>
              {buckets.map((bucket) => (
                <li key={bucket.key} className="grid grid-cols-[5.5rem_minmax(0,1fr)_auto] items-center gap-2 text-xs">
                  <span className="text-zinc-600">
                    {bucket.label}
                    {bucket.key === "current" ? null : <span className="sr-only"> late</span>}
                  </span>
                  <span className="h-2.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
                    <span
                      className={`block h-full rounded-full ${bucket.bar}`}
                      style={{ width: `${row[bucket.key] > 0 ? Math.max(2, (row[bucket.key] / max) * 100) : 0}%` }}
                    />
                  </span>
                  <span
                    className={
                      row[bucket.key] > 0 ? "font-medium tabular-nums text-zinc-900" : "tabular-nums text-zinc-400"
                    }
                  >
                    {formatMoney(row[bucket.key], row.currency)}
                  </span>
                </li>
              ))}
            </ul>
          </figure>
        );
      })}
    </div>
  );
}
