import { Form, Link, useSubmit } from "@remix-run/react";
import { useId } from "react";
import { Button } from "#app/components/ui/button.tsx";
import type { TaskFilters } from "./board-state.ts";
import { priorityOptions } from "./labels.ts";
import type { PersonOption } from "./quick-add.tsx";

const controlClass =
  "block rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

/**
 * Assignee and priority filters as a GET form: a filtered board is a URL to share or bookmark,
 * and it works without JavaScript (Apply). With JavaScript a change applies at once.
 */
export function BoardFilters({
  filters,
  team,
  clearTo,
}: {
  filters: TaskFilters;
  team: PersonOption[];
  clearTo: string;
}) {
  const id = useId();
  const submit = useSubmit();
  const filtered = Boolean(filters.assignee || filters.priority);
  return (
    <Form
      method="get"
      className="flex flex-wrap items-end gap-3"
      aria-label="Filter tasks"
      onChange={(event) => submit(event.currentTarget, { replace: true, preventScrollReset: true })}
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-assignee`} className="block text-xs font-medium text-zinc-700">
          Assignee
        </label>
        <select id={`${id}-assignee`} name="assignee" defaultValue={filters.assignee ?? ""} className={controlClass}>
          <option value="">Everyone</option>
          <option value="mine">Assigned to me</option>
          <option value="none">Unassigned</option>
          {team.map((person) => (
            <option key={person.value} value={person.value}>
              {person.label}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-priority`} className="block text-xs font-medium text-zinc-700">
          Priority
        </label>
        <select id={`${id}-priority`} name="priority" defaultValue={filters.priority ?? ""} className={controlClass}>
          <option value="">Any</option>
          {priorityOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <noscript>
        <Button type="submit" size="sm" variant="secondary" className="h-[2.125rem]">
          Apply
        </Button>
      </noscript>
      {filtered ? (
        <Link
          to={clearTo}
          replace
          preventScrollReset
          className="rounded py-1.5 text-sm font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
        >
          Clear filters
        </Link>
      ) : null}
    </Form>
  );
}
