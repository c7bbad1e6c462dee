import { billingOptions, type Option } from "#app/components/pipeline/deal-fields.tsx";
import { projectStatusLabel } from "#app/components/pipeline/project-labels.ts";
import { InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";

export const statusOptions = (statuses: readonly string[]): Option[] =>
  statuses.map((status) => ({ value: status, label: projectStatusLabel[status] ?? status }));

/**
 * The fields a project has, shared by "New project" and "Edit project". `values` are the strings to
 * show (what was typed after a failed submit, else the project's own); `errors` the action's
 * field messages, the database's included.
 */
export function ProjectFields({
  values,
  errors,
  statuses,
  managers,
  currencyHint,
  allowNoManager = true,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
  statuses: Option[];
  managers: Option[];
  /** Says which currency the amounts are in. */
  currencyHint: string;
  /** A new project without one gets its creator as manager (database default), so "none" would mislead. */
  allowNoManager?: boolean;
}) {
  return (
    <>
      <InputField
        label="Name"
        name="name"
        required
        maxLength={200}
        defaultValue={values.name}
        errors={errors.name}
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
      <SelectField
        label="Status"
        name="status"
        options={statuses}
        defaultValue={values.status ?? "planning"}
        errors={errors.status}
      />
      <SelectField
        label="Billing type"
        name="billing_type"
        options={billingOptions}
        defaultValue={values.billing_type ?? "fixed"}
        errors={errors.billing_type}
      />
      <InputField
        label="Budget (optional)"
        name="budget"
        inputMode="decimal"
        autoComplete="off"
        placeholder="0"
        defaultValue={values.budget}
        errors={errors.budget}
        hint={currencyHint}
      />
      <InputField
        label="Budgeted hours (optional)"
        name="budget_hours"
        inputMode="decimal"
        autoComplete="off"
        placeholder="0"
        defaultValue={values.budget_hours}
        errors={errors.budget_hours}
        hint="Alerts go out at 80 % and 100 % of either budget."
      />
      <InputField
        label="Project hourly rate (optional)"
        name="hourly_rate"
        inputMode="decimal"
        autoComplete="off"
        defaultValue={values.hourly_rate}
        errors={errors.hourly_rate}
        hint="Overrides the people's own and the agency's rate on this project."
      />
      <SelectField
        label="Project manager"
        name="manager_id"
        options={allowNoManager ? [{ value: "", label: "No manager" }, ...managers] : managers}
        defaultValue={values.manager_id ?? ""}
        errors={errors.manager_id}
        hint="Joins the team and receives the budget alerts."
      />
      <InputField
        label="Start date (optional)"
        name="start_date"
        type="date"
        defaultValue={values.start_date}
        errors={errors.start_date}
      />
      <InputField
        label="Deadline (optional)"
        name="deadline"
        type="date"
        defaultValue={values.deadline}
        errors={errors.deadline}
      />
    </>
  );
}
