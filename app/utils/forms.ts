/** What a form action answers on bad input; shared by server actions and the forms that show it. */
export interface FormFailure {
  formError?: string;
  fieldErrors: Record<string, string[]>;
  values: Record<string, string>;
}

/** Narrows useActionData() to a failure. */
export function isFormFailure(value: unknown): value is FormFailure {
  return Boolean(value && typeof value === "object" && "fieldErrors" in value);
}
