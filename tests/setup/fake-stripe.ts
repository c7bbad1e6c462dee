import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer, useStandIn } from "./stand-in.ts";

/**
 * An in-process stand-in for the part of Stripe's HTTP API the app calls through the real SDK:
 * POST /v1/checkout/sessions (form-encoded, as the SDK sends it) and GET /v1/checkout/sessions/:id.
 * It checks the secret key, keeps sessions per connected account (Stripe-Account header), honours
 * Idempotency-Key (the same key answers the first session again) and records every request, so a
 * test can assert exactly what the SDK put on the wire. failNext() makes it answer 500.
 */
export interface StripeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  stripeAccount: string | undefined;
  idempotencyKey: string | undefined;
  /** The form body flattened as the SDK encodes it: "metadata[invoice_id]" → value. */
  form: Record<string, string>;
  status: number;
}

export interface StandInSession {
  id: string;
  object: "checkout.session";
  url: string;
  status: "open" | "complete" | "expired";
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string | null;
  mode: "payment";
  livemode: false;
}

export interface FakeStripe {
  /** STRIPE_API_BASE. */
  readonly url: string;
  readonly secretKey: string;
  readonly requests: StripeRequest[];
  /** Sessions by connected account ("" for the platform's own). */
  session(id: string, account?: string): StandInSession | undefined;
  /** Answer 500 to the next `count` requests (the SDK retries, so count its retries too). */
  failNext(count: number): void;
  close(): Promise<void>;
}

const errorBody = (type: string, message: string, code?: string) => ({ error: { type, message, code } });

export async function startFakeStripe(
  secretKey = `sk_test_standin_${randomBytes(12).toString("hex")}`,
): Promise<FakeStripe> {
  const requests: StripeRequest[] = [];
  const sessions = new Map<string, StandInSession>();
  const idempotent = new Map<string, StandInSession>();
  let failures = 0;
  const key = (account: string | undefined, id: string) => `${account ?? ""}/${id}`;

  function handle(record: StripeRequest): { status: number; json: unknown } {
    if (failures > 0) {
      failures -= 1;
      return { status: 500, json: errorBody("api_error", "The stand-in was told to fail.") };
    }
    if (record.authorization !== `Bearer ${secretKey}`) {
      return { status: 401, json: errorBody("invalid_request_error", "Invalid API Key provided.") };
    }
    if (record.method === "POST" && record.path === "/v1/checkout/sessions") {
      const remembered = record.idempotencyKey && idempotent.get(key(record.stripeAccount, record.idempotencyKey));
      if (remembered) return { status: 200, json: remembered };
      const form = record.form;
      const missing = [
        "mode",
        "success_url",
        "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]",
      ].filter((field) => !form[field]);
      if (missing.length > 0) {
        return { status: 400, json: errorBody("invalid_request_error", `Missing required param: ${missing[0]}.`) };
      }
      const id = `cs_test_${randomBytes(16).toString("hex")}`;
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(form)) {
        const match = /^metadata\[(\w+)\]$/.exec(name);
        if (match) metadata[match[1]!] = value;
      }
      const session: StandInSession = {
        id,
        object: "checkout.session",
        url: `https://checkout.stripe.com/c/pay/${id}`,
        status: "open",
        amount_total:
          Number(form["line_items[0][price_data][unit_amount]"]) * Number(form["line_items[0][quantity]"] ?? 1),
        currency: form["line_items[0][price_data][currency]"]!,
        metadata,
        payment_intent: null,
        mode: "payment",
        livemode: false,
      };
      sessions.set(key(record.stripeAccount, id), session);
      if (record.idempotencyKey) idempotent.set(key(record.stripeAccount, record.idempotencyKey), session);
      return { status: 200, json: session };
    }
    const retrieve = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/.exec(record.path);
    if (record.method === "GET" && retrieve) {
      const found = sessions.get(key(record.stripeAccount, retrieve[1]!));
      return found
        ? { status: 200, json: found }
        : {
            status: 404,
            json: errorBody("invalid_request_error", `No such checkout.session: '${retrieve[1]}'`, "resource_missing"),
          };
    }
    return {
      status: 404,
      json: errorBody("invalid_request_error", `Unrecognized request URL (${record.method}: ${record.path}).`),
    };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const url = new URL(req.url ?? "/", "http://stand-in");
      const record: StripeRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        authorization: header("authorization"),
        stripeAccount: header("stripe-account"),
        idempotencyKey: header("idempotency-key"),
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))),
        status: 0,
      };
      requests.push(record);
      const result = handle(record);
      record.status = result.status;
      res.writeHead(result.status, {
        "Content-Type": "application/json",
        "Request-Id": `req_${randomBytes(6).toString("hex")}`,
      });
      res.end(JSON.stringify(result.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secretKey,
    requests,
    session: (id, account) => sessions.get(key(account, id)),
    failNext(count) {
      failures = count;
    },
    close: () => closeServer(server),
  };
}

/**
 * Starts the stand-in and points the app's checkout provider at it: STRIPE_SECRET_KEY selects
 * Stripe over the local checkout, STRIPE_API_BASE sends the SDK here. The app reads its
 * configuration once per process, so a file that calls this uses Stripe for all its requests:
 * call it before useTestServer().
 */
export function useFakeStripe(): () => FakeStripe {
  return useStandIn("Stripe", startFakeStripe, (s) => ({ STRIPE_SECRET_KEY: s.secretKey, STRIPE_API_BASE: s.url }));
}
