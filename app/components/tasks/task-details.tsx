import { Form } from "@remix-run/react";
import { Pencil } from "lucide-react";
import type { ReactNode } from "react";
import { formatDay } from "#app/components/pipeline/format.ts";
import { Button } from "#app/components/ui/button.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { isOverdue } from "./dates.ts";
import { formatDate } from "./format.ts";
import { priorityLabel, priorityOptions, type TaskPriority, type TaskStatus } from "./labels.ts";
import { Markdown } from "./markdown.tsx";

export interface DetailTask {
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assignee_id: string | null;
  assignee_name: string | null;
  start_date: string | null;
  due_date: string | null;
  estimated_hours: number | null;
  milestone_id: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

type Option = { value: string; label: string };

/** The task's fields: read by everyone, edited by managers (a form that works without JavaScript). */
export function TaskDetails({
  task,
  milestones,
  team,
  canManage,
  today,
  failure,
  busy,
}: {
  task: DetailTask;
  milestones: Option[];
  team: Option[];
  canManage: boolean;
  today: string;
  failure?: FormFailure;
  busy: boolean;
}) {
  const overdue = isOverdue(task.due_date, task.status, today);
  const milestone = milestones.find((m) => m.value === task.milestone_id);
  return (
    <div className="space-y-4">
      {task.description ? (
        <Markdown source={task.description} />
      ) : (
        <p className="text-sm text-zinc-500">No description.</p>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-3">
        <Detail label="Priority">{priorityLabel[task.priority]}</Detail>
        <Detail label="Assignee">{task.assignee_name ?? "Unassigned"}</Detail>
        <Detail label="Milestone">{milestone?.label ?? "None"}</Detail>
        <Detail label="Start">{formatDate(task.start_date) || "Not set"}</Detail>
        <Detail label="Due">
          <span className={cn(overdue && "font-semibold text-red-700")}>
            {formatDate(task.due_date) || "Not set"}
            {overdue ? " (overdue)" : null}
          </span>
        </Detail>
        <Detail label="Estimate">{task.estimated_hours === null ? "Not set" : `${task.estimated_hours} h`}</Detail>
        <Detail label="Created">{formatDay(task.created_at)}</Detail>
        {task.completed_at ? <Detail label="Completed">{formatDay(task.completed_at)}</Detail> : null}
      </dl>
      {canManage ? (
        <details className="group border-t border-zinc-100 pt-3" open={Boolean(failure)}>
          <summary className="flex w-fit cursor-pointer list-none items-center gap-1.5 rounded text-sm font-medium text-brand hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
            <Pencil className="h-3.5 w-3.5" aria-hidden="true" />
            Edit details
          </summary>
          {/* Keyed by updated_at: after a save the fields show the task as it is now. */}
          <Form key={task.updated_at} method="post" className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
            <input type="hidden" name="intent" value="update" />
            <div className="sm:col-span-2">
              <FormError message={failure?.formError} />
            </div>
            <InputField
              label="Title"
              name="title"
              required
              maxLength={200}
              className="sm:col-span-2"
              defaultValue={failure?.values.title ?? task.title}
              errors={failure?.fieldErrors.title}
            />
            <TextareaField
              label="Description"
              name="description"
              rows={6}
              maxLength={20000}
              className="sm:col-span-2"
              hint="Markdown: **bold**, *italic*, `code`, - lists, [links](https://…)."
              defaultValue={failure?.values.description ?? task.description ?? ""}
              errors={failure?.fieldErrors.description}
            />
            <SelectField
              label="Priority"
              name="priority"
              options={priorityOptions}
              defaultValue={failure?.values.priority ?? task.priority}
              errors={failure?.fieldErrors.priority}
            />
            <SelectField
              label="Assignee"
              name="assignee_id"
              hint="People on the project's team."
              options={[{ value: "", label: "Unassigned" }, ...team]}
              defaultValue={failure?.values.assignee_id ?? task.assignee_id ?? ""}
              errors={failure?.fieldErrors.assignee_id}
            />
            <InputField
              label="Start"
              name="start_date"
              type="date"
              defaultValue={failure?.values.start_date ?? task.start_date ?? ""}
              errors={failure?.fieldErrors.start_date}
            />
            <InputField
              label="Due"
              name="due_date"
              type="date"
              defaultValue={failure?.values.due_date ?? task.due_date ?? ""}
              errors={failure?.fieldErrors.due_date}
            />
            <InputField
              label="Estimate (hours)"
              name="estimated_hours"
              inputMode="decimal"
              defaultValue={failure?.values.estimated_hours ?? task.estimated_hours?.toString() ?? ""}
              errors={failure?.fieldErrors.estimated_hours}
            />
            <SelectField
              label="Milestone"
              name="milestone_id"
              options={[{ value: "", label: "None" }, ...milestones]}
              defaultValue={failure?.values.milestone_id ?? task.milestone_id ?? ""}
              errors={failure?.fieldErrors.milestone_id}
            />
            <div className="flex justify-end sm:col-span-2">
              <Button type="submit" pending={busy}>
                Save changes
              </Button>
            </div>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="truncate font-medium text-zinc-900">{children}</dd>
    </div>
  );
}
