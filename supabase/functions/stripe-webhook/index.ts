import Stripe from "stripe";
import postgres from "postgres";
import { mapStripeEvent, type RecordArgs } from "./events.ts";

/**
 * Stripe webhook (Supabase Edge Function). Verifies the signature on the raw body, then makes ONE
 * SQL call as the service role; the database is idempotent by event id and by payment intent, so
 * Stripe's retries and its several events per payment are harmless. Answers:
 * - 405 for anything but POST, 400 for a missing or bad signature (nothing is written), 413 for a
 *   body over 1 MB (refused before it is read or verified: Stripe's events are a few kB);
 * - 200 {received, outcome} for every event the database saw or we chose to ignore;
 * - 500 when the database fails, so Stripe delivers the event again later.
 * Supabase gives functions SUPABASE_DB_URL; `npm start` passes the local admin URL.
 */
export type Outcome = "recorded" | "duplicate" | "ignored" | "unknown_invoice" | "currency_mismatch";

export interface WebhookOptions {
  /**
   * The endpoint secrets to accept. Default: STRIPE_WEBHOOK_SECRET, plus STRIPE_CONNECT_WEBHOOK_SECRET
   * when set — checkouts on agencies' connected accounts are reported to a Connect endpoint, which
   * Stripe signs with a secret of its own.
   */
  webhookSecrets?: () => string[];
  record?: (args: RecordArgs) => Promise<Outcome>;
  log?: (line: string) => void;
}

// Verification needs no API key; the instance is only used for its webhooks helper.
const stripe = new Stripe("sk_unused_for_signature_checks");
const cryptoProvider = Stripe.createSubtleCryptoProvider();

let sql: postgres.Sql | undefined;

/** One small pool per isolate. prepare: false because SUPABASE_DB_URL may be a transaction pooler. */
function database(): postgres.Sql {
  const url = Deno.env.get("SUPABASE_DB_URL");
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  sql ??= postgres(url, {
    max: 3,
    prepare: false,
    idle_timeout: 20,
    connection: { application_name: "stripe-webhook" },
  });
  return sql;
}

async function recordInDatabase(args: RecordArgs): Promise<Outcome> {
  const rows = await database().begin(async (tx) => {
    // The SQL function is granted to service_role only; the login (postgres) may assume it.
    await tx`set local role service_role`;
    return tx<{ outcome: Outcome }[]>`
      select public.record_stripe_event(
        p_event_id => ${args.eventId}::text,
        p_event_type => ${args.eventType}::text,
        p_agency_id => ${args.agencyId}::uuid,
        p_invoice_id => ${args.invoiceId}::uuid,
        p_payment_intent_id => ${args.paymentIntentId}::text,
        p_amount_cents => ${args.amountCents}::bigint,
        p_currency => ${args.currency}::text,
        p_occurred_at => to_timestamp(${args.occurredAt}::double precision),
        p_stripe_account_id => ${args.stripeAccountId}::text
      ) as outcome`;
  });
  return rows[0]!.outcome;
}

/** Far above any Stripe event (a few kB), far below what would hurt to hold and HMAC. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body as text, or null as soon as it passes `limit` bytes: a sender that gives no
 * Content-Length (chunked) is cut off there instead of being read to the end.
 */
async function readAtMost(req: Request, limit: number): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // Like Request.text(): UTF-8, a leading BOM dropped, bad bytes replaced (the signature then fails).
  return new TextDecoder().decode(bytes);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type, ...headers } });
}

function problem(status: number, title: string, detail?: string, headers?: Record<string, string>): Response {
  return json(status, { type: "about:blank", title, status, ...(detail ? { detail } : {}) }, headers);
}

export function createStripeWebhookHandler(options: WebhookOptions = {}): (req: Request) => Promise<Response> {
  const secretsOf =
    options.webhookSecrets ??
    (() =>
      [Deno.env.get("STRIPE_WEBHOOK_SECRET"), Deno.env.get("STRIPE_CONNECT_WEBHOOK_SECRET")].filter(
        (secret): secret is string => Boolean(secret),
      ));
  const record = options.record ?? recordInDatabase;
  const log = options.log ?? ((line: string) => console.log(line));

  return async (req) => {
    if (req.method !== "POST") return problem(405, "Method not allowed", undefined, { allow: "POST" });
    const tooLarge = () => problem(413, "Payload too large", `A webhook body is at most ${MAX_BODY_BYTES} bytes.`);
    if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
    const secrets = secretsOf();
    if (secrets.length === 0) {
      log("stripe-webhook: STRIPE_WEBHOOK_SECRET is not set; answering 500 so Stripe retries");
      return problem(500, "The webhook is not configured");
    }
    const signature = req.headers.get("stripe-signature");
    if (!signature) return problem(400, "Missing Stripe-Signature header");

    // The signature covers the exact bytes Stripe sent: verify the raw text, never re-serialised JSON.
    const body = await readAtMost(req, MAX_BODY_BYTES);
    if (body === null) return tooLarge();
    let event: Stripe.Event | undefined;
    for (const secret of secrets) {
      try {
        event = await stripe.webhooks.constructEventAsync(body, signature, secret, undefined, cryptoProvider);
        break;
      } catch {
        // Not signed with this secret (or too old); try the next one.
      }
    }
    if (!event) return problem(400, "Invalid Stripe signature", "The body does not match the Stripe-Signature header.");

    const mapping = mapStripeEvent(event);
    let outcome: Outcome;
    if ("ignore" in mapping) {
      outcome = "ignored";
    } else {
      try {
        outcome = await record(mapping.record);
      } catch (error) {
        // Never the payload: it holds customer details. The id is enough to find it at Stripe.
        log(
          `stripe-webhook ${event.type} ${event.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return problem(500, "The event could not be recorded; Stripe will retry");
      }
    }
    log(`stripe-webhook ${event.type} ${event.id} ${outcome}${"ignore" in mapping ? ` (${mapping.ignore})` : ""}`);
    return json(200, { received: true, outcome });
  };
}

export const handler = createStripeWebhookHandler();

if (import.meta.main) Deno.serve(handler);
