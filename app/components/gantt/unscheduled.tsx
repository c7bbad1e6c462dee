import { Form, Link } from "@remix-run/react";
import { CalendarPlus, Diamond } from "lucide-react";
import { useId } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { Card } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { taskDotClass } from "./colors.ts";
import { DatesHiddenFields, dateInputClass, submitDates } from "./dates-form.tsx";
import { itemHref } from "./gantt-chart.tsx";
import type { RowError } from "./gantt-table.tsx";
import { milestoneStatusLabel, taskStatusLabel, type GanttMilestone, type GanttTask, type TaskDates } from "./types.ts";
import type { DatedItem } from "./use-date-saves.ts";

/** Work without dates, under the chart; managers give it dates here to put it on the chart. */
export function Unscheduled({
  projectId,
  tasks,
  milestones,
  editable,
  back,
  action,
  errors,
  onSave,
}: {
  projectId: string;
  tasks: GanttTask[];
  milestones: GanttMilestone[];
  editable: boolean;
  back: string;
  action: string;
  errors: ReadonlyMap<string, RowError>;
  onSave?: (item: DatedItem, dates: TaskDates) => void;
}) {
  const headingId = useId();
  if (tasks.length + milestones.length === 0) return null;
  const entries: { item: DatedItem; status: string; dot?: string }[] = [
    ...tasks.map((task) => ({
      item: { kind: "task" as const, id: task.id, title: task.title },
      status: taskStatusLabel[task.status],
      dot: taskDotClass[task.status],
    })),
    ...milestones.map((m) => ({
      item: { kind: "milestone" as const, id: m.id, title: m.title },
      status: milestoneStatusLabel[m.status],
    })),
  ];
  return (
    <Card className="mt-6">
      <div className="border-b border-zinc-100 px-4 py-3">
        <h2 id={headingId} className="text-base font-semibold text-zinc-900">
          Unscheduled <span className="font-normal text-zinc-500">({entries.length})</span>
        </h2>
        <p className="text-sm text-zinc-500">
          {editable
            ? "Give these dates to place them on the chart."
            : "These have no dates yet, so they are not on the chart."}
        </p>
      </div>
      <ul aria-labelledby={headingId} className="divide-y divide-zinc-100">
        {entries.map(({ item, status, dot }) => (
          <UnscheduledEntry
            key={item.id}
            projectId={projectId}
            item={item}
            status={status}
            dot={dot}
            editable={editable}
            back={back}
            action={action}
            error={errors.get(item.id)}
            onSave={onSave}
          />
        ))}
      </ul>
    </Card>
  );
}

function UnscheduledEntry({
  projectId,
  item,
  status,
  dot,
  editable,
  back,
  action,
  error,
  onSave,
}: {
  projectId: string;
  item: DatedItem;
  status: string;
  dot?: string;
  editable: boolean;
  back: string;
  action: string;
  error?: RowError;
  onSave?: (item: DatedItem, dates: TaskDates) => void;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const field = (name: "start_date" | "due_date", label: string) => (
    <label className="text-xs font-medium text-zinc-600">
      {label}
      <input
        type="date"
        name={name}
        aria-label={`${name === "start_date" ? "Start" : "Due date"} of ${item.title}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        defaultValue={error?.values?.[name] ?? ""}
        className={cn(dateInputClass, "mt-0.5")}
      />
    </label>
  );
  return (
    <li className="flex flex-wrap items-end justify-between gap-3 px-4 py-3">
      <div className="min-w-0">
        <div className="flex items-center gap-2">
          {dot ? (
            <span aria-hidden="true" className={cn("h-2 w-2 shrink-0 rounded-full", dot)} />
          ) : (
            <Diamond aria-label="Milestone" className="h-3 w-3 shrink-0 text-violet-700" />
          )}
          <Link
            to={itemHref(projectId, item)}
            className="truncate text-sm font-medium text-zinc-900 hover:text-brand hover:underline"
          >
            {item.title}
          </Link>
        </div>
        <p className="ml-4 text-xs text-zinc-500">{status}</p>
        {error ? (
          <p id={errorId} role="alert" className="ml-4 mt-1 text-xs text-red-700">
            {error.message}
          </p>
        ) : null}
      </div>
      {editable ? (
        <Form
          method="post"
          action={action}
          className="flex flex-wrap items-end gap-2"
          onSubmit={submitDates(item, onSave)}
          noValidate
        >
          <DatesHiddenFields item={item} back={back} />
          {item.kind === "task" ? field("start_date", "Start") : null}
          {field("due_date", "Due")}
          <Button type="submit" size="sm" variant="secondary">
            <CalendarPlus className="h-4 w-4" aria-hidden="true" />
            Schedule<span className="sr-only"> {item.title}</span>
          </Button>
        </Form>
      ) : null}
    </li>
  );
}
