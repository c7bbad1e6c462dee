import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader } from "#app/components/page-header.tsx";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { ProjectFields, statusOptions } from "#app/components/projects/project-fields.tsx";
import { fieldErrorsForForm } from "#app/components/projects/form-errors.ts";
import { moneyToCents, NewProjectForm } from "#app/components/projects/project-form.ts";
import { openStatuses } from "#app/components/projects/statuses.ts";
import { TeamPicker, TemplatePicker } from "#app/components/projects/new-project-pickers.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, SelectField } from "#app/components/ui/field.tsx";
import { getAgency, listCurrencies } from "#app/models/agency.server.ts";
import { getClient, listClients } from "#app/models/clients.server.ts";
import { listTemplates } from "#app/models/pipeline.server.ts";
import { assignableMembers, createProject } from "#app/models/projects.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { AppError, validationError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "New project · Projects · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const [clients, templates, members, currencies, agency] = await Promise.all([
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
    listTemplates({ claims, agencyId }),
    assignableMembers({ claims, agencyId }),
    listCurrencies(),
    getAgency({ claims, agencyId }),
  ]);
  // "New project" on a client's page arrives with ?client=<id>.
  const requested = new URL(request.url).searchParams.get("client");
  return {
    clients: clients.data.map((c) => ({ value: c.id, label: c.name })),
    clientId: clients.data.find((c) => c.id === requested)?.id ?? "",
    templates: templates.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      is_default: t.is_default,
      tasks: t.tasks,
    })),
    members: members.map((m) => ({ value: m.user_id, label: m.name, role: m.role })),
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
    agencyCurrency: agency?.currency ?? "USD",
    viewerId: viewer.claims.sub,
  };
}

/** The project's currency: the one chosen, else the client's, else the agency's. */
async function resolveCurrency(claims: JwtClaims, agencyId: string, clientId: string, chosen: string | undefined) {
  if (chosen) return chosen;
  const [client, agency] = await Promise.all([getClient({ claims, clientId }), getAgency({ claims, agencyId })]);
  return client?.client.currency ?? agency?.currency ?? "USD";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const formData = await request.formData();
  const team = formData.getAll("team").map(String);
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && key !== "team") values[key] = value;
  // Kept for the re-rendered form, so ticked boxes stay ticked after an error.
  values.team = team.join(",");
  const parsed = NewProjectForm.safeParse({ ...values, team });
  if (!parsed.success) return formFailure(validationError(parsed.error), values);
  const { budget, hourly_rate, ...form } = parsed.data;
  try {
    const currency = await resolveCurrency(viewer.claims, agencyId, form.client_id, form.currency);
    const money = moneyToCents({ budget, hourly_rate }, currency);
    if (!money.ok) throw new AppError(422, "validation_failed", "Some fields need attention.", money.fieldErrors);
    const project = await createProject({
      claims: viewer.claims,
      agencyId,
      input: {
        ...form,
        currency,
        description: form.description ?? null,
        budget_cents: money.budget_cents,
        budget_hours: form.budget_hours ?? null,
        hourly_rate_cents: money.hourly_rate_cents,
        start_date: form.start_date ?? null,
        deadline: form.deadline ?? null,
        template_id: form.template_id ?? null,
        manager_id: form.manager_id ?? null,
      },
    });
    const tasks = form.template_id ? " with its template's tasks" : "";
    await context.app.toast({ kind: "success", message: `Project “${project.name}” created${tasks}.` });
    return redirect(`/projects/${project.id}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function NewProjectPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const values = isFormFailure(failure) ? failure.values : {};
  const errors = isFormFailure(failure) ? fieldErrorsForForm(failure.fieldErrors) : {};

  if (active.role === "member") {
    return (
      <Card className="max-w-xl p-6 text-sm text-zinc-700">
        Only owners and managers start projects.{" "}
        <Link to="/projects" className="font-medium text-brand hover:underline">
          Back to the projects
        </Link>
      </Card>
    );
  }

  const defaultTemplate = data.templates.find((t) => t.is_default)?.id ?? "";
  const submitted = isFormFailure(failure);
  const managerOptions = data.members.map((m) => ({ value: m.value, label: m.label }));

  return (
    <>
      <PageHeader
        title="New project"
        description={
          <Link to="/projects" className="text-brand hover:underline">
            ← Back to the projects
          </Link>
        }
      />
      {data.clients.length === 0 ? (
        <Card className="max-w-xl p-6 text-sm text-zinc-700">
          A project is work for a client, and there are no clients yet.{" "}
          <Link to="/clients/new" className="font-medium text-brand hover:underline">
            Add a client first
          </Link>
          .
        </Card>
      ) : (
        <Form method="post" className="max-w-3xl space-y-6" noValidate>
          <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
          <Card>
            <CardHeader title="Client and project" />
            <div className="grid gap-5 p-5 sm:grid-cols-2">
              <SelectField
                label="Client"
                name="client_id"
                options={[{ value: "", label: "Choose a client…" }, ...data.clients]}
                defaultValue={values.client_id ?? data.clientId}
                errors={errors.client_id}
              />
              <SelectField
                label="Currency"
                name="currency"
                options={[{ value: "", label: "The client's currency" }, ...data.currencies]}
                defaultValue={values.currency ?? ""}
                errors={errors.currency}
                hint={`Clients without their own use the agency's (${data.agencyCurrency}).`}
              />
              <ProjectFields
                values={{ manager_id: data.viewerId, ...values }}
                errors={errors}
                statuses={statusOptions(openStatuses)}
                managers={managerOptions}
                currencyHint="In the project's currency, e.g. 24000 or 24000.50."
                allowNoManager={false}
              />
            </div>
          </Card>

          <Card>
            <CardHeader title="Plan" description="Start with a template's tasks, or with an empty board." />
            <TemplatePicker
              templates={data.templates}
              defaultValue={submitted ? (values.template_id ?? "") : defaultTemplate}
              errors={errors.template_id}
            />
          </Card>

          <Card>
            <CardHeader title="Team" description="Who works on it. The manager joins on their own." />
            <TeamPicker
              members={data.members}
              selected={submitted ? (values.team ?? "").split(",").filter(Boolean) : []}
              errors={errors.team}
            />
          </Card>

          <div className="flex justify-end gap-2">
            <Button asChild variant="secondary">
              <Link to="/projects">Cancel</Link>
            </Button>
            <Button type="submit" pending={navigation.state === "submitting"}>
              Create project
            </Button>
          </div>
        </Form>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
