import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { useBrowserTimezone } from "#app/components/browser-timezone.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { getAccount } from "#app/models/account.server.ts";
import { createAgency, listCurrencies } from "#app/models/agency.server.ts";
import { agencyName, currency, timezone } from "#app/utils/api/schemas.ts";
import { requireViewer } from "#app/utils/auth/guards.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { timezoneOptions } from "#app/utils/timezones.ts";

export const meta: MetaFunction = () => [{ title: "Set up your agency · Agency CRM" }];

const AgencyForm = z.object({ name: agencyName, currency, timezone });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  const [account, currencies] = await Promise.all([getAccount({ claims: viewer.claims }), listCurrencies()]);
  return {
    firstAgency: (account?.memberships.length ?? 0) === 0,
    profileTimezone: account?.profile.timezone ?? "UTC",
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
    timezones: timezoneOptions(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  const form = await parseForm(request, AgencyForm);
  if (!form.ok) return form.response;
  try {
    const agency = await createAgency({ claims: viewer.claims, ...form.data });
    await context.app.setActiveAgency(agency.id);
    await context.app.toast({ kind: "success", message: `${agency.name} is ready. Invite your team next.` });
    return redirect("/");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function Onboarding() {
  const { firstAgency, profileTimezone, currencies, timezones } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const values = isFormFailure(failure) ? failure.values : undefined;
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};
  const navigation = useNavigation();
  useBrowserTimezone("agency-timezone", !values?.timezone);
  return (
    <AuthShell
      title={firstAgency ? "Set up your agency" : "Create another agency"}
      subtitle="Clients, projects, time and invoices will live here. You can change these settings later."
      footer={
        firstAgency ? (
          <Form method="post" action="/logout">
            <button className="text-zinc-600 hover:underline">Sign out</button>
          </Form>
        ) : (
          <Link to="/" className="font-medium text-brand hover:underline">
            Back to your agency
          </Link>
        )
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
        <InputField
          label="Agency name"
          name="name"
          required
          autoComplete="organization"
          defaultValue={values?.name}
          errors={errors.name}
        />
        <SelectField
          label="Currency"
          name="currency"
          options={currencies}
          defaultValue={values?.currency ?? "USD"}
          errors={errors.currency}
          hint="Invoices and reports use it."
        />
        <SelectField
          id="agency-timezone"
          label="Time zone"
          name="timezone"
          options={timezones}
          defaultValue={values?.timezone ?? profileTimezone}
          errors={errors.timezone}
          hint="Days, weeks and due dates follow it."
        />
        <Button type="submit" className="w-full" pending={navigation.state !== "idle"}>
          Create agency
        </Button>
      </Form>
    </AuthShell>
  );
}
