import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { groupingLabel } from "#app/components/invoices/labels.tsx";
import { LineRowsEditor, type LineRow } from "#app/components/invoices/line-rows-editor.tsx";
import { parseLine, typedLines } from "#app/components/invoices/line-input.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { formatDate } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import { listClients } from "#app/models/clients.server.ts";
import { createInvoice, unbilledWork, type TimeGrouping } from "#app/models/invoices.server.ts";
import { listProjects } from "#app/models/projects.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { formatDuration } from "#app/utils/durations.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { formatMoney } from "#app/utils/money.ts";

export const meta: MetaFunction = () => [{ title: "New invoice · Invoices · Agency CRM" }];

/** Blank manual rows rendered without JavaScript (with it, rows are added and removed). */
const BLANK_ROWS = 3;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.");

const Query = z.object({
  project: uuid.optional().catch(undefined),
  client: uuid.optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
});

type Option = { value: string; label: string; currency: string };

async function choices(claims: Parameters<typeof listProjects>[0]["claims"], agencyId: string, fallback: string) {
  const [projects, clients] = await Promise.all([
    listProjects({ claims, agencyId }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
  ]);
  return {
    projects: projects
      .filter((p) => p.status !== "archived")
      .map((p) => ({
        value: p.id,
        label: p.client_name ? `${p.name} (${p.client_name})` : p.name,
        currency: p.currency,
      })) satisfies Option[],
    clients: clients.data.map((c) => ({
      value: c.id,
      label: c.name,
      currency: c.currency ?? fallback,
    })) satisfies Option[],
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId, membership } = await requireInvoicer(request, context.app);
  const claims = viewer.claims;
  const url = new URL(request.url);
  const query = Query.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const { projects, clients } = await choices(claims, agencyId, membership.currency);
  // A project wins over a client: the project overview links here with ?project=.
  const project = query.project ? projects.find((p) => p.value === query.project) : undefined;
  // Without JavaScript the one select always sends "project"; a client's id there means the client.
  const clientId = query.client ?? query.project;
  const client = !project && clientId ? clients.find((c) => c.value === clientId) : undefined;
  const scope = project ?? client;
  const work = scope
    ? await unbilledWork({
        claims,
        agencyId,
        projectId: project?.value,
        clientId: client?.value,
        periodFrom: query.from,
        periodTo: query.to,
      })
    : null;
  return {
    projects,
    clients,
    query: { ...query, project: project?.value, client: client?.value },
    scope: scope ? { kind: project ? ("project" as const) : ("client" as const), ...scope } : null,
    work,
  };
}

const DraftForm = z
  .object({
    project_id: uuid.optional(),
    client_id: uuid.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    period_from: isoDate.optional(),
    period_to: isoDate.optional(),
    include_time: z.literal("1").optional(),
    grouping: z.enum(["task", "person", "date", "single"], { error: "Choose how to group the time." }),
    due_date: isoDate.optional(),
    notes: z.string().trim().max(5000, "Use at most 5000 characters.").optional(),
  })
  .refine((v) => v.project_id || v.client_id, { path: ["scope"], message: "Choose a project or a client." })
  .refine((v) => !v.period_from || !v.period_to || v.period_to >= v.period_from, {
    path: ["period_to"],
    message: "The end of the period cannot be before its start.",
  });

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireInvoicer(request, context.app);
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") values[key] = value;
  const milestoneIds = form.getAll("milestone_ids").filter((v): v is string => typeof v === "string");
  values.milestone_ids = milestoneIds.join(",");
  try {
    const parsed = DraftForm.safeParse(
      Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== "")) as Record<string, string>,
    );
    const fieldErrors: Record<string, string[]> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "_"] ??= []).push(issue.message);
    }
    if (milestoneIds.some((id) => !uuid.safeParse(id).success)) fieldErrors.milestone_ids = ["Unknown milestone."];
    const currency = parsed.success ? parsed.data.currency : "EUR";
    const lines = typedLines(form).map(({ index, line }) => {
      const result = parseLine(line, currency);
      if (!result.ok) {
        for (const [field, message] of Object.entries(result.errors))
          fieldErrors[`lines.${index}.${field}`] = [message];
        return null;
      }
      return result.line;
    });
    if (Object.keys(fieldErrors).length > 0 || !parsed.success) {
      throw new AppError(422, "validation_failed", "Some fields need attention.", fieldErrors);
    }
    const input = parsed.data;
    const invoice = await createInvoice({
      claims: viewer.claims,
      agencyId,
      draft: {
        project_id: input.project_id ?? null,
        client_id: input.project_id ? null : (input.client_id ?? null),
        period_from: input.period_from ?? null,
        period_to: input.period_to ?? null,
        include_time: input.include_time === "1",
        grouping: input.grouping as TimeGrouping,
        milestone_ids: milestoneIds,
        lines: lines.filter((line) => line !== null),
        due_date: input.due_date ?? null,
        notes: input.notes || null,
      },
    });
    await context.app.toast({ kind: "success", message: "Draft invoice created. Check it, then issue it." });
    return redirect(`/invoices/${invoice.id}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function NewInvoice() {
  const { projects, clients, query, scope, work } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = isFormFailure(actionData) ? actionData : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values;
  const navigation = useNavigation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  const creating = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const currency = scope?.currency ?? "EUR";
  const money = (cents: number) => formatMoney(cents, currency);
  const chosenMilestones = values ? new Set(values.milestone_ids?.split(",").filter(Boolean)) : null;

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/invoices" className="text-zinc-500 hover:underline">
          All invoices
        </Link>
      </p>
      <Card>
        <CardHeader title="What to bill" description="A project, or a client across all its projects." />
        <Form
          method="get"
          className="grid gap-4 p-5 sm:grid-cols-2"
          aria-label="Choose what to bill"
          onChange={(event) => {
            // The choice and the period reload the preview of unbilled work below.
            const target = event.target as HTMLInputElement;
            if (target.type === "date" && target.value && target.value.length !== 10) return;
            submit(event.currentTarget, { replace: true, preventScrollReset: true });
          }}
        >
          <div className="space-y-1.5 sm:col-span-2">
            <label htmlFor="bill-for" className="block text-sm font-medium text-zinc-800">
              Bill for
            </label>
            <select
              id="bill-for"
              name={scope?.kind === "client" ? "client" : "project"}
              defaultValue={scope?.value ?? ""}
              aria-invalid={errors.scope ? true : undefined}
              aria-describedby={errors.scope ? "bill-for-error" : undefined}
              onChange={(event) => {
                // One select, two kinds: the option's group decides the parameter name.
                const option = event.currentTarget.selectedOptions[0];
                event.currentTarget.name = option?.dataset.kind === "client" ? "client" : "project";
              }}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid=true]:border-red-500"
            >
              <option value="">Choose a project or client…</option>
              <optgroup label="Projects">
                {projects.map((p) => (
                  <option key={p.value} value={p.value} data-kind="project">
                    {p.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="A client, all its projects">
                {clients.map((c) => (
                  <option key={c.value} value={c.value} data-kind="client">
                    {c.label} — all projects
                  </option>
                ))}
              </optgroup>
            </select>
            {errors.scope ? (
              <p id="bill-for-error" role="alert" className="text-sm text-red-700">
                {errors.scope.join(" ")}
              </p>
            ) : null}
          </div>
          <InputField
            label="Period from (optional)"
            type="date"
            name="from"
            defaultValue={query.from ?? ""}
            hint="Time logged on or after this day."
            errors={errors.period_from}
          />
          <InputField
            label="Period to (optional)"
            type="date"
            name="to"
            defaultValue={query.to ?? ""}
            hint="Time logged on or before this day."
            errors={errors.period_to}
          />
          <div className={cn("sm:col-span-2", hydrated && "sr-only")}>
            <Button type="submit" variant="secondary" size="sm">
              Show unbilled work
            </Button>
          </div>
        </Form>
      </Card>

      {scope ? (
        <Form method="post" className="space-y-6" aria-label="New invoice">
          <input type="hidden" name={scope.kind === "project" ? "project_id" : "client_id"} value={scope.value} />
          <input type="hidden" name="currency" value={scope.currency} />
          <input type="hidden" name="period_from" value={query.from ?? ""} />
          <input type="hidden" name="period_to" value={query.to ?? ""} />
          <FormError message={failure?.formError} />

          <Card>
            <CardHeader
              title="Unbilled time"
              description={
                query.from || query.to
                  ? `Billable time ${query.from ? `from ${formatDate(query.from)} ` : ""}${
                      query.to ? `to ${formatDate(query.to)}` : "until today"
                    }, not on an invoice yet.`
                  : "All billable time not on an invoice yet."
              }
            />
            <div className="space-y-4 p-5">
              {work && work.time.entries > 0 ? (
                <>
                  <dl className="grid grid-cols-3 gap-3 text-sm" aria-label="Unbilled time">
                    <div>
                      <dt className="text-xs text-zinc-500">Entries</dt>
                      <dd className="text-lg font-semibold tabular-nums text-zinc-900">{work.time.entries}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-zinc-500">Hours</dt>
                      <dd className="text-lg font-semibold tabular-nums text-zinc-900">
                        {formatDuration(work.time.seconds)}
                      </dd>
                    </div>
                    <div>
                      <dt className="text-xs text-zinc-500">Value</dt>
                      <dd className="text-lg font-semibold tabular-nums text-zinc-900">
                        {money(work.time.value_cents)}
                      </dd>
                    </div>
                  </dl>
                  {work.time.first ? (
                    <p className="text-xs text-zinc-500">
                      Logged {formatDate(work.time.first)}
                      {work.time.last && work.time.last !== work.time.first ? ` – ${formatDate(work.time.last)}` : ""}.
                      A project&rsquo;s rounding rule applies per entry on the invoice.
                    </p>
                  ) : null}
                  <label className="flex items-center gap-2 text-sm font-medium text-zinc-800">
                    <input
                      type="checkbox"
                      name="include_time"
                      value="1"
                      defaultChecked={values ? values.include_time === "1" : true}
                      className="h-4 w-4 rounded border-zinc-300 accent-brand"
                    />
                    Include this time
                  </label>
                  <SelectField
                    label="Group the time"
                    name="grouping"
                    defaultValue={values?.grouping ?? "task"}
                    errors={errors.grouping}
                    options={Object.entries(groupingLabel).map(([value, label]) => ({ value, label }))}
                    className="max-w-xs"
                  />
                </>
              ) : (
                <>
                  <p className="text-sm text-zinc-600">
                    No unbilled billable time{query.from || query.to ? " in this period" : ""}. Add milestones or lines
                    below.
                  </p>
                  <input type="hidden" name="grouping" value="task" />
                </>
              )}
            </div>
          </Card>

          {work && work.milestones.length > 0 ? (
            <Card>
              <CardHeader title="Milestones" description="Reached milestones with an amount, not invoiced yet." />
              <fieldset className="p-5" aria-describedby={errors.milestone_ids ? "milestones-error" : undefined}>
                <legend className="sr-only">Milestones to bill</legend>
                <ul className="space-y-2">
                  {work.milestones.map((m) => (
                    <li key={m.id}>
                      <label className="flex items-center gap-3 text-sm">
                        <input
                          type="checkbox"
                          name="milestone_ids"
                          value={m.id}
                          defaultChecked={chosenMilestones ? chosenMilestones.has(m.id) : false}
                          className="h-4 w-4 rounded border-zinc-300 accent-brand"
                        />
                        <span className="min-w-0 flex-1">
                          <span className="font-medium text-zinc-900">{m.title}</span>
                          {scope.kind === "client" ? (
                            <span className="block text-xs text-zinc-500">{m.project_name}</span>
                          ) : null}
                        </span>
                        <span className="tabular-nums text-zinc-900">{money(m.amount_cents)}</span>
                      </label>
                    </li>
                  ))}
                </ul>
                {errors.milestone_ids ? (
                  <p id="milestones-error" role="alert" className="mt-3 text-sm text-red-700">
                    {errors.milestone_ids.join(" ")}
                  </p>
                ) : null}
              </fieldset>
            </Card>
          ) : null}

          <Card>
            <CardHeader
              title="Other lines"
              description={`Items in ${scope.currency}; a negative price is a discount. Leave tax empty for your default rate.`}
            />
            <ManualLines errors={errors} values={values} currency={scope.currency} />
          </Card>

          <Card>
            <CardHeader title="Terms" />
            <div className="grid gap-4 p-5 sm:grid-cols-2">
              <InputField
                label="Due date (optional)"
                type="date"
                name="due_date"
                defaultValue={values?.due_date ?? ""}
                hint="Empty: your agency's payment terms count from the day it is issued."
                errors={errors.due_date}
              />
              <TextareaField
                label="Notes (optional)"
                name="notes"
                rows={3}
                maxLength={5000}
                defaultValue={values?.notes ?? ""}
                errors={errors.notes}
                className="sm:col-span-2"
              />
            </div>
          </Card>

          <div className="flex flex-wrap items-center justify-end gap-3">
            <Link to="/invoices" className="text-sm font-medium text-zinc-600 hover:underline">
              Cancel
            </Link>
            <Button type="submit" pending={creating}>
              Create draft
            </Button>
          </div>
        </Form>
      ) : (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-5 py-8 text-center text-sm text-zinc-600">
          Choose a project or client to see its unbilled time and milestones.
        </p>
      )}
    </div>
  );
}

function rowsFrom(values: Record<string, string> | undefined): LineRow[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(values ?? {})) {
    const match = /^lines\.(\d+)\./.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  const rows = [...indexes]
    .sort((a, b) => a - b)
    .map((index) => ({
      key: index,
      description: values?.[`lines.${index}.description`] ?? "",
      quantity: values?.[`lines.${index}.quantity`] ?? "1",
      unit_price: values?.[`lines.${index}.unit_price`] ?? "",
      tax_rate: values?.[`lines.${index}.tax_rate`] ?? "",
    }))
    .filter((row) => row.description || row.unit_price || row.tax_rate);
  const blanks = Array.from({ length: Math.max(1, BLANK_ROWS - rows.length) }, (_, i) => ({
    key: (rows.at(-1)?.key ?? -1) + 1 + i,
    description: "",
    quantity: "1",
    unit_price: "",
    tax_rate: "",
  }));
  return [...rows, ...blanks];
}

/** Manual lines: a few blank rows without JavaScript (blank ones are ignored). */
function ManualLines({
  errors,
  values,
  currency,
}: {
  errors: Record<string, string[]>;
  values: Record<string, string> | undefined;
  currency: string;
}) {
  return (
    <div className="p-5">
      <LineRowsEditor
        initialRows={rowsFrom(values)}
        errors={errors}
        currency={currency}
        listLabel="Manual lines"
        placeholder="e.g. Hosting, or Loyalty discount"
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/invoices" backLabel="Back to the invoices" />;
}
