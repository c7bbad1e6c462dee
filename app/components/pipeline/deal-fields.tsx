import { InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";

export type Option = { value: string; label: string };

export const billingOptions: Option[] = [
  { value: "fixed", label: "Fixed price" },
  { value: "hourly", label: "Hourly" },
  { value: "retainer", label: "Retainer" },
];

/**
 * The fields a deal has, shared by the new-deal form and the deal page's edit form. `values` are
 * the strings to show (what was typed after a failed submit, else the deal's own); `errors` are
 * field messages from the action, including the database's.
 */
export function DealFields({
  values,
  errors,
  currencies,
  owners,
  templates,
  defaultProbabilityHint,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
  currencies: Option[];
  owners: Option[];
  templates: Option[];
  defaultProbabilityHint: string;
}) {
  return (
    <>
      <InputField
        label="Title"
        name="title"
        required
        maxLength={200}
        defaultValue={values.title}
        errors={errors.title}
        className="sm:col-span-2"
      />
      <TextareaField
        label="Description (optional)"
        name="description"
        rows={3}
        maxLength={10000}
        defaultValue={values.description}
        errors={errors.description}
        className="sm:col-span-2"
      />
      <InputField
        label="Value"
        name="value"
        inputMode="decimal"
        placeholder="0"
        defaultValue={values.value}
        errors={errors.value ?? errors.value_cents}
        hint="In the currency next to it, e.g. 12500 or 12500.50."
      />
      <SelectField
        label="Currency"
        name="currency"
        options={currencies}
        defaultValue={values.currency}
        errors={errors.currency}
      />
      <InputField
        label="Probability (%)"
        name="probability"
        type="number"
        min={0}
        max={100}
        step={1}
        defaultValue={values.probability}
        errors={errors.probability}
        hint={defaultProbabilityHint}
      />
      <InputField
        label="Expected close date"
        name="expected_close_date"
        type="date"
        defaultValue={values.expected_close_date}
        errors={errors.expected_close_date}
      />
      <SelectField
        label="Owner"
        name="assigned_to"
        options={[{ value: "", label: "Unassigned" }, ...owners]}
        defaultValue={values.assigned_to ?? ""}
        errors={errors.assigned_to}
      />
      <SelectField
        label="Billing type of the project"
        name="billing_type"
        options={billingOptions}
        defaultValue={values.billing_type ?? "fixed"}
        errors={errors.billing_type}
      />
      <SelectField
        label="Project template when won"
        name="template_id"
        options={[{ value: "", label: "The agency's default template" }, ...templates]}
        defaultValue={values.template_id ?? ""}
        errors={errors.template_id}
        className="sm:col-span-2"
      />
    </>
  );
}
