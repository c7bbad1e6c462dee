import * as Dialog from "@radix-ui/react-dialog";
import { Form, useNavigation } from "@remix-run/react";
import { X } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button, type ButtonProps } from "#app/components/ui/button.tsx";
import { DialogContent } from "#app/components/ui/dialog.tsx";
import { FormError } from "#app/components/ui/field.tsx";

/**
 * A button that opens a dialog holding one form (an intent posted to the page's action): issue,
 * delete, record a payment, void. Without JavaScript the same form opens in a disclosure. A
 * refusal from the server for this intent keeps (or opens) it with the message.
 */
export function ActionDialog({
  intent,
  trigger,
  triggerVariant = "secondary",
  title,
  description,
  submitLabel,
  submitVariant = "primary",
  error,
  refused = Boolean(error),
  children,
}: {
  intent: string;
  trigger: ReactNode;
  triggerVariant?: ButtonProps["variant"];
  title: string;
  description: ReactNode;
  submitLabel: string;
  submitVariant?: ButtonProps["variant"];
  /** The server's general message for the last attempt at this intent. */
  error?: string;
  /** The last attempt at this intent was refused (a general message or one at a field). */
  refused?: boolean;
  children?: ReactNode;
}) {
  const hydrated = useHydrated();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const [open, setOpen] = useState(refused);
  // Follows the form's round trip while rendering (no effect needed): a new refusal opens the
  // dialog with its message; a submission that ends without one (the action redirected back
  // here) has done its job and closes it.
  const [seen, setSeen] = useState({ busy, refused });
  if (seen.busy !== busy || seen.refused !== refused) {
    setSeen({ busy, refused });
    if (refused && !seen.refused) setOpen(true);
    else if (seen.busy && !busy && !refused) setOpen(false);
  }

  const form = (onCancel?: () => void) => (
    <Form method="post" className="mt-4 space-y-4">
      <input type="hidden" name="intent" value={intent} />
      <FormError message={error} />
      {children}
      <div className="flex flex-wrap justify-end gap-2">
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant={submitVariant} pending={busy}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );

  if (!hydrated) {
    return (
      <details className="group w-full sm:w-auto" open={refused}>
        <summary className="inline-flex h-8 cursor-pointer list-none items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 shadow-sm">
          {trigger}
        </summary>
        <div className="mt-2 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
          <p className="text-sm font-semibold text-zinc-900">{title}</p>
          <div className="mt-1 text-sm text-zinc-600">{description}</div>
          {form()}
        </div>
      </details>
    );
  }
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button type="button" size="sm" variant={triggerVariant}>
          {trigger}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
        <DialogContent className="fixed inset-x-0 bottom-0 z-50 max-h-[90vh] overflow-y-auto rounded-t-xl bg-white p-5 shadow-xl focus:outline-none sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-1/2 sm:w-[min(30rem,calc(100vw-2rem))] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-xl">
          <Dialog.Title className="pr-8 text-base font-semibold text-zinc-900">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-1 text-sm text-zinc-600">{description}</div>
          </Dialog.Description>
          {form(() => setOpen(false))}
          <Dialog.Close className="absolute right-3 top-3 rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800">
            <X className="h-4 w-4" aria-hidden="true" />
            <span className="sr-only">Close</span>
          </Dialog.Close>
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
