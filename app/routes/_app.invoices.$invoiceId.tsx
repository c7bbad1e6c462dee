import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trash2 } from "lucide-react";
import { z } from "zod";
import { ActionDialog } from "#app/components/invoices/action-dialog.tsx";
import { PayLinkCard } from "#app/components/invoices/pay-link-card.tsx";
import { SendFields } from "#app/components/invoices/send-fields.tsx";
import { TimelineCard } from "#app/components/invoices/timeline.tsx";
import { InvoiceTotals } from "#app/components/invoices/invoice-totals.tsx";
import {
  formatQuantity,
  formatRate,
  InvoiceStatusBadge,
  lineKindLabel,
  paymentMethodLabel,
  periodLabel,
} from "#app/components/invoices/labels.tsx";
import { parseLine } from "#app/components/invoices/line-input.ts";
import { requireInvoicer } from "#app/components/invoices/route-data.server.ts";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { todayIn } from "#app/components/tasks/dates.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { FormError, InputField, SelectField, TextareaField } from "#app/components/ui/field.tsx";
import {
  addLine,
  deleteInvoice,
  getInvoice,
  issueInvoice,
  recordPayment,
  removeLine,
  updateInvoice,
  voidInvoice,
  type Invoice,
} from "#app/models/invoices.server.ts";
import {
  invoiceDocument,
  sendInvoice,
  sendReminder,
  type StaffInvoiceDocument,
} from "#app/models/invoice-delivery.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure } from "#app/utils/forms.server.ts";
import { isFormFailure, type FormFailure } from "#app/utils/forms.ts";
import { centsToInput, formatMoney, parseMoney } from "#app/utils/money.ts";
import { checkoutFor } from "#app/utils/payments/invoice-checkout.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.invoice.invoice_number ?? "Draft invoice"} · Invoices · Agency CRM` },
];

async function load(claims: JwtClaims, params: { invoiceId?: string }): Promise<Invoice> {
  const invoiceId = uuid.safeParse(params.invoiceId);
  if (!invoiceId.success) throw new Response("There is no such invoice.", { status: 404 });
  try {
    return await getInvoice({ claims, invoiceId: invoiceId.data });
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer, timeZone } = await requireInvoicer(request, context.app);
  const invoice = await load(viewer.claims, params);
  // The printable document knows the client's primary contact: the send dialog's default recipient.
  const doc = await invoiceDocument({ claims: viewer.claims, invoiceId: invoice.id });
  return {
    invoice,
    today: todayIn(timeZone),
    timeZone,
    recipient: invoice.sent_to_email ?? doc.client.contact_email ?? "",
    payUrl: doc.pay_path ? `${env().siteUrl}${doc.pay_path}` : null,
  };
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .optional()
    .transform((v) => v || null);

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add_line"),
    description: z.string().default(""),
    quantity: z.string().default(""),
    unit_price: z.string().default(""),
    tax_rate: z.string().default(""),
  }),
  z.object({ intent: z.literal("remove_line"), line_id: uuid }),
  z.object({
    intent: z.literal("update"),
    due_date: z.union([isoDate, z.literal("")]).transform((v) => v || null),
    notes: optionalText(5000),
  }),
  z.object({ intent: z.literal("delete") }),
  z.object({ intent: z.literal("issue") }),
  z.object({
    intent: z.literal("send"),
    // Checked by SQL too (hint invalid_email → to_email); empty means the client's primary contact.
    to_email: z
      .string()
      .trim()
      .max(320, "Use at most 320 characters.")
      .optional()
      .transform((v) => v || null),
    message: optionalText(5000),
  }),
  z.object({ intent: z.literal("remind") }),
  z.object({
    intent: z.literal("payment"),
    amount: z.string().trim().min(1, "Enter the amount received."),
    method: z.enum(["bank_transfer", "cash", "card", "other"], { error: "Choose how it was paid." }),
    paid_at: isoDate,
    reference: optionalText(500),
  }),
  z.object({ intent: z.literal("void"), reason: optionalText(2000) }),
]);

