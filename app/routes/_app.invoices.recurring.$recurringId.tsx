import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Pause, Play } from "lucide-react";
import type { ReactNode } from "react";
import { z } from "zod";
import { InvoiceStatusBadge } from "#app/components/invoices/labels.tsx";
import { BillingFields, DeliveryFields, defaultsFrom } from "#app/components/invoices/recurring-fields.tsx";
import {
  collect,
  formValues,
  parseBilling,
  recurringFormFields,
  Shared,
} from "#app/components/invoices/recurring-input.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { amountPerPeriod, frequencyLabel, perPeriod } from "#app/components/invoices/recurring-labels.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, TextareaField } from "#app/components/ui/field.tsx";
import {
  getRecurringInvoice,
  listRecurringRuns,
  updateRecurringInvoice,
  type RecurringInvoice,
  type RecurringRun,
} from "#app/models/recurring-invoices.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { AppError, type FieldErrors } from "#app/utils/errors.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { formatMoney } from "#app/utils/money.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.schedule.name ?? "Schedule"} · Recurring invoices · Agency CRM` },
];

/** Another agency's schedule, a member's request or a made-up id all read as "no such schedule". */
async function load<T>(params: { recurringId?: string }, read: (id: string) => Promise<T>): Promise<T> {
  const id = uuid.safeParse(params.recurringId);
  if (!id.success) throw new Response("There is no such recurring invoice.", { status: 404 });
  try {
    return await read(id.data);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireInvoicer(request, context.app);
  const claims = viewer.claims;
  const [schedule, runs] = await load(params, (id) =>
    Promise.all([getRecurringInvoice({ claims, id }), listRecurringRuns({ claims, id })]),
  );
  return { schedule, runs };
}

const Intent = z.discriminatedUnion("intent", [
  Shared.extend({ intent: z.literal("update") }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
]);

const done = {
  update: "Schedule saved. Invoices already made keep their lines.",
  pause: "Schedule paused. No invoices are made until you resume it.",
  resume: "Schedule resumed.",
} as const;

async function change(claims: JwtClaims, schedule: RecurringInvoice, form: FormData, values: Record<string, string>) {
  const errors: FieldErrors = {};
  const parsed = Intent.safeParse(values);
  if (!parsed.success) collect(errors, parsed.error.issues);
  const input = parsed.success ? parsed.data : undefined;
  const billing = values.intent === "update" ? parseBilling(form, schedule.currency, errors) : undefined;
  if (!input || Object.keys(errors).length > 0) {
    throw new AppError(422, "validation_failed", "Some fields need attention.", errors);
  }
  const id = schedule.id;
  if (input.intent === "pause" || input.intent === "resume") {
    await updateRecurringInvoice({ claims, id, changes: { active: input.intent === "resume" } });
    return input.intent;
  }
  await updateRecurringInvoice({
    claims,
    id,
    changes: {
      name: input.name,
      end_date: input.end_date,
      // One kind at a time: choosing a retainer clears the lines, and the other way round.
      lines: billing!.lines,
      retainer_amount_cents: billing!.retainer_amount_cents,
      tax_rate_bps: billing!.tax_rate_bps,
      auto_send: input.delivery === "send",
      notes: input.notes,
    },
  });
  return input.intent;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireInvoicer(request, context.app);
  const claims = viewer.claims;
  const schedule = await load(params, (id) => getRecurringInvoice({ claims, id }));
  const form = await request.formData();
  const values = formValues(form);
  try {
    const intent = await change(claims, schedule, form, values);
    await context.app.toast({ kind: "success", message: done[intent] });
    return redirect(`/invoices/recurring/${schedule.id}`);
  } catch (error) {
    return formFailure(error, values, { fieldNames: recurringFormFields });
  }
}

export default function SchedulePage() {
  const { schedule, runs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = isFormFailure(actionData) ? actionData : undefined;
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const money = (cents: number) => formatMoney(cents, schedule.currency);
  const ended = schedule.active && !schedule.next_period_start;

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/invoices/recurring" className="text-zinc-500 hover:underline">
          All recurring invoices
        </Link>
      </p>

      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4 p-5">
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-3">
              <h2 className="text-xl font-semibold tracking-tight text-zinc-900">{schedule.name}</h2>
              {!schedule.active ? (
                <Badge tone="amber">Paused</Badge>
              ) : ended ? (
                <Badge>Ended</Badge>
              ) : (
                <Badge tone="green">Active</Badge>
              )}
            </div>
            <p className="mt-1 text-sm text-zinc-600">
              <Link to={`/clients/${schedule.client_id}`} className="font-medium text-brand hover:underline">
                {schedule.client_name}
              </Link>
              {schedule.project_id ? (
                <>
                  {" · "}
                  <Link to={`/projects/${schedule.project_id}`} className="hover:underline">
                    {schedule.project_name}
                  </Link>
                </>
              ) : null}
            </p>
            <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:flex sm:flex-wrap">
              <Fact term="Per period" wide>
                <span className="font-semibold tabular-nums">{money(amountPerPeriod(schedule))}</span>{" "}
                <span className="text-zinc-500">{perPeriod[schedule.frequency]} before tax</span>
              </Fact>
              <Fact term="Since">{formatDate(schedule.start_date)}</Fact>
              <Fact term="Ends">{schedule.end_date ? formatDate(schedule.end_date) : "No end date"}</Fact>
              <Fact term="Next period">
                {!schedule.active
                  ? "None while paused"
                  : schedule.next_period_start
                    ? formatDate(schedule.next_period_start)
                    : "None, it has ended"}
              </Fact>
              <Fact term="Each invoice">{schedule.auto_send ? "Sent automatically" : "Left as a draft"}</Fact>
            </dl>
          </div>
          <Form method="post" className="flex shrink-0 flex-col items-start gap-2 sm:items-end">
            {failure?.values.intent === "pause" || failure?.values.intent === "resume" ? (
              <FormError message={failure.formError} />
            ) : null}
            {schedule.active ? (
              <Button type="submit" name="intent" value="pause" variant="secondary" size="sm" pending={busy("pause")}>
                <Pause className="h-4 w-4" aria-hidden="true" /> Pause
              </Button>
            ) : (
              <>
                <Button type="submit" name="intent" value="resume" size="sm" pending={busy("resume")}>
                  <Play className="h-4 w-4" aria-hidden="true" /> Resume
                </Button>
                <p className="max-w-xs text-xs text-zinc-500 sm:text-right">
                  Periods that started while it was paused are skipped; billing goes on from the next one.
                </p>
              </>
            )}
          </Form>
        </div>
        {schedule.last_error ? (
          <p role="status" className="border-t border-amber-200 bg-amber-50 px-5 py-3 text-sm text-amber-900">
            <span className="font-medium">The last period could not be billed</span>
            {schedule.last_error_at ? ` on ${formatDay(schedule.last_error_at)}` : ""}; the job tries again every hour.
            <span className="mt-1 block text-xs">{schedule.last_error}</span>
          </p>
        ) : null}
      </Card>

      <div className="grid gap-6 lg:grid-cols-3">
        {/* First in reading order (on a phone the invoices come before the long form). */}
        <div className="min-w-0 lg:col-start-3 lg:row-start-1">
          <RunsCard runs={runs} currency={schedule.currency} />
        </div>
        <div className="min-w-0 lg:col-span-2 lg:col-start-1 lg:row-start-1">
          <EditForm
            // Saved values replace what was typed (a line's empty tax comes back as the rate it got).
            key={JSON.stringify([schedule.name, schedule.end_date, schedule.lines, schedule.retainer_amount_cents])}
            schedule={schedule}
            failure={failure?.values.intent === "update" ? failure : undefined}
            saving={busy("update")}
          />
        </div>
      </div>
    </div>
  );
}

function Fact({ term, wide, children }: { term: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? "col-span-2 sm:flex sm:gap-1.5" : "sm:flex sm:gap-1.5"}>
      <dt className="text-zinc-500">{term}</dt>
      <dd className="text-zinc-900">{children}</dd>
    </div>
  );
}

function EditForm({
  schedule,
  failure,
  saving,
}: {
  schedule: RecurringInvoice;
  failure: { formError?: string; fieldErrors: FieldErrors; values: Record<string, string> } | undefined;
  saving: boolean;
}) {
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values;
  return (
    <Form method="post" className="space-y-6" aria-label="Edit the schedule" noValidate>
      <input type="hidden" name="intent" value="update" />
      <FormError message={failure?.formError} />
      <Card>
        <CardHeader
          title="Schedule"
          description={`${frequencyLabel[schedule.frequency]} from ${formatDate(schedule.start_date)}. For another rhythm or start, make a new schedule and end this one.`}
        />
        <div className="grid gap-4 p-5 sm:grid-cols-2">
          <InputField
            label="Name"
            name="name"
            required
            maxLength={200}
            defaultValue={values?.name ?? schedule.name}
            errors={errors.name}
          />
          <InputField
            label="Ends on (optional)"
            type="date"
            name="end_date"
            defaultValue={values?.end_date ?? schedule.end_date ?? ""}
            hint="No period starts after this day."
            errors={errors.end_date}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="What each period bills"
          description={`Amounts in ${schedule.currency}, before tax. Changes apply to invoices made from now on.`}
        />
        <BillingFields
          currency={schedule.currency}
          defaults={defaultsFrom(schedule, schedule.currency)}
          values={values}
          errors={errors}
        />
      </Card>
      <Card>
        <CardHeader title="Delivery" />
        <div className="space-y-4 p-5">
          <DeliveryFields autoSend={values ? values.delivery === "send" : schedule.auto_send} errors={errors} />
          <TextareaField
            label="Notes on each invoice (optional)"
            name="notes"
            rows={3}
            maxLength={5000}
            defaultValue={values?.notes ?? schedule.notes ?? ""}
            errors={errors.notes}
          />
        </div>
      </Card>
      <div className="flex justify-end">
        <Button type="submit" pending={saving}>
          Save changes
        </Button>
      </div>
    </Form>
  );
}

function RunsCard({ runs, currency }: { runs: RecurringRun[]; currency: string }) {
  return (
    <Card className="overflow-hidden">
      <CardHeader title="Invoices made" description="One per period, newest first." />
      {runs.length === 0 ? (
        <p className="p-5 text-sm text-zinc-600">
          None yet. The first is made on the day its period starts (the job runs every hour).
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Invoices made by this schedule">
          {runs.map((run) => (
            <li key={run.period_start} className="flex items-center justify-between gap-3 px-5 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium text-zinc-900">
                  {formatDate(run.period_start)}
                  {run.period_to ? ` – ${formatDate(run.period_to)}` : ""}
                </p>
                {run.invoice_id ? (
                  <Link to={`/invoices/${run.invoice_id}`} className="text-brand hover:underline">
                    {run.invoice_number ?? "Draft invoice"}
                    <span className="sr-only"> for the period from {formatDate(run.period_start)}</span>
                  </Link>
                ) : (
                  <span className="text-zinc-500">
                    {run.skipped ? "Skipped — the schedule was paused" : "Deleted — this period is not billed again"}
                  </span>
                )}
              </div>
              {run.invoice_id && run.status ? (
                <div className="text-right">
                  <InvoiceStatusBadge status={run.status} />
                  {run.total_cents !== null ? (
                    <span className="block text-xs tabular-nums text-zinc-500">
                      {formatMoney(run.total_cents, run.currency ?? currency)}
                    </span>
                  ) : null}
                </div>
              ) : (
                <Badge>{run.skipped ? "Skipped" : "Deleted"}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/invoices/recurring" backLabel="Back to recurring invoices" />;
}
