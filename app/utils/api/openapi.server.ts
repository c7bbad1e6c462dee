import { z } from "zod";
import * as s from "./schemas.ts";

/**
 * /api/openapi.json, generated from the same zod schemas the routes parse with. Each endpoint
 * lists its body and success shape; every error is a Problem (RFC 9457).
 */
interface Endpoint {
  method: "get" | "post" | "patch";
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

const list = (item: z.ZodType) => z.object({ data: z.array(item), total: z.number().int() });
const one = (item: z.ZodType) => z.object({ data: item });

const endpoints: Endpoint[] = [
  {
    method: "post",
    path: "/api/auth/signup",
    summary: "Create an account and its agency",
    auth: false,
    body: s.SignupBody,
    response: s.TokenResponse,
    status: 201,
  },
  {
    method: "post",
    path: "/api/auth/token",
    summary: "Sign in with email and password",
    auth: false,
    body: s.TokenBody,
    response: s.TokenResponse,
  },
  {
    method: "post",
    path: "/api/auth/refresh",
    summary: "Exchange a refresh token (single use)",
    auth: false,
    body: s.RefreshBody,
    response: s.TokenResponse,
  },
  {
    method: "post",
    path: "/api/auth/magic-link",
    summary: "Email a sign-in link (always 202)",
    auth: false,
    body: s.MagicLinkBody,
    status: 202,
  },
  { method: "post", path: "/api/auth/logout", summary: "End this token's session", auth: true, status: 204 },
  {
    method: "get",
    path: "/api/me",
    summary: "The caller, memberships, active agency",
    auth: true,
    response: s.MeResponse,
  },
  {
    method: "patch",
    path: "/api/me",
    summary: "Update own name and time zone",
    auth: true,
    body: s.MePatchBody,
    response: s.MeResponse.pick({ user: true }),
  },
  {
    method: "get",
    path: "/api/members",
    summary: "Team of the active agency",
    auth: true,
    response: list(s.MemberOut),
  },
  {
    method: "post",
    path: "/api/members",
    summary: "Invite a person by email",
    auth: true,
    body: s.InviteBody,
    response: one(s.InvitationOut),
    status: 201,
  },
  {
    method: "patch",
    path: "/api/members/{memberId}",
    summary: "Change role, activation, capacity or rates",
    auth: true,
    body: s.MemberPatchBody,
    response: one(s.MemberOut),
  },
  {
    method: "post",
    path: "/api/invitations/{invitationId}/resend",
    summary: "Send a new invitation link",
    auth: true,
    status: 204,
  },
  {
    method: "post",
    path: "/api/invitations/{invitationId}/revoke",
    summary: "Withdraw an invitation",
    auth: true,
    status: 204,
  },
  { method: "get", path: "/api/agency", summary: "The active agency's settings", auth: true },
  { method: "patch", path: "/api/agency", summary: "Change agency settings", auth: true, body: s.AgencyPatchBody },
];

function schema(type: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(type, { io, unrepresentable: "any" });
}

export function openApiDocument(serverUrl: string) {
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    }));
    const agencyHeader = e.auth
      ? [
          {
            name: "X-Agency-Id",
            in: "header",
            required: false,
            schema: { type: "string", format: "uuid" },
            description: "The agency to act in; required when the caller belongs to several.",
          },
        ]
      : [];
    (paths[e.path] ??= {})[e.method] = {
      summary: e.summary,
      security: e.auth ? [{ bearer: [] }] : [],
      parameters: [...pathParams, ...agencyHeader],
      ...(e.body && {
        requestBody: { required: true, content: { "application/json": { schema: schema(e.body, "input") } } },
      }),
      responses: {
        [String(e.status ?? 200)]: {
          description: "Success",
          ...(e.response && { content: { "application/json": { schema: schema(e.response, "output") } } }),
        },
        "4XX": { description: "Problem (RFC 9457) with a stable code and per-field errors", content: problem },
        "429": { description: "Rate limited; see Retry-After", content: problem },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Agency CRM API",
      version: "1",
      description: "JSON API. Field names are the database's (snake_case). Lists are {data, total, page, per_page}.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Problem: schema(s.Problem, "output") },
    },
    paths,
  };
}
