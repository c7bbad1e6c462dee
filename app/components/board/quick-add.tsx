import { Plus } from "lucide-react";
import type { ReactNode } from "react";

/**
 * The folded "Add a …" card at the top of a column; the board's own fetcher form goes inside.
 * A disclosure, so it opens without JavaScript; screen readers hear which column it adds to.
 */
export function QuickAddDisclosure({
  label,
  columnName,
  open,
  children,
}: {
  /** "Add a deal", "Add a task". */
  label: string;
  columnName: string;
  /** Open from the start, e.g. to show a failed submission's errors. */
  open: boolean;
  children: ReactNode;
}) {
  return (
    <details className="group rounded-lg border border-dashed border-zinc-300 bg-white/60" open={open}>
      <summary className="flex cursor-pointer list-none items-center gap-1.5 rounded-lg px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-white hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
        <Plus className="h-4 w-4" aria-hidden="true" />
        {label}
        <span className="sr-only"> to {columnName}</span>
      </summary>
      {children}
    </details>
  );
}
