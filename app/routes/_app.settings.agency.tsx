import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import { getAgency, listCurrencies, updateAgencySettings } from "#app/models/agency.server.ts";
import { agencyName, currency, timezone } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { validationError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { centsToInput, parseMoney } from "#app/utils/money.ts";
import { storePublicImage } from "#app/utils/storage.server.ts";
import { readImageForm } from "#app/utils/uploads.server.ts";
import { timezoneOptions } from "#app/utils/timezones.ts";
import { useStaff } from "./_app.tsx";

/**
 * Fields added with invoice sending. Each is optional in the post so an older form (or a test that
 * posts only the first fields) leaves it alone; posted empty, it clears.
 */
const emptyToNull = (value: string | undefined) => (value === undefined ? undefined : value.trim() || null);

/** "-3, 0, 7, 14" → [-3, 0, 7, 14]: whole days around the due date, sorted, each once. */
function parseReminderDays(text: string): { days: number[] } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const days: number[] = [];
  for (const part of parts) {
    if (!/^[-+−]?\d{1,3}$/.test(part)) return { error: `"${part}" is not a whole number of days.` };
    const day = Number(part.replace("−", "-"));
    if (day < -60 || day > 120) return { error: "Each day must be between -60 (before the due date) and 120 (after)." };
    if (!days.includes(day)) days.push(day);
  }
  if (days.length > 8) return { error: "At most 8 reminders." };
  return { days: days.sort((a, b) => a - b) };
}

const PaymentFields = z.object({
  // Browsers post a textarea's line breaks as CRLF; store plain newlines for the PDF and the page.
  address: z
    .string()
    .transform((value) => value.replace(/\r\n?/g, "\n"))
    .pipe(z.string().max(500, "Use at most 500 characters."))
    .optional()
    .transform(emptyToNull),
  stripe_account_id: z
    .string()
    .optional()
    .transform(emptyToNull)
    .refine((value) => !value || /^acct_[A-Za-z0-9]{1,64}$/.test(value), {
      message: "A Stripe account id starts with acct_, such as acct_1Nx2yZAbCdEf.",
    }),
  reminder_offsets_days: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const parsed = parseReminderDays(value);
      if ("error" in parsed) {
        ctx.addIssue({ code: "custom", message: parsed.error });
        return z.NEVER;
      }
      return parsed.days;
    }),
});

