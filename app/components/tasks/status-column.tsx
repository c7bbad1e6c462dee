import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { statusLabel, type TaskStatus } from "./labels.ts";

const accent: Record<TaskStatus, string> = {
  todo: "bg-zinc-400",
  in_progress: "bg-sky-500",
  review: "bg-amber-500",
  done: "bg-emerald-500",
};

/**
 * One status column: its header with the count (and how many a filter hides), an optional
 * quick-add, and the sortable list — itself a droppable, so an empty column still takes a card.
 */
export function StatusColumn({
  status,
  itemIds,
  total,
  quickAdd,
  highlight,
  children,
}: {
  status: TaskStatus;
  itemIds: string[];
  /** All tasks in the column, filtered out or not. */
  total: number;
  quickAdd?: ReactNode;
  highlight: boolean;
  children: ReactNode;
}) {
  const { setNodeRef } = useDroppable({ id: status });
  const headingId = `column-${status}`;
  const label = statusLabel[status];
  const hidden = total - itemIds.length;
  return (
    <section
      aria-labelledby={headingId}
      className="flex w-[17.5rem] shrink-0 snap-start flex-col rounded-xl border border-zinc-200 bg-zinc-50 lg:w-auto lg:min-w-0 lg:flex-1"
    >
      <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2.5">
        <span className={cn("h-2 w-2 rounded-full", accent[status])} aria-hidden="true" />
        <h2 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold text-zinc-900">
          {label}
        </h2>
        {hidden > 0 ? <span className="text-xs text-zinc-500">{hidden} hidden</span> : null}
        <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-200">
          {itemIds.length}
          <span className="sr-only"> {itemIds.length === 1 ? "task" : "tasks"}</span>
        </span>
      </header>
      {quickAdd ? <div className="px-2 pt-2">{quickAdd}</div> : null}
      <SortableContext id={status} items={itemIds} strategy={verticalListSortingStrategy}>
        <ul
          ref={setNodeRef}
          aria-label={`Tasks in ${label}`}
          className={cn(
            "flex min-h-24 flex-1 flex-col gap-2 rounded-b-xl p-2 transition-colors",
            highlight && "bg-brand/5 ring-2 ring-inset ring-brand/30",
          )}
        >
          {children}
          {itemIds.length === 0 ? (
            <li className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-zinc-200 px-3 py-6 text-center text-xs text-zinc-500">
              {hidden > 0 ? "No matching tasks" : "No tasks here"}
            </li>
          ) : null}
        </ul>
      </SortableContext>
    </section>
  );
}
