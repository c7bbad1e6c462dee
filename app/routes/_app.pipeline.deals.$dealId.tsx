import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Briefcase, Trash2 } from "lucide-react";
import { z } from "zod";
import { PageHeader } from "#app/components/page-header.tsx";
import { billingOptions, DealFields } from "#app/components/pipeline/deal-fields.tsx";
import { dealFields, toDealInput } from "#app/components/pipeline/deal-form.ts";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { listCurrencies } from "#app/models/agency.server.ts";
import { deleteDeal, getDeal, listStages, listTemplates, moveDeal, updateDeal } from "#app/models/pipeline.server.ts";
import { listTeam } from "#app/models/team.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { centsToInput, formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";
import { uuidParam } from "#app/utils/params.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.deal.title ?? "Deal"} · Pipeline · Agency CRM` },
];

const DealAction = z
  .discriminatedUnion("intent", [
    z.object({ intent: z.literal("update"), ...dealFields }),
    z.object({
      intent: z.literal("move"),
      stage: uuid,
      lost_reason: z.string().trim().max(1000, "Use at most 1000 characters.").optional(),
    }),
    z.object({ intent: z.literal("delete") }),
  ])
  .transform((form, ctx) =>
    form.intent === "update" ? { intent: "update" as const, changes: toDealInput(form, ctx) } : form,
  );

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const dealId = uuid.safeParse(params.dealId);
  if (!dealId.success) throw new Response("There is no such deal.", { status: 404 });
  const claims = viewer.claims;
  const [deal, stages, team, templates, currencies] = await Promise.all([
    getDeal({ claims, dealId: dealId.data }),
    listStages({ claims, agencyId }),
    listTeam({ claims, agencyId }),
    listTemplates({ claims, agencyId }),
    listCurrencies(),
  ]);
  // RLS hides deals the viewer may not read; to them the deal does not exist.
  if (!deal || deal.agency_id !== agencyId) throw new Response("There is no such deal.", { status: 404 });
  return {
    deal,
    stages: stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, default_probability: s.default_probability })),
    owners: team.members.filter((m) => m.is_active).map((m) => ({ value: m.user_id, label: m.name })),
    templates: templates.map((t) => ({ value: t.id, label: t.is_default ? `${t.name} (default)` : t.name })),
    templateName: templates.find((t) => t.id === deal.template_id)?.name ?? null,
    currencies: currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const dealId = uuidParam(params, "dealId", "There is no such deal.");
  const form = await parseForm(request, DealAction);
  if (!form.ok) return form.response;
  const claims = viewer.claims;
  try {
    const input = form.data;
    if (input.intent === "update") {
      await updateDeal({ claims, dealId, changes: input.changes });
      await context.app.toast({ kind: "success", message: "Deal saved." });
    } else if (input.intent === "move") {
      const moved = await moveDeal({ claims, dealId, stage: input.stage, lostReason: input.lost_reason || null });
      await context.app.toast({
        kind: "success",
        message: moved.project_created ? "Deal won. Its project is created." : "Stage changed.",
      });
    } else {
      await deleteDeal({ claims, dealId });
      await context.app.toast({ kind: "success", message: "Deal deleted." });
      return redirect("/pipeline");
    }
    return redirect(`/pipeline/deals/${dealId}`);
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function DealPage() {
  const { deal, stages, owners, templates, templateName, currencies } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const canEdit = active.role !== "member";
  const failed = (intent: string) => (isFormFailure(failure) && failure.values.intent === intent ? failure : undefined);
  const editFailure = failed("update");
  const moveFailure = failed("move");
  const deleteFailure = failed("delete");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const stage = stages.find((s) => s.id === deal.stage_id);
  const tone = deal.stage_kind === "won" ? "green" : deal.stage_kind === "lost" ? "red" : "brand";

  return (
    <>
      <PageHeader
        title={deal.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link to={`/clients/${deal.client_id}`} className="font-medium text-brand hover:underline">
              {deal.client_name}
            </Link>
            <Badge tone={tone}>{deal.stage_name}</Badge>
            <Link to="/pipeline" className="text-zinc-500 hover:underline">
              All deals
            </Link>
          </span>
        }
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          <Card>
            <CardHeader title="Details" />
            <dl className="grid gap-x-6 gap-y-4 p-5 text-sm sm:grid-cols-3">
              <Detail label="Value">{formatMoney(deal.value_cents, deal.currency)}</Detail>
              <Detail label="Probability">{deal.probability} %</Detail>
              <Detail label="Weighted value">{formatMoney(deal.weighted_cents, deal.currency)}</Detail>
              <Detail label="Expected close">{formatDate(deal.expected_close_date) || "Not set"}</Detail>
              <Detail label="Owner">{deal.assigned_name ?? "Unassigned"}</Detail>
              <Detail label="Billing type">
                {billingOptions.find((o) => o.value === deal.billing_type)?.label ?? deal.billing_type}
              </Detail>
              <Detail label="Project template">{templateName ?? "Agency default"}</Detail>
              <Detail label="Created">{formatDay(deal.created_at)}</Detail>
              {deal.closed_at ? <Detail label="Closed">{formatDay(deal.closed_at)}</Detail> : null}
              {deal.lost_reason ? (
                <Detail label="Lost because" className="sm:col-span-3">
                  {deal.lost_reason}
                </Detail>
              ) : null}
              {deal.description ? (
                <Detail label="Description" className="sm:col-span-3">
                  <span className="whitespace-pre-line">{deal.description}</span>
                </Detail>
              ) : null}
            </dl>
          </Card>

          {canEdit ? (
            <Card>
              <CardHeader title="Edit deal" />
              {/* Keyed by updated_at: after any change the fields show the deal as it is now. */}
              <Form key={deal.updated_at} method="post" className="grid gap-5 p-5 sm:grid-cols-2" noValidate>
                <input type="hidden" name="intent" value="update" />
                <FormError message={editFailure?.formError} />
                <DealFields
                  values={
                    editFailure?.values ?? {
                      title: deal.title,
                      description: deal.description ?? "",
                      value: centsToInput(deal.value_cents, deal.currency),
                      currency: deal.currency,
                      probability: String(deal.probability),
                      expected_close_date: deal.expected_close_date ?? "",
                      assigned_to: deal.assigned_to ?? "",
                      billing_type: deal.billing_type,
                      template_id: deal.template_id ?? "",
                    }
                  }
                  errors={editFailure?.fieldErrors ?? {}}
                  currencies={currencies}
                  owners={owners}
                  templates={templates}
                  defaultProbabilityHint={`Empty resets to the stage's ${stage?.default_probability ?? 0} %.`}
                />
                <div className="flex justify-end sm:col-span-2">
                  <Button type="submit" pending={busy("update")}>
                    Save changes
                  </Button>
                </div>
              </Form>
            </Card>
          ) : null}
        </div>

        <div className="space-y-6">
          <ProjectCard deal={deal} />
          {canEdit ? (
            <Card>
              <CardHeader title="Stage" description="Won creates the project; Lost needs a reason." />
              <Form key={deal.updated_at} method="post" className="group/move space-y-4 p-5" noValidate>
                <FormError message={moveFailure?.formError} />
                <div className="space-y-1.5">
                  <label htmlFor="deal-stage" className="block text-sm font-medium text-zinc-800">
                    Move to
                  </label>
                  <select
                    id="deal-stage"
                    name="stage"
                    defaultValue={moveFailure?.values.stage ?? deal.stage_id}
                    className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
                  >
                    {stages.map((s) => (
                      <option key={s.id} value={s.id} data-kind={s.kind}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </div>
                {/* Shown when Lost is chosen (CSS :has, no script needed), or after the database asked for it. */}
                <div
                  className={
                    moveFailure?.fieldErrors.lost_reason
                      ? "block"
                      : "hidden group-has-[option[data-kind=lost]:checked]/move:block"
                  }
                >
                  <InputField
                    label="Why was it lost?"
                    name="lost_reason"
                    maxLength={1000}
                    defaultValue={moveFailure?.values.lost_reason ?? deal.lost_reason ?? ""}
                    errors={moveFailure?.fieldErrors.lost_reason}
                  />
                </div>
                <Button type="submit" variant="secondary" className="w-full" pending={busy("move")}>
                  Change stage
                </Button>
                <input type="hidden" name="intent" value="move" />
              </Form>
            </Card>
          ) : null}
          {canEdit ? (
            <Card>
              <CardHeader title="Delete" description="Removes the deal. A project created from it stays." />
              <div className="p-5">
                <FormError message={deleteFailure?.formError} />
                <details className="text-sm">
                  <summary className="w-fit cursor-pointer rounded font-medium text-red-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-red-300">
                    Delete this deal…
                  </summary>
                  <Form method="post" className="mt-3 space-y-3">
                    <p className="text-zinc-600">
                      This cannot be undone. The client&apos;s timeline keeps its history.
                    </p>
                    <Button type="submit" variant="danger" size="sm" pending={busy("delete")}>
                      <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete “{deal.title}”
                    </Button>
                    <input type="hidden" name="intent" value="delete" />
                  </Form>
                </details>
              </div>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}

function ProjectCard({ deal }: { deal: { stage_kind: string; project: { id: string; name: string } | null } }) {
  return (
    <Card>
      <CardHeader title="Project" />
      <div className="p-5 text-sm">
        {deal.project ? (
          <Link
            to={`/projects/${deal.project.id}`}
            className="flex items-center gap-2 font-medium text-brand hover:underline"
          >
            <Briefcase className="h-4 w-4" aria-hidden="true" /> {deal.project.name}
          </Link>
        ) : (
          <p className="text-zinc-600">
            {deal.stage_kind === "lost"
              ? "No project: the deal was lost."
              : "Winning this deal creates its project, with the tasks of its template."}
          </p>
        )}
      </div>
    </Card>
  );
}

function Detail({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-900">{children}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/pipeline" backLabel="Back to the pipeline" />;
}
