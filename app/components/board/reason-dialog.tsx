import * as Dialog from "@radix-ui/react-dialog";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button, type ButtonProps } from "#app/components/ui/button.tsx";
import { DialogContent } from "#app/components/ui/dialog.tsx";

/**
 * Asks for the reason a board move needs before it is sent (a lost deal, a task started before
 * its dependencies are done). Radix gives the focus trap and Escape. Focus does not go back to
 * what opened it: the card moved while the dialog was open, and the board focuses it again.
 * Cancelling leaves the card where it is.
 */
export function ReasonDialog({
  open,
  title,
  description,
  children,
  field,
  confirmLabel,
  confirmVariant,
  cancelLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  /** More to read before answering, between the description and the form. */
  children?: ReactNode;
  field: {
    label: string;
    name: string;
    placeholder: string;
    maxLength: number;
    /** The shortest reason taken (after trimming), and what is said when it is shorter. */
    minLength: number;
    tooShort: string;
    /** Shown under the field while there is no error. */
    hint?: string;
  };
  confirmLabel: string;
  confirmVariant?: ButtonProps["variant"];
  cancelLabel: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const describedBy = error ? `${id}-error` : field.hint ? `${id}-hint` : undefined;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get(field.name) ?? "").trim();
    if (reason.length < field.minLength) {
      setError(field.tooShort);
      reasonRef.current?.focus();
      return;
    }
    setError(null);
    onConfirm(reason);
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setError(null);
          onCancel();
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <DialogContent
          onCloseAutoFocus={(event) => event.preventDefault()}
          className="fixed left-1/2 top-1/2 z-50 max-h-[calc(100vh-2rem)] w-[min(30rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl focus:outline-none"
        >
          <Dialog.Title className="text-base font-semibold text-zinc-900">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">{description}</Dialog.Description>
          {children}
          <form onSubmit={handleSubmit} className="mt-4 space-y-4" noValidate>
            <div className="space-y-1.5">
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-zinc-800">
                {field.label}
              </label>
              <textarea
                ref={reasonRef}
                id={`${id}-reason`}
                name={field.name}
                rows={3}
                maxLength={field.maxLength}
                required
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                placeholder={field.placeholder}
                className="block w-full rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
              />
              {error ? (
                <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
                  {error}
                </p>
              ) : field.hint ? (
                <p id={`${id}-hint`} className="text-xs text-zinc-500">
                  {field.hint}
                </p>
              ) : null}
            </div>
            <div className="flex flex-wrap justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  {cancelLabel}
                </Button>
              </Dialog.Close>
              <Button type="submit" variant={confirmVariant}>
                {confirmLabel}
              </Button>
            </div>
          </form>
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
