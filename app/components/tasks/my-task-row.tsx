import { Link, useFetcher } from "@remix-run/react";
import { CalendarDays, Lock } from "lucide-react";
import { useId } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { isOverdue } from "./dates.ts";
import { formatDue } from "./format.ts";
import { statusOptions, type TaskPriority, type TaskStatus } from "./labels.ts";
import { PriorityBadge } from "./priority-badge.tsx";

export interface MyTaskView {
  id: string;
  project_id: string;
  project_name: string;
  client_name: string | null;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  due_date: string | null;
  open_dependencies: number;
}

/**
 * One of my tasks: where it belongs, when it is due, and its status as a select that saves on
 * change (a fetcher, so the list stays put; without JavaScript the Save button posts the form).
 * The select shows the status being saved until the server answers; a refusal says why.
 */
export function MyTaskRow({ task, today }: { task: MyTaskView; today: string }) {
  const fetcher = useFetcher();
  const id = useId();
  const pending = fetcher.formData?.get("status") as TaskStatus | undefined;
  const status = pending ?? task.status;
  const failure = isFormFailure(fetcher.data) ? fetcher.data : undefined;
  const error = failure ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : undefined;
  const overdue = isOverdue(task.due_date, status, today);
  const href = `/projects/${task.project_id}/tasks/${task.id}`;

  return (
    <li className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
      <div className="min-w-0 flex-1">
        <Link
          to={href}
          className="block truncate font-medium text-zinc-900 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
        >
          {task.title}
        </Link>
        <p className="truncate text-xs text-zinc-500">
          {task.project_name}
          {task.client_name ? ` · ${task.client_name}` : null}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 sm:w-56 sm:justify-end">
        <PriorityBadge priority={task.priority} />
        {task.due_date ? (
          <span className={cn("inline-flex items-center gap-1", overdue && "font-semibold text-red-700")}>
            <CalendarDays className="h-3.5 w-3.5" aria-hidden="true" />
            <span className="sr-only">Due </span>
            {formatDue(task.due_date, today)}
            {overdue ? <span className="sr-only"> (overdue)</span> : null}
          </span>
        ) : null}
        {task.open_dependencies > 0 ? (
          <span className="inline-flex items-center gap-1 font-medium text-amber-800">
            <Lock className="h-3.5 w-3.5" aria-hidden="true" />
            Blocked
            <span className="sr-only">
              : waits for {task.open_dependencies} {task.open_dependencies === 1 ? "task" : "tasks"}
            </span>
          </span>
        ) : null}
      </div>
      <fetcher.Form
        method="post"
        className="flex items-center gap-2 sm:w-44"
        onChange={(event) => {
          const data = new FormData(event.currentTarget);
          data.set("respond", "json");
          fetcher.submit(data, { method: "post" });
        }}
      >
        <label htmlFor={`${id}-status`} className="sr-only">
          Status of {task.title}
        </label>
        <select
          id={`${id}-status`}
          name="status"
          value={status}
          onChange={() => undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
        >
          {statusOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <noscript>
          <Button type="submit" size="sm" variant="secondary">
            Save
          </Button>
        </noscript>
        <input type="hidden" name="task_id" value={task.id} />
      </fetcher.Form>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-700 sm:basis-full">
          {error}{" "}
          <Link to={href} className="font-medium underline">
            Open the task
          </Link>
        </p>
      ) : null}
    </li>
  );
}