const done: Record<string, string> = {
  add_line: "Line added.",
  remove_line: "Line removed. Any time or milestone on it can be invoiced again.",
  update: "Invoice saved.",
  issue: "Invoice issued.",
  payment: "Payment recorded.",
  void: "Invoice voided. Its time and milestones can be invoiced again.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, timeZone } = await requireInvoicer(request, context.app);
  const claims = viewer.claims;
  const invoice = await load(claims, params);
  const invoiceId = invoice.id;
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  try {
    const parsed = Intent.safeParse(values);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "_"] ??= []).push(issue.message);
      throw new AppError(422, "validation_failed", "Some fields need attention.", fieldErrors);
    }
    const input = parsed.data;
    switch (input.intent) {
      case "add_line": {
        const line = parseLine(input, invoice.currency);
        if (!line.ok) {
          const fieldErrors = Object.fromEntries(Object.entries(line.errors).map(([k, v]) => [k, [v]]));
          throw new AppError(422, "validation_failed", "Some fields need attention.", fieldErrors);
        }
        await addLine({ claims, invoiceId, line: line.line });
        break;
      }
      case "remove_line":
        await removeLine({ claims, invoiceId, lineId: input.line_id });
        break;
      case "update":
        await updateInvoice({ claims, invoiceId, changes: { due_date: input.due_date, notes: input.notes } });
        break;
      case "delete":
        await deleteInvoice({ claims, invoiceId });
        await context.app.toast({
          kind: "success",
          message: "Draft deleted. Its time and milestones can be invoiced again.",
        });
        return redirect("/invoices");
      case "issue": {
        const issued = await issueInvoice({ claims, invoiceId });
        await context.app.toast({
          kind: "success",
          message: `Invoice ${issued.invoice_number} issued. It was not emailed; send it when you are ready.`,
        });
        return redirect(`/invoices/${invoiceId}`);
      }
      case "send": {
        const doc = await sendInvoice({ claims, invoiceId, toEmail: input.to_email, message: input.message });
        const ready = await prepareCheckout(doc);
        await context.app.toast({
          kind: "success",
          message:
            `Invoice ${doc.invoice_number} sent to ${doc.client.contact_email}.` +
            (ready ? "" : " Online payment could not be prepared just now; the pay link tries again when opened."),
        });
        return redirect(`/invoices/${invoiceId}`);
      }
      case "remind": {
        const reminder = await sendReminder({ claims, invoiceId });
        await context.app.toast({ kind: "success", message: `Reminder sent to ${reminder.to_email}.` });
        return redirect(`/invoices/${invoiceId}`);
      }
      case "payment": {
        const amount = parseMoney(input.amount, invoice.currency);
        if (amount === null || Number.isNaN(amount)) {
          throw new AppError(422, "validation_failed", "Some fields need attention.", {
            amount: [`Enter an amount in ${invoice.currency}, such as 250 or 250.50.`],
          });
        }
        if (input.paid_at > todayIn(timeZone)) {
          throw new AppError(422, "validation_failed", "Some fields need attention.", {
            paid_at: ["A payment cannot be recorded for a day still to come."],
          });
        }
        await recordPayment({
          claims,
          invoiceId,
          payment: { amount_cents: amount, method: input.method, paid_at: input.paid_at, reference: input.reference },
        });
        break;
      }
      case "void":
        await voidInvoice({ claims, invoiceId, reason: input.reason ?? undefined });
        break;
    }
    await context.app.toast({ kind: "success", message: done[input.intent]! });
    return redirect(`/invoices/${invoiceId}`);
  } catch (error) {
    const failure = formFailure(error, values);
    // The database names the payment's column amount_cents; the form calls it amount.
    const body = await failure.clone().json();
    if (body.fieldErrors?.amount_cents) {
      body.fieldErrors.amount = body.fieldErrors.amount_cents;
      delete body.fieldErrors.amount_cents;
      return new Response(JSON.stringify(body), { status: failure.status, headers: failure.headers });
    }
    return failure;
  }
}

/**
 * Sending makes the checkout session ahead of the client's click, so the first "Pay" is quick.
 * Only a convenience: the email carries the stable pay link, which makes a session when needed,
 * so a provider hiccup here must not turn a sent invoice into an error page.
 */
