import { useId, useState, type InputHTMLAttributes, type ReactNode } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { InputField } from "#app/components/ui/field.tsx";
import { centsToInput } from "#app/utils/money.ts";
import { LineRowsEditor, type LineRow } from "./line-rows-editor.tsx";

/**
 * The parts of the recurring-invoice form shared by the new and edit pages: what each period
 * bills (a retainer amount or lines) and whether invoices go out by themselves. Without
 * JavaScript both billing kinds are on the page and the chosen radio decides; with it, only the
 * chosen kind shows and line rows are added and removed.
 */
type Errors = Record<string, string[]>;

export interface BillingDefaults {
  billing: "retainer" | "lines";
  retainer_amount: string;
  tax_rate: string;
  lines: { description: string; quantity: string; unit_price: string; tax_rate: string }[];
}

/** A saved schedule as the form shows it (bps → "20", cents → "1500.00"). */
export function defaultsFrom(
  schedule: {
    retainer_amount_cents: number | null;
    tax_rate_bps: number;
    lines: { description: string; quantity: number; unit_price_cents: number; tax_rate_bps: number }[];
  },
  currency: string,
): BillingDefaults {
  const rate = (bps: number) => String(bps / 100);
  return {
    billing: schedule.retainer_amount_cents === null && schedule.lines.length > 0 ? "lines" : "retainer",
    retainer_amount: centsToInput(schedule.retainer_amount_cents, currency),
    tax_rate: rate(schedule.tax_rate_bps),
    lines: schedule.lines.map((line) => ({
      description: line.description,
      quantity: String(line.quantity),
      unit_price: centsToInput(line.unit_price_cents, currency),
      tax_rate: rate(line.tax_rate_bps),
    })),
  };
}

type Row = LineRow;

/** Rows from the last refused post (lines.N.*), else from the saved lines, plus blank rows to type in. */
function initialRows(values: Record<string, string> | undefined, saved: BillingDefaults["lines"]): Row[] {
  let rows: Row[];
  if (values) {
    const indexes = new Set<number>();
    for (const key of Object.keys(values)) {
      const match = /^lines\.(\d+)\./.exec(key);
      if (match) indexes.add(Number(match[1]));
    }
    rows = [...indexes]
      .sort((a, b) => a - b)
      .map((index) => ({
        key: index,
        description: values[`lines.${index}.description`] ?? "",
        quantity: values[`lines.${index}.quantity`] ?? "1",
        unit_price: values[`lines.${index}.unit_price`] ?? "",
        tax_rate: values[`lines.${index}.tax_rate`] ?? "",
      }))
      .filter((row) => row.description || row.unit_price || row.tax_rate);
  } else {
    rows = saved.map((line, key) => ({ key, ...line }));
  }
  const next = (rows.at(-1)?.key ?? -1) + 1;
  const blanks = Array.from({ length: Math.max(1, 2 - rows.length) }, (_, i) => ({
    key: next + i,
    description: "",
    quantity: "1",
    unit_price: "",
    tax_rate: "",
  }));
  return [...rows, ...blanks];
}

