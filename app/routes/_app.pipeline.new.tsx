import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader } from "#app/components/page-header.tsx";
import { DealFields } from "#app/components/pipeline/deal-fields.tsx";
import { NewDealForm } from "#app/components/pipeline/deal-form.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField } from "#app/components/ui/field.tsx";
import { getAgency, listCurrencies } from "#app/models/agency.server.ts";
import { listClients } from "#app/models/clients.server.ts";
import { createDeal, listStages, listTemplates } from "#app/models/pipeline.server.ts";
import { listTeam } from "#app/models/team.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "New deal · Pipeline · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const [stages, team, clients, templates, currencies, agency] = await Promise.all([
    listStages({ claims, agencyId }),
    listTeam({ claims, agencyId }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
    listTemplates({ claims, agencyId }),
    listCurrencies(),
    getAgency({ claims, agencyId }),
  ]);
  const url = new URL(request.url);
  const requested = url.searchParams.get("stage");
  // "New deal" on a client's page arrives with ?client=<id>.
  const clientId = clients.data.find((c) => c.id === url.searchParams.get("client"))?.id ?? "";
  // A deal starts open (or already won, which creates its project). A lost deal needs a reason,
  // which only a move can give, so Lost is not offered here.
  const startStages = stages.filter((s) => s.kind !== "lost");
  return {
    stages: startStages.map((s) => ({
      value: s.id,
      label: s.kind === "won" ? `${s.name} (creates the project)` : `${s.name} — ${s.default_probability} %`,
    })),
    stageId: startStages.find((s) => s.id === requested)?.id ?? startStages[0]?.id ?? "",
    owners: team.members.filter((m) => m.is_active).map((m) => ({ value: m.user_id, label: m.name })),
    clients: clients.data.map((c) => ({ value: c.id, label: c.name })),
    templates: templates.map((t) => ({ value: t.id, label: t.is_default ? `${t.name} (default)` : t.name })),
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
    currency: agency?.currency ?? "USD",
    viewerId: viewer.userId,
    clientId,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const form = await parseForm(request, NewDealForm);
  if (!form.ok) return form.response;
  try {
    const created = await createDeal({ claims: viewer.claims, agencyId, ...form.data });
    await context.app.toast({
      kind: "success",
      message: created.project_id ? "Deal added as won. Its project is created." : "Deal added.",
    });
    return redirect(`/pipeline/deals/${created.id}`);
  } catch (error) {
    // The new client's own fields (name) are reported under the company field of this form.
    const appError =
      error instanceof AppError && error.fieldErrors.name ? renameField(error, "name", "company_name") : error;
    return formFailure(appError, form.values);
  }
}

function renameField(error: AppError, from: string, to: string): AppError {
  const { [from]: moved, ...rest } = error.fieldErrors;
  return new AppError(error.status, error.code, error.message, { ...rest, [to]: moved! });
}

export default function NewDealPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const values = isFormFailure(failure) ? failure.values : {};
  const errors = isFormFailure(failure) ? failure.fieldErrors : {};
  const clientMode = values.client_mode ?? (data.clients.length > 0 ? "existing" : "new");

  if (active.role === "member") {
    return (
      <Card className="max-w-xl p-6 text-sm text-zinc-700">
        Only owners and managers add deals.{" "}
        <Link to="/pipeline" className="font-medium text-brand hover:underline">
          Back to the pipeline
        </Link>
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title="New deal"
        description={
          <Link to="/pipeline" className="text-brand hover:underline">
            ← Back to the pipeline
          </Link>
        }
      />
      <Form method="post" className="max-w-3xl space-y-6" noValidate>
        <FormError message={isFormFailure(failure) ? failure.formError : undefined} />
        <Card>
          <CardHeader title="Client" description="Who the deal is with: a client you have, or a new one." />
          {/* The radios switch the visible fieldset through CSS :has(), so this works without JavaScript. */}
          <fieldset className="group/client space-y-4 p-5">
            <legend className="sr-only">Client</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              {(["existing", "new"] as const).map((mode) => (
                <label key={mode} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="client_mode"
                    value={mode}
                    defaultChecked={clientMode === mode}
                    disabled={mode === "existing" && data.clients.length === 0}
                    className="h-4 w-4 border-zinc-300 text-brand focus:ring-brand"
                  />
                  {mode === "existing" ? "Existing client" : "New client"}
                </label>
              ))}
            </div>
            <div className="hidden group-has-[input[value=existing]:checked]/client:block">
              <SelectField
                label="Client"
                name="client_id"
                options={[{ value: "", label: "Choose a client…" }, ...data.clients]}
                defaultValue={values.client_id ?? data.clientId}
                errors={errors.client_id}
              />
            </div>
            <div className="hidden gap-4 group-has-[input[value=new]:checked]/client:grid sm:grid-cols-2">
              <InputField
                label="Company name"
                name="company_name"
                defaultValue={values.company_name}
                errors={errors.company_name}
                className="sm:col-span-2"
              />
              <InputField
                label="Contact name (optional)"
                name="contact_name"
                autoComplete="off"
                defaultValue={values.contact_name}
                errors={errors.contact_name}
              />
              <InputField
                label="Contact email (optional)"
                name="contact_email"
                type="email"
                autoComplete="off"
                defaultValue={values.contact_email}
                errors={errors.contact_email}
              />
              <InputField
                label="Contact phone (optional)"
                name="contact_phone"
                type="tel"
                autoComplete="off"
                defaultValue={values.contact_phone}
                errors={errors.contact_phone}
              />
            </div>
          </fieldset>
        </Card>

        <Card>
          <CardHeader title="Deal" />
          <div className="grid gap-5 p-5 sm:grid-cols-2">
            <SelectField
              label="Stage"
              name="stage"
              options={data.stages}
              defaultValue={values.stage ?? data.stageId}
              errors={errors.stage}
              className="sm:col-span-2"
            />
            <DealFields
              values={{ currency: data.currency, assigned_to: data.viewerId, ...values }}
              errors={errors}
              currencies={data.currencies}
              owners={data.owners}
              templates={data.templates}
              defaultProbabilityHint="Leave empty to use the stage's probability."
            />
          </div>
        </Card>
        <div className="flex justify-end gap-2">
          <Button asChild variant="secondary">
            <Link to="/pipeline">Cancel</Link>
          </Button>
          <Button type="submit" pending={navigation.state === "submitting"}>
            Add deal
          </Button>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/pipeline" backLabel="Back to the pipeline" />;
}
