import { Form, Link } from "@remix-run/react";
import { Diamond, TriangleAlert } from "lucide-react";
import { useId } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { taskDotClass } from "./colors.ts";
import { DatesHiddenFields, dateInputClass, submitDates } from "./dates-form.tsx";
import { formatDay, formatDuration, toDay } from "./dates.ts";
import { itemHref } from "./gantt-chart.tsx";
import { planRows, violatedPrerequisites } from "./rows.ts";
import { spanOf } from "./timeline.ts";
import { milestoneStatusLabel, taskStatusLabel, type GanttMilestone, type GanttTask, type TaskDates } from "./types.ts";
import type { DatedItem } from "./use-date-saves.ts";

export interface RowError {
  message: string;
  /** What was typed, when a form without JavaScript came back refused. */
  values?: Partial<TaskDates>;
}

/**
 * The accessible fallback: every task and milestone with its dates in a table. Managers get date
 * inputs and one form per row (the form sits in the last cell; the inputs join it with form="…",
 * since a form may not wrap a table row), so it works without JavaScript.
 */
export function GanttTable({
  projectId,
  tasks,
  milestones,
  settled,
  editable,
  back,
  action,
  errors,
  onSave,
}: {
  projectId: string;
  tasks: GanttTask[];
  milestones: GanttMilestone[];
  settled: { tasks: GanttTask[]; milestones: GanttMilestone[] };
  editable: boolean;
  back: string;
  action: string;
  errors: ReadonlyMap<string, RowError>;
  onSave?: (item: DatedItem, dates: TaskDates) => void;
}) {
  const baseId = useId();
  const plan = planRows(tasks, milestones, settled);
  const tasksById = new Map(tasks.map((task) => [task.id, task]));
  const entries = [
    ...plan.rows.map((row) => (row.kind === "task" ? row.task : row.milestone)),
    ...plan.unscheduledTasks,
    ...plan.unscheduledMilestones,
  ];

  return (
    <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">Tasks and milestones with their dates</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-600">
          <tr>
            <th scope="col" className="sticky left-0 z-10 bg-zinc-50 px-3 py-2">
              Task
            </th>
            <th scope="col" className="px-3 py-2">
              Start
            </th>
            <th scope="col" className="px-3 py-2">
              Due
            </th>
            <th scope="col" className="px-3 py-2">
              Duration
            </th>
            <th scope="col" className="px-3 py-2">
              Depends on
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            {editable ? (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Save</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map((entry) => {
            const isTask = "depends_on" in entry;
            const item: DatedItem = { kind: isTask ? "task" : "milestone", id: entry.id, title: entry.title };
            const dates: TaskDates = { start_date: isTask ? entry.start_date : null, due_date: entry.due_date };
            const span = spanOf(dates);
            const formId = `${baseId}-${entry.id}`;
            const error = errors.get(entry.id);
            const errorId = error ? `${formId}-error` : undefined;
            const prerequisites = isTask ? entry.depends_on.flatMap((id) => tasksById.get(id) ?? []) : [];
            const late = new Set(isTask ? violatedPrerequisites(entry, tasksById).map((t) => t.id) : []);
            const input = (name: "start_date" | "due_date", label: string) => (
              <input
                // A save that lands (or is refused) resets the field to the dates now in force.
                key={`${name}-${dates[name] ?? ""}`}
                type="date"
                name={name}
                form={formId}
                aria-label={`${label} of ${entry.title}`}
                aria-invalid={error ? true : undefined}
                aria-describedby={errorId}
                defaultValue={error?.values?.[name] ?? dates[name] ?? ""}
                className={dateInputClass}
              />
            );
            return (
              <tr key={entry.id} className="align-middle">
                <th scope="row" className="sticky left-0 z-10 max-w-[12rem] bg-white px-3 py-2 font-normal">
                  <span className="flex items-center gap-2">
                    {isTask ? (
                      <span
                        aria-hidden="true"
                        className={cn("h-2 w-2 shrink-0 rounded-full", taskDotClass[entry.status])}
                      />
                    ) : (
                      <Diamond aria-label="Milestone" className="h-3 w-3 shrink-0 text-violet-700" />
                    )}
                    <Link
                      to={itemHref(projectId, item)}
                      className="truncate font-medium text-zinc-900 hover:text-brand hover:underline"
                    >
                      {entry.title}
                    </Link>
                  </span>
                  {error ? (
                    <p id={errorId} role="alert" className="mt-1 whitespace-normal text-xs text-red-700">
                      {error.message}
                    </p>
                  ) : null}
                </th>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                  {!isTask ? (
                    <span className="text-zinc-400">—</span>
                  ) : editable ? (
                    input("start_date", "Start")
                  ) : (
                    dayOrDash(dates.start_date)
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                  {editable ? input("due_date", "Due date") : dayOrDash(dates.due_date)}
                </td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-zinc-700">
                  {isTask && span ? (
                    formatDuration(span.end - span.start + 1)
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </td>
                <td className="min-w-[10rem] px-3 py-2 text-zinc-700">
                  {prerequisites.length === 0 ? (
                    <span className="text-zinc-400">—</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {prerequisites.map((prerequisite) => (
                        <li key={prerequisite.id} className={cn(late.has(prerequisite.id) && "text-red-700")}>
                          {late.has(prerequisite.id) ? (
                            <TriangleAlert aria-hidden="true" className="mr-1 inline h-3.5 w-3.5 align-[-2px]" />
                          ) : null}
                          {prerequisite.title}
                          {late.has(prerequisite.id) ? (
                            <span className="text-xs"> (ends after this starts)</span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-zinc-700">
                  {isTask ? taskStatusLabel[entry.status] : milestoneStatusLabel[entry.status]}
                </td>
                {editable ? (
                  <td className="px-3 py-2">
                    <Form method="post" action={action} id={formId} onSubmit={submitDates(item, onSave)} noValidate>
                      <DatesHiddenFields item={item} back={back} />
                      <Button type="submit" size="sm" variant="secondary">
                        Save<span className="sr-only"> dates of {entry.title}</span>
                      </Button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            );
          })}
          {entries.length === 0 ? (
            <tr>
              <td colSpan={editable ? 7 : 6} className="px-3 py-6 text-center text-zinc-500">
                This project has no tasks or milestones yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function dayOrDash(iso: string | null) {
  return iso ? formatDay(toDay(iso)) : <span className="text-zinc-400">—</span>;
}
