import { InputField, SelectField, TextareaField } from "../ui/field.tsx";
import { relationshipOptions, sizeOptions } from "./relationship-badge.tsx";

/** The company fields shared by "New client" and "Edit details". */
export interface ClientValues {
  name?: string;
  industry?: string | null;
  tags?: string[] | string;
  size?: string | null;
  website?: string | null;
  address?: string | null;
  country?: string | null;
  currency?: string | null;
  relationship?: string;
  notes?: string | null;
}

export function ClientFields({
  values,
  errors,
  currencies,
}: {
  values: ClientValues;
  errors: Record<string, string[]>;
  currencies: { value: string; label: string }[];
}) {
  const tags = Array.isArray(values.tags) ? values.tags.join(", ") : (values.tags ?? "");
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <InputField
        label="Company name"
        name="name"
        required
        defaultValue={values.name ?? ""}
        errors={errors.name}
        className="sm:col-span-2"
      />
      <InputField label="Industry" name="industry" defaultValue={values.industry ?? ""} errors={errors.industry} />
      <SelectField
        label="Relationship"
        name="relationship"
        options={relationshipOptions}
        defaultValue={values.relationship ?? "lead"}
        errors={errors.relationship}
      />
      <InputField
        label="Tags"
        name="tags"
        defaultValue={tags}
        hint="Separate with commas, e.g. retainer, web"
        errors={errors.tags}
      />
      <SelectField
        label="Size"
        name="size"
        options={sizeOptions}
        defaultValue={values.size ?? ""}
        errors={errors.size}
      />
      <InputField
        label="Website"
        name="website"
        type="url"
        placeholder="https://"
        defaultValue={values.website ?? ""}
        errors={errors.website}
      />
      <InputField
        label="Country code"
        name="country"
        maxLength={2}
        placeholder="DE"
        defaultValue={values.country ?? ""}
        errors={errors.country}
      />
      <SelectField
        label="Currency"
        name="currency"
        options={[{ value: "", label: "Agency currency" }, ...currencies]}
        defaultValue={values.currency ?? ""}
        errors={errors.currency}
      />
      <InputField label="Address" name="address" defaultValue={values.address ?? ""} errors={errors.address} />
      <TextareaField
        label="Internal notes"
        name="notes"
        rows={3}
        defaultValue={values.notes ?? ""}
        errors={errors.notes}
        hint="Only your team sees these, never the client."
        className="sm:col-span-2"
      />
    </div>
  );
}
