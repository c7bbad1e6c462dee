import type { Frequency } from "#app/models/recurring-invoices.server.ts";

/** Words for a schedule's interval, as a choice ("Monthly") and as a rate ("per month"). */
export const frequencyLabel: Record<Frequency, string> = {
  weekly: "Weekly",
  monthly: "Monthly",
  quarterly: "Quarterly",
  yearly: "Yearly",
};

export const perPeriod: Record<Frequency, string> = {
  weekly: "per week",
  monthly: "per month",
  quarterly: "per quarter",
  yearly: "per year",
};

export const frequencies = Object.keys(frequencyLabel) as Frequency[];

/** What the database bills for a line before tax: quantity × price, half away from zero to the cent. */
function lineAmount(quantity: number, unitPriceCents: number): number {
  const exact = quantity * unitPriceCents;
  return Math.sign(exact) * Math.round(Math.abs(exact));
}

/**
 * What one period bills before tax: the retainer plus the lines (a schedule may carry both). A
 * preview for lists; the invoice's totals are the database's when it is generated.
 */
export function amountPerPeriod(schedule: {
  retainer_amount_cents: number | null;
  lines: { quantity: number; unit_price_cents: number }[];
}): number {
  return (
    (schedule.retainer_amount_cents ?? 0) +
    schedule.lines.reduce((sum, line) => sum + lineAmount(line.quantity, line.unit_price_cents), 0)
  );
}
