import * as Dialog from "@radix-ui/react-dialog";
import { forwardRef, useRef, type ComponentPropsWithoutRef, type ElementRef } from "react";

/*
 * Escape with a toast over a dialog. Radix gives Escape to the layer that mounted last, and every
 * toast is a layer: a toast that appears while a dialog is open ("Task saved." after a form in
 * the task panel) would take Escape, dismiss itself and leave the dialog open — and Radix has no
 * way to put it below the dialog. So a toast leaves an Escape pressed inside a dialog alone
 * (`leaveEscapeToDialog`, for Toast.Root), and the dialog's content closes on such an Escape
 * (`DialogContent`). Escape then closes the dialog first and the toast next, top to bottom.
 */
const leftToDialogs = new WeakSet<Event>();
const dialogSelector = '[role="dialog"], [role="alertdialog"]';

/** A toast's onEscapeKeyDown: an Escape from inside a dialog belongs to the dialog; the toast stays. */
export function leaveEscapeToDialog(event: KeyboardEvent) {
  if (!(event.target instanceof Element) || !event.target.closest(dialogSelector)) return;
  event.preventDefault();
  leftToDialogs.add(event);
}

/** Radix's Dialog.Content, which also closes on an Escape a toast above it left to it. */
export const DialogContent = forwardRef<
  ElementRef<typeof Dialog.Content>,
  ComponentPropsWithoutRef<typeof Dialog.Content>
>(function DialogContent({ onKeyDown, children, ...props }, ref) {
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog.Content
      ref={ref}
      {...props}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        const target = event.target instanceof Element ? event.target : null;
        // Only this dialog's own Escape: a nested dialog's bubbles up here through React too.
        if (!leftToDialogs.has(event.nativeEvent) || target?.closest(dialogSelector) !== event.currentTarget) return;
        closeRef.current?.click();
      }}
    >
      {children}
      {/* Radix closes a dialog through its own context; this button is the way in for the Escape. */}
      <Dialog.Close ref={closeRef} hidden tabIndex={-1} />
    </Dialog.Content>
  );
});
