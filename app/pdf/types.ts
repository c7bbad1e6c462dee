import { z } from "zod";

/**
 * The invoice as `private.invoice_document` / `public.invoice_document` return it: everything the
 * PDF needs in one JSON value, so the PDF never queries the database itself. Money is integer
 * cents, dates are calendar dates ('YYYY-MM-DD'). Enumerations are read as plain strings on
 * purpose: a status or line kind added to the database later must not stop invoices from rendering.
 */
const cents = z.number().int();

export const invoiceDocumentSchema = z.object({
  invoice_id: z.string(),
  agency_id: z.string(),
  invoice_number: z.string().nullable(),
  status: z.string(),
  currency: z.string().length(3),
  issue_date: z.iso.date().nullable(),
  due_date: z.iso.date().nullable(),
  period_from: z.iso.date().nullish(),
  period_to: z.iso.date().nullish(),
  notes: z.string().nullish(),
  terms: z.string().nullish(),
  subtotal_cents: cents,
  tax_cents: cents,
  total_cents: cents,
  amount_paid_cents: cents,
  amount_due_cents: cents,
  pay_path: z.string().nullish(),
  agency: z.object({
    name: z.string(),
    logo_url: z.string().nullish(),
    brand_color: z.string().nullish(),
    address: z.string().nullish(),
  }),
  client: z.object({
    name: z.string(),
    address: z.string().nullish(),
    contact_name: z.string().nullish(),
    contact_email: z.string().nullish(),
  }),
  lines: z.array(
    z.object({
      position: z.number().int(),
      kind: z.string(),
      description: z.string(),
      quantity: z.number(),
      unit_price_cents: cents,
      tax_rate_bps: z.number().int(),
      amount_cents: cents,
      tax_cents: cents,
    }),
  ),
  payments: z
    .array(z.object({ paid_at: z.string(), amount_cents: cents, method: z.string() }))
    .nullish()
    .transform((payments) => payments ?? []),
});

export type InvoiceDocument = z.output<typeof invoiceDocumentSchema>;
export type InvoiceLine = InvoiceDocument["lines"][number];
