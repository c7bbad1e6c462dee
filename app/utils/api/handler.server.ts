import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { getAccount, pickMembership, type Membership } from "#app/models/account.server.ts";
import { authProvider } from "../auth/provider.server.ts";
import type { Viewer } from "../auth/types.ts";
import { AppError } from "../errors.server.ts";
import { problemResponse, toAppError } from "./problem.server.ts";
import { consume, RateLimitedError } from "./rate-limit.server.ts";

/**
 * The shape of every JSON API route: authenticate the bearer token → count it against the
 * caller's rate limit → parse query and body with zod → run the handler → JSON. Any failure
 * becomes application/problem+json with a stable code; nothing is written on bad input.
 */
const MAX_BODY_BYTES = 1_000_000;

interface BaseArgs<Q, B> {
  request: Request;
  params: Record<string, string | undefined>;
  query: Q;
  body: B;
  clientIp: string;
}

export interface AuthedArgs<Q, B> extends BaseArgs<Q, B> {
  viewer: Viewer;
  /** The agency the request acts in: X-Agency-Id, or the caller's only agency. */
  membership(): Promise<Membership>;
}

type Result = Response | { status?: number; data: unknown; headers?: HeadersInit };

interface Options<Q, B> {
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The body may be left out entirely (no Content-Type, nothing sent): it then parses as {}. */
  bodyOptional?: boolean;
}

type RouteArgs = LoaderFunctionArgs | ActionFunctionArgs;

export function apiRoute<Q = undefined, B = undefined>(
  options: Options<Q, B>,
  handler: (args: AuthedArgs<Q, B>) => Promise<Result>,
): (args: RouteArgs) => Promise<Response> {
  return (args) =>
    respond(async () => {
      const viewer = await authenticate(args.request);
      await consume("api", viewer.userId);
      const base = await parse(args, options);
      let membership: Promise<Membership> | undefined;
      return handler({
        ...base,
        viewer,
        membership: () => (membership ??= resolveMembership(viewer, args.request)),
      });
    });
}

/** For the token endpoints, which run before anyone is signed in; limited per client IP. */
export function publicApiRoute<Q = undefined, B = undefined>(
  options: Options<Q, B>,
  handler: (args: BaseArgs<Q, B>) => Promise<Result>,
): (args: RouteArgs) => Promise<Response> {
  return (args) =>
    respond(async () => {
      await consume("anonymous", args.context.app.clientIp);
      return handler(await parse(args, options));
    });
}

async function respond(run: () => Promise<Result>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    const headers = new Headers(result.headers);
    headers.set("Content-Type", "application/json; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    return new Response(result.status === 204 ? null : JSON.stringify(result.data), {
      status: result.status ?? 200,
      headers,
    });
  } catch (error) {
    if (error instanceof Response) return error;
    const appError = toAppError(error);
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (appError instanceof RateLimitedError) headers["Retry-After"] = String(appError.retryAfterSeconds);
    if (appError.status === 401) headers["WWW-Authenticate"] = `Bearer error="${appError.code}"`;
    // The unread body is still on the wire: close the connection rather than let it poison the next request.
    if (appError.status === 413) headers.Connection = "close";
    return problemResponse(appError, headers);
  }
}

async function authenticate(request: Request): Promise<Viewer> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError(401, "unauthorized", "Send an access token: Authorization: Bearer <token>.");
  const claims = await authProvider().verifyAccessToken(match[1]!);
  if (!claims) throw new AppError(401, "invalid_token", "The access token is invalid or has expired.");
  return { userId: claims.sub, email: String(claims.email ?? ""), claims, accessToken: match[1]! };
}

async function resolveMembership(viewer: Viewer, request: Request): Promise<Membership> {
  const requested = request.headers.get("X-Agency-Id");
  const account = await getAccount({ claims: viewer.claims });
  if (!account || account.memberships.length === 0) {
    throw new AppError(403, "no_agency", "You are not a member of any agency yet.");
  }
  if (!requested && account.memberships.length > 1) {
    throw new AppError(
      400,
      "agency_required",
      "You belong to several agencies: choose one with the X-Agency-Id header.",
    );
  }
  const membership = pickMembership(account, requested);
  if (!membership) throw new AppError(403, "agency_forbidden", "You are not an active member of that agency.");
  return membership;
}

async function parse<Q, B>(args: RouteArgs, options: Options<Q, B>): Promise<BaseArgs<Q, B>> {
  const url = new URL(args.request.url);
  const query = options.query ? options.query.parse(Object.fromEntries(url.searchParams)) : (undefined as Q);
  const body = options.body
    ? options.body.parse(await readJson(args.request, options.bodyOptional ?? false))
    : (undefined as B);
  return { request: args.request, params: args.params, query, body, clientIp: args.context.app.clientIp };
}

async function readJson(request: Request, optional: boolean): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (optional && !type) {
    // Nothing sent at all reads as {}; anything sent still needs its Content-Type.
    const length = request.headers.get("Content-Length");
    if (length === "0" || (length === null && !request.headers.has("Transfer-Encoding"))) return {};
  }
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) {
    throw new AppError(413, "body_too_large", "The request body is larger than 1 MB.");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new AppError(413, "body_too_large", "The request body is larger than 1 MB.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

type Handler = (args: RouteArgs) => Promise<Response>;

/**
 * A resource route's exports from its handlers per method: GET is the loader, the others the
 * action; any other method gets 405 with an Allow header, never the handler of another method.
 */
export function apiMethods(handlers: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>): {
  loader: Handler;
  action: Handler;
} {
  const allowed = Object.keys(handlers);
  const dispatch: Handler = async (args) => {
    const method = args.request.method.toUpperCase() as keyof typeof handlers;
    const handler = handlers[method === ("HEAD" as string) ? "GET" : method];
    if (handler) return handler(args);
    if (method === ("OPTIONS" as string))
      return new Response(null, { status: 204, headers: { Allow: allowed.join(", ") } });
    return methodNotAllowed(allowed);
  };
  return { loader: dispatch, action: dispatch };
}

export function methodNotAllowed(allowed: string[]): Response {
  return problemResponse(new AppError(405, "method_not_allowed", `Use ${allowed.join(" or ")}.`), {
    Allow: allowed.join(", "),
  });
}

/** A short list (stages, templates, a team) in the API's paginated shape, all on one page. */
export function onePage<T>(items: T[]): { data: T[]; total: number; page: number; per_page: number } {
  return { data: items, total: items.length, page: 1, per_page: items.length };
}
