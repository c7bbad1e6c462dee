import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Link } from "@remix-run/react";
import { CalendarDays, GripVertical, Link2, Lock, MessageSquare } from "lucide-react";
import { useEffect, useRef, type ReactNode } from "react";
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

/**
 * A task on the board. The grip is the drag handle for keyboards (Space picks up) and pointers;
 * it only renders once JavaScript runs and only for someone who may move the task — the "Move
 * to" form (the `footer`) does the same job without JavaScript.
 */
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
    <article
      aria-label={task.title}
      className={cn("rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-sm", className)}
    >
      <div className="flex items-start gap-1.5">
        {handle}
        <h3 className="min-w-0 flex-1 font-medium leading-snug text-zinc-900">
          <Link
            to={context.href}
            data-task-link={task.id}
            className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
          >
            {task.title}
          </Link>
        </h3>
        {task.assignee_name ? (
          <span title={task.assignee_name} className="shrink-0">
            <Avatar name={task.assignee_name} url={context.assigneeAvatar} size={24} />
            <span className="sr-only">Assigned to {task.assignee_name}</span>
          </span>
        ) : (
          <span className="sr-only">Unassigned</span>
        )}
      </div>
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
      {footer}
    </article>
  );
}

/** The card as a sortable item: drag state, transform, and the handle wired to dnd-kit. */
export function SortableTaskCard({
  task,
  context,
  draggable,
  focusOnMount,
  footer,
}: {
  task: BoardTask;
  context: CardContext;
  draggable: boolean;
  /** After a move the card remounts in its new column; keyboard users keep their place. */
  focusOnMount: boolean;
  footer?: ReactNode;
}) {
  // Cards the viewer may not move still take part in sorting, so others can be dropped around them.
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, transform, transition, isDragging } = useSortable({
    id: task.id,
    disabled: { draggable: !draggable, droppable: false },
  });
  const handleRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (focusOnMount) handleRef.current?.focus();
  }, [focusOnMount]);

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("touch-manipulation", isDragging && "opacity-40")}
      {...(draggable ? listeners : {})}
    >
      <TaskCardBody
        task={task}
        context={context}
        footer={footer}
        className={cn(draggable && "cursor-grab")}
        handle={
          draggable ? (
            <button
              type="button"
              ref={(element) => {
                handleRef.current = element;
                setActivatorNodeRef(element);
              }}
              data-drag-handle
              {...attributes}
              aria-label={`Drag ${task.title}`}
              className="-ml-1 mt-0.5 shrink-0 cursor-grab rounded p-0.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-1 active:cursor-grabbing"
            >
              <GripVertical className="h-4 w-4" aria-hidden="true" />
            </button>
          ) : null
        }
      />
    </li>
  );
}
