import Stripe from "stripe";
import { env } from "#app/utils/env.server.ts";
import { localCheckout } from "./local-checkout.server.ts";

/**
 * Checkout sessions for invoices (ADR 012): Stripe Checkout when STRIPE_SECRET_KEY is set, else the
 * local stand-in where env().localCheckout allows it, else none (pay links show the invoice only).
 * Both answer the same small interface, so the pay page and sending have one code path.
 * STRIPE_API_BASE points the real SDK at a stand-in of Stripe's HTTP API in tests.
 */
export interface CheckoutSession {
  id: string;
  url: string;
  status: "open" | "complete" | "expired";
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
}

export interface NewCheckout {
  amountCents: number;
  currency: string;
  description: string;
  customerEmail?: string | null;
  metadata: { agency_id: string; invoice_id: string };
  successUrl: string;
  cancelUrl: string;
  /** The agency's connected account (acct_…), when it has one. */
  account?: string | null;
  idempotencyKey: string;
}

export interface CheckoutProvider {
  readonly kind: "stripe" | "local";
  create(input: NewCheckout): Promise<CheckoutSession>;
  /** null when the provider does not know the session (expired long ago, another account, made up). */
  retrieve(id: string, account?: string | null): Promise<CheckoutSession | null>;
}

export function stripeClient(secretKey: string): Stripe {
  const base = process.env.STRIPE_API_BASE ? new URL(process.env.STRIPE_API_BASE) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
      protocol: base.protocol.replace(":", "") as "http" | "https",
    }),
  });
}

function fromStripe(session: Stripe.Checkout.Session): CheckoutSession {
  return {
    id: session.id,
    url: session.url ?? "",
    status: (session.status ?? "expired") as CheckoutSession["status"],
    amount_total: session.amount_total ?? 0,
    currency: (session.currency ?? "").toUpperCase(),
    metadata: session.metadata ?? {},
  };
}

class StripeCheckout implements CheckoutProvider {
  readonly kind = "stripe" as const;
  constructor(private readonly stripe: Stripe) {}

  async create(input: NewCheckout): Promise<CheckoutSession> {
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: input.currency.toLowerCase(),
              unit_amount: input.amountCents,
              product_data: { name: input.description },
            },
          },
        ],
        customer_email: input.customerEmail ?? undefined,
        metadata: input.metadata,
        // The intent carries the invoice too: payment_intent.succeeded and refunds can name it.
        payment_intent_data: { metadata: input.metadata },
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      { idempotencyKey: input.idempotencyKey, ...(input.account && { stripeAccount: input.account }) },
    );
    return fromStripe(session);
  }

  async retrieve(id: string, account?: string | null): Promise<CheckoutSession | null> {
    try {
      return fromStripe(
        await this.stripe.checkout.sessions.retrieve(id, {}, account ? { stripeAccount: account } : {}),
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
      throw error;
    }
  }
}

/** Whether pay links can take a payment online at all (Stripe, or the local stand-in where allowed). */
export function onlinePaymentConfigured(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY) || env().localCheckout;
}

/**
 * Stripe when STRIPE_SECRET_KEY is set; the local stand-in only where env().localCheckout allows
 * it (it takes no money, so on a public site any pay-link holder could mark an invoice paid).
 */
export function checkoutProvider(): CheckoutProvider {
  const key = env().STRIPE_SECRET_KEY;
  if (key) return new StripeCheckout(stripeClient(key));
  if (env().localCheckout) return localCheckout();
  throw new Error("Online payment is not configured: set STRIPE_SECRET_KEY");
}
