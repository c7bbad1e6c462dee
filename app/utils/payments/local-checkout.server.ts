import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import Stripe from "stripe";
import { env, requireSetting } from "#app/utils/env.server.ts";
import type { CheckoutProvider, CheckoutSession, NewCheckout } from "./checkout.server.ts";

/**
 * Local mode's Stripe Checkout: sessions are JSON files under DATA_DIR/checkout and the page
 * /dev/checkout/<id> plays the hosted checkout. Paying there sends a real, signed
 * checkout.session.completed event to the webhook function, so the production path runs end to end.
 */
export interface LocalSession extends CheckoutSession {
  description: string;
  customer_email: string | null;
  metadata: NewCheckout["metadata"];
  success_url: string;
  cancel_url: string;
  account: string | null;
  payment_intent: string | null;
  created: number;
}

const idPattern = /^cs_test_local_[A-Za-z0-9]{24}$/;

function dir(): string {
  return path.resolve(env().DATA_DIR, "checkout");
}

async function save(session: LocalSession): Promise<void> {
  await fs.mkdir(dir(), { recursive: true });
  await fs.writeFile(path.join(dir(), `${session.id}.json`), JSON.stringify(session, null, 2));
}

export async function readLocalSession(id: string): Promise<LocalSession | null> {
  if (!idPattern.test(id)) return null;
  const raw = await fs.readFile(path.join(dir(), `${id}.json`), "utf8").catch(() => null);
  return raw ? (JSON.parse(raw) as LocalSession) : null;
}

function token(bytes: number): string {
  return randomBytes(bytes).toString("base64url").replace(/[^A-Za-z0-9]/g, "").slice(0, 24).padEnd(24, "0");
}

export function localCheckout(): CheckoutProvider {
  return {
    kind: "local",
    async create(input) {
      const id = `cs_test_local_${token(24)}`;
      const session: LocalSession = {
        id,
        url: `/dev/checkout/${id}`,
        status: "open",
        amount_total: input.amountCents,
        currency: input.currency.toUpperCase(),
        description: input.description,
        customer_email: input.customerEmail ?? null,
        metadata: input.metadata,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        account: input.account ?? null,
        payment_intent: null,
        created: Math.floor(Date.now() / 1000),
      };
      await save(session);
      return session;
    },
    async retrieve(id) {
      return readLocalSession(id);
    },
  };
}

/** What Stripe sends when a hosted checkout is paid, for a local session. */
export function completedEvent(session: LocalSession, paymentIntent: string) {
  return {
    id: `evt_local_${token(24)}`,
    object: "event",
    api_version: "2025-01-27",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "checkout.session.completed",
    ...(session.account && { account: session.account }),
    data: {
      object: {
        id: session.id,
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        payment_status: "paid",
        amount_total: session.amount_total,
        currency: session.currency.toLowerCase(),
        customer_email: session.customer_email,
        metadata: session.metadata,
        payment_intent: paymentIntent,
      },
    },
  };
}

export class WebhookRefused extends Error {}

/**
 * "Pay" on the local checkout: sign the event with STRIPE_WEBHOOK_SECRET the way Stripe does and
 * deliver it to the webhook function. The session completes only when the function accepted it.
 */
export async function payLocalSession(session: LocalSession): Promise<LocalSession> {
  if (session.status !== "open") return session;
  const paymentIntent = `pi_local_${token(24)}`;
  const payload = JSON.stringify(completedEvent(session, paymentIntent));
  const secret = requireSetting("STRIPE_WEBHOOK_SECRET");
  const signature = new Stripe("sk_test_local").webhooks.generateTestHeaderString({ payload, secret });
  const response = await fetch(`${env().functionsUrl}/stripe-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  }).catch((error: unknown) => {
    throw new WebhookRefused(`The webhook function is not reachable: ${(error as Error).message}`);
  });
  if (!response.ok) {
    throw new WebhookRefused(`The webhook function answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  const paid: LocalSession = { ...session, status: "complete", payment_intent: paymentIntent };
  await save(paid);
  return paid;
}