async function prepareCheckout(doc: StaffInvoiceDocument): Promise<boolean> {
  try {
    // The document's contact may be absent (undefined); checkout takes "none" as null.
    await checkoutFor({ ...doc, client: { contact_email: doc.client.contact_email ?? null } });
    return true;
  } catch (error) {
    console.warn(`Checkout for invoice ${doc.invoice_id} not prepared at sending:`, error);
    return false;
  }
}

export default function InvoicePage() {
  const { invoice, today, timeZone, recipient, payUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = isFormFailure(actionData) ? actionData : undefined;
  const failed = (intent: string) => (failure?.values.intent === intent ? failure : undefined);
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const draft = invoice.status === "draft";
  const payable = ["sent", "partially_paid", "overdue"].includes(invoice.status);
  const voidable = (invoice.status === "sent" || invoice.status === "overdue") && invoice.amount_paid_cents === 0;
  const title = invoice.invoice_number ?? "Draft";
  const emailed = invoice.activity.some((item) => item.kind === "sent");

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/invoices" className="text-zinc-500 hover:underline">
          All invoices
        </Link>
      </p>

      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4 p-5">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h2 className="text-xl font-semibold tracking-tight text-zinc-900">
                {draft ? "Draft invoice" : `Invoice ${title}`}
              </h2>
              <InvoiceStatusBadge status={invoice.status} />
            </div>
            <p className="mt-1 text-sm text-zinc-600">
              <Link to={`/clients/${invoice.client_id}`} className="font-medium text-brand hover:underline">
                {invoice.client_name}
              </Link>
              {" · "}
              {invoice.project_id ? (
                <Link to={`/projects/${invoice.project_id}`} className="hover:underline">
                  {invoice.project_name}
                </Link>
              ) : (
                "All projects"
              )}
              {invoice.period_from || invoice.period_to ? (
                <span>
                  {" · "}
                  {periodLabel(invoice.period_from, invoice.period_to)}
                </span>
              ) : null}
            </p>
            <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
              <div className="flex gap-1.5">
                <dt className="text-zinc-500">Issued</dt>
                <dd className="text-zinc-900">{invoice.issue_date ? formatDate(invoice.issue_date) : "Not yet"}</dd>
              </div>
              <div className="flex gap-1.5">
                <dt className="text-zinc-500">Due</dt>
                <dd className={invoice.status === "overdue" ? "font-medium text-red-700" : "text-zinc-900"}>
                  {invoice.due_date ? formatDate(invoice.due_date) : "Payment terms from the issue date"}
                </dd>
              </div>
              <div className="flex gap-1.5">
                <dt className="text-zinc-500">{draft ? "Total" : "Amount due"}</dt>
                <dd className="font-semibold tabular-nums text-zinc-900">
                  {money(draft ? invoice.total_cents : invoice.amount_due_cents)}
                </dd>
              </div>
              {!draft ? (
                <div className="flex min-w-0 flex-wrap gap-x-1.5">
                  <dt className="text-zinc-500">Emailed to</dt>
                  <dd className="min-w-0 break-all text-zinc-900">
                    {emailed && invoice.sent_to_email ? invoice.sent_to_email : "Not emailed yet"}
                  </dd>
                </div>
              ) : null}
            </dl>
          </div>
          <div className="flex flex-wrap items-start gap-2 empty:hidden">
            {draft ? (
              <>
                <ActionDialog
                  intent="send"
                  trigger="Send invoice"
                  triggerVariant="primary"
                  title="Send this invoice"
                  description="It gets the next invoice number and today's date, its lines can no longer change, and the client gets an email with the PDF and a link to pay online."
                  submitLabel="Send invoice"
                  refused={Boolean(failed("send"))}
                  error={failed("send")?.formError ?? failed("send")?.fieldErrors.due_date?.join(" ")}
                >
                  <SendFields recipient={recipient} failure={failed("send")} />
                </ActionDialog>
                <ActionDialog
                  intent="issue"
                  trigger="Issue without emailing"
                  title="Issue without emailing?"
                  description={
                    <>
                      <p>It gets the next invoice number and today&rsquo;s date, and its lines can no longer change.</p>
                      <p className="mt-2">
                        Nothing is emailed: send it later from here, or share the pay link or PDF yourself.
                      </p>
                    </>
                  }
                  submitLabel="Issue invoice"
                  refused={Boolean(failed("issue"))}
                  error={failed("issue")?.formError ?? failed("issue")?.fieldErrors.due_date?.join(" ")}
                />
                <ActionDialog
                  intent="delete"
                  trigger="Delete draft"
                  title="Delete this draft?"
                  description="The draft goes away; its time entries and milestones can be put on another invoice."
                  submitLabel="Delete draft"
                  submitVariant="danger"
                  refused={Boolean(failed("delete"))}
                  error={failed("delete")?.formError}
                />
              </>
            ) : null}
            {payable ? (
              <>
                <ActionDialog
                  intent="payment"
                  trigger="Record payment"
                  triggerVariant="primary"
                  title="Record a payment"
                  description={`Money received outside the app, such as a bank transfer. ${money(invoice.amount_due_cents)} is still due.`}
                  submitLabel="Record payment"
                  refused={Boolean(failed("payment"))}
                  error={failed("payment")?.formError}
                >
                  <PaymentFields invoice={invoice} today={today} failure={failed("payment")} />
                </ActionDialog>
                <ActionDialog
                  intent="send"
                  trigger={emailed ? "Send again" : "Send invoice"}
                  title={emailed ? "Send this invoice again" : "Send this invoice"}
                  description="The client gets an email with the PDF and the link to pay what is still due."
                  submitLabel={emailed ? "Send again" : "Send invoice"}
                  refused={Boolean(failed("send"))}
                  error={failed("send")?.formError}
                >
                  <SendFields recipient={recipient} failure={failed("send")} />
                </ActionDialog>
                {emailed ? (
                  <ActionDialog
                    intent="remind"
                    trigger="Send reminder"
                    title="Send a payment reminder?"
                    description={`${invoice.sent_to_email ?? recipient} gets a reminder that ${money(invoice.amount_due_cents)} is due, with the PDF and the pay link. Scheduled reminders still go out as planned.`}
                    submitLabel="Send reminder"
                    refused={Boolean(failed("remind"))}
                    error={failed("remind")?.formError ?? failed("remind")?.fieldErrors.to_email?.join(" ")}
                  />
                ) : null}
              </>
            ) : null}
            {voidable ? (
              <ActionDialog
                intent="void"
                trigger="Void"
                title="Void this invoice?"
                description="A void invoice keeps its number and stays in the list; its time and milestones can be invoiced again. This cannot be undone."
                submitLabel="Void invoice"
                submitVariant="danger"
                refused={Boolean(failed("void"))}
                error={failed("void")?.formError}
              >
                <TextareaField
                  label="Reason (optional)"
                  name="reason"
                  rows={2}
                  maxLength={2000}
                  defaultValue={failed("void")?.values.reason ?? ""}
                  errors={failed("void")?.fieldErrors.reason}
                />
              </ActionDialog>
            ) : null}
          </div>
        </div>
        {invoice.status === "void" && invoice.void_reason ? (
          <p className="border-t border-zinc-100 px-5 py-3 text-sm text-zinc-600">Voided: {invoice.void_reason}</p>
        ) : null}
      </Card>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <LinesCard invoice={invoice} failure={failed("remove_line")} />
          {draft ? <AddLineCard invoice={invoice} failure={failed("add_line")} /> : null}
        </div>
        <div className="min-w-0 space-y-6">
          {draft ? <DraftTermsCard invoice={invoice} failure={failed("update")} /> : <NotesCard invoice={invoice} />}
          {draft ? null : <PayLinkCard payUrl={payable ? payUrl : null} pdfPath={`/invoices/${invoice.id}/pdf`} />}
          <PaymentsCard invoice={invoice} />
          <TimelineCard invoice={invoice} timeZone={timeZone} />
        </div>
      </div>
    </div>
  );
}

