import { InputField, TextareaField } from "#app/components/ui/field.tsx";
import type { FormFailure } from "#app/utils/forms.ts";

/**
 * The send dialog's fields: who gets the email (the address it went to last, else the client's
 * primary contact) and an optional note placed above the invoice in the email.
 */
export function SendFields({ recipient, failure }: { recipient: string; failure: FormFailure | undefined }) {
  const errors = failure?.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      <InputField
        label="To"
        name="to_email"
        type="email"
        autoComplete="email"
        maxLength={320}
        defaultValue={failure?.values.to_email ?? recipient}
        placeholder="client@example.com"
        hint={
          recipient || errors.to_email ? undefined : "The client has no contact with an email address yet: enter one."
        }
        errors={errors.to_email}
      />
      <TextareaField
        label="Message (optional)"
        name="message"
        rows={4}
        maxLength={5000}
        defaultValue={failure?.values.message ?? ""}
        hint="Shown above the invoice in the email."
        errors={errors.message}
      />
    </div>
  );
}
