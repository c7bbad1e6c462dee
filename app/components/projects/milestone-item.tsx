import { Form, useNavigation } from "@remix-run/react";
import { CheckCircle2, Flag, Trash2 } from "lucide-react";
import { formatDate, formatDay, isOverdue } from "#app/components/pipeline/format.ts";
import { milestoneStatusLabel, milestoneStatusTone } from "#app/components/pipeline/project-labels.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Badge } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { FormError, InputField, TextareaField } from "#app/components/ui/field.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { centsToInput, formatMoney } from "#app/utils/money.ts";
import { ConfirmForm } from "./confirm-form.tsx";

export type MilestoneView = {
  id: string;
  title: string;
  description: string | null;
  status: "pending" | "reached" | "approved";
  due_date: string | null;
  amount_cents: number | null;
  reached_at: string | null;
  approved_at: string | null;
  task_count: number;
  done_count: number;
};

/**
 * One milestone: what it is, when, what it is worth and how far its tasks are. Managers move it
 * forward (pending → reached → approved, approving asks first because it is final), edit it in
 * place (a disclosure, so it works without JavaScript) and delete it.
 */
export function MilestoneItem({
  milestone,
  currency,
  canManage,
  statusFailure,
  editFailure,
}: {
  milestone: MilestoneView;
  currency: string;
  canManage: boolean;
  statusFailure: FormFailure | undefined;
  editFailure: FormFailure | undefined;
}) {
  const navigation = useNavigation();
  const busy = (intent: string) =>
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    navigation.formData?.get("milestone_id") === milestone.id;
  const late = milestone.status === "pending" && isOverdue(milestone.due_date);
  const progress = milestone.task_count > 0 ? (milestone.done_count / milestone.task_count) * 100 : 0;
  const values = editFailure?.values ?? {
    title: milestone.title,
    description: milestone.description ?? "",
    due_date: milestone.due_date ?? "",
    amount: centsToInput(milestone.amount_cents, currency),
  };
  const errors = editFailure?.fieldErrors ?? {};

  return (
    <li className="px-5 py-4">
      <div className="flex items-start gap-3">
        {milestone.status === "pending" ? (
          <Flag className="mt-0.5 h-5 w-5 shrink-0 text-zinc-400" aria-hidden="true" />
        ) : (
          <CheckCircle2
            className={cn(
              "mt-0.5 h-5 w-5 shrink-0",
              milestone.status === "approved" ? "text-emerald-600" : "text-amber-600",
            )}
            aria-hidden="true"
          />
        )}
        <div className="min-w-0 flex-1 space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-sm font-semibold text-zinc-900">{milestone.title}</h3>
            <Badge tone={milestoneStatusTone[milestone.status]}>{milestoneStatusLabel[milestone.status]}</Badge>
          </div>
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600">
            <span className={late ? "font-medium text-red-700" : undefined}>
              {milestone.due_date
                ? `${late ? "Overdue · due" : "Due"} ${formatDate(milestone.due_date)}`
                : "No due date"}
            </span>
            {milestone.amount_cents !== null ? (
              <span className="tabular-nums">{formatMoney(milestone.amount_cents, currency)}</span>
            ) : null}
            {milestone.approved_at ? (
              <span>Approved {formatDay(milestone.approved_at)}</span>
            ) : milestone.reached_at ? (
              <span>Reached {formatDay(milestone.reached_at)}</span>
            ) : null}
          </p>
          {milestone.task_count > 0 ? (
            <div className="flex items-center gap-2 text-xs text-zinc-600">
              <div className="h-1.5 w-32 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
                <div className="h-full rounded-full bg-emerald-500" style={{ width: `${progress}%` }} />
              </div>
              <span>
                {milestone.done_count} of {milestone.task_count} linked {milestone.task_count === 1 ? "task" : "tasks"}{" "}
                done
              </span>
            </div>
          ) : (
            <p className="text-xs text-zinc-500">No tasks linked.</p>
          )}
          {milestone.description ? (
            <p className="whitespace-pre-line text-sm text-zinc-700">{milestone.description}</p>
          ) : null}
          <FormError message={statusFailure?.formError} />

          {canManage ? (
            <div className="flex flex-wrap items-center gap-2 pt-1">
              {milestone.status === "pending" ? (
                <StatusButton id={milestone.id} status="reached">
                  Mark reached
                </StatusButton>
              ) : null}
              {milestone.status === "reached" ? (
                <>
                  <ConfirmForm
                    fields={{ intent: "status", milestone_id: milestone.id, status: "approved" }}
                    trigger="Approve"
                    triggerLabel={`Approve ${milestone.title}`}
                    triggerVariant="primary"
                    title={`Approve “${milestone.title}”?`}
                    description="Approval is final: the milestone cannot go back to pending or reached afterwards."
                    confirmLabel="Approve"
                    confirmVariant="primary"
                  />
                  <StatusButton id={milestone.id} status="pending" variant="ghost">
                    Back to pending
                  </StatusButton>
                </>
              ) : null}
              <details className="open:order-last open:basis-full" open={Boolean(editFailure)}>
                <summary className="inline-flex h-8 cursor-pointer list-none items-center rounded-md px-3 text-sm font-medium text-zinc-700 hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
                  Edit<span className="sr-only"> {milestone.title}</span>
                </summary>
                <Form
                  method="post"
                  className="mt-3 grid gap-3 rounded-lg border border-zinc-200 p-4 sm:grid-cols-2"
                  noValidate
                  aria-label={`Edit ${milestone.title}`}
                >
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="milestone_id" value={milestone.id} />
                  {editFailure?.formError ? (
                    <div className="sm:col-span-2">
                      <FormError message={editFailure.formError} />
                    </div>
                  ) : null}
                  <InputField
                    label="Title"
                    name="title"
                    required
                    maxLength={200}
                    defaultValue={values.title}
                    errors={errors.title}
                    className="sm:col-span-2"
                  />
                  <InputField
                    label="Due date"
                    name="due_date"
                    type="date"
                    defaultValue={values.due_date}
                    errors={errors.due_date}
                  />
                  <InputField
                    label="Amount"
                    name="amount"
                    inputMode="decimal"
                    autoComplete="off"
                    defaultValue={values.amount}
                    errors={errors.amount}
                    hint={`In ${currency}.`}
                  />
                  <TextareaField
                    label="Description"
                    name="description"
                    rows={2}
                    maxLength={10000}
                    defaultValue={values.description}
                    errors={errors.description}
                    className="sm:col-span-2"
                  />
                  <div>
                    <Button type="submit" size="sm" pending={busy("update")}>
                      Save milestone
                    </Button>
                  </div>
                </Form>
              </details>
              <div className="ml-auto">
                <ConfirmForm
                  fields={{ intent: "delete", milestone_id: milestone.id }}
                  trigger={<Trash2 className="h-4 w-4" aria-hidden="true" />}
                  triggerLabel={`Delete ${milestone.title}`}
                  title={`Delete “${milestone.title}”?`}
                  description="Its tasks stay on the board, without a milestone."
                  confirmLabel="Delete"
                />
              </div>
            </div>
          ) : null}
        </div>
      </div>
    </li>
  );
}

function StatusButton({
  id,
  status,
  variant = "secondary",
  children,
}: {
  id: string;
  status: string;
  variant?: "secondary" | "ghost";
  children: string;
}) {
  const navigation = useNavigation();
  const pending =
    navigation.state === "submitting" &&
    navigation.formData?.get("milestone_id") === id &&
    navigation.formData?.get("status") === status;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="milestone_id" value={id} />
      <input type="hidden" name="status" value={status} />
      <Button type="submit" size="sm" variant={variant} pending={pending}>
        {children}
      </Button>
    </Form>
  );
}
