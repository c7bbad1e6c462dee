import { z } from "zod";
import { billingType, currency, uuid } from "#app/utils/api/schemas.ts";
import { parseMoney } from "#app/utils/money.ts";
import { allStatuses, openStatuses } from "./statuses.ts";

/**
 * Parsing of the project forms (new project, edit project): the strings a <form> posts → what
 * projects.server.ts takes. Empty means "not set". Amounts stay text here because their decimals
 * depend on the project's currency, which the new form may only learn from the client
 * (moneyToCents converts them once it is known). The rules themselves stay in the database.
 */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

export const amount = z
  .string()
  .max(20, "That is not an amount.")
  .regex(/^\s*[\d\s,]*(\.\d*)?\s*$/, "Enter an amount such as 12500 or 12500.50.")
  .optional();
export const isoDate = z.iso.date({ error: "Use a date such as 2026-12-31." });

export const projectFields = {
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
  description: optional(z.string().trim().max(10_000, "Use at most 10,000 characters.")),
  billing_type: billingType,
  budget: amount,
  budget_hours: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,7}(\.\d{1,2})?$/, "Enter hours such as 120 or 37.5 (not negative).")
      .transform(Number)
      .pipe(z.number().max(1_000_000, "Use at most 1,000,000 hours.")),
  ),
  hourly_rate: amount,
  start_date: optional(isoDate),
  deadline: optional(isoDate),
  manager_id: optional(uuid),
};

type DatedForm = { start_date?: string; deadline?: string };

/** Said early and next to the field; the database's check constraint is the guarantee. */
function deadlineAfterStart(form: DatedForm, ctx: z.RefinementCtx) {
  if (form.start_date && form.deadline && form.deadline < form.start_date) {
    ctx.addIssue({ code: "custom", path: ["deadline"], message: "The deadline is before the start date." });
  }
}

export const NewProjectForm = z
  .object({
    ...projectFields,
    client_id: z.uuid({ error: "Choose a client." }),
    status: z.enum(openStatuses, { error: "Choose planning, active or on hold." }),
    /** Empty: the client's currency, else the agency's (resolved by the action). */
    currency: optional(currency),
    template_id: optional(uuid),
    team: z
      .array(z.uuid({ error: "Choose people from the list." }))
      .max(200)
      .default([]),
  })
  .superRefine(deadlineAfterStart);

/** A checkbox posts "on" when ticked and nothing when not. */
const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());

export const EditProjectForm = z
  .object({
    ...projectFields,
    status: z.enum(allStatuses, { error: "Choose a status." }),
    time_billable_default: checkbox,
    // Absent leaves the project's rule as it is; the edit form always posts both.
    invoice_rounding: optional(
      z.enum(["none", "up", "down", "nearest"], { error: "Choose a rounding rule from the list." }),
    ),
    invoice_rounding_minutes: optional(
      z
        .enum(["6", "15", "30"], { error: "Choose 6, 15 or 30 minutes." })
        .transform((minutes) => Number(minutes) as 6 | 15 | 30),
    ),
  })
  .superRefine(deadlineAfterStart);

type MoneyText = { budget?: string; hourly_rate?: string };

/** The two amounts in the currency's minor units, or a message per field that does not fit it. */
export function moneyToCents(
  form: MoneyText,
  currencyCode: string,
):
  | { ok: true; budget_cents: number | null; hourly_rate_cents: number | null }
  | { ok: false; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  const convert = (field: keyof MoneyText) => {
    const cents = parseMoney(form[field] ?? "", currencyCode);
    if (cents !== null && Number.isNaN(cents)) {
      fieldErrors[field] = [`Enter an amount in ${currencyCode}, such as 12500 or 12500.50.`];
    }
    return cents;
  };
  const budget = convert("budget");
  const rate = convert("hourly_rate");
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, budget_cents: budget, hourly_rate_cents: rate };
}
