import { Form } from "@remix-run/react";
import { useId, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { statusOptions, type TaskStatus } from "./labels.ts";

/**
 * The "Move to" control on each card the viewer may move: a plain form, so moving works without
 * JavaScript (the task goes to the end of the chosen column). With JavaScript the board takes the
 * submission over (`onMove`) to move the card optimistically like a drop.
 */
export function MoveForm({
  taskId,
  taskTitle,
  status,
  back,
  error,
  overrideStatus,
  onMove,
}: {
  taskId: string;
  taskTitle: string;
  status: TaskStatus;
  back: string;
  /** Why the last no-JavaScript move of this task was refused. */
  error?: string;
  /** Set after a manager's move was refused for unfinished dependencies: offers "Start anyway". */
  overrideStatus?: TaskStatus;
  onMove?: (status: TaskStatus) => void;
}) {
  const id = useId();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    if (!onMove) return;
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget).get("status")) as TaskStatus;
    if (chosen !== status) onMove(chosen);
  }

  return (
    <details className="mt-2 text-xs" open={Boolean(error)}>
      <summary className="w-fit cursor-pointer rounded font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
        Move to…
      </summary>
      <Form method="post" className="mt-2 space-y-2" onSubmit={handleSubmit} noValidate>
        <div className="flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-status`} className="sr-only">
              Move {taskTitle} to
            </label>
            <select
              id={`${id}-status`}
              name="status"
              defaultValue={status}
              aria-describedby={error ? `${id}-error` : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
            >
              {statusOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" size="sm" variant="secondary" className="h-7 px-2 text-xs">
            Move
          </Button>
        </div>
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-red-700">
            {error}
          </p>
        ) : null}
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="task_id" value={taskId} />
        <input type="hidden" name="back" value={back} />
      </Form>
      {overrideStatus ? (
        <Form method="post" className="mt-2 space-y-2 rounded-md bg-amber-50 p-2" noValidate>
          <label htmlFor={`${id}-reason`} className="block font-medium text-zinc-800">
            Why start it anyway?
          </label>
          <input
            id={`${id}-reason`}
            name="reason"
            required
            minLength={3}
            maxLength={500}
            className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
          />
          <Button type="submit" size="sm" variant="secondary" className="h-7 px-2 text-xs">
            {overrideStatus === "in_progress" ? "Start anyway" : "Move anyway"}
          </Button>
          <input type="hidden" name="intent" value="override" />
          <input type="hidden" name="task_id" value={taskId} />
          <input type="hidden" name="status" value={overrideStatus} />
          <input type="hidden" name="back" value={back} />
        </Form>
      ) : null}
    </details>
  );
}
