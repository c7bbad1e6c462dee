import type { ReactNode } from "react";
import { ColumnCount, ColumnShell } from "#app/components/board/column.tsx";
import { cn } from "#app/components/ui/cn.ts";
import type { BoardColumn, ColumnTotals } from "./board-state.ts";
import { formatWhole } from "./format.ts";

const kindAccent = {
  open: "bg-zinc-400",
  won: "bg-emerald-500",
  lost: "bg-red-400",
} as const;

/** One stage of the board: its header (count, total, weighted), an optional quick-add, the cards. */
export function StageColumn({
  column,
  totals,
  currency,
  itemIds,
  quickAdd,
  highlight,
  children,
}: {
  column: BoardColumn;
  totals: ColumnTotals;
  currency: string;
  itemIds: string[];
  quickAdd?: ReactNode;
  /** The column the dragged card is in right now. */
  highlight: boolean;
  children: ReactNode;
}) {
  const headingId = `stage-${column.id}`;
  return (
    <ColumnShell
      id={column.id}
      headingId={headingId}
      listLabel={`Deals in ${column.name}`}
      itemIds={itemIds}
      highlight={highlight}
      quickAdd={quickAdd}
      empty="No deals here"
      header={
        <header className="space-y-1 border-b border-zinc-200 px-3 py-2.5">
          <div className="flex items-center gap-2">
            <span className={cn("h-2 w-2 rounded-full", kindAccent[column.kind])} aria-hidden="true" />
            <h2 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold text-zinc-900">
              {column.name}
            </h2>
            <ColumnCount count={totals.count} one="deal" many="deals" />
          </div>
          <dl className="flex flex-wrap gap-x-3 text-xs text-zinc-600">
            <div className="flex gap-1">
              <dt>Total</dt>
              <dd className="font-semibold text-zinc-900">{formatWhole(totals.value_cents, currency)}</dd>
            </div>
            {column.kind === "open" ? (
              <div className="flex gap-1">
                <dt>Weighted</dt>
                <dd className="font-semibold text-zinc-900">{formatWhole(totals.weighted_cents, currency)}</dd>
              </div>
            ) : null}
          </dl>
          {totals.otherCurrencies.length > 0 ? (
            <p className="text-xs text-amber-700">
              Mixed currencies: totals leave out {totals.otherCurrencies.join(", ")} deals.
            </p>
          ) : null}
        </header>
      }
    >
      {children}
    </ColumnShell>
  );
}
