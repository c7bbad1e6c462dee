import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { BillingFields, DeliveryFields, type BillingDefaults } from "#app/components/invoices/recurring-fields.tsx";
import {
  collect,
  formValues,
  isoDate,
  parseBilling,
  recurringFormFields,
  Shared,
} from "#app/components/invoices/recurring-input.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { frequencies, frequencyLabel } from "#app/components/invoices/recurring-labels.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { todayIn } from "#app/components/tasks/dates.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import { listClients } from "#app/models/clients.server.ts";
import { listProjects } from "#app/models/projects.server.ts";
import { createRecurringInvoice, type Frequency } from "#app/models/recurring-invoices.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { AppError, type FieldErrors } from "#app/utils/errors.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";

export const meta: MetaFunction = () => [{ title: "New schedule · Recurring invoices · Agency CRM" }];

/** Clients and their open projects, each with the currency its invoices are in. */
async function choices(claims: JwtClaims, agencyId: string, agencyCurrency: string) {
  const [projects, clients] = await Promise.all([
    listProjects({ claims, agencyId }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
  ]);
  return {
    clients: clients.data.map((c) => ({ id: c.id, name: c.name, currency: c.currency ?? agencyCurrency })),
    projects: projects
      .filter((p) => p.status !== "archived" && p.status !== "completed" && p.client_id)
      .map((p) => ({ id: p.id, name: p.name, client_id: p.client_id, currency: p.currency })),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId, membership, timeZone } = await requireInvoicer(request, context.app);
  const url = new URL(request.url);
  const { clients, projects } = await choices(viewer.claims, agencyId, membership.currency);
  // A client's page can link here with ?client= to start with it chosen.
  const client = clients.find((c) => c.id === url.searchParams.get("client"))?.id ?? "";
  return { clients, projects, client, today: todayIn(timeZone) };
}

const Create = Shared.extend({
  client_id: uuid.or(z.literal("")).refine(Boolean, "Choose a client."),
  project_id: z
    .union([uuid, z.literal("")])
    .optional()
    .transform((v) => v || null),
  frequency: z.enum(frequencies as [Frequency, ...Frequency[]], { error: "Choose how often to bill." }),
  start_date: isoDate,
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId, membership } = await requireInvoicer(request, context.app);
  const form = await request.formData();
  const values = formValues(form);
  try {
    const errors: FieldErrors = {};
    const parsed = Create.safeParse(values);
    if (!parsed.success) collect(errors, parsed.error.issues);
    const { clients, projects } = await choices(viewer.claims, agencyId, membership.currency);
    // Amounts are typed in the currency the invoices will be in: the project's, else the client's.
    const project = projects.find((p) => p.id === values.project_id);
    const client = clients.find((c) => c.id === values.client_id);
    const currency = project?.currency ?? client?.currency ?? membership.currency;
    const billing = parseBilling(form, currency, errors);
    if (!parsed.success || Object.keys(errors).length > 0) {
      throw new AppError(422, "validation_failed", "Some fields need attention.", errors);
    }
    const input = parsed.data;
    const schedule = await createRecurringInvoice({
      claims: viewer.claims,
      agencyId,
      input: {
        client_id: input.client_id,
        project_id: input.project_id,
        name: input.name,
        frequency: input.frequency,
        start_date: input.start_date,
        end_date: input.end_date,
        lines: billing.lines,
        retainer_amount_cents: billing.retainer_amount_cents,
        tax_rate_bps: billing.tax_rate_bps ?? null,
        auto_send: input.delivery === "send",
        notes: input.notes,
      },
    });
    await context.app.toast({ kind: "success", message: `Schedule “${schedule.name}” saved.` });
    return redirect(`/invoices/recurring/${schedule.id}`);
  } catch (error) {
    return formFailure(error, values, { fieldNames: recurringFormFields });
  }
}

const blankBilling: BillingDefaults = { billing: "retainer", retainer_amount: "", tax_rate: "", lines: [] };

export default function NewSchedule() {
  const { clients, projects, client, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = isFormFailure(actionData) ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values;
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [clientId, setClientId] = useState(values?.client_id ?? client);
  const [projectId, setProjectId] = useState(values?.project_id ?? "");
  const project = projects.find((p) => p.id === projectId);
  // No currency is named until a client is chosen (without JavaScript the page cannot follow the choice).
  const currency = project?.currency ?? clients.find((c) => c.id === clientId)?.currency ?? null;
  // Without JavaScript every project is listed under its client; with it, only the chosen client's.
  const projectGroups = clients
    .filter((c) => !hydrated || c.id === clientId)
    .map((c) => ({ client: c, projects: projects.filter((p) => p.client_id === c.id) }))
    .filter((group) => group.projects.length > 0);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/invoices/recurring" className="text-zinc-500 hover:underline">
          All recurring invoices
        </Link>
      </p>
      <Form method="post" className="space-y-6" aria-label="New recurring invoice" noValidate>
        <FormError message={failure?.formError} />
        <Card>
          <CardHeader title="Who and how often" description="Each period gets one invoice, never two." />
          <div className="grid gap-4 p-5 sm:grid-cols-2">
            <SelectField
              label="Client"
              name="client_id"
              required
              value={clientId}
              onChange={(event) => {
                setClientId(event.currentTarget.value);
                if (project && project.client_id !== event.currentTarget.value) setProjectId("");
              }}
              errors={errors.client_id}
              options={[
                { value: "", label: "Choose a client…" },
                ...clients.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
            <div className="space-y-1.5">
              <label htmlFor="schedule-project" className="block text-sm font-medium text-zinc-800">
                Project (optional)
              </label>
              <select
                id="schedule-project"
                name="project_id"
                value={projectId}
                onChange={(event) => setProjectId(event.currentTarget.value)}
                aria-invalid={errors.project_id ? true : undefined}
                aria-describedby={`schedule-project-hint${errors.project_id ? " schedule-project-error" : ""}`}
                className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
              >
                <option value="">No project</option>
                {projectGroups.map((group) => (
                  <optgroup key={group.client.id} label={group.client.name}>
                    {group.projects.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
              <p id="schedule-project-hint" className="text-xs text-zinc-500">
                A project of the chosen client; its currency wins over the client&rsquo;s.
              </p>
              {errors.project_id ? (
                <p id="schedule-project-error" role="alert" className="text-sm text-red-700">
                  {errors.project_id.join(" ")}
                </p>
              ) : null}
            </div>
            <InputField
              label="Name"
              name="name"
              required
              maxLength={200}
              placeholder="e.g. Monthly retainer"
              defaultValue={values?.name ?? ""}
              hint="Shown on each invoice's retainer line, with the period."
              errors={errors.name}
              className="sm:col-span-2"
            />
            <SelectField
              label="How often"
              name="frequency"
              defaultValue={values?.frequency ?? "monthly"}
              errors={errors.frequency}
              options={frequencies.map((f) => ({ value: f, label: frequencyLabel[f] }))}
            />
            <div className="hidden sm:block" />
            <InputField
              label="First period starts"
              type="date"
              name="start_date"
              required
              defaultValue={values?.start_date ?? today}
              hint="Periods count from this day. A past day bills the periods already gone, once each."
              errors={errors.start_date}
            />
            <InputField
              label="Ends on (optional)"
              type="date"
              name="end_date"
              defaultValue={values?.end_date ?? ""}
              hint="No period starts after this day. Empty: until you pause it."
              errors={errors.end_date}
            />
          </div>
        </Card>

        <Card>
          <CardHeader
            title="What each period bills"
            description={
              currency
                ? `Amounts in ${currency}, before tax.`
                : "Amounts in the client's currency (or its project's), before tax."
            }
          />
          <BillingFields currency={currency} defaults={blankBilling} values={values} errors={errors} />
        </Card>

        <Card>
          <CardHeader title="Delivery" />
          <div className="space-y-4 p-5">
            <DeliveryFields autoSend={values?.delivery === "send"} errors={errors} />
            <TextareaField
              label="Notes on each invoice (optional)"
              name="notes"
              rows={3}
              maxLength={5000}
              defaultValue={values?.notes ?? ""}
              errors={errors.notes}
            />
          </div>
        </Card>

        <div className="flex flex-wrap items-center justify-end gap-3">
          <Link to="/invoices/recurring" className="text-sm font-medium text-zinc-600 hover:underline">
            Cancel
          </Link>
          <Button type="submit" pending={navigation.state === "submitting"}>
            Save schedule
          </Button>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/invoices/recurring" backLabel="Back to recurring invoices" />;
}
