import { Link } from "@remix-run/react";
import * as Toast from "@radix-ui/react-toast";
import { leaveEscapeToDialog } from "#app/components/ui/dialog.tsx";
import { cn } from "#app/components/ui/cn.ts";

export interface BoardToast {
  id: string;
  kind: "success" | "error";
  message: string;
  link?: { to: string; label: string };
}

/**
 * A board's own toasts, for results of moves made without leaving the page: why a move was
 * refused, or "Project created" with a link to it after a win. (The app's Toaster shows messages
 * queued by a redirect, and has no links.) Radix announces them politely, errors assertively.
 */
export function BoardToasts({
  label,
  toasts,
  onDismiss,
}: {
  /** What the notification region is called, e.g. "Pipeline notification". */
  label: string;
  toasts: BoardToast[];
  onDismiss: (id: string) => void;
}) {
  return (
    <Toast.Provider swipeDirection="right" duration={8000} label={label}>
      {toasts.map((toast) => (
        <Toast.Root
          key={toast.id}
          type={toast.kind === "error" ? "foreground" : "background"}
          onOpenChange={(open) => (open ? undefined : onDismiss(toast.id))}
          onEscapeKeyDown={leaveEscapeToDialog}
          className={cn(
            "flex items-start gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg",
            toast.kind === "error" ? "border-red-200" : "border-emerald-200",
          )}
        >
          <span
            aria-hidden="true"
            className={cn(
              "mt-1.5 h-2 w-2 shrink-0 rounded-full",
              toast.kind === "error" ? "bg-red-500" : "bg-emerald-500",
            )}
          />
          <div className="min-w-0 flex-1">
            <Toast.Description className="text-zinc-800">{toast.message}</Toast.Description>
            {toast.link ? (
              <Toast.Action altText={`${toast.link.label}: ${toast.link.to}`} asChild>
                <Link to={toast.link.to} className="mt-1 inline-block font-medium text-brand hover:underline">
                  {toast.link.label}
                </Link>
              </Toast.Action>
            ) : null}
          </div>
          <Toast.Close className="rounded px-1 text-zinc-500 hover:text-zinc-800" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none" />
    </Toast.Provider>
  );
}
