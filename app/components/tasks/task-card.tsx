import { CalendarDays, Link2, Lock, MessageSquare } from "lucide-react";
import type { ReactNode } from "react";
import { BoardCard, CardTitle } from "#app/components/board/card.tsx";
import { Avatar } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import type { BoardTask } from "./board-state.ts";
import { formatDue } from "./format.ts";
import { isOverdue } from "./dates.ts";
import { PriorityBadge } from "./priority-badge.tsx";

export interface CardContext {
  href: string;
  today: string;
  /** Titles of the dependencies that are not done yet. */
  waitingFor: string[];
  dependencyCount: number;
  assigneeAvatar: string | null;
}

/** A task on the board: title, assignee, priority, due date, what it waits for, comments. */
export function TaskCardBody({
  task,
  context,
  handle,
  footer,
  className,
}: {
  task: BoardTask;
  context: CardContext;
  handle?: ReactNode;
  footer?: ReactNode;
  className?: string;
}) {
  const overdue = isOverdue(task.due_date, task.status, context.today);
  const waiting = context.waitingFor.length;
  return (
    <BoardCard
      label={task.title}
      handle={handle}
      footer={footer}
      className={className}
      heading={
        <CardTitle to={context.href} data-task-link={task.id}>
          {task.title}
        </CardTitle>
      }
      aside={
        task.assignee_name ? (
          <span title={task.assignee_name} className="shrink-0">
            <Avatar name={task.assignee_name} url={context.assigneeAvatar} size={24} />
            <span className="sr-only">Assigned to {task.assignee_name}</span>
          </span>
        ) : (
          <span className="sr-only">Unassigned</span>
        )
      }
    >
      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600">
        <PriorityBadge priority={task.priority} />
        {task.due_date ? (
          <span className={cn("inline-flex items-center gap-1", overdue && "font-semibold text-red-700")}>
            <CalendarDays className="h-3.5 w-3.5" aria-hidden="true" />
            <span className="sr-only">Due </span>
            {formatDue(task.due_date, context.today)}
            {overdue ? <span className="sr-only"> (overdue)</span> : null}
          </span>
        ) : null}
        {waiting > 0 ? (
          <span
            className={cn(
              "inline-flex items-center gap-1 font-medium",
              task.status === "todo" ? "text-amber-800" : "text-zinc-600",
            )}
            title={`Waits for: ${context.waitingFor.join(", ")}`}
          >
            <Lock className="h-3.5 w-3.5" aria-hidden="true" />
            {task.status === "todo" ? "Blocked" : "Started anyway"}
            <span className="sr-only">: waits for {context.waitingFor.join(", ")}</span>
          </span>
        ) : context.dependencyCount > 0 ? (
          <span className="inline-flex items-center gap-1" title="Every dependency is done">
            <Link2 className="h-3.5 w-3.5" aria-hidden="true" />
            {context.dependencyCount}
            <span className="sr-only"> {context.dependencyCount === 1 ? "dependency" : "dependencies"}, done</span>
          </span>
        ) : null}
        {task.comment_count > 0 ? (
          <span className="inline-flex items-center gap-1">
            <MessageSquare className="h-3.5 w-3.5" aria-hidden="true" />
            {task.comment_count}
            <span className="sr-only"> {task.comment_count === 1 ? "comment" : "comments"}</span>
          </span>
        ) : null}
      </div>
    </BoardCard>
  );
}
