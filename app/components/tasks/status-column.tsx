import type { ReactNode } from "react";
import { ColumnCount, ColumnShell } from "#app/components/board/column.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { statusLabel, type TaskStatus } from "./labels.ts";

const accent: Record<TaskStatus, string> = {
  todo: "bg-zinc-400",
  in_progress: "bg-sky-500",
  review: "bg-amber-500",
  done: "bg-emerald-500",
};

/** One status column: its header with the count (and how many a filter hides), a quick-add, the cards. */
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
  const headingId = `column-${status}`;
  const label = statusLabel[status];
  const hidden = total - itemIds.length;
  return (
    <ColumnShell
      id={status}
      headingId={headingId}
      className="lg:w-auto lg:min-w-0 lg:flex-1"
      listLabel={`Tasks in ${label}`}
      itemIds={itemIds}
      highlight={highlight}
      quickAdd={quickAdd}
      empty={hidden > 0 ? "No matching tasks" : "No tasks here"}
      header={
        <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2.5">
          <span className={cn("h-2 w-2 rounded-full", accent[status])} aria-hidden="true" />
          <h2 id={headingId} className="min-w-0 flex-1 truncate text-sm font-semibold text-zinc-900">
            {label}
          </h2>
          {hidden > 0 ? <span className="text-xs text-zinc-500">{hidden} hidden</span> : null}
          <ColumnCount count={itemIds.length} one="task" many="tasks" />
        </header>
      }
    >
      {children}
    </ColumnShell>
  );
}
