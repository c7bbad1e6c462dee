import { useId } from "react";
import { formatCompact, formatMonth, formatWhole } from "./format.ts";

export interface ForecastMonth {
  month: string;
  deal_count: number;
  value_cents: number;
  weighted_cents: number;
}

const HEIGHT = 160;
const TOP = 8;
const BOTTOM = 22;
const LEFT = 52;
const SLOT = 56;
const BAR = 16;

/** Rounds the axis maximum up to 1, 2 or 5 × a power of ten, so the gridlines read well. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((n) => n * magnitude >= value)!;
  return step * magnitude;
}

/**
 * Open deals by expected close month: total value next to weighted value (value × probability),
 * drawn as inline SVG — no chart library for two bars a month. The SVG is an image with a text
 * summary; the same numbers are one click away as a table, for screen readers and for copying.
 */
export function ForecastChart({
  months,
  currency,
  otherCurrencies,
  filtered = false,
}: {
  months: ForecastMonth[];
  currency: string;
  otherCurrencies: string[];
  /** The board is filtered; the forecast is not, and says so. */
  filtered?: boolean;
}) {
  const id = useId();
  if (months.length === 0) {
    return <p className="text-sm text-zinc-500">No open deals with an expected close date yet.</p>;
  }
  const max = niceMax(Math.max(...months.map((m) => m.value_cents)));
  const width = LEFT + months.length * SLOT;
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (cents: number) => TOP + plot - (cents / max) * plot;
  const ticks = [0, max / 2, max];
  const biggest = months.reduce((a, b) => (b.weighted_cents > a.weighted_cents ? b : a));
  const summary =
    `${months.length} ${months.length === 1 ? "month" : "months"} from ${formatMonth(months[0]!.month)} to ` +
    `${formatMonth(months.at(-1)!.month)}. The largest weighted month is ${formatMonth(biggest.month)}: ` +
    `${formatWhole(biggest.weighted_cents, currency)} weighted of ${formatWhole(biggest.value_cents, currency)}.`;

  return (
    <figure aria-labelledby={`${id}-caption`} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <figcaption id={`${id}-caption`} className="text-sm font-semibold text-zinc-900">
          Forecast by expected close month
        </figcaption>
        <ul className="flex gap-4 text-xs text-zinc-600" aria-hidden="true">
          <li className="flex items-center gap-1.5">
            <span className="h-2.5 w-2.5 rounded-sm bg-zinc-300" /> Total
          </li>
          <li className="flex items-center gap-1.5">
            <span className="h-2.5 w-2.5 rounded-sm bg-brand" /> Weighted
          </li>
        </ul>
      </div>
      <div className="relative overflow-x-auto">
        <svg
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          className="h-40 w-full"
          style={{ minWidth: months.length * 40 + LEFT }}
          preserveAspectRatio="xMinYMid meet"
        >
          <title id={`${id}-title`}>Open pipeline by expected close month, in {currency}</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} className="stroke-zinc-200" strokeDasharray="3 3" />
              <text x={LEFT - 6} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-zinc-500 text-[10px]">
                {formatCompact(tick, currency)}
              </text>
            </g>
          ))}
          {months.map((m, index) => {
            const x = LEFT + index * SLOT + (SLOT - 2 * BAR - 4) / 2;
            return (
              <g key={m.month}>
                <title>
                  {`${formatMonth(m.month)}: ${m.deal_count} deals, ${formatWhole(m.value_cents, currency)} total, ` +
                    `${formatWhole(m.weighted_cents, currency)} weighted`}
                </title>
                <rect
                  x={x}
                  y={y(m.value_cents)}
                  width={BAR}
                  height={y(0) - y(m.value_cents)}
                  rx={2}
                  className="fill-zinc-300"
                />
                <rect
                  x={x + BAR + 4}
                  y={y(m.weighted_cents)}
                  width={BAR}
                  height={y(0) - y(m.weighted_cents)}
                  rx={2}
                  className="fill-brand"
                />
                <text x={x + BAR + 2} y={HEIGHT - 6} textAnchor="middle" className="fill-zinc-600 text-[10px]">
                  {formatMonth(m.month, "short")}
                </text>
              </g>
            );
          })}
          <line x1={LEFT} x2={width} y1={y(0)} y2={y(0)} className="stroke-zinc-300" />
        </svg>
      </div>
      {filtered ? <p className="text-xs text-zinc-500">All open deals — the filters apply to the board only.</p> : null}
      {otherCurrencies.length > 0 ? (
        <p className="text-xs text-amber-700">
          Shown in {currency}; open deals in {otherCurrencies.join(", ")} are not included.
        </p>
      ) : null}
      <details className="text-sm">
        <summary className="w-fit cursor-pointer rounded text-xs font-medium text-brand hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40">
          Show the numbers
        </summary>
        <div className="relative mt-2 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Open deals by expected close month, in {currency}</caption>
            <thead className="text-zinc-500">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Month
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  Deals
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  Total
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Weighted
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row" className="py-1 pr-4 font-normal">
                    {formatMonth(m.month)}
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{m.deal_count}</td>
                  <td className="py-1 pr-4 text-right tabular-nums">{formatWhole(m.value_cents, currency)}</td>
                  <td className="py-1 text-right tabular-nums">{formatWhole(m.weighted_cents, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