const SettingsForm = z
  .object({
    name: agencyName,
    brand_color: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^#[0-9a-f]{6}$/, "Use a hex colour such as #4f46e5."),
    currency,
    timezone,
    default_tax_rate: z
      .string()
      .trim()
      .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter a percentage such as 20 or 7.5.")
      .transform((value) => Math.round(Number(value) * 100))
      .pipe(z.number().max(10_000, "At most 100 %.")),
    default_hourly_rate: z.string().max(20),
    invoice_prefix: z
      .string()
      .trim()
      .max(20, "Use at most 20 characters.")
      .regex(/^[A-Za-z0-9/_.-]*$/, "Use letters, digits and - _ . / only."),
    payment_terms_days: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Whole days.")
      .min(0)
      .max(365, "At most 365 days."),
    /** A checkbox posts "on" when ticked and nothing when not. */
    invoice_requires_approved_time: z.preprocess((value) => value === "on" || value === "true", z.boolean()),
    remove_logo: z.string().optional(),
  })
  .transform((form, ctx) => {
    const cents = parseMoney(form.default_hourly_rate, form.currency);
    if (cents !== null && Number.isNaN(cents)) {
      ctx.addIssue({
        code: "custom",
        path: ["default_hourly_rate"],
        message: "Enter an amount such as 120 or 120.50.",
      });
      return z.NEVER;
    }
    return { ...form, default_hourly_rate_cents: cents ?? 0 };
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const [agency, currencies] = await Promise.all([getAgency({ claims: viewer.claims, agencyId }), listCurrencies()]);
  if (!agency) throw redirect("/");
  return {
    agency,
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
    timezones: timezoneOptions(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  let values: Record<string, string> = {};
  try {
    const form = await readImageForm(request);
    values = form.values;
    const parsed = SettingsForm.and(PaymentFields).safeParse(values);
    if (!parsed.success) throw validationError(parsed.error);
    const { default_tax_rate, default_hourly_rate: _rate, remove_logo, ...settings } = parsed.data;
    const logo = form.files.logo;
    const logo_url = logo
      ? await storePublicImage(logo, `agency-logos/${agencyId}`, "logo")
      : remove_logo
        ? null
        : undefined;
    await updateAgencySettings({
      claims: viewer.claims,
      agencyId,
      settings: {
        ...settings,
        default_tax_rate_bp: default_tax_rate,
        ...(logo_url !== undefined && { logo_url }),
      },
    });
    await context.app.toast({ kind: "success", message: "Agency settings saved." });
    return redirect("/settings/agency");
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function AgencySettings() {
  const { agency, currencies, timezones } = useLoaderData<typeof loader>();
  const { active } = useStaff();
  const failure = useActionData<typeof action>();
  const values = isFormFailure(failure) ? failure.values : undefined;
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};
  const navigation = useNavigation();
  const readOnly = active.role === "member";
  const value = <K extends keyof typeof agency>(key: K, fallback?: string) =>
    values?.[key as string] ?? fallback ?? String(agency[key] ?? "");

  return (
    <Card className="max-w-3xl">
      <CardHeader
        title="Agency"
        description={
          readOnly
            ? "Only owners and managers can change these settings."
            : "Branding, money and defaults for new projects and invoices."
        }
      />
      <Form method="post" encType="multipart/form-data" className="space-y-6 p-5" noValidate>
        <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
        <fieldset disabled={readOnly} className="grid gap-5 sm:grid-cols-2">
          <legend className="sr-only">Agency settings</legend>
          <InputField
            label="Name"
            name="name"
            required
            defaultValue={value("name")}
            errors={errors.name}
            className="sm:col-span-2"
          />
          <div className="space-y-1.5 sm:col-span-2">
            <span className="block text-sm font-medium text-zinc-800">Logo</span>
            <div className="flex flex-wrap items-center gap-4">
              {agency.logo_url ? (
                <img
                  src={agency.logo_url}
                  alt="Current logo"
                  className="h-12 w-auto rounded border border-zinc-200 bg-white p-1"
                />
              ) : (
                <span
                  className="flex h-12 w-12 items-center justify-center rounded bg-brand text-lg font-bold text-white"
                  aria-hidden="true"
                >
                  {agency.name.charAt(0)}
                </span>
              )}
              <InputField
                label="Upload a new logo"
                name="logo"
                type="file"
                accept="image/png,image/jpeg,image/webp,image/gif"
                hint="PNG, JPEG, WebP or GIF, up to 1 MB."
                errors={errors.logo}
              />
              {agency.logo_url ? (
                <label className="flex items-center gap-2 text-sm text-zinc-700">
                  <input type="checkbox" name="remove_logo" value="1" className="rounded border-zinc-300" /> Remove logo
                </label>
              ) : null}
            </div>
          </div>
          <InputField
            label="Brand colour"
            name="brand_color"
            type="color"
            defaultValue={value("brand_color")}
            errors={errors.brand_color}
            hint="Used in the app, emails and the client portal."
          />
          <SelectField
            label="Currency"
            name="currency"
            options={currencies}
            defaultValue={value("currency")}
            errors={errors.currency}
          />
          <SelectField
            label="Time zone"
            name="timezone"
            options={timezones}
            defaultValue={value("timezone")}
            errors={errors.timezone}
          />
          <InputField
            label="Default tax rate (%)"
            name="default_tax_rate"
            inputMode="decimal"
            defaultValue={values?.default_tax_rate ?? String(agency.default_tax_rate_bp / 100)}
            errors={errors.default_tax_rate ?? errors.default_tax_rate_bp}
          />
          <InputField
            label={`Default hourly rate (${agency.currency})`}
            name="default_hourly_rate"
            inputMode="decimal"
            defaultValue={
              values?.default_hourly_rate ?? centsToInput(agency.default_hourly_rate_cents, agency.currency)
            }
            errors={errors.default_hourly_rate}
            hint="Used when neither the project nor the person has a rate."
          />
          <InputField
            label="Invoice number prefix"
            name="invoice_prefix"
            defaultValue={value("invoice_prefix")}
            errors={errors.invoice_prefix}
            hint="For example INV- gives INV-2026-0042."
          />
          <InputField
            label="Payment terms (days)"
            name="payment_terms_days"
            type="number"
            min={0}
            max={365}
            defaultValue={value("payment_terms_days")}
            errors={errors.payment_terms_days}
          />
          <div className="flex items-start gap-3 sm:col-span-2">
            <input
              id="invoice_requires_approved_time"
              type="checkbox"
              name="invoice_requires_approved_time"
              defaultChecked={
                values ? values.invoice_requires_approved_time === "on" : agency.invoice_requires_approved_time
              }
              aria-describedby="invoice_requires_approved_time-hint"
              className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-brand focus:ring-brand/40"
            />
            <div>
              <label htmlFor="invoice_requires_approved_time" className="text-sm font-medium text-zinc-800">
                Invoice only approved time
              </label>
              <p id="invoice_requires_approved_time-hint" className="text-xs text-zinc-500">
                New invoices take only approved time. Unticked, they take all billable time that was not rejected.
              </p>
            </div>
          </div>
        </fieldset>
        <fieldset disabled={readOnly} className="grid gap-5 border-t border-zinc-100 pt-6 sm:grid-cols-2">
          <legend className="float-left mb-1 w-full text-sm font-semibold text-zinc-900 sm:col-span-2">
            Invoices and payments
          </legend>
          <TextareaField
            label="Address"
            name="address"
            rows={3}
            maxLength={500}
            defaultValue={values?.address ?? agency.address ?? ""}
            errors={errors.address}
            hint="Printed on invoices and the client's pay page."
            className="sm:col-span-2"
          />
          <InputField
            label="Stripe account id (optional)"
            name="stripe_account_id"
            placeholder="acct_…"
            autoComplete="off"
            spellCheck={false}
            defaultValue={values?.stripe_account_id ?? agency.stripe_account_id ?? ""}
            errors={errors.stripe_account_id}
            hint="Your Stripe connected account: online payments go to it. Empty: the platform's own account."
          />
          <InputField
            label="Payment reminders (days from the due date)"
            name="reminder_offsets_days"
            placeholder="-3, 0, 7, 14"
            defaultValue={values?.reminder_offsets_days ?? agency.reminder_offsets_days.join(", ")}
            errors={errors.reminder_offsets_days}
            hint="Negative numbers are days before the due date, 0 is the due date, positive numbers are days after. -3, 0, 7, 14 emails the client 3 days before, on the day, and 7 and 14 days late; each once, never for paid invoices. Empty: no automatic reminders."
          />
        </fieldset>
        {readOnly ? null : (
          <div className="flex justify-end">
            <Button type="submit" pending={navigation.state === "submitting"}>
              Save settings
            </Button>
          </div>
        )}
      </Form>
    </Card>
  );
}
