import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";

/**
 * A board column: a section named by its heading, the board's own header, an optional quick-add,
 * and the sortable list of cards. The list is a droppable of its own (id: the column's id), so an
 * empty column still takes a card; an empty list says so.
 */
export function ColumnShell({
  id,
  headingId,
  header,
  quickAdd,
  listLabel,
  itemIds,
  highlight,
  empty,
  className,
  children,
}: {
  id: string;
  /** The id of the heading inside `header`, which names the section. */
  headingId: string;
  header: ReactNode;
  quickAdd?: ReactNode;
  listLabel: string;
  itemIds: string[];
  /** The column the dragged card is in right now. */
  highlight: boolean;
  /** What an empty list says. */
  empty: string;
  className?: string;
  children: ReactNode;
}) {
  const { setNodeRef } = useDroppable({ id });
  return (
    <section
      aria-labelledby={headingId}
      className={cn(
        "flex w-[17.5rem] shrink-0 snap-start flex-col rounded-xl border border-zinc-200 bg-zinc-50",
        className,
      )}
    >
      {header}
      {quickAdd ? <div className="px-2 pt-2">{quickAdd}</div> : null}
      <SortableContext id={id} items={itemIds} strategy={verticalListSortingStrategy}>
        <ul
          ref={setNodeRef}
          aria-label={listLabel}
          className={cn(
            "flex min-h-24 flex-1 flex-col gap-2 rounded-b-xl p-2 transition-colors",
            highlight && "bg-brand/5 ring-2 ring-inset ring-brand/30",
          )}
        >
          {children}
          {itemIds.length === 0 ? (
            <li className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-zinc-200 px-3 py-6 text-center text-xs text-zinc-500">
              {empty}
            </li>
          ) : null}
        </ul>
      </SortableContext>
    </section>
  );
}

/** The count badge in a column's header, with the noun for screen readers. */
export function ColumnCount({ count, one, many }: { count: number; one: string; many: string }) {
  return (
    <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-200">
      {count}
      <span className="sr-only"> {count === 1 ? one : many}</span>
    </span>
  );
}
