import { Form } from "@remix-run/react";
import { useId } from "react";
import { MoveToForm } from "#app/components/board/move-form.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { statusOptions, type TaskStatus } from "./labels.ts";

/**
 * A task's "Move to" form (the task goes to the end of the chosen column). After a manager's
 * no-JavaScript move was refused for unfinished dependencies, it offers "Start anyway" with a
 * reason.
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
  return (
    <MoveToForm
      id={id}
      itemTitle={taskTitle}
      name="status"
      options={statusOptions}
      defaultValue={status}
      error={error}
      hidden={{ intent: "move", task_id: taskId, back }}
      onChoose={
        onMove &&
        ((data) => {
          const chosen = String(data.get("status")) as TaskStatus;
          if (chosen !== status) onMove(chosen);
        })
      }
      after={
        overrideStatus ? (
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
        ) : undefined
      }
    />
  );
}
