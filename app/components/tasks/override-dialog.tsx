import * as Dialog from "@radix-ui/react-dialog";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";
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
 * Cancelling leaves the task where it snapped back to. Radix gives the focus trap and Escape.
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
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const verb =
    request?.status === "in_progress" ? "Start anyway" : `Move to ${statusLabel[request?.status ?? "todo"]} anyway`;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    if (reason.length < 3) {
      setError("Say why the dependencies can wait (at least 3 characters).");
      reasonRef.current?.focus();
      return;
    }
    setError(null);
    onConfirm(reason);
  }

  return (
    <Dialog.Root
      open={request !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onCancel();
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <Dialog.Content
          // The card moved back while this was open; the board puts focus on it again.
          onCloseAutoFocus={(event) => event.preventDefault()}
          className="fixed left-1/2 top-1/2 z-50 max-h-[calc(100vh-2rem)] w-[min(30rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl focus:outline-none"
        >
          <Dialog.Title className="text-base font-semibold text-zinc-900">Blocked by dependencies</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            “{request?.title}” was not moved: {request?.message.replace(/^./, (c) => c.toLowerCase())}.
          </Dialog.Description>
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
          <form onSubmit={handleSubmit} className="mt-4 space-y-4" noValidate>
            <div className="space-y-1.5">
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-zinc-800">
                Reason for starting anyway
              </label>
              <textarea
                ref={reasonRef}
                id={`${id}-reason`}
                name="reason"
                rows={3}
                maxLength={500}
                required
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : `${id}-hint`}
                placeholder="The client approved the design verbally…"
                className="block w-full rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
              />
              {error ? (
                <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
                  {error}
                </p>
              ) : (
                <p id={`${id}-hint`} className="text-xs text-zinc-500">
                  Recorded in the audit log with the change.
                </p>
              )}
            </div>
            <div className="flex flex-wrap justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  Leave it
                </Button>
              </Dialog.Close>
              <Button type="submit">{verb}</Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
