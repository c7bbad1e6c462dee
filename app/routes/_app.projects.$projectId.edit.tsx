import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { fieldErrorsForForm } from "#app/components/projects/form-errors.ts";
import { ProjectFields, statusOptions } from "#app/components/projects/project-fields.tsx";
import { EditProjectForm, moneyToCents } from "#app/components/projects/project-form.ts";
import { projectIdParam } from "#app/components/projects/route-data.server.ts";
import { allStatuses } from "#app/components/projects/statuses.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, SelectField } from "#app/components/ui/field.tsx";
import { assignableMembers, getProject, updateProject } from "#app/models/projects.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { centsToInput } from "#app/utils/money.ts";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export const meta: MetaFunction = () => [{ title: "Edit project · Projects · Agency CRM" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  projectIdParam(params);
  const members = await assignableMembers({ claims: viewer.claims, agencyId });
  return { managers: members.map((m) => ({ value: m.user_id, label: m.name })) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = projectIdParam(params);
  const form = await parseForm(request, EditProjectForm);
  if (!form.ok) return form.response;
  const claims = viewer.claims;
  try {
    const project = await getProject({ claims, projectId });
    // formFailure passes a Response on: this becomes the not-found page.
    if (!project) throw new Response("There is no such project.", { status: 404 });
    const { budget, hourly_rate, ...fields } = form.data;
    const money = moneyToCents({ budget, hourly_rate }, project.currency);
    if (!money.ok) throw new AppError(422, "validation_failed", "Some fields need attention.", money.fieldErrors);
    await updateProject({
      claims,
      projectId,
      changes: {
        ...fields,
        description: fields.description ?? null,
        budget_cents: money.budget_cents,
        budget_hours: fields.budget_hours ?? null,
        hourly_rate_cents: money.hourly_rate_cents,
        start_date: fields.start_date ?? null,
        deadline: fields.deadline ?? null,
        manager_id: fields.manager_id ?? null,
      },
    });
    await context.app.toast({ kind: "success", message: "Project saved." });
    return redirect(`/projects/${projectId}`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

const roundingOptions = [
  { value: "none", label: "No rounding" },
  { value: "up", label: "Round up" },
  { value: "down", label: "Round down" },
  { value: "nearest", label: "Round to nearest" },
];
const roundingMinuteOptions = ["6", "15", "30"].map((minutes) => ({ value: minutes, label: `${minutes} minutes` }));

export default function EditProject() {
  const { managers } = useLoaderData<typeof loader>();
  const { project } = useProjectLayout();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();

  if (!project.can_manage) {
    return (
      <Card className="max-w-xl p-6 text-sm text-zinc-700">
        Only owners and managers change a project.{" "}
        <Link to={`/projects/${project.id}`} className="font-medium text-brand hover:underline">
          Back to the overview
        </Link>
      </Card>
    );
  }

  const saved: Record<string, string> = {
    name: project.name,
    description: project.description ?? "",
    status: project.status,
    billing_type: project.billing_type,
    budget: centsToInput(project.budget_cents, project.currency),
    budget_hours: project.budget_hours === null ? "" : String(project.budget_hours),
    hourly_rate: centsToInput(project.hourly_rate_cents, project.currency),
    start_date: project.start_date ?? "",
    deadline: project.deadline ?? "",
    manager_id: project.manager_id ?? "",
    time_billable_default: project.time_billable_default ? "on" : "",
    invoice_rounding: project.invoice_rounding,
    invoice_rounding_minutes: String(project.invoice_rounding_minutes),
  };
  const values = isFormFailure(failure) ? failure.values : saved;
  const errors = isFormFailure(failure) ? fieldErrorsForForm(failure.fieldErrors) : {};
  // Managers who left the agency stay selectable on the project they still manage.
  const managerOptions =
    project.manager_id && !managers.some((m) => m.value === project.manager_id)
      ? [...managers, { value: project.manager_id, label: project.manager_name ?? "Former member" }]
      : managers;

  return (
    <Form method="post" className="max-w-3xl space-y-6" noValidate aria-labelledby="edit-project-title">
      <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
      <Card>
        <div className="border-b border-zinc-100 px-5 py-4">
          <h2 id="edit-project-title" className="text-base font-semibold text-zinc-900">
            Edit project
          </h2>
          <p className="mt-0.5 text-sm text-zinc-500">
            Completed and archived projects take no new tasks or milestones; set the status back to reopen one.
          </p>
        </div>
        <div className="grid gap-5 p-5 sm:grid-cols-2">
          <ProjectFields
            values={values}
            errors={errors}
            statuses={statusOptions(allStatuses)}
            managers={managerOptions}
            currencyHint={`In ${project.currency}, e.g. 24000 or 24000.50. Leave empty for no money budget.`}
          />
        </div>
      </Card>
      <Card>
        <CardHeader title="Time tracking" />
        <div className="px-5 py-4">
          <div className="flex items-start gap-3">
            <input
              id="time_billable_default"
              type="checkbox"
              name="time_billable_default"
              defaultChecked={values.time_billable_default === "on"}
              aria-describedby="time_billable_default-hint"
              className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-brand focus:ring-brand/40"
            />
            <div>
              <label htmlFor="time_billable_default" className="text-sm font-medium text-zinc-800">
                New time on this project is billable
              </label>
              <p id="time_billable_default-hint" className="text-xs text-zinc-500">
                The default for timers and entries; a person can still mark a single entry otherwise. Time already
                logged keeps its flag.
              </p>
            </div>
          </div>
        </div>
      </Card>
      <Card>
        <CardHeader title="Invoicing" />
        <div className="grid gap-5 px-5 py-4 sm:grid-cols-2">
          <SelectField
            label="Rounding on invoices"
            name="invoice_rounding"
            options={roundingOptions}
            defaultValue={values.invoice_rounding ?? "none"}
            errors={errors.invoice_rounding}
            hint="Each entry is rounded when invoiced; tracked time never changes."
          />
          <SelectField
            label="Round to (minutes)"
            name="invoice_rounding_minutes"
            options={roundingMinuteOptions}
            defaultValue={values.invoice_rounding_minutes ?? "15"}
            errors={errors.invoice_rounding_minutes}
          />
        </div>
      </Card>
      <Card>
        <CardHeader title="Client" description="A project stays with the client it was started for." />
        <p className="px-5 py-4 text-sm text-zinc-700">
          {project.client_name} · {project.currency}
        </p>
      </Card>
      <div className="flex justify-end gap-2">
        <Button asChild variant="secondary">
          <Link to={`/projects/${project.id}`}>Cancel</Link>
        </Button>
        <Button type="submit" pending={navigation.state === "submitting"}>
          Save project
        </Button>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
