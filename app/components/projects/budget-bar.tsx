import { cn } from "#app/components/ui/cn.ts";
import { formatWhole } from "#app/components/pipeline/format.ts";

export type BudgetFigures = {
  budget_cents: number | null;
  spent_cents: number | null;
  percent_used: number | null;
  budget_hours: number | null;
  spent_hours: number;
  percent_hours_used: number | null;
};

/** Amber from 80 %, red from 100 %: the same thresholds as the budget alerts. */
export function budgetTone(percent: number): "ok" | "warn" | "over" {
  return percent >= 100 ? "over" : percent >= 80 ? "warn" : "ok";
}

export const toneClass = { ok: "bg-emerald-500", warn: "bg-amber-500", over: "bg-red-600" } as const;
export const toneText = { ok: "text-emerald-700", warn: "text-amber-700", over: "text-red-700" } as const;

export function formatHours(hours: number): string {
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(hours)} h`;
}

/**
 * Which budget a one-line summary shows: the one closer to running out, money only where the
 * viewer may see it (owners and managers). Null when the project has neither.
 */
export function headlineBudget(budget: BudgetFigures, currency: string) {
  const money =
    budget.percent_used !== null && budget.budget_cents !== null
      ? { percent: budget.percent_used, of: formatWhole(budget.budget_cents, currency) }
      : null;
  const hours =
    budget.percent_hours_used !== null && budget.budget_hours !== null
      ? { percent: budget.percent_hours_used, of: formatHours(budget.budget_hours) }
      : null;
  if (money && hours) return hours.percent > money.percent ? hours : money;
  return money ?? hours;
}

/** The list's small bar: % used of the headline budget, with the number in text beside it. */
export function BudgetBar({ budget, currency }: { budget: BudgetFigures; currency: string }) {
  const headline = headlineBudget(budget, currency);
  if (!headline) return <span className="text-zinc-400">No budget</span>;
  const tone = budgetTone(headline.percent);
  const rounded = Math.round(headline.percent);
  return (
    <span className="flex min-w-[8rem] items-center gap-2" title={`${rounded} % of ${headline.of} used`}>
      <span className="relative h-2 flex-1 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
        <span
          className={cn("absolute inset-y-0 left-0 rounded-full", toneClass[tone])}
          style={{ width: `${Math.min(100, Math.max(0, headline.percent))}%` }}
        />
      </span>
      <span className={cn("w-12 text-right text-xs font-medium tabular-nums", toneText[tone])}>{rounded} %</span>
      <span className="sr-only">of {headline.of} used</span>
    </span>
  );
}
