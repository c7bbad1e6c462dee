import * as Toast from "@radix-ui/react-toast";
import { useState } from "react";
import { cn } from "./cn.ts";
import { leaveEscapeToDialog } from "./dialog.tsx";

export interface ToastMessage {
  id: string;
  kind: "success" | "error" | "info";
  message: string;
}

/** Shows the toast the server queued for this response (a cookie read once in the root loader). */
export function Toaster({ toast }: { toast: ToastMessage | undefined }) {
  return (
    <Toast.Provider swipeDirection="right" duration={5000}>
      {toast ? <ToastItem key={toast.id} toast={toast} /> : null}
      <Toast.Viewport className="fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none" />
    </Toast.Provider>
  );
}

function ToastItem({ toast }: { toast: ToastMessage }) {
  const [open, setOpen] = useState(true);
  return (
    <Toast.Root
      open={open}
      onOpenChange={setOpen}
      // A toast that arrives while a dialog is open is the top layer; Escape still closes the dialog first.
      onEscapeKeyDown={leaveEscapeToDialog}
      type={toast.kind === "error" ? "foreground" : "background"}
      className={cn(
        "flex items-start gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg",
        toast.kind === "error" ? "border-red-200" : "border-zinc-200",
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          "mt-1 h-2 w-2 shrink-0 rounded-full",
          toast.kind === "success" && "bg-emerald-500",
          toast.kind === "error" && "bg-red-500",
          toast.kind === "info" && "bg-brand",
        )}
      />
      <Toast.Description className="text-zinc-800">{toast.message}</Toast.Description>
      <Toast.Close className="ml-auto rounded px-1 text-zinc-500 hover:text-zinc-800" aria-label="Dismiss">
        ×
      </Toast.Close>
    </Toast.Root>
  );
}
