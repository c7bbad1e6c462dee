import * as Toast from "@radix-ui/react-toast";
import { cn } from "#app/components/ui/cn.ts";

export interface BoardToast {
  id: string;
  kind: "success" | "error";
  message: string;
}

/**
 * Results of moves made without leaving the page — above all why one was refused. (The app's
 * Toaster shows messages queued by a redirect.) Radix announces errors assertively.
 */
export function BoardToasts({ toasts, onDismiss }: { toasts: BoardToast[]; onDismiss: (id: string) => void }) {
  return (
    <Toast.Provider swipeDirection="right" duration={8000} label="Task board notification">
      {toasts.map((toast) => (
        <Toast.Root
          key={toast.id}
          type={toast.kind === "error" ? "foreground" : "background"}
          onOpenChange={(open) => (open ? undefined : onDismiss(toast.id))}
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
          <Toast.Description className="min-w-0 flex-1 text-zinc-800">{toast.message}</Toast.Description>
          <Toast.Close className="rounded px-1 text-zinc-500 hover:text-zinc-800" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none" />
    </Toast.Provider>
  );
}
