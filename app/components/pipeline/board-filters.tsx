import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { Button } from "#app/components/ui/button.tsx";

const controlClass =
  "block rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

/**
 * Owner and close-month filters as a GET form: the filtered board is a URL that can be shared
 * or bookmarked, and it works without JavaScript. Members only ever see their own deals, so
 * they get no owner filter.
 */
export function BoardFilters({
  owners,
  owner,
  month,
  showOwner,
}: {
  owners: { value: string; label: string }[];
  owner: string | undefined;
  month: string | undefined;
  showOwner: boolean;
}) {
  const id = useId();
  const filtered = Boolean(owner || month);
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter deals">
      {showOwner ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-owner`} className="block text-xs font-medium text-zinc-700">
            Owner
          </label>
          <select id={`${id}-owner`} name="owner" defaultValue={owner ?? ""} className={controlClass}>
            <option value="">Everyone</option>
            {owners.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor={`${id}-month`} className="block text-xs font-medium text-zinc-700">
          Expected close month
        </label>
        <input
          id={`${id}-month`}
          type="month"
          name="month"
          defaultValue={month ?? ""}
          pattern="\d{4}-\d{2}"
          placeholder="YYYY-MM"
          className={controlClass}
        />
      </div>
      <Button type="submit" size="sm" variant="secondary" className="h-[2.125rem]">
        Apply
      </Button>
      {filtered ? (
        <Link
          to="/pipeline"
          className="rounded py-1.5 text-sm font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
        >
          Clear filters
        </Link>
      ) : null}
    </Form>
  );
}
