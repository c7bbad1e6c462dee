import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";
import type { BoardColumn, ColumnTotals } from "./board-state.ts";
import { formatWhole } from "./format.ts";

const kindAccent = {
  open: "bg-zinc-400",
  won: "bg-emerald-500",
  lost: "bg-red-400",
} as const;

/**
 * One stage of the board: its header (count, total, weighted), an optional quick-add, and the
 * sortable list. The list is also a droppable of its own, so an empty column still takes a card.
 */
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
  const { setNodeRef } = useDroppable({ id: column.id });
  const headingId = `stage-${column.id}`;
  return (
    <section
      aria-labelledby={headingId}
      className="flex w-[17.5rem] shrink-0 snap-start flex-col rounded-xl border border-zinc-200 bg-zinc-50"
    >
      <header className="space-y-1 border-b border-zinc-200 px-3 py-2.5">
        <div className="flex items-center gap-2">
          <span className={cn("h-2 w-2 rounded-full", kindAccent[column.kind])} aria-hidden="true" />
          <h2 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold text-zinc-900">
            {column.name}
          </h2>
          <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-200">
            {totals.count}
            <span className="sr-only"> {totals.count === 1 ? "deal" : "deals"}</span>
          </span>
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
      {quickAdd ? <div className="px-2 pt-2">{quickAdd}</div> : null}
      <SortableContext id={column.id} items={itemIds} strategy={verticalListSortingStrategy}>
        <ul
          ref={setNodeRef}
          aria-label={`Deals in ${column.name}`}
          className={cn(
            "flex min-h-24 flex-1 flex-col gap-2 rounded-b-xl p-2 transition-colors",
            highlight && "bg-brand/5 ring-2 ring-inset ring-brand/30",
          )}
        >
          {children}
          {itemIds.length === 0 ? (
            <li className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-zinc-200 px-3 py-6 text-center text-xs text-zinc-500">
              No deals here
            </li>
          ) : null}
        </ul>
      </SortableContext>
    </section>
  );
}
