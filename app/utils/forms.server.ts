import { json } from "@remix-run/node";
import type { z } from "zod";
import { AppError, validationError } from "./errors.server.ts";
import type { FormFailure } from "./forms.ts";

export { isFormFailure } from "./forms.ts";
import { toAppError } from "./api/problem.server.ts";

/**
 * Form actions answer bad input with the same field messages the API uses, and keep what the
 * person typed so nothing is lost: { formError, fieldErrors, values } with a 4xx status.
 */

export async function parseForm<T>(
  request: Request,
  schema: z.ZodType<T>,
): Promise<
  { ok: true; data: T; values: Record<string, string> } | { ok: false; response: ReturnType<typeof formFailure> }
> {
  const formData = await request.formData();
  const values = Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, response: formFailure(validationError(parsed.error), values) };
  return { ok: true, data: parsed.data, values };
}

/**
 * Any failure (zod, database rule, permission) as a form response. Passwords are never echoed.
 * `fieldNames` maps the database's column names to a form's input names where they differ.
 */
export function formFailure(
  error: unknown,
  values: Record<string, string> = {},
  { fieldNames = {} }: { fieldNames?: Record<string, string> } = {},
) {
  if (error instanceof Response) throw error;
  const appError = error instanceof AppError ? error : toAppError(error);
  const { password: _password, ...safeValues } = values;
  const fieldErrors = Object.fromEntries(
    Object.entries(appError.fieldErrors).map(([field, messages]) => [fieldNames[field] ?? field, messages]),
  );
  const general = fieldErrors._?.join(" ");
  const { _: _general, ...perField } = fieldErrors;
  const body: FormFailure = {
    formError: Object.keys(perField).length > 0 && !general ? undefined : (general ?? appError.message),
    fieldErrors: perField,
    values: safeValues,
  };
  return json(body, { status: appError.status >= 400 ? appError.status : 400 });
}
