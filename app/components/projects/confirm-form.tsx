import * as Dialog from "@radix-ui/react-dialog";
import { Form, useNavigation } from "@remix-run/react";
import { useId, useRef, useState, type ReactNode } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button, type ButtonProps } from "#app/components/ui/button.tsx";
import { DialogContent } from "#app/components/ui/dialog.tsx";

/**
 * A destructive action as a one-button form that asks first. Without JavaScript the button posts
 * straight away (the click is the decision); once hydrated it opens a dialog, whose confirm
 * button submits the same form through its `form` attribute. Radix traps focus, closes on Escape
 * and returns focus to the trigger.
 */
export function ConfirmForm({
  fields,
  trigger,
  triggerLabel,
  triggerVariant = "ghost",
  title,
  description,
  confirmLabel,
  confirmVariant = "danger",
}: {
  fields: Record<string, string>;
  trigger: ReactNode;
  /** The accessible name of the trigger, e.g. "Remove Mia Moreno from the team". */
  triggerLabel: string;
  triggerVariant?: ButtonProps["variant"];
  title: string;
  description: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonProps["variant"];
}) {
  const formId = useId();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const openChange = (next: boolean) => setOpen(next);
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    Object.entries(fields).every(([key, value]) => navigation.formData?.get(key) === value);

  return (
    <Form ref={formRef} method="post" id={formId} onSubmit={() => setOpen(false)}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Dialog.Root open={open} onOpenChange={openChange}>
        {hydrated ? (
          <Dialog.Trigger asChild>
            <Button type="button" size="sm" variant={triggerVariant} aria-label={triggerLabel} pending={busy}>
              {trigger}
            </Button>
          </Dialog.Trigger>
        ) : (
          <Button type="submit" size="sm" variant={triggerVariant} aria-label={triggerLabel}>
            {trigger}
          </Button>
        )}
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
          <DialogContent className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl focus:outline-none">
            <Dialog.Title className="text-base font-semibold text-zinc-900">{title}</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-zinc-600">{description}</Dialog.Description>
            <div className="mt-5 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" form={formId} variant={confirmVariant}>
                {confirmLabel}
              </Button>
            </div>
          </DialogContent>
        </Dialog.Portal>
      </Dialog.Root>
    </Form>
  );
}