export function BillingFields({
  currency,
  defaults,
  values,
  errors,
}: {
  /** Null until a client is chosen (the currency is the project's or client's). */
  currency: string | null;
  defaults: BillingDefaults;
  /** What the last refused post sent, which wins over the defaults. */
  values: Record<string, string> | undefined;
  errors: Errors;
}) {
  const hydrated = useHydrated();
  const [billing, setBilling] = useState<string>(values?.billing ?? defaults.billing);
  const show = (kind: string) => !hydrated || billing === kind;
  return (
    <div className="space-y-5 p-5">
      <fieldset aria-describedby={errors.billing ? "billing-error" : undefined}>
        <legend className="mb-2 text-sm font-medium text-zinc-800">Each period bills</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          <Choice
            name="billing"
            value="retainer"
            checked={billing === "retainer"}
            onChange={() => setBilling("retainer")}
            title="A retainer amount"
            description={<>One line: the schedule&rsquo;s name and the period.</>}
          />
          <Choice
            name="billing"
            value="lines"
            checked={billing === "lines"}
            onChange={() => setBilling("lines")}
            title="Itemised lines"
            description={<>Hosting, support hours, licences…</>}
          />
        </div>
        {errors.billing ? (
          <p id="billing-error" role="alert" className="mt-2 text-sm text-red-700">
            {errors.billing.join(" ")}
          </p>
        ) : null}
      </fieldset>

      {show("retainer") ? (
        <InputField
          label={currency ? `Retainer per period (${currency})` : "Retainer per period"}
          name="retainer_amount"
          inputMode="decimal"
          placeholder="0.00"
          defaultValue={values?.retainer_amount ?? defaults.retainer_amount}
          hint={hydrated ? undefined : "Used when “A retainer amount” is chosen."}
          errors={errors.retainer_amount}
          className="max-w-xs"
        />
      ) : null}

      {show("lines") ? (
        <LineRows
          currency={currency}
          values={values}
          saved={defaults.lines}
          errors={errors}
          note={hydrated ? undefined : "Used when “Itemised lines” is chosen; blank rows are ignored."}
        />
      ) : null}

      <InputField
        label="Tax rate % (optional)"
        name="tax_rate"
        inputMode="decimal"
        placeholder="Default"
        defaultValue={values?.tax_rate ?? defaults.tax_rate}
        hint="For the retainer, and for lines whose tax is left empty. Empty: your agency's default rate."
        errors={errors.tax_rate}
        className="max-w-xs"
      />
    </div>
  );
}

function LineRows({
  currency,
  values,
  saved,
  errors,
  note,
}: {
  currency: string | null;
  values: Record<string, string> | undefined;
  saved: BillingDefaults["lines"];
  errors: Errors;
  note: string | undefined;
}) {
  return (
    <fieldset aria-describedby={errors.lines ? "lines-error" : undefined}>
      <legend className="text-sm font-medium text-zinc-800">Lines</legend>
      <p className="mb-3 text-xs text-zinc-500">
        {note ?? `Prices${currency ? ` in ${currency}` : ""} before tax; a negative price is a discount.`} Each line
        gets the period added to its description.
      </p>
      {errors.lines ? (
        <p id="lines-error" role="alert" className="mb-3 text-sm text-red-700">
          {errors.lines.join(" ")}
        </p>
      ) : null}
      <LineRowsEditor
        initialRows={initialRows(values, saved)}
        errors={errors}
        currency={currency}
        listLabel="Lines billed each period"
        placeholder="e.g. Hosting and support"
      />
    </fieldset>
  );
}

/** Auto-send or leave as a draft: a choice with consequences, so both options say what happens. */
export function DeliveryFields({ autoSend, errors }: { autoSend: boolean; errors: Errors }) {
  return (
    <fieldset aria-describedby={errors.delivery ? "delivery-error" : undefined}>
      <legend className="mb-2 text-sm font-medium text-zinc-800">When a period starts</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <Choice
          name="delivery"
          value="draft"
          defaultChecked={!autoSend}
          title="Leave as draft for review"
          description={<>You check the draft, then issue and send it from the invoice.</>}
        />
        <Choice
          name="delivery"
          value="send"
          defaultChecked={autoSend}
          title="Send automatically"
          description={<>Issued with the next number and emailed to the client&rsquo;s contact with the pay link.</>}
        />
      </div>
      {errors.delivery ? (
        <p id="delivery-error" role="alert" className="mt-2 text-sm text-red-700">
          {errors.delivery.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * A radio with a title and a line of explanation: the title is its name, the line its
 * description, so a screen reader announces "Send automatically, radio button" and then why.
 */
function Choice({
  title,
  description,
  ...input
}: { title: string; description: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <label className="grid cursor-pointer grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 rounded-lg border border-zinc-200 p-3 text-sm has-[:checked]:border-brand has-[:checked]:bg-brand/5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand/40">
      <input
        type="radio"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        className="row-span-2 mt-0.5 h-4 w-4 accent-brand"
        {...input}
      />
      <span id={`${id}-title`} className="font-medium text-zinc-900">
        {title}
      </span>
      <span id={`${id}-description`} className="text-xs text-zinc-500">
        {description}
      </span>
    </label>
  );
}
