import * as Dialog from "@radix-ui/react-dialog";
import { Link, useNavigate } from "@remix-run/react";
import { X } from "lucide-react";
import { useRef, type ReactNode } from "react";
import { DialogContent } from "#app/components/ui/dialog.tsx";

/**
 * The task page as a panel over the board. Its own URL, so it opens from a link, a bookmark or a
 * reload; closing (Escape, the overlay, the close link) goes back to the board with its filters.
 * Rendered in place rather than in a portal so the server's HTML already contains it and the
 * page works without JavaScript; Radix adds the focus trap and Escape once it runs.
 */
export function TaskDialog({
  taskId,
  title,
  description,
  closeTo,
  children,
}: {
  taskId: string;
  title: string;
  description: ReactNode;
  closeTo: string;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const closing = useRef(false);
  const close = () => {
    if (closing.current) return;
    closing.current = true;
    navigate(closeTo, { preventScrollReset: true });
  };
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : close())}>
      <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/40" />
      <DialogContent
        onCloseAutoFocus={(event) => {
          // Back to the card that opened it, when it is on the board.
          const card = document.querySelector<HTMLElement>(`[data-task-link="${taskId}"]`);
          if (card) {
            event.preventDefault();
            card.focus();
          }
        }}
        className="fixed inset-y-0 right-0 z-50 flex w-full max-w-2xl flex-col bg-zinc-50 shadow-2xl focus:outline-none"
      >
        <header className="flex items-start gap-3 border-b border-zinc-200 bg-white px-5 py-4">
          <div className="min-w-0 flex-1">
            <Dialog.Title className="break-words text-lg font-semibold text-zinc-900">{title}</Dialog.Title>
            <Dialog.Description asChild>
              <div className="mt-1 text-sm text-zinc-600">{description}</div>
            </Dialog.Description>
          </div>
          <Link
            to={closeTo}
            preventScrollReset
            aria-label="Close the task"
            className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
          >
            <X className="h-5 w-5" aria-hidden="true" />
          </Link>
        </header>
        <div className="flex-1 space-y-5 overflow-y-auto px-5 py-5">{children}</div>
      </DialogContent>
    </Dialog.Root>
  );
}
