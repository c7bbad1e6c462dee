import type { FormEvent } from "react";
import type { TaskDates } from "./types.ts";
import type { DatedItem } from "./use-date-saves.ts";

/**
 * Pieces shared by the table's row forms and the "Unscheduled" forms: plain POST forms that work
 * without JavaScript (the action redirects back to `back`), taken over by the optimistic saver
 * once the page is hydrated.
 */
export function DatesHiddenFields({ item, back }: { item: DatedItem; back: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={item.kind === "task" ? "task_dates" : "milestone_date"} />
      <input type="hidden" name={item.kind === "task" ? "task_id" : "milestone_id"} value={item.id} />
      <input type="hidden" name="back" value={back} />
    </>
  );
}

/** With a saver, the submission becomes an optimistic save instead of a page load. */
export function submitDates(item: DatedItem, onSave: ((item: DatedItem, dates: TaskDates) => void) | undefined) {
  return (event: FormEvent<HTMLFormElement>) => {
    if (!onSave) return;
    event.preventDefault();
    // Includes the inputs that sit in other table cells and join the form with form="…".
    const data = new FormData(event.currentTarget);
    const value = (name: string) => {
      const entry = data.get(name);
      return typeof entry === "string" && entry !== "" ? entry : null;
    };
    onSave(item, { start_date: item.kind === "task" ? value("start_date") : null, due_date: value("due_date") });
  };
}

export const dateInputClass =
  "block w-[8.75rem] rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-sm text-zinc-900 shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500";
