import { ReasonDialog } from "#app/components/board/reason-dialog.tsx";
import { statusLabel, type TaskStatus } from "./labels.ts";

export interface OverrideRequest {
  taskId: string;
  title: string;
  status: TaskStatus;
  index: number;
  /** The database's words for the refusal. */
  message: string;
  waitingFor: string[];
}

/**
 * Offered to a manager when the database refused to start a task whose dependencies are not
 * done: say why, and it starts anyway (the reason goes to the audit log with the change).
 * Cancelling leaves the task where it snapped back to.
 */
export function OverrideDialog({
  request,
  onConfirm,
  onCancel,
}: {
  request: OverrideRequest | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const verb =
    request?.status === "in_progress" ? "Start anyway" : `Move to ${statusLabel[request?.status ?? "todo"]} anyway`;
  return (
    <ReasonDialog
      open={request !== null}
      title="Blocked by dependencies"
      description={
        <>
          “{request?.title}” was not moved: {request?.message.replace(/^./, (c) => c.toLowerCase())}.
        </>
      }
      field={{
        label: "Reason for starting anyway",
        name: "reason",
        placeholder: "The client approved the design verbally…",
        maxLength: 500,
        minLength: 3,
        tooShort: "Say why the dependencies can wait (at least 3 characters).",
        hint: "Recorded in the audit log with the change.",
      }}
      cancelLabel="Leave it"
      confirmLabel={verb}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {request && request.waitingFor.length > 0 ? (
        <div className="mt-3 text-sm">
          <p className="font-medium text-zinc-800">Still open:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-zinc-700">
            {request.waitingFor.map((title, index) => (
              <li key={index}>{title}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </ReasonDialog>
  );
}
