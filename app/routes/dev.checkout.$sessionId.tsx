import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FlaskConical, Lock } from "lucide-react";
import { hexToRgb } from "#app/components/auth-shell.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { invoiceForToken } from "#app/models/invoice-delivery.server.ts";
import { env } from "#app/utils/env.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import {
  payLocalSession,
  readLocalSession,
  WebhookRefused,
  type LocalSession,
} from "#app/utils/payments/local-checkout.server.ts";

/**
 * Local mode's hosted checkout (ADR 012), playing Stripe Checkout when no STRIPE_SECRET_KEY is
 * set on a site on this machine (or with LOCAL_CHECKOUT=on): env().localCheckout; elsewhere 404.
 * "Pay" sends a signed checkout.session.completed event to the real webhook function, so the
 * payment is recorded exactly the way a Stripe payment is. The card fields are props: nothing
 * typed into them leaves the browser.
 */
export const meta: MetaFunction = () => [
  { title: "Test checkout" },
  { name: "robots", content: "noindex, nofollow" },
  // same-origin, not no-referrer: a form post must carry its real Origin for the CSRF check.
  { name: "referrer", content: "same-origin" },
];

export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin", "Cache-Control": "no-store" });

async function session(id: string | undefined): Promise<LocalSession> {
  // Paying here moves no money: only where the stand-in is allowed (never beside a Stripe key).
  if (!env().localCheckout) throw new Response("Not found", { status: 404 });
  const found = id ? await readLocalSession(id) : null;
  if (!found) throw new Response("There is no such checkout session.", { status: 404 });
  return found;
}

/** The merchant as Stripe would show it: the agency behind the pay link the session returns to. */
async function merchant(found: LocalSession, context: LoaderFunctionArgs["context"]) {
  const token = /\/pay\/([0-9a-f]{64})(?:[?#]|$)/.exec(found.success_url)?.[1];
  if (!token) return null;
  const viewer = await context.app.viewer();
  const doc = await invoiceForToken({ claims: viewer?.claims ?? null, token }).catch(() => null);
  return doc && { name: doc.agency.name, logo_url: doc.agency.logo_url, brand_color: doc.agency.brand_color };
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await session(params.sessionId);
  return {
    session: {
      id: found.id,
      status: found.status,
      amount_total: found.amount_total,
      currency: found.currency,
      description: found.description,
      customer_email: found.customer_email,
      success_url: found.success_url,
      cancel_url: found.cancel_url,
    },
    merchant: await merchant(found, context),
  };
}

export async function action({ params }: ActionFunctionArgs) {
  const found = await session(params.sessionId);
  if (found.status !== "open") return redirect(found.success_url);
  try {
    const paid = await payLocalSession(found);
    return redirect(paid.success_url);
  } catch (error) {
    if (error instanceof WebhookRefused) return json({ error: error.message }, { status: 502 });
    throw error;
  }
}

const testCard = [
  { id: "card-number", label: "Card number", value: "4242 4242 4242 4242", autoComplete: "off", span: true },
  { id: "card-expiry", label: "Expiry (MM / YY)", value: "12 / 34", autoComplete: "off", span: false },
  { id: "card-cvc", label: "CVC", value: "123", autoComplete: "off", span: false },
] as const;

export default function LocalCheckout() {
  const { session, merchant } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const amount = formatMoney(session.amount_total, session.currency);
  const name = merchant?.name ?? "The merchant";

  return (
    <div
      className="min-h-full bg-zinc-100"
      style={
        merchant?.brand_color ? ({ "--brand-rgb": hexToRgb(merchant.brand_color) } as React.CSSProperties) : undefined
      }
    >
      <p className="flex items-center justify-center gap-2 bg-amber-300 px-4 py-2 text-center text-sm font-medium text-amber-950">
        <FlaskConical className="h-4 w-4 shrink-0" aria-hidden="true" />
        Local test checkout: no real card is charged and nothing you type here is sent anywhere.
      </p>
      <main className="mx-auto grid max-w-4xl gap-6 px-4 py-8 md:grid-cols-2 md:py-14">
        <section aria-labelledby="merchant" className="space-y-4">
          <div className="flex items-center gap-3">
            {merchant?.logo_url ? (
              <img src={merchant.logo_url} alt="" className="h-9 w-auto max-w-[8rem] object-contain" />
            ) : (
              <span
                aria-hidden="true"
                className="flex h-9 w-9 items-center justify-center rounded-full bg-brand font-bold text-white"
              >
                {name.charAt(0).toUpperCase()}
              </span>
            )}
            <h1 id="merchant" className="font-semibold text-zinc-900">
              {name}
            </h1>
          </div>
          <div>
            <p className="text-sm text-zinc-600">{session.description}</p>
            <p className="mt-1 text-4xl font-semibold tabular-nums tracking-tight text-zinc-900">{amount}</p>
          </div>
          {session.customer_email ? <p className="text-sm text-zinc-600">Receipt to {session.customer_email}</p> : null}
        </section>

        <section
          aria-labelledby="pay-heading"
          className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6"
        >
          {session.status === "open" ? (
            <Form method="post" className="space-y-4">
              <h2 id="pay-heading" className="text-base font-semibold text-zinc-900">
                Pay with card
              </h2>
              <FormError message={result?.error} />
              <fieldset className="space-y-3 rounded-lg border border-dashed border-amber-400 bg-amber-50/50 p-3">
                <legend className="px-1 text-xs font-medium text-amber-900">Test card (not sent anywhere)</legend>
                <div className="grid grid-cols-2 gap-3">
                  {testCard.map((field) => (
                    <div key={field.id} className={field.span ? "col-span-2 space-y-1" : "space-y-1"}>
                      <label htmlFor={field.id} className="block text-sm font-medium text-zinc-800">
                        {field.label}
                      </label>
                      {/* No name attribute: the browser does not submit these fields. */}
                      <input
                        id={field.id}
                        defaultValue={field.value}
                        autoComplete={field.autoComplete}
                        inputMode="numeric"
                        className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm text-zinc-900 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
                      />
                    </div>
                  ))}
                </div>
              </fieldset>
              <Button type="submit" size="lg" className="w-full" pending={navigation.state !== "idle"}>
                <Lock className="h-4 w-4" aria-hidden="true" />
                Pay {amount}
              </Button>
              <p className="text-center text-sm">
                <a href={session.cancel_url} className="font-medium text-zinc-600 underline-offset-4 hover:underline">
                  Cancel and go back
                </a>
              </p>
            </Form>
          ) : (
            <div className="space-y-3">
              <h2 id="pay-heading" className="text-base font-semibold text-zinc-900">
                {session.status === "complete" ? "This checkout is already paid" : "This checkout has expired"}
              </h2>
              <p className="text-sm text-zinc-600">
                {session.status === "complete"
                  ? "Nothing more to do: the payment went through."
                  : "Go back and press Pay again to start a new one."}
              </p>
              <Button asChild variant="secondary">
                <a href={session.status === "complete" ? session.success_url : session.cancel_url}>
                  Back to the invoice
                </a>
              </Button>
            </div>
          )}
        </section>
      </main>
    </div>
  );
}
