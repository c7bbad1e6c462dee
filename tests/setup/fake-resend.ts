import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer, useStandIn } from "./stand-in.ts";

/**
 * An in-process stand-in for Resend's HTTP API, enough for `resend.emails.send`: POST /emails
 * with a Bearer API key, answering { id } like Resend, refusing a bad key (401/403) or a payload
 * without from/to/subject/body (422), and honouring Idempotency-Key as Resend does — the same key
 * with the same payload answers the first response again without sending twice, with another
 * payload 409. Tests make it fail on purpose with failWhen().
 */
export interface ResendRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  userAgent: string | undefined;
  body: any; // any: whatever JSON the SDK sent
  status: number;
  response: unknown;
}

export interface ResendEmail {
  id: string;
  from: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  idempotencyKey: string | undefined;
}

export interface FakeResend {
  /** RESEND_BASE_URL. */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: ResendRequest[];
  /** Emails Resend accepted (each once, whatever the retries). */
  readonly delivered: ResendEmail[];
  /** Answer `status` (a Resend error body) to sends that match, until cleared with null. */
  failWhen(match: ((email: ResendEmail) => boolean) | null, status?: number): void;
  close(): Promise<void>;
}

export async function startFakeResend(apiKey = `re_test_${randomUUID().replaceAll("-", "")}`): Promise<FakeResend> {
  const requests: ResendRequest[] = [];
  const delivered: ResendEmail[] = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; response: unknown }>();
  let failure: { match: (email: ResendEmail) => boolean; status: number } | null = null;

  const error = (status: number, name: string, message: string) => ({
    status,
    json: { statusCode: status, name, message },
  });

  function send(record: ResendRequest): { status: number; json: unknown } {
    const match = /^Bearer (\S+)$/.exec(record.authorization ?? "");
    if (!match) return error(401, "missing_api_key", "Missing API key in the authorization header");
    if (match[1] !== apiKey) return error(403, "invalid_api_key", "API key is invalid");
    const body = record.body ?? {};
    for (const field of ["from", "to", "subject"]) {
      if (!body[field]) return error(422, "missing_required_field", `Missing \`${field}\` field.`);
    }
    if (!body.html && !body.text) return error(422, "validation_error", "Missing `html` or `text` field.");

    const key = record.idempotencyKey;
    const fingerprint = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    const earlier = key ? idempotent.get(key) : undefined;
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
      }
      return { status: earlier.status, json: earlier.response };
    }

    const email: ResendEmail = {
      id: randomUUID(),
      from: body.from,
      to: body.to,
      subject: body.subject,
      html: body.html,
      text: body.text,
      idempotencyKey: key,
    };
    if (failure?.match(email)) {
      return error(failure.status, "internal_server_error", "An unexpected error occurred.");
    }
    delivered.push(email);
    const response = { id: email.id };
    if (key) idempotent.set(key, { fingerprint, status: 200, response });
    return { status: 200, json: response };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const record: ResendRequest = {
        method: req.method ?? "GET",
        path: new URL(req.url ?? "/", "http://stand-in").pathname,
        authorization: header("authorization"),
        idempotencyKey: header("idempotency-key"),
        userAgent: header("user-agent"),
        body: undefined,
        status: 0,
        response: undefined,
      };
      requests.push(record);
      let result: { status: number; json: unknown };
      try {
        const raw = Buffer.concat(chunks).toString("utf8");
        record.body = raw ? JSON.parse(raw) : undefined;
        result =
          record.method === "POST" && record.path === "/emails"
            ? send(record)
            : error(404, "not_found", `The stand-in has no ${record.method} ${record.path}`);
      } catch {
        result = error(422, "validation_error", "The body is not valid JSON.");
      }
      record.status = result.status;
      record.response = result.json;
      res.writeHead(result.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(result.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    requests,
    delivered,
    failWhen(match, status = 500) {
      failure = match ? { match, status } : null;
    },
    close: () => closeServer(server),
  };
}

/**
 * Starts the stand-in and points the app's mailer at it (RESEND_API_KEY, RESEND_BASE_URL, which
 * the resend SDK reads when the worker builds its client). Call it before useTestServer().
 */
export function useFakeResend(): () => FakeResend {
  return useStandIn("Resend", startFakeResend, (r) => ({ RESEND_API_KEY: r.apiKey, RESEND_BASE_URL: r.url }));
}
