import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { hash } from "@node-rs/argon2";
import postgres from "postgres";

/** Small helpers for integration tests that talk to the app over HTTP like real clients do. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string;
  agencyId?: string;
  headers?: Record<string, string>;
  rawBody?: string;
}

export function http(baseUrl: () => string) {
  return async function request<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] ??= "application/json";
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.agencyId) headers["X-Agency-Id"] = options.agencyId;
    const response = await fetch(baseUrl() + path, {
      method: options.method ?? (options.body === undefined && options.rawBody === undefined ? "GET" : "POST"),
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      redirect: "manual",
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // HTML or plain text: keep the string.
    }
    return { status: response.status, headers: response.headers, body: body as T };
  };
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@it.test`;
}

export const PASSWORD = "correct horse battery";

export interface SignedUp {
  email: string;
  password: string;
  access_token: string;
  refresh_token: string;
  user: { id: string; email: string };
  agency: { id: string; name: string; slug: string };
}

/** A new account with its own agency, through the public API. */
export async function signUp(
  request: ReturnType<typeof http>,
  prefix = "owner",
  agencyName = "Agency",
): Promise<SignedUp> {
  const email = uniqueEmail(prefix);
  const response = await request<SignedUp>("/api/auth/signup", {
    body: { agency_name: `${agencyName} ${email}`, name: `${prefix} person`, email, password: PASSWORD },
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...response.body, email, password: PASSWORD };
}

let admin: postgres.Sql | undefined;

/** Privileged access for arranging and inspecting state a test cannot reach through the app. */
export function adminSql(): postgres.Sql {
  admin ??= postgres(inject("adminUrl"), { max: 2, onnotice: () => {} });
  return admin;
}

/** The raw token of the newest invitation email to `email` (what the invitee would click). */
export async function invitationToken(email: string): Promise<string> {
  const [row] = await adminSql()<{ path: string }[]>`
    select data ->> 'accept_path' as path from private.email_outbox
    where to_email = ${email} and template in ('staff_invitation', 'portal_invitation')
    order by created_at desc limit 1
  `;
  if (!row) throw new Error(`no invitation email to ${email}`);
  return row.path.replace("/invite/", "");
}

/** Invites `email` into the owner's agency with `role` and accepts as a new passwordless account. */
export async function addMember(
  request: ReturnType<typeof http>,
  owner: SignedUp,
  role: "owner" | "manager" | "member",
  prefix: string = role,
): Promise<{ email: string; access_token: string; user_id: string; member_id: string }> {
  const email = uniqueEmail(prefix);
  const invited = await request("/api/members", {
    token: owner.access_token,
    agencyId: owner.agency.id,
    body: { email, role },
  });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  // The invitee's account (with a password, so the test can get API tokens), then acceptance
  // with the emailed token, as that account.
  const [user] = await adminSql()<{ id: string }[]>`
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data)
    values (${email}, ${await passwordHash()}, now(), ${adminSql().json({ name: `${prefix} person` })})
    returning id
  `;
  const token = await invitationToken(email);
  await adminSql().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: user!.id, email, role: "authenticated" })}, true)`;
    await tx`select * from public.accept_invitation(${token})`;
  });
  const [member] = await adminSql()<{ id: string }[]>`
    select id from public.agency_members where agency_id = ${owner.agency.id} and user_id = ${user!.id}
  `;
  const tokens = await request<SignedUp>("/api/auth/token", { body: { email, password: PASSWORD } });
  return { email, access_token: tokens.body.access_token, user_id: user!.id, member_id: member!.id };
}

let cachedHash: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  cachedHash ??= hash(PASSWORD, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  return cachedHash;
}
