import * as Dialog from "@radix-ui/react-dialog";
import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "#app/components/ui/button.tsx";

/**
 * Asked when a card is dropped on the lost stage: the database refuses a lost deal without a
 * reason, so the board asks first instead of failing. Radix gives the focus trap and Escape; the
 * board returns focus to the deal's card. Cancelling leaves the deal where it was.
 */
export function LostReasonDialog({
  dealTitle,
  stageName,
  onConfirm,
  onCancel,
}: {
  /** The deal being lost; the dialog is open while this is set. */
  dealTitle: string | null;
  stageName: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("lost_reason") ?? "").trim();
    if (!reason) {
      setError("Say why the deal was lost.");
      reasonRef.current?.focus();
      return;
    }
    setError(null);
    onConfirm(reason);
  }

  return (
    <Dialog.Root
      open={dealTitle !== null}
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
          // The card that opened the dialog moved while it was open; the board puts focus back on it.
          onCloseAutoFocus={(event) => event.preventDefault()}
          className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl focus:outline-none"
        >
          <Dialog.Title className="text-base font-semibold text-zinc-900">Why was it lost?</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            Moving “{dealTitle}” to {stageName}. The reason goes on the client’s timeline and helps the next pitch.
          </Dialog.Description>
          <form onSubmit={handleSubmit} className="mt-4 space-y-4" noValidate>
            <div className="space-y-1.5">
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-zinc-800">
                Reason
              </label>
              <textarea
                ref={reasonRef}
                id={`${id}-reason`}
                name="lost_reason"
                rows={3}
                maxLength={1000}
                required
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                placeholder="Budget went to another agency, timing, scope…"
                className="block w-full rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
              />
              {error ? (
                <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
                  {error}
                </p>
              ) : null}
            </div>
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" variant="danger">
                Mark as lost
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
