import type { ReactNode } from "react";
import { cn } from "./ui/cn.ts";

/** "Check your email" after a sign-in link was requested; points at the dev mailbox locally. */
export function LinkSent({
  children,
  devMailbox,
  className,
}: {
  children: ReactNode;
  devMailbox: boolean;
  className?: string;
}) {
  return (
    <div
      role="status"
      className={cn("rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800", className)}
    >
      {children}
      {devMailbox ? (
        <>
          {" "}
          Local mode: open the{" "}
          <a className="font-medium underline" href="/dev/mailbox">
            dev mailbox
          </a>
          .
        </>
      ) : null}
    </div>
  );
}
