import { useId } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { budgetTone, toneText } from "./budget-bar.tsx";

/** The dial runs to 125 %, so an overrun still shows how far over, with 80 % and 100 % marked. */
const SCALE = 125;
const CX = 100;
const CY = 100;
const R = 80;
const STROKE = 16;

const toneStroke = { ok: "stroke-emerald-500", warn: "stroke-amber-500", over: "stroke-red-600" } as const;

function point(percent: number, radius = R) {
  const angle = Math.PI * (1 - Math.min(SCALE, Math.max(0, percent)) / SCALE);
  return { x: CX + radius * Math.cos(angle), y: CY - radius * Math.sin(angle) };
}

function arc(from: number, to: number) {
  const start = point(from);
  const end = point(to);
  return `M ${start.x.toFixed(2)} ${start.y.toFixed(2)} A ${R} ${R} 0 0 1 ${end.x.toFixed(2)} ${end.y.toFixed(2)}`;
}

/**
 * A half-circle gauge of one budget (money or hours). The SVG is an image whose title says the
 * same as the figures printed under it, so nothing is only visual.
 */
export function BudgetGauge({
  label,
  percent,
  spent,
  budget,
  remaining,
}: {
  label: string;
  percent: number;
  spent: string;
  budget: string;
  remaining: string;
}) {
  const id = useId();
  const tone = budgetTone(percent);
  const rounded = Math.round(percent);
  const over = percent > 100;
  const summary = `${label}: ${rounded} % used, ${spent} of ${budget}, ${over ? "over by" : "remaining"} ${remaining}.`;
  return (
    <figure className="flex flex-col items-center text-center" aria-labelledby={`${id}-caption`}>
      <svg viewBox="0 0 200 118" className="w-full max-w-[15rem]" role="img" aria-labelledby={`${id}-title`}>
        <title id={`${id}-title`}>{summary}</title>
        <path d={arc(0, SCALE)} fill="none" strokeWidth={STROKE} className="stroke-zinc-100" />
        {percent > 0 ? (
          <path
            d={arc(0, percent)}
            fill="none"
            strokeWidth={STROKE}
            strokeLinecap="butt"
            className={toneStroke[tone]}
          />
        ) : null}
        {[80, 100].map((mark) => {
          const inner = point(mark, R - STROKE / 2 - 3);
          const outer = point(mark, R + STROKE / 2 + 3);
          const labelAt = point(mark, R + STROKE / 2 + 12);
          return (
            <g key={mark} aria-hidden="true">
              <line x1={inner.x} y1={inner.y} x2={outer.x} y2={outer.y} className="stroke-zinc-500" strokeWidth={1.5} />
              <text
                x={labelAt.x}
                y={labelAt.y}
                textAnchor="middle"
                dominantBaseline="middle"
                className="fill-zinc-500 text-[9px]"
              >
                {mark}
              </text>
            </g>
          );
        })}
        <text x={CX} y={CY - 12} textAnchor="middle" className={cn("text-[28px] font-semibold", fillFor[tone])}>
          {rounded} %
        </text>
        <text x={CX} y={CY + 8} textAnchor="middle" className="fill-zinc-500 text-[10px]">
          used
        </text>
      </svg>
      <figcaption id={`${id}-caption`} className="mt-1 text-sm">
        <span className="font-medium text-zinc-900">{label}</span>
        <span className="block text-zinc-600">
          {spent} of {budget}
        </span>
        <span className={cn("block text-xs font-medium", over ? toneText.over : "text-zinc-500")}>
          {over ? `${remaining} over budget` : `${remaining} remaining`}
        </span>
      </figcaption>
    </figure>
  );
}

const fillFor = { ok: "fill-emerald-700", warn: "fill-amber-700", over: "fill-red-700" } as const;
