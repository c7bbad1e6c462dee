import { formatMoney } from "#app/utils/money.ts";
import { formatHours } from "./budget-bar.tsx";

export type PersonHours = {
  user_id: string;
  name: string;
  hours: number;
  billable_hours: number;
  spent_cents: number | null;
};

/**
 * Who tracked how much on the project. A list with the numbers in text; the bars (relative to the
 * busiest person, billable part darker) are decoration for sighted readers.
 */
export function HoursByPerson({ people, currency }: { people: PersonHours[]; currency: string }) {
  if (people.length === 0) {
    return <p className="text-sm text-zinc-500">No time tracked on this project yet.</p>;
  }
  const max = Math.max(...people.map((p) => p.hours), 0.01);
  return (
    <ul className="space-y-3" aria-label="Hours by person">
      {people.map((person) => (
        <li key={person.user_id} className="text-sm">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span className="font-medium text-zinc-800">{person.name}</span>
            <span className="tabular-nums text-zinc-700">
              {formatHours(person.hours)}
              <span className="text-xs text-zinc-500">
                {" "}
                ({formatHours(person.billable_hours)} billable
                {person.spent_cents !== null ? `, ${formatMoney(person.spent_cents, currency)}` : ""})
              </span>
            </span>
          </div>
          <div className="relative mt-1 h-2 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
            <div
              className="absolute inset-y-0 left-0 bg-brand/30"
              style={{ width: `${(person.hours / max) * 100}%` }}
            />
            <div
              className="absolute inset-y-0 left-0 bg-brand"
              style={{ width: `${(person.billable_hours / max) * 100}%` }}
            />
          </div>
        </li>
      ))}
    </ul>
  );
}
