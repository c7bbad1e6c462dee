import { Form } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import type { BoardFailure } from "./task-board.tsx";
import { statusLabel, statusOptions, type TaskStatus } from "./labels.ts";

/**
 * The status of a task, which its assignee and the managers may change. When the database refuses
 * to start it because a dependency is not done, a manager gets the reason field and "Start
 * anyway" (the reason is audited); everyone else sees why.
 */
export function TaskStatusForm({
  status,
  canChange,
  canManage,
  failure,
  busy,
}: {
  status: TaskStatus;
  canChange: boolean;
  canManage: boolean;
  failure?: BoardFailure;
  busy: boolean;
}) {
  if (!canChange) {
    return (
      <p className="text-sm text-zinc-700">
        <span className="font-medium text-zinc-900">{statusLabel[status]}</span>
        <span className="block text-xs text-zinc-500">Only the assignee and managers can change it.</span>
      </p>
    );
  }
  const blocked = failure?.code === "dependency_not_done" || Boolean(failure?.fieldErrors.override_reason);
  const offerOverride = canManage && blocked;
  const wanted = (failure?.values.status as TaskStatus | undefined) ?? status;
  return (
    <Form method="post" key={`${status}-${failure ? "failed" : "ok"}`} className="space-y-3" noValidate>
      <FormError message={offerOverride ? undefined : (failure?.formError ?? failure?.fieldErrors.status?.join(" "))} />
      <div className="flex flex-wrap items-end gap-2">
        <SelectField
          label="Status"
          name="status"
          options={statusOptions}
          defaultValue={wanted}
          className="min-w-40 flex-1"
        />
        <Button type="submit" variant="secondary" pending={busy && !offerOverride} disabled={busy}>
          Change status
        </Button>
      </div>
      {offerOverride ? (
        <div className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-3">
          <p role="alert" className="text-sm text-amber-900">
            {failure?.formError ?? failure?.fieldErrors.status?.join(" ")}. You can start it anyway: say why.
          </p>
          <TextareaField
            label="Reason for starting anyway"
            name="override_reason"
            rows={2}
            maxLength={500}
            required
            hint="Recorded in the audit log with the change."
            defaultValue={failure?.values.override_reason}
            errors={failure?.fieldErrors.override_reason}
          />
          <Button type="submit" name="override" value="1" pending={busy}>
            {wanted === "in_progress" ? "Start anyway" : `Move to ${statusLabel[wanted]} anyway`}
          </Button>
        </div>
      ) : null}
      <input type="hidden" name="intent" value="status" />
    </Form>
  );
}
