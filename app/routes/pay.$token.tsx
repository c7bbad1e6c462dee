import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useParams,
  useRevalidator,
  useRouteError,
} from "@remix-run/react";
import { CheckCircle2, FileDown, Lock } from "lucide-react";
import { useEffect, useState } from "react";
import { AuthShell } from "#app/components/auth-shell.tsx";
import { formatDate } from "#app/components/pipeline/format.ts";
import { AgencyFrame, InvoiceSheet, type PublicInvoice } from "#app/components/invoices/public-invoice.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { invoiceForToken } from "#app/models/invoice-delivery.server.ts";
import { env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { onlinePaymentConfigured } from "#app/utils/payments/checkout.server.ts";
import { checkoutFor } from "#app/utils/payments/invoice-checkout.server.ts";

/**
 * The client's pay link (ADR 012): no sign-in, the token in the URL is the capability. Shows the
 * invoice in the agency's colours and "Pay", which opens a checkout session for what is due now.
 * The token must not leak: no referrer to other sites, not indexed, not cached. Where online
 * payment is not offered (no Stripe key on a public site) the page shows the invoice without "Pay".
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Invoice ${data.invoice.invoice_number} from ${data.invoice.agency.name}` : "Invoice",
  },
  { name: "robots", content: "noindex, nofollow" },
  // same-origin rather than no-referrer: other sites still get nothing, but the form's post keeps
  // its Origin (no-referrer makes it "null"), which the CSRF check needs without Sec-Fetch-Site.
  { name: "referrer", content: "same-origin" },
];

const privateHeaders = {
  "Referrer-Policy": "same-origin",
  "X-Robots-Tag": "noindex, nofollow",
  "Cache-Control": "private, no-store",
};

export const headers: HeadersFunction = () => privateHeaders;

async function load(token: string, context: LoaderFunctionArgs["context"]) {
  // Staff of the agency opening their own client's link are not the client viewing it.
  const viewer = await context.app.viewer();
  try {
    return await invoiceForToken({ claims: viewer?.claims ?? null, token });
  } catch (error) {
    if (error instanceof AppError && error.status === 404) {
      throw new Response(
        "This payment link does not exist. Check the link in your email, or ask the sender for a new one.",
        {
          status: 404,
          headers: privateHeaders,
        },
      );
    }
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const doc = await load(params.token ?? "", context);
  // Only what the page shows: ids, the connected account and the session hint stay on the server.
  const invoice: PublicInvoice = {
    invoice_number: doc.invoice_number,
    status: doc.status,
    currency: doc.currency,
    issue_date: doc.issue_date,
    due_date: doc.due_date,
    period_from: doc.period_from,
    period_to: doc.period_to,
    notes: doc.notes,
    terms: doc.terms,
    subtotal_cents: doc.subtotal_cents,
    tax_cents: doc.tax_cents,
    total_cents: doc.total_cents,
    amount_paid_cents: doc.amount_paid_cents,
    amount_due_cents: doc.amount_due_cents,
    agency: doc.agency,
    client: { ...doc.client, contact_email: null },
    lines: doc.lines,
    payments: doc.payments,
  };
  return json(
    {
      invoice,
      justPaid: new URL(request.url).searchParams.get("paid") === "1",
      onlinePayment: onlinePaymentConfigured(),
      testMode: env().localCheckout,
    },
    { headers: privateHeaders },
  );
}

export async function action({ params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const doc = await load(token, context);
  // Paid or cancelled since the page was opened, or no online payment here: the page says so.
  if (doc.status === "void" || doc.amount_due_cents <= 0 || !onlinePaymentConfigured()) {
    return redirect(`/pay/${token}`, { headers: privateHeaders });
  }
  try {
    const session = await checkoutFor({ ...doc, client: { contact_email: doc.client.contact_email ?? null } });
    if (!session) return redirect(`/pay/${token}`);
    return redirect(session.url, { headers: privateHeaders });
  } catch (error) {
    // The provider is unreachable or refused: the client can try again; the operator sees why.
    console.warn(`Checkout for invoice ${doc.invoice_id} failed:`, error);
    return json(
      {
        error: `Online payment is not available right now. Please try again in a few minutes, or contact ${doc.agency.name}.`,
      },
      { status: 502, headers: privateHeaders },
    );
  }
}

export default function PayPage() {
  const { invoice, justPaid, onlinePayment, testMode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const token = useParams().token ?? "";
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const payable = invoice.status !== "void" && invoice.status !== "paid" && invoice.amount_due_cents > 0;
  const waiting = justPaid && payable;
  useRefreshWhile(waiting);

  return (
    <AgencyFrame agency={invoice.agency}>
      <h1 className="sr-only">
        Invoice {invoice.invoice_number} from {invoice.agency.name}
      </h1>
      {justPaid ? (
        <div
          role="status"
          className={
            waiting
              ? "rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
              : "rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
          }
        >
          {waiting ? (
            <>
              <p className="font-semibold">Thank you! Your payment is being confirmed.</p>
              <p className="mt-1">
                This can take a moment. This page updates by itself;{" "}
                <a href="?paid=1" className="font-medium underline">
                  refresh
                </a>{" "}
                if it does not. Please do not pay twice.
              </p>
            </>
          ) : (
            <p className="font-semibold">Thank you, your payment was received.</p>
          )}
        </div>
      ) : null}

      <section
        aria-labelledby="amount-heading"
        className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6"
      >
        <StatusLine invoice={invoice} />
        <h2 id="amount-heading" className="sr-only">
          Amount due
        </h2>
        {payable ? (
          <>
            <p className="mt-3 text-sm text-zinc-600">Amount due</p>
            <p className="text-3xl font-semibold tabular-nums tracking-tight text-zinc-900">
              {money(invoice.amount_due_cents)}
            </p>
          </>
        ) : null}
        <FormError message={actionData?.error} />
        <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
          {payable && onlinePayment ? (
            <Form method="post">
              <Button type="submit" size="lg" className="w-full sm:w-auto" pending={navigation.state !== "idle"}>
                <Lock className="h-4 w-4" aria-hidden="true" />
                Pay {money(invoice.amount_due_cents)}
              </Button>
            </Form>
          ) : null}
          <Button asChild variant="secondary" size="lg" className="w-full sm:w-auto">
            <a href={`/pay/${token}/pdf`} target="_blank" rel="noopener noreferrer">
              <FileDown className="h-4 w-4" aria-hidden="true" />
              Download PDF
              <span className="sr-only"> (opens in a new tab)</span>
            </a>
          </Button>
        </div>
        {payable && onlinePayment ? (
          <p className="mt-3 text-xs text-zinc-500">
            Card payment on a secure checkout page.
            {testMode ? " Test mode: no real money moves." : ""}
          </p>
        ) : null}
        {payable && !onlinePayment ? (
          <p className="mt-3 text-sm text-zinc-600">
            Online payment is not available. Please pay by bank transfer, as shown on the invoice below.
          </p>
        ) : null}
      </section>

      <InvoiceSheet invoice={invoice} />
      <p className="pb-4 text-center text-xs text-zinc-500">
        Questions about this invoice? Reply to the email it came with.
      </p>
    </AgencyFrame>
  );
}

function StatusLine({ invoice }: { invoice: PublicInvoice }) {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  switch (invoice.status) {
    case "paid":
      return (
        <p className="flex items-center gap-2 text-lg font-semibold text-emerald-700">
          <CheckCircle2 className="h-5 w-5" aria-hidden="true" />
          Paid, thank you
        </p>
      );
    case "void":
      return (
        <p className="text-lg font-semibold text-zinc-800">This invoice was cancelled. There is nothing to pay.</p>
      );
    case "overdue":
      return (
        <p className="text-lg font-semibold text-red-700">Overdue: this was due on {formatDate(invoice.due_date)}</p>
      );
    case "partially_paid":
      return (
        <p className="text-lg font-semibold text-zinc-900">
          Partly paid: {money(invoice.amount_paid_cents)} of {money(invoice.total_cents)} received
          <span className="block text-sm font-normal text-zinc-600">
            The rest is due on {formatDate(invoice.due_date)}
          </span>
        </p>
      );
    default:
      return <p className="text-lg font-semibold text-zinc-900">Due on {formatDate(invoice.due_date)}</p>;
  }
}

/**
 * Back from checkout before the payment is recorded (a real webhook can lag a few seconds): reload
 * the data a few times rather than tell the client it did not work.
 */
function useRefreshWhile(waiting: boolean) {
  const revalidator = useRevalidator();
  const [tries, setTries] = useState(0);
  useEffect(() => {
    if (!waiting || tries >= 15 || revalidator.state !== "idle") return;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      revalidator.revalidate();
    }, 2000);
    return () => clearTimeout(timer);
  }, [waiting, tries, revalidator]);
}

export function ErrorBoundary() {
  const error = useRouteError();
  const message =
    isRouteErrorResponse(error) && typeof error.data === "string"
      ? error.data
      : "Something went wrong on our side. Please try again in a moment.";
  return (
    <AuthShell title={isRouteErrorResponse(error) && error.status === 404 ? "Link not found" : "That did not work"}>
      <p role="alert" className="text-sm text-zinc-700">
        {message}
      </p>
    </AuthShell>
  );
}
