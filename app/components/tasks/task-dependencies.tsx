import { Form, Link } from "@remix-run/react";
import { CheckCircle2, Circle, X } from "lucide-react";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, SelectField } from "#app/components/ui/field.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { statusLabel, type TaskStatus } from "./labels.ts";

export interface LinkedTask {
  id: string;
  title: string;
  status: TaskStatus;
}

/**
 * Finish-to-start links: what this task waits for (managers add and remove them) and what waits
 * for it. The database rejects a cycle; its message shows on the picker.
 */
export function TaskDependencies({
  dependsOn,
  blocks,
  candidates,
  canManage,
  hrefFor,
  failure,
  busy,
}: {
  dependsOn: LinkedTask[];
  blocks: LinkedTask[];
  /** Tasks of the project that this one could wait for. */
  candidates: LinkedTask[];
  canManage: boolean;
  hrefFor: (taskId: string) => string;
  failure?: FormFailure;
  busy: boolean;
}) {
  const removeFailed = failure?.values.intent === "remove_dependency" ? failure : undefined;
  const addFailed = failure?.values.intent === "add_dependency" ? failure : undefined;
  return (
    <div className="space-y-4 text-sm">
      <div>
        <h4 className="text-xs font-medium uppercase tracking-wide text-zinc-500">Waits for</h4>
        {dependsOn.length === 0 ? (
          <p className="mt-1 text-zinc-500">Nothing: it can start any time.</p>
        ) : (
          <ul className="mt-1 divide-y divide-zinc-100" aria-label="Waits for">
            {dependsOn.map((task) => (
              <li key={task.id} className="flex items-center gap-2 py-1.5">
                <StatusIcon status={task.status} />
                <Link to={hrefFor(task.id)} className="min-w-0 flex-1 truncate text-zinc-900 hover:underline">
                  {task.title}
                </Link>
                <span className="shrink-0 text-xs text-zinc-500">{statusLabel[task.status]}</span>
                {canManage ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove_dependency" />
                    <input type="hidden" name="depends_on" value={task.id} />
                    <button
                      type="submit"
                      aria-label={`Remove the dependency on ${task.title}`}
                      className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-red-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                    >
                      <X className="h-4 w-4" aria-hidden="true" />
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <FormError message={removeFailed?.formError} />
      </div>
      {canManage ? (
        candidates.length > 0 ? (
          <Form method="post" className="flex flex-wrap items-end gap-2" noValidate>
            <input type="hidden" name="intent" value="add_dependency" />
            <SelectField
              label="Add a task it waits for"
              name="depends_on"
              className="min-w-48 flex-1"
              options={[
                { value: "", label: "Choose a task…" },
                ...candidates.map((t) => ({ value: t.id, label: t.title })),
              ]}
              defaultValue={addFailed?.values.depends_on ?? ""}
              errors={addFailed?.fieldErrors.depends_on ?? (addFailed?.formError ? [addFailed.formError] : undefined)}
            />
            <Button type="submit" variant="secondary" pending={busy}>
              Add dependency
            </Button>
          </Form>
        ) : (
          <p className="text-xs text-zinc-500">No other task of this project to wait for.</p>
        )
      ) : null}
      {blocks.length > 0 ? (
        <div>
          <h4 className="text-xs font-medium uppercase tracking-wide text-zinc-500">Blocks</h4>
          <ul className="mt-1 space-y-1" aria-label="Blocks">
            {blocks.map((task) => (
              <li key={task.id} className="flex items-center gap-2">
                <StatusIcon status={task.status} />
                <Link to={hrefFor(task.id)} className="min-w-0 flex-1 truncate text-zinc-900 hover:underline">
                  {task.title}
                </Link>
                <span className="shrink-0 text-xs text-zinc-500">{statusLabel[task.status]}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function StatusIcon({ status }: { status: TaskStatus }) {
  return status === "done" ? (
    <CheckCircle2 className="h-4 w-4 shrink-0 text-emerald-600" aria-hidden="true" />
  ) : (
    <Circle className="h-4 w-4 shrink-0 text-amber-600" aria-hidden="true" />
  );
}
