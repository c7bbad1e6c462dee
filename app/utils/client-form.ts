import { z } from "zod";
import { clientSize, currency, email, personName, relationship } from "./api/schemas.ts";

/**
 * The client form's fields as a browser posts them (strings): empty means "not set", tags are
 * comma-separated. The same checks as the API; the database has the final word.
 */
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToNull, schema.nullable().optional());

export const ClientFormFields = {
  name: z.string({ error: "Enter the company name." }).trim().min(1, "Enter the company name.").max(200),
  industry: optional(z.string().trim().max(80, "Use at most 80 characters.")),
  tags: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(40, "Tags have at most 40 characters.")).max(20, "Use at most 20 tags.")),
  size: optional(clientSize),
  website: optional(
    z
      .string()
      .trim()
      .regex(/^https?:\/\/\S+$/, "Use a full address such as https://example.com.")
      .max(2048),
  ),
  address: optional(z.string().trim().max(500)),
  country: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as DE."),
  ),
  currency: optional(currency),
  relationship: relationship.optional(),
  notes: optional(z.string().trim().max(20000)),
};

export const ContactFormFields = {
  contact_name: optional(personName),
  contact_email: optional(email),
  contact_phone: optional(z.string().trim().max(40, "Use at most 40 characters.")),
  contact_title: optional(z.string().trim().max(120)),
};

export const NewClientForm = z
  .object({ ...ClientFormFields, ...ContactFormFields })
  .refine((form) => !form.contact_email || form.contact_name, {
    message: "Give the contact a name too.",
    path: ["contact_name"],
  });

export const EditClientForm = z.object({ intent: z.literal("update_client"), ...ClientFormFields });
