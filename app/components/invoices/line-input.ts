import { parseMoney } from "#app/utils/money.ts";

/**
 * A manual line as typed in a form (description, quantity, unit price, tax %), turned into what
 * the model takes, with messages per field. A negative price is a discount; an empty tax keeps the
 * agency's default rate. Shared by the new-invoice form (rows `lines.N.*`) and the invoice page.
 */
export interface TypedLine {
  description: string;
  quantity: string;
  unit_price: string;
  tax_rate: string;
}

export interface ParsedLine {
  description: string;
  quantity: number;
  unit_price_cents: number;
  tax_rate_bps?: number;
}

export function isBlankLine(line: TypedLine): boolean {
  return !line.description.trim() && !line.unit_price.trim() && !line.tax_rate.trim();
}

/** "-12.50" → -1250 for a 2-digit currency; null when empty; NaN when not money. */
export function parseSignedMoney(input: string, currency: string): number | null {
  const text = input.trim();
  const negative = /^[-−]/.test(text);
  const cents = parseMoney(negative ? text.slice(1) : text, currency);
  if (cents === null) return null;
  return negative ? -cents : cents;
}

export function parseLine(
  line: TypedLine,
  currency: string,
): { ok: true; line: ParsedLine } | { ok: false; errors: Partial<Record<keyof TypedLine, string>> } {
  const errors: Partial<Record<keyof TypedLine, string>> = {};
  const description = line.description.trim();
  if (!description) errors.description = "Describe the line.";
  else if (description.length > 500) errors.description = "Use at most 500 characters.";

  const quantityText = line.quantity.trim() || "1";
  const quantity = Number(quantityText.replace(",", "."));
  if (!/^\d+([.,]\d{1,4})?$/.test(quantityText) || !(quantity > 0) || quantity > 1_000_000) {
    errors.quantity = "A quantity above 0, with at most 4 decimals.";
  }

  const price = parseSignedMoney(line.unit_price, currency);
  if (price === null) errors.unit_price = "Enter a price (negative for a discount).";
  else if (Number.isNaN(price)) errors.unit_price = "Enter an amount like 120.00 or -50.";

  let tax: number | undefined;
  const taxText = line.tax_rate.trim().replace(/\s*%$/, "");
  if (taxText) {
    const rate = Number(taxText.replace(",", "."));
    if (!/^\d+([.,]\d{1,2})?$/.test(taxText) || rate > 100) errors.tax_rate = "A rate from 0 to 100 %.";
    else tax = Math.round(rate * 100);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    line: { description, quantity, unit_price_cents: price!, ...(tax === undefined ? {} : { tax_rate_bps: tax }) },
  };
}

/** Rows `lines.0.description`, `lines.0.quantity`… of a form, in order, blank rows dropped. */
export function typedLines(form: FormData): { index: number; line: TypedLine }[] {
  const rows = new Map<number, TypedLine>();
  for (const [key, value] of form.entries()) {
    const match = /^lines\.(\d{1,2})\.(description|quantity|unit_price|tax_rate)$/.exec(key);
    if (!match || typeof value !== "string") continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? { description: "", quantity: "", unit_price: "", tax_rate: "" };
    row[match[2] as keyof TypedLine] = value;
    rows.set(index, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, line]) => !isBlankLine(line))
    .map(([index, line]) => ({ index, line }));
}
