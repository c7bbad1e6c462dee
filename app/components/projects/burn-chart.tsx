import { useId } from "react";
import { formatDate } from "#app/components/pipeline/format.ts";
import { cn } from "#app/components/ui/cn.ts";
import { formatMoney } from "#app/utils/money.ts";
import { formatHours } from "./budget-bar.tsx";

export type BurnWeek = { week_start: string; hours: number; spent_cents: number | null };

/** Rounds the axis maximum up to 1, 2 or 5 × a power of ten, so the gridlines read well. */
function niceMax(value: number): number {
  if (value <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].find((n) => n * magnitude >= value)! * magnitude;
}

const shortDay = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );

/**
 * Tracked hours per week (Monday to Sunday) for the last weeks, as SVG bars. The bars are
 * decoration next to a text summary (the figure's caption); the same numbers, money too for
 * managers, are one click away as a table.
 */
export function BurnChart({ weeks, currency }: { weeks: BurnWeek[]; currency: string }) {
  const id = useId();
  const total = weeks.reduce((sum, week) => sum + week.hours, 0);
  const showMoney = weeks.some((week) => week.spent_cents !== null);
  if (weeks.length === 0) return null;
  const max = niceMax(Math.max(...weeks.map((w) => w.hours)));
  const busiest = weeks.reduce((a, b) => (b.hours > a.hours ? b : a));
  const summary =
    total === 0
      ? `No time tracked in the ${weeks.length} weeks from ${formatDate(weeks[0]!.week_start)}.`
      : `${formatHours(total)} in the ${weeks.length} weeks from ${formatDate(weeks[0]!.week_start)}; ` +
        `the busiest was the week of ${formatDate(busiest.week_start)} with ${formatHours(busiest.hours)}.`;

  return (
    <figure aria-labelledby={`${id}-caption`} className="space-y-3">
      {/* Bars are SVG stretched to the width; the labels are HTML so they stay legible on a phone. */}
      <div className="flex gap-2" aria-hidden="true">
        <div className="relative h-40 w-9 shrink-0 text-right text-[10px] text-zinc-500">
          {[0, max / 2, max].map((tick) => (
            <span
              key={tick}
              className="absolute right-0 -translate-y-1/2"
              style={{ top: `${100 - (tick / max) * 100}%` }}
            >
              {tick} h
            </span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <svg viewBox={`0 0 ${weeks.length * 10} 100`} preserveAspectRatio="none" className="h-40 w-full">
            {[0, 50, 100].map((at) => (
              <line
                key={at}
                x1={0}
                x2={weeks.length * 10}
                y1={at}
                y2={at}
                vectorEffect="non-scaling-stroke"
                className={at === 100 ? "stroke-zinc-300" : "stroke-zinc-200"}
                strokeDasharray={at === 100 ? undefined : "3 3"}
              />
            ))}
            {weeks.map((week, index) =>
              week.hours > 0 ? (
                <rect
                  key={week.week_start}
                  x={index * 10 + 2}
                  y={100 - (week.hours / max) * 100}
                  width={6}
                  height={(week.hours / max) * 100}
                  className={index === weeks.length - 1 ? "fill-brand/60" : "fill-brand"}
                >
                  <title>{`Week of ${formatDate(week.week_start)}: ${formatHours(week.hours)}`}</title>
                </rect>
              ) : null,
            )}
          </svg>
          <div
            className="mt-1 grid text-[10px] text-zinc-600"
            style={{ gridTemplateColumns: `repeat(${weeks.length}, minmax(0, 1fr))` }}
          >
            {weeks.map((week, index) => {
              // Counting back from this week: every second label, every fourth on a phone (invisible,
              // not hidden, so each label keeps its own grid column).
              const back = weeks.length - 1 - index;
              return (
                <span
                  key={week.week_start}
                  className={cn("whitespace-nowrap text-center", back % 4 !== 0 && "invisible sm:visible")}
                >
                  {back % 2 === 0 ? (back === 0 ? "This wk" : shortDay(week.week_start)) : ""}
                </span>
              );
            })}
          </div>
        </div>
      </div>
      <figcaption id={`${id}-caption`} className="text-xs text-zinc-500">
        <span className="sr-only">Hours tracked per week: </span>
        {summary}
      </figcaption>
      <details className="text-sm">
        <summary className="w-fit cursor-pointer rounded text-xs font-medium text-brand hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
          Show the numbers
        </summary>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Hours{showMoney ? " and billable value" : ""} tracked per week</caption>
            <thead className="text-zinc-500">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Week of
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  Hours
                </th>
                {showMoney ? (
                  <th scope="col" className="py-1 text-right font-medium">
                    Billable value
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {weeks.map((week) => (
                <tr key={week.week_start}>
                  <th scope="row" className="py-1 pr-4 font-normal">
                    {formatDate(week.week_start)}
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{formatHours(week.hours)}</td>
                  {showMoney ? (
                    <td className="py-1 text-right tabular-nums">{formatMoney(week.spent_cents ?? 0, currency)}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
