import { z } from "zod";
import { billingType, currency, email, uuid } from "#app/utils/api/schemas.ts";
import { parseMoney } from "#app/utils/money.ts";

/**
 * Parsing of the deal form (new deal and the deal page's edit form): strings from a <form> →
 * the model's DealInput. Empty fields mean "not set" (null), so the database's defaults apply —
 * a blank probability takes the stage's. Range and format checks are here for early messages;
 * the rules themselves stay in the database.
 */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

export const dealFields = {
  title: z.string({ error: "Enter a title." }).trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
  description: optional(z.string().trim().max(10_000, "Use at most 10,000 characters.")),
  // The shape is checked here so it is reported with the other fields; the currency's number of
  // decimals is checked when the value is converted (toDealInput).
  value: z
    .string()
    .max(20, "That is not an amount.")
    .regex(/^\s*[\d\s,]*(\.\d*)?\s*$/, "Enter an amount such as 12500 or 12500.50.")
    .optional(),
  currency,
  probability: optional(
    z.coerce
      .number({ error: "Enter a probability from 0 to 100." })
      .int("Use a whole percentage.")
      .min(0, "Use 0 to 100.")
      .max(100, "Use 0 to 100."),
  ),
  expected_close_date: optional(z.iso.date({ error: "Use a date such as 2026-12-31." })),
  assigned_to: optional(uuid),
  billing_type: billingType,
  template_id: optional(uuid),
};

type DealFieldValues = z.infer<z.ZodObject<typeof dealFields>>;

/** The parsed fields as the model takes them; the value is read in the chosen currency's minor units. */
export function toDealInput(form: DealFieldValues, ctx: z.RefinementCtx) {
  const value = parseMoney(form.value ?? "", form.currency);
  if (value !== null && Number.isNaN(value)) {
    ctx.addIssue({ code: "custom", path: ["value"], message: "Enter an amount such as 12500 or 12500.50." });
    return z.NEVER;
  }
  return {
    title: form.title,
    description: form.description ?? null,
    value_cents: value ?? 0,
    currency: form.currency,
    probability: form.probability ?? null,
    expected_close_date: form.expected_close_date ?? null,
    assigned_to: form.assigned_to ?? null,
    billing_type: form.billing_type,
    template_id: form.template_id ?? null,
  };
}

/** The new-deal form: the deal, its stage, and an existing client or a new company with a contact. */
export const NewDealForm = z
  .object({
    ...dealFields,
    stage: uuid,
    client_mode: z.enum(["existing", "new"], { error: "Choose an existing or a new client." }),
    client_id: optional(uuid),
    company_name: optional(z.string().trim().max(200, "Use at most 200 characters.")),
    contact_name: optional(z.string().trim().max(120, "Use at most 120 characters.")),
    contact_email: optional(email),
    contact_phone: optional(z.string().trim().max(40, "Use at most 40 characters.")),
  })
  .superRefine((form, ctx) => {
    if (form.client_mode === "existing" && !form.client_id) {
      ctx.addIssue({ code: "custom", path: ["client_id"], message: "Choose a client." });
    }
    if (form.client_mode === "new" && !form.company_name) {
      ctx.addIssue({ code: "custom", path: ["company_name"], message: "Enter the company name." });
    }
    if (form.client_mode === "new" && form.contact_email && !form.contact_name) {
      ctx.addIssue({ code: "custom", path: ["contact_name"], message: "Give the contact a name too." });
    }
  })
  .transform((form, ctx) => {
    const deal = toDealInput(form, ctx);
    const newClient =
      form.client_mode === "new"
        ? {
            client: { name: form.company_name! },
            contact: form.contact_name
              ? { name: form.contact_name, email: form.contact_email ?? null, phone: form.contact_phone ?? null }
              : null,
          }
        : undefined;
    return { deal: { ...deal, stage: form.stage }, clientId: newClient ? undefined : form.client_id, newClient };
  });
