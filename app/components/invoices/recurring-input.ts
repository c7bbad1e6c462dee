import { z } from "zod";
import { parseLine, typedLines, type ParsedLine } from "#app/components/invoices/line-input.ts";
import type { FieldErrors } from "#app/utils/errors.server.ts";
import { parseMoney } from "#app/utils/money.ts";

/**
 * The parts of a recurring-invoice form that the new and the edit page share: what a period bills
 * (a retainer amount or lines), the tax rate, auto-send or draft, notes. Form fields are named for
 * people (retainer_amount, tax_rate, delivery); the model takes cents, basis points and booleans.
 * Not a .server module: the routes build their zod schemas from it at module level, which the
 * browser bundle evaluates too.
 */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.");

export const Shared = z.object({
  name: z.string().trim().min(1, "Name the schedule, e.g. Monthly retainer.").max(200, "Use at most 200 characters."),
  end_date: z
    .union([isoDate, z.literal("")])
    .optional()
    .transform((v) => v || null),
  billing: z.enum(["retainer", "lines"], { error: "Choose a retainer amount or lines." }),
  delivery: z.enum(["send", "draft"], { error: "Choose whether invoices go out by themselves." }),
  notes: z
    .string()
    .trim()
    .max(5000, "Use at most 5000 characters.")
    .optional()
    .transform((v) => v || null),
});

export interface Billing {
  lines: ParsedLine[];
  retainer_amount_cents: number | null;
  /** Undefined when left empty: the agency's default rate on create, unchanged on edit. */
  tax_rate_bps: number | undefined;
}

/** Adds the zod issues to `errors` by field name. */
export function collect(errors: FieldErrors, issues: z.ZodError["issues"]): void {
  for (const issue of issues) (errors[issue.path.join(".") || "_"] ??= []).push(issue.message);
}

/**
 * The amount or the lines of the chosen kind (the other kind's fields are ignored: without
 * JavaScript both are on the page), and the tax rate. Messages go into `errors`.
 */
export function parseBilling(form: FormData, currency: string, errors: FieldErrors): Billing {
  // Read here rather than from the parsed form, so a bad name does not hide a bad amount.
  const billing = form.get("billing");
  const result: Billing = { lines: [], retainer_amount_cents: null, tax_rate_bps: undefined };
  const taxText = String(form.get("tax_rate") ?? "")
    .trim()
    .replace(/\s*%$/, "");
  if (taxText) {
    const rate = Number(taxText.replace(",", "."));
    if (!/^\d+([.,]\d{1,2})?$/.test(taxText) || rate > 100) errors.tax_rate = ["A rate from 0 to 100 %."];
    else result.tax_rate_bps = Math.round(rate * 100);
  }
  if (billing === "retainer") {
    const amount = parseMoney(String(form.get("retainer_amount") ?? ""), currency);
    if (amount === null) errors.retainer_amount = [`Enter the amount billed each period, in ${currency}.`];
    else if (Number.isNaN(amount) || amount <= 0) errors.retainer_amount = ["Enter an amount like 1500 or 1500.00."];
    else result.retainer_amount_cents = amount;
  } else if (billing === "lines") {
    const typed = typedLines(form);
    if (typed.length === 0) errors.lines = ["Add at least one line, or bill a retainer amount."];
    for (const { index, line } of typed) {
      const parsed = parseLine(line, currency);
      if (parsed.ok) result.lines.push(parsed.line);
      else for (const [field, message] of Object.entries(parsed.errors)) errors[`lines.${index}.${field}`] = [message];
    }
  }
  return result;
}

/** The form's string fields, for echoing back what the person typed. */
export function formValues(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** The database's column names (in its field errors), as the recurring-invoice forms call them. */
export const recurringFormFields: Record<string, string> = {
  retainer_amount_cents: "retainer_amount",
  tax_rate_bps: "tax_rate",
  auto_send: "delivery",
};
