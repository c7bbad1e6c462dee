import type { FieldErrors } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";

/** The database's column names (in its field errors), as the recurring-invoice forms call them. */
const formField: Record<string, string> = {
  retainer_amount_cents: "retainer_amount",
  tax_rate_bps: "tax_rate",
  auto_send: "delivery",
};

/** Any failure as a form response, with the database's field names turned into the form's. */
export async function recurringFailure(error: unknown, values: Record<string, string>): Promise<Response> {
  const failure = formFailure(error, values);
  const body = (await failure.clone().json()) as { fieldErrors?: FieldErrors };
  const renamed = Object.keys(body.fieldErrors ?? {}).filter((key) => key in formField);
  if (renamed.length === 0) return failure;
  for (const key of renamed) {
    body.fieldErrors![formField[key]!] = body.fieldErrors![key]!;
    delete body.fieldErrors![key];
  }
  return new Response(JSON.stringify(body), { status: failure.status, headers: failure.headers });
}
