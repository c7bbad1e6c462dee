import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ClientFields } from "#app/components/clients/client-fields.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { listCurrencies } from "#app/models/agency.server.ts";
import { createClient } from "#app/models/clients.server.ts";
import { splitClientFields } from "#app/utils/api/client-input.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { NewClientForm } from "#app/utils/client-form.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";

export const meta: MetaFunction = () => [{ title: "New client · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context.app);
  const currencies = await listCurrencies();
  return { currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, NewClientForm);
  if (!form.ok) return form.response;
  try {
    const { client, contact } = splitClientFields({
      ...form.data,
      contact_name: form.data.contact_name ?? undefined,
      contact_email: form.data.contact_email ?? undefined,
      contact_phone: form.data.contact_phone ?? undefined,
      contact_title: form.data.contact_title ?? undefined,
    });
    const created = await createClient({ claims: viewer.claims, agencyId, client, contact });
    await context.app.toast({ kind: "success", message: `${created.name} added.` });
    return redirect(`/clients/${created.id}`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function NewClient() {
  const { currencies } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const values = isFormFailure(failure) ? failure.values : {};
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};
  const navigation = useNavigation();
  return (
    <>
      <PageHeader title="New client" description="The company, and the person you talk to there." />
      <Form method="post" className="grid max-w-4xl gap-6" noValidate>
        <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
        <Card>
          <CardHeader title="Company" />
          <div className="p-5">
            <ClientFields values={values} errors={errors} currencies={currencies} />
          </div>
        </Card>
        <Card>
          <CardHeader title="Primary contact" description="Optional. More contacts can be added later." />
          <div className="grid gap-4 p-5 sm:grid-cols-2">
            <InputField
              label="Name"
              name="contact_name"
              defaultValue={values.contact_name}
              errors={errors.contact_name}
            />
            <InputField
              label="Email"
              name="contact_email"
              type="email"
              defaultValue={values.contact_email}
              errors={errors.contact_email}
            />
            <InputField
              label="Phone"
              name="contact_phone"
              type="tel"
              defaultValue={values.contact_phone}
              errors={errors.contact_phone}
            />
            <InputField
              label="Job title"
              name="contact_title"
              defaultValue={values.contact_title}
              errors={errors.contact_title}
            />
          </div>
        </Card>
        <div className="flex justify-end gap-2">
          <Button asChild variant="ghost">
            <Link to="/clients">Cancel</Link>
          </Button>
          <Button type="submit" pending={navigation.state === "submitting"}>
            Add client
          </Button>
        </div>
      </Form>
    </>
  );
}