type Failure = FormFailure;

function LinesCard({ invoice, failure }: { invoice: Invoice; failure: Failure | undefined }) {
  const navigation = useNavigation();
  const draft = invoice.status === "draft";
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const removing = navigation.formData?.get("intent") === "remove_line" ? navigation.formData.get("line_id") : null;
  return (
    <Card className="overflow-hidden">
      <CardHeader title="Lines" description={`Amounts in ${invoice.currency}, tax per line.`} />
      {failure?.formError ? (
        <div className="px-5 pt-4">
          <FormError message={failure.formError} />
        </div>
      ) : null}
      {invoice.lines.length === 0 ? (
        <p className="p-5 text-sm text-zinc-600">
          No lines yet. Add one below; an invoice needs at least one to issue.
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Invoice lines and totals</caption>
          <thead className="border-b border-zinc-100 bg-zinc-50 text-xs text-zinc-500">
            <tr>
              <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                Kind
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Description
              </th>
              <th scope="col" className="px-4 py-2.5 text-right font-medium">
                Qty
              </th>
              <th scope="col" className="hidden px-4 py-2.5 text-right font-medium sm:table-cell">
                Unit price
              </th>
              <th scope="col" className="hidden px-4 py-2.5 text-right font-medium md:table-cell">
                Tax
              </th>
              <th scope="col" className="px-4 py-2.5 text-right font-medium">
                Amount
              </th>
              {draft ? (
                <th scope="col" className="w-12 px-2 py-2.5">
                  <span className="sr-only">Remove</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {invoice.lines.map((line) => (
              <tr key={line.id} className={removing === line.id ? "opacity-50" : undefined}>
                <td className="hidden px-4 py-3 text-zinc-600 sm:table-cell">{lineKindLabel[line.kind]}</td>
                <td className="px-4 py-3 text-zinc-900">
                  {line.description}
                  <span className="block text-xs text-zinc-500">
                    <span className="sm:hidden">{lineKindLabel[line.kind]} · </span>
                    {line.kind === "time"
                      ? `Hours from ${line.entry_count} time ${line.entry_count === 1 ? "entry" : "entries"}`
                      : null}
                    <span className="sm:hidden">
                      {line.kind === "time" ? " · " : ""}
                      {money(line.unit_price_cents)} each
                    </span>
                  </span>
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{formatQuantity(line.quantity)}</td>
                <td className="hidden whitespace-nowrap px-4 py-3 text-right tabular-nums sm:table-cell">
                  {money(line.unit_price_cents)}
                </td>
                <td className="hidden whitespace-nowrap px-4 py-3 text-right tabular-nums text-zinc-600 md:table-cell">
                  {formatRate(line.tax_rate_bps)}
                  <span className="block text-xs">{money(line.tax_cents)}</span>
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right font-medium tabular-nums text-zinc-900">
                  {money(line.amount_cents)}
                </td>
                {draft ? (
                  <td className="px-2 py-2 text-right">
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove_line" />
                      <input type="hidden" name="line_id" value={line.id} />
                      <Button
                        type="submit"
                        variant="ghost"
                        size="sm"
                        className="px-2 text-zinc-500 hover:text-red-700"
                        aria-label={`Remove line: ${line.description}`}
                        title={
                          line.kind === "time" || line.kind === "milestone" ? "Remove (the work is released)" : "Remove"
                        }
                      >
                        <Trash2 className="h-4 w-4" aria-hidden="true" />
                      </Button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <InvoiceTotals invoice={invoice} money={money} showPayments={invoice.status !== "draft"} />
    </Card>
  );
}

function AddLineCard({ invoice, failure }: { invoice: Invoice; failure: Failure | undefined }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "add_line";
  const errors = failure?.fieldErrors ?? {};
  return (
    <Card>
      <CardHeader title="Add a line" description="An item or, with a negative price, a discount." />
      <Form method="post" className="space-y-4 p-5" aria-label="Add a line" key={invoice.lines.length}>
        <input type="hidden" name="intent" value="add_line" />
        <FormError message={failure?.formError} />
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_5rem_8rem_5.5rem]">
          <InputField
            label="Description"
            name="description"
            maxLength={500}
            defaultValue={failure?.values.description ?? ""}
            errors={errors.description}
          />
          <InputField
            label="Quantity"
            name="quantity"
            inputMode="decimal"
            defaultValue={failure?.values.quantity ?? "1"}
            errors={errors.quantity}
          />
          <InputField
            label={`Unit price (${invoice.currency})`}
            name="unit_price"
            inputMode="decimal"
            placeholder="-50.00"
            defaultValue={failure?.values.unit_price ?? ""}
            errors={errors.unit_price ?? errors.unit_price_cents}
          />
          <InputField
            label="Tax %"
            name="tax_rate"
            inputMode="decimal"
            placeholder="Default"
            defaultValue={failure?.values.tax_rate ?? ""}
            errors={errors.tax_rate ?? errors.tax_rate_bps}
          />
        </div>
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" pending={busy}>
            Add line
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function DraftTermsCard({ invoice, failure }: { invoice: Invoice; failure: Failure | undefined }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "update";
  return (
    <Card>
      <CardHeader title="Due date and notes" />
      <Form method="post" className="space-y-4 p-5" aria-label="Due date and notes">
        <input type="hidden" name="intent" value="update" />
        <FormError message={failure?.formError} />
        <InputField
          label="Due date (optional)"
          type="date"
          name="due_date"
          defaultValue={failure?.values.due_date ?? invoice.due_date ?? ""}
          hint="Empty: your agency's payment terms count from the issue date."
          errors={failure?.fieldErrors.due_date}
        />
        <TextareaField
          label="Notes (optional)"
          name="notes"
          rows={3}
          maxLength={5000}
          defaultValue={failure?.values.notes ?? invoice.notes ?? ""}
          errors={failure?.fieldErrors.notes}
        />
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" pending={busy}>
            Save
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function NotesCard({ invoice }: { invoice: Invoice }) {
  if (!invoice.notes) return null;
  return (
    <Card>
      <CardHeader title="Notes" />
      <p className="whitespace-pre-line p-5 text-sm text-zinc-700">{invoice.notes}</p>
    </Card>
  );
}

function PaymentFields({ invoice, today, failure }: { invoice: Invoice; today: string; failure: Failure | undefined }) {
  const errors = failure?.fieldErrors ?? {};
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <InputField
        label={`Amount (${invoice.currency})`}
        name="amount"
        inputMode="decimal"
        required
        defaultValue={failure?.values.amount ?? centsToInput(invoice.amount_due_cents, invoice.currency)}
        errors={errors.amount}
      />
      <SelectField
        label="Method"
        name="method"
        defaultValue={failure?.values.method ?? "bank_transfer"}
        errors={errors.method}
        options={(["bank_transfer", "cash", "card", "other"] as const).map((value) => ({
          value,
          label: paymentMethodLabel[value],
        }))}
      />
      <InputField
        label="Received on"
        type="date"
        name="paid_at"
        required
        max={today}
        defaultValue={failure?.values.paid_at ?? today}
        errors={errors.paid_at}
      />
      <InputField
        label="Reference (optional)"
        name="reference"
        maxLength={500}
        defaultValue={failure?.values.reference ?? ""}
        errors={errors.reference}
      />
    </div>
  );
}

function PaymentsCard({ invoice }: { invoice: Invoice }) {
  if (invoice.status === "draft") return null;
  return (
    <Card>
      <CardHeader title="Payments" />
      {invoice.payments.length === 0 ? (
        <p className="p-5 text-sm text-zinc-600">No payments yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm" aria-label="Payments">
          {invoice.payments.map((payment) => (
            <li key={payment.id} className="flex items-start justify-between gap-3 px-5 py-3">
              <span className="min-w-0">
                <span className="font-medium text-zinc-900">{paymentMethodLabel[payment.method]}</span>
                {/* References can be long unbroken ids (a Stripe payment intent). */}
                <span className="block break-all text-xs text-zinc-500">
                  {formatDay(payment.paid_at)}
                  {payment.reference ? ` · ${payment.reference}` : ""}
                </span>
              </span>
              <span className="shrink-0 font-medium tabular-nums text-zinc-900">
                {formatMoney(payment.amount_cents, invoice.currency)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/invoices" backLabel="Back to the invoices" />;
}
