import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import type postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { adminSql } from "./http.ts";

/**
 * An in-process stand-in for Supabase Auth (GoTrue) at <url>/auth/v1, covering the endpoints the
 * app's SupabaseAuth adapter reaches through @supabase/supabase-js. Like GoTrue it keeps users in
 * the database's auth.users (so the profile trigger and foreign keys run), signs HS256 access
 * tokens with Supabase's claims, rotates refresh tokens, and sends magic links whose single-use
 * token hashes are sha224(email + otp) as GoTrue's are. Sessions, refresh tokens and link hashes
 * (GoTrue's auth.sessions / refresh_tokens / one_time_tokens) live in memory: the stand-in's
 * lifetime is one test file. The project is configured with email auto-confirm on, so sign-up
 * answers with a session.
 *
 * Behaviour follows supabase/auth: the API gateway's apikey check; admin endpoints want a
 * service_role JWT; /user refuses a token whose session is gone; generate_link for an unknown
 * email creates the account and issues a *signup* (confirmation) hash, which /verify only finds
 * under type signup or email, not magiclink.
 */
export interface GoTrueRequest {
  method: string;
  /** Below /auth/v1, e.g. "/token". */
  path: string;
  query: Record<string, string>;
  apikey: string | undefined;
  authorization: string | undefined;
  body: any; // any: whatever JSON the client sent
  status: number;
}

export interface GoTrueEmail {
  template: "magic_link" | "confirmation";
  to: string;
  token_hash: string;
  /** The verify type the email's link carries. */
  type: "magiclink" | "signup";
  /** Where the project's email template points: {{ .SiteURL }}/auth/magic?token_hash=…&type=… */
  link: string;
  redirect_to: string | null;
  sent_at: Date;
}

export interface FakeGoTrueOptions {
  /** The project's Site URL (email links); read when an email is sent. Defaults to SITE_URL. */
  siteUrl?: () => string;
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL; GoTrue's default is 10 s. */
  refreshTokenReuseIntervalSeconds?: number;
  accessTokenSeconds?: number;
  sql?: () => postgres.Sql;
}

export interface FakeGoTrue {
  /** The project URL (SUPABASE_URL); the API is at url + "/auth/v1". */
  readonly url: string;
  readonly jwtSecret: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  readonly requests: GoTrueRequest[];
  readonly emails: GoTrueEmail[];
  requestsTo(method: string, path: string): GoTrueRequest[];
  /** Newest email to `to`, or undefined. */
  lastEmailTo(to: string): GoTrueEmail | undefined;
  /** Whether GoTrue still holds this session (not signed out or revoked). */
  sessionActive(sessionId: string): boolean;
  /**
   * Plays the social provider for an OAuth start URL the app redirected to (<url>/auth/v1/authorize
   * with a PKCE challenge): signs `identity` in and returns where GoTrue would send the browser
   * back, redirect_to?code=<auth code>.
   */
  authorizeAs(authorizeUrl: string, identity: { email: string; name?: string }): Promise<string>;
  /** Signs a JWT with the project's secret (for tests that need a genuine token with other claims). */
  sign(claims: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

interface Session {
  id: string;
  userId: string;
  method: string;
  revoked: boolean;
}

/** GoTrue's flow_state row for a PKCE sign-in. */
interface OAuthFlow {
  userId: string;
  challenge: string;
  method: string;
  createdAt: number;
}

interface RefreshToken {
  token: string;
  sessionId: string;
  revokedAt: number | null;
}

/** GoTrue keeps one pending confirmation and one pending recovery (magic link) hash per user. */
interface PendingHash {
  hash: string;
  sentAt: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const OTP_EXPIRY_MS = 60 * 60 * 1000; // GOTRUE_MAILER_OTP_EXP default
const FLOW_STATE_EXPIRY_MS = 5 * 60 * 1000;
const MIN_PASSWORD_LENGTH = 6;

export async function startFakeGoTrue(options: FakeGoTrueOptions = {}): Promise<FakeGoTrue> {
  const sql = options.sql ?? adminSql;
  const siteUrl = options.siteUrl ?? (() => process.env.SITE_URL ?? "http://localhost:3000");
  const reuseIntervalMs = (options.refreshTokenReuseIntervalSeconds ?? 10) * 1000;
  const accessTokenSeconds = options.accessTokenSeconds ?? 3600;
  const jwtSecret = `fake-gotrue-${randomBytes(24).toString("hex")}`;
  const secret = new TextEncoder().encode(jwtSecret);

  const requests: GoTrueRequest[] = [];
  const emails: GoTrueEmail[] = [];
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, RefreshToken>();
  const confirmationHashes = new Map<string, PendingHash>();
  const recoveryHashes = new Map<string, PendingHash>();
  const oauthFlows = new Map<string, OAuthFlow>();

  let issuer = "";
  const sign = (claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
  const now = () => Math.floor(Date.now() / 1000);
  // The keys a Supabase project hands out: long-lived JWTs with role anon / service_role.
  const anonKey = await sign({ iss: "supabase", ref: "fake", role: "anon", iat: now(), exp: now() + 3600 * 24 });
  const serviceRoleKey = await sign({
    iss: "supabase",
    ref: "fake",
    role: "service_role",
    iat: now(),
    exp: now() + 3600 * 24,
  });

  // ── users (auth.users) ────────────────────────────────────────────────────────────────────

  async function userByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await sql()<UserRow[]>`
      select * from auth.users where lower(email) = ${email.toLowerCase()} and deleted_at is null
    `;
    return row;
  }

  async function userById(id: string): Promise<UserRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await sql()<UserRow[]>`select * from auth.users where id = ${id} and deleted_at is null`;
    return row;
  }

  async function createUser(input: {
    email: string;
    password: string | null;
    data: Record<string, unknown>;
    confirmed: boolean;
  }): Promise<UserRow> {
    const encrypted = input.password === null ? null : await argonHash(input.password, ARGON2);
    try {
      const [row] = await sql()<UserRow[]>`
        insert into auth.users (aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
        values ('authenticated', 'authenticated', ${input.email.toLowerCase()}, ${encrypted},
                ${input.confirmed ? new Date() : null},
                ${sql().json({ provider: "email", providers: ["email"] })}, ${sql().json(input.data as never)})
        returning *
      `;
      return row!;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new HttpError(422, "user_already_exists", "User already registered");
      }
      throw error;
    }
  }

  async function confirm(user: UserRow): Promise<UserRow> {
    if (user.email_confirmed_at) return user;
    const [row] = await sql()<UserRow[]>`
      update auth.users set email_confirmed_at = now(), updated_at = now() where id = ${user.id} returning *
    `;
    return row!;
  }

  function userJson(user: UserRow) {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: user.id,
      aud: user.aud,
      role: user.role,
      email: user.email,
      email_confirmed_at: iso(user.email_confirmed_at),
      phone: "",
      confirmed_at: iso(user.email_confirmed_at),
      last_sign_in_at: iso(user.last_sign_in_at),
      app_metadata: user.raw_app_meta_data,
      user_metadata: user.raw_user_meta_data,
      identities: [
        {
          identity_id: user.id,
          id: user.id,
          user_id: user.id,
          identity_data: { email: user.email, email_verified: Boolean(user.email_confirmed_at), sub: user.id },
          provider: String(user.raw_app_meta_data.provider ?? "email"),
          email: user.email,
          created_at: iso(user.created_at),
          updated_at: iso(user.updated_at),
        },
      ],
      created_at: iso(user.created_at),
      updated_at: iso(user.updated_at),
      is_anonymous: user.is_anonymous,
    };
  }

  // ── sessions and tokens ───────────────────────────────────────────────────────────────────

  async function accessToken(user: UserRow, session: Session): Promise<string> {
    const iat = now();
    return new SignJWT({
      email: user.email,
      phone: "",
      app_metadata: user.raw_app_meta_data,
      user_metadata: user.raw_user_meta_data,
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: session.method, timestamp: iat }],
      session_id: session.id,
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(issuer)
      .setSubject(user.id)
      .setAudience("authenticated")
      .setIssuedAt(iat)
      .setExpirationTime(iat + accessTokenSeconds)
      .sign(secret);
  }

  function newRefreshToken(sessionId: string): RefreshToken {
    const token: RefreshToken = { token: randomBytes(16).toString("base64url"), sessionId, revokedAt: null };
    refreshTokens.set(token.token, token);
    return token;
  }

  async function sessionResponse(user: UserRow, session: Session, refresh: RefreshToken) {
    const iat = now();
    return {
      access_token: await accessToken(user, session),
      token_type: "bearer",
      expires_in: accessTokenSeconds,
      expires_at: iat + accessTokenSeconds,
      refresh_token: refresh.token,
      user: userJson(user),
    };
  }

  async function startSession(user: UserRow, method: string) {
    const session: Session = { id: randomUUID(), userId: user.id, method, revoked: false };
    sessions.set(session.id, session);
    const [signedIn] = await sql()<UserRow[]>`
      update auth.users set last_sign_in_at = now() where id = ${user.id} returning *
    `;
    return sessionResponse(signedIn ?? user, session, newRefreshToken(session.id));
  }

  function revokeSession(sessionId: string): void {
    const session = sessions.get(sessionId);
    if (session) session.revoked = true;
    for (const token of refreshTokens.values()) {
      if (token.sessionId === sessionId) token.revokedAt ??= Date.now();
    }
  }

  /** GoTrue's requireAuthentication: a valid JWT whose session still exists. */
  async function authenticated(authorization: string | undefined) {
    const claims = await bearerClaims(authorization);
    const session = typeof claims.session_id === "string" ? sessions.get(claims.session_id) : undefined;
    if (!session || session.revoked) {
      throw new HttpError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
    }
    const user = typeof claims.sub === "string" ? await userById(claims.sub) : undefined;
    if (!user) throw new HttpError(403, "user_not_found", "User from sub claim in JWT does not exist");
    return { claims, session, user };
  }

  async function bearerClaims(authorization: string | undefined): Promise<JWTPayload> {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? "");
    if (!match) throw new HttpError(401, "no_authorization", "This endpoint requires a valid Bearer token");
    try {
      const { payload } = await jwtVerify(match[1]!, secret, { algorithms: ["HS256"] });
      return payload;
    } catch (error) {
      throw new HttpError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${String(error)}`);
    }
  }

  async function requireAdmin(authorization: string | undefined): Promise<void> {
    const claims = await bearerClaims(authorization);
    if (claims.role !== "service_role" && claims.role !== "supabase_admin") {
      throw new HttpError(403, "not_admin", "User not allowed");
    }
  }

  // ── one-time link hashes ──────────────────────────────────────────────────────────────────

  function newHash(email: string): string {
    const otp = String(randomInt(0, 1_000_000)).padStart(6, "0");
    return createHash("sha224")
      .update(email.toLowerCase() + otp)
      .digest("hex");
  }

  function issueHash(kind: "confirmation" | "recovery", user: UserRow): string {
    const hash = newHash(user.email);
    (kind === "confirmation" ? confirmationHashes : recoveryHashes).set(user.id, { hash, sentAt: Date.now() });
    return hash;
  }

  /** GoTrue's verifyTokenHash: which column the type searches decides what is found. */
  function findByHash(type: string, hash: string): { userId: string; kind: "confirmation" | "recovery" } | undefined {
    const kinds: ("confirmation" | "recovery")[] =
      type === "email"
        ? ["confirmation", "recovery"]
        : type === "signup" || type === "invite"
          ? ["confirmation"]
          : type === "magiclink" || type === "recovery"
            ? ["recovery"]
            : [];
    for (const kind of kinds) {
      const store = kind === "confirmation" ? confirmationHashes : recoveryHashes;
      for (const [userId, pending] of store) {
        if (pending.hash === hash && Date.now() - pending.sentAt < OTP_EXPIRY_MS) return { userId, kind };
      }
    }
    return undefined;
  }

  function sendEmail(template: GoTrueEmail["template"], user: UserRow, hash: string, redirectTo: string | null) {
    const type = template === "magic_link" ? "magiclink" : "signup";
    const link = `${siteUrl()}/auth/magic?${new URLSearchParams({ token_hash: hash, type })}`;
    emails.push({
      template,
      to: user.email,
      token_hash: hash,
      type,
      link,
      redirect_to: redirectTo,
      sent_at: new Date(),
    });
  }

  // ── endpoints ─────────────────────────────────────────────────────────────────────────────

  type Handler = (req: {
    body: any; // any: parsed JSON from the client
    query: URLSearchParams;
    authorization: string | undefined;
    params: string[];
  }) => Promise<{ status: number; json?: unknown }>;

  const ok = (json: unknown) => ({ status: 200, json });

  function requireEmail(value: unknown): string {
    if (typeof value !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      throw new HttpError(400, "validation_failed", "Unable to validate email address: invalid format");
    }
    return value.toLowerCase();
  }

  function requirePassword(value: unknown): string {
    if (typeof value !== "string" || value.length < MIN_PASSWORD_LENGTH) {
      throw new HttpError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
        weak_password: { reasons: ["length"] },
      });
    }
    return value;
  }

  const metadata = (value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

  const routes: { method: string; pattern: RegExp; handler: Handler }[] = [
    {
      method: "POST",
      pattern: /^\/signup$/,
      handler: async ({ body }) => {
        const email = requireEmail(body.email);
        const password = requirePassword(body.password);
        if (await userByEmail(email)) throw new HttpError(422, "user_already_exists", "User already registered");
        // Auto-confirm is on: the account is confirmed and signed in at once.
        const user = await createUser({ email, password, data: metadata(body.data), confirmed: true });
        return ok(await startSession(user, "password"));
      },
    },
    {
      method: "POST",
      pattern: /^\/token$/,
      handler: async ({ body, query }) => {
        const grant = query.get("grant_type");
        if (grant === "password") {
          const user = typeof body.email === "string" ? await userByEmail(body.email) : undefined;
          const valid =
            user?.encrypted_password && typeof body.password === "string"
              ? await argonVerify(user.encrypted_password, body.password).catch(() => false)
              : false;
          if (!user || !valid) throw new HttpError(400, "invalid_credentials", "Invalid login credentials");
          if (!user.email_confirmed_at) throw new HttpError(400, "email_not_confirmed", "Email not confirmed");
          if (user.banned_until && user.banned_until > new Date())
            throw new HttpError(400, "user_banned", "User is banned");
          return ok(await startSession(user, "password"));
        }
        if (grant === "refresh_token") return ok(await refresh(String(body.refresh_token ?? "")));
        if (grant === "pkce")
          return ok(await exchangeCode(String(body.auth_code ?? ""), String(body.code_verifier ?? "")));
        throw new HttpError(400, "unsupported_grant_type", "unsupported_grant_type");
      },
    },
    {
      method: "GET",
      pattern: /^\/user$/,
      handler: async ({ authorization }) => ok(userJson((await authenticated(authorization)).user)),
    },
    {
      method: "POST",
      pattern: /^\/otp$/,
      handler: async ({ body, query }) => {
        const email = requireEmail(body.email);
        const redirectTo = query.get("redirect_to");
        let user = await userByEmail(email);
        if (!user) {
          if (body.create_user === false) throw new HttpError(422, "otp_disabled", "Signups not allowed for otp");
          user = await createUser({ email, password: null, data: metadata(body.data), confirmed: false });
        }
        // An unconfirmed account gets the signup confirmation instead (which signs in too).
        if (!user.email_confirmed_at) sendEmail("confirmation", user, issueHash("confirmation", user), redirectTo);
        else sendEmail("magic_link", user, issueHash("recovery", user), redirectTo);
        return ok({});
      },
    },
    {
      method: "POST",
      pattern: /^\/verify$/,
      handler: async ({ body }) => {
        if (typeof body.token_hash !== "string" || typeof body.type !== "string") {
          throw new HttpError(400, "validation_failed", "The stand-in verifies token_hash + type only");
        }
        const found = findByHash(body.type, body.token_hash);
        if (!found) throw new HttpError(403, "otp_expired", "Email link is invalid or has expired");
        // Single use: the hash is spent whatever happens next.
        (found.kind === "confirmation" ? confirmationHashes : recoveryHashes).delete(found.userId);
        const user = await userById(found.userId);
        if (!user) throw new HttpError(403, "otp_expired", "Email link is invalid or has expired");
        return ok(await startSession(await confirm(user), "otp"));
      },
    },
    {
      method: "POST",
      pattern: /^\/logout$/,
      handler: async ({ authorization, query }) => {
        const { session } = await authenticated(authorization);
        const scope = query.get("scope") ?? "global";
        if (!["global", "local", "others"].includes(scope)) {
          throw new HttpError(400, "validation_failed", `Unsupported logout scope "${scope}"`);
        }
        for (const other of sessions.values()) {
          if (other.userId !== session.userId) continue;
          const isCurrent = other.id === session.id;
          if (scope === "global" || (scope === "local" && isCurrent) || (scope === "others" && !isCurrent)) {
            revokeSession(other.id);
          }
        }
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: /^\/admin\/generate_link$/,
      handler: async ({ authorization, body, query }) => {
        await requireAdmin(authorization);
        const email = requireEmail(body.email);
        let type = String(body.type ?? "");
        if (!["magiclink", "signup", "recovery"].includes(type)) {
          throw new HttpError(400, "validation_failed", `The stand-in does not generate "${type}" links`);
        }
        let user = await userByEmail(email);
        if (!user) {
          if (type === "recovery") throw new HttpError(404, "user_not_found", "User with this email not found");
          // As GoTrue: a magic link for an unknown email becomes a sign-up (random password).
          if (type === "magiclink") type = "signup";
          const password = typeof body.password === "string" ? body.password : randomBytes(32).toString("hex");
          user = await createUser({ email, password, data: metadata(body.data), confirmed: false });
        } else if (type === "signup" && user.email_confirmed_at) {
          throw new HttpError(422, "email_exists", "A user with this email address has already been registered");
        }
        const hash = issueHash(type === "signup" ? "confirmation" : "recovery", user);
        const redirectTo =
          typeof body.redirect_to === "string" ? body.redirect_to : (query.get("redirect_to") ?? siteUrl());
        return ok({
          ...userJson(user),
          action_link: `${issuer}/verify?${new URLSearchParams({ token: hash, type, redirect_to: redirectTo })}`,
          email_otp: "",
          hashed_token: hash,
          verification_type: type,
          redirect_to: redirectTo,
        });
      },
    },
    {
      method: "POST",
      pattern: /^\/admin\/users$/,
      handler: async ({ authorization, body }) => {
        await requireAdmin(authorization);
        const email = requireEmail(body.email);
        if (await userByEmail(email)) {
          throw new HttpError(422, "email_exists", "A user with this email address has already been registered");
        }
        const password = body.password === undefined ? null : requirePassword(body.password);
        const user = await createUser({
          email,
          password,
          data: metadata(body.user_metadata),
          confirmed: body.email_confirm === true,
        });
        return ok(userJson(user));
      },
    },
    {
      method: "PUT",
      pattern: /^\/admin\/users\/([^/]+)$/,
      handler: async ({ authorization, body, params }) => {
        await requireAdmin(authorization);
        let user = await userById(params[0]!);
        if (!user) throw new HttpError(404, "user_not_found", "User not found");
        const unsupported = Object.keys(body ?? {}).filter(
          (key) => !["password", "user_metadata", "app_metadata", "email_confirm"].includes(key),
        );
        if (unsupported.length > 0) {
          throw new HttpError(400, "validation_failed", `The stand-in does not update ${unsupported.join(", ")}`);
        }
        if (body.password !== undefined) {
          const encrypted = await argonHash(requirePassword(body.password), ARGON2);
          [user] = await sql()<UserRow[]>`
            update auth.users set encrypted_password = ${encrypted}, updated_at = now() where id = ${user.id} returning *
          `;
        }
        if (body.user_metadata !== undefined || body.app_metadata !== undefined) {
          // GoTrue merges metadata keys rather than replacing the object.
          [user] = await sql()<UserRow[]>`
            update auth.users set
              raw_user_meta_data = raw_user_meta_data || ${sql().json(metadata(body.user_metadata) as never)},
              raw_app_meta_data = raw_app_meta_data || ${sql().json(metadata(body.app_metadata) as never)},
              updated_at = now()
            where id = ${user!.id} returning *
          `;
        }
        if (body.email_confirm === true) user = await confirm(user!);
        return ok(userJson(user!));
      },
    },
    {
      method: "DELETE",
      pattern: /^\/admin\/users\/([^/]+)$/,
      handler: async ({ authorization, body, params }) => {
        await requireAdmin(authorization);
        const user = await userById(params[0]!);
        if (!user) throw new HttpError(404, "user_not_found", "User not found");
        for (const session of sessions.values()) if (session.userId === user.id) revokeSession(session.id);
        if (body?.should_soft_delete === true) {
          await sql()`update auth.users set deleted_at = now(), updated_at = now() where id = ${user.id}`;
        } else {
          await sql()`delete from auth.users where id = ${user.id}`;
        }
        return ok({});
      },
    },
  ];

  /** PKCE: the auth code once, and only with the verifier whose challenge started the flow. */
  async function exchangeCode(authCode: string, verifier: string) {
    const flow = oauthFlows.get(authCode);
    oauthFlows.delete(authCode);
    if (!flow || Date.now() - flow.createdAt > FLOW_STATE_EXPIRY_MS) {
      throw new HttpError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
    }
    const expected = flow.method === "s256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
    if (!verifier || expected !== flow.challenge) {
      throw new HttpError(400, "bad_code_verifier", "code challenge does not match previously saved code verifier");
    }
    const user = await userById(flow.userId);
    if (!user) throw new HttpError(404, "user_not_found", "User not found");
    return startSession(user, "oauth");
  }

  async function authorizeAs(authorizeUrl: string, identity: { email: string; name?: string }): Promise<string> {
    const url = new URL(authorizeUrl);
    if (`${url.origin}${url.pathname}` !== `${issuer}/authorize`) {
      throw new Error(`not this project's authorize URL: ${authorizeUrl}`);
    }
    const provider = url.searchParams.get("provider") ?? "";
    const challenge = url.searchParams.get("code_challenge");
    const redirectTo = url.searchParams.get("redirect_to") ?? siteUrl();
    if (!challenge) throw new Error("the authorize URL carries no PKCE code_challenge");
    let user = await userByEmail(identity.email);
    if (!user) {
      const name = identity.name ?? identity.email.split("@")[0];
      const [row] = await sql()<UserRow[]>`
        insert into auth.users (aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
        values ('authenticated', 'authenticated', ${identity.email.toLowerCase()}, now(),
                ${sql().json({ provider, providers: [provider] })},
                ${sql().json({ name, full_name: name, email: identity.email, email_verified: true })})
        returning *
      `;
      user = row!;
    }
    const code = randomUUID();
    oauthFlows.set(code, {
      userId: user.id,
      challenge,
      method: url.searchParams.get("code_challenge_method") ?? "plain",
      createdAt: Date.now(),
    });
    const back = new URL(redirectTo);
    back.searchParams.set("code", code);
    return back.toString();
  }

  /** Refresh-token rotation with GoTrue's reuse detection. */
  async function refresh(token: string) {
    const stored = refreshTokens.get(token);
    const session = stored ? sessions.get(stored.sessionId) : undefined;
    if (!stored || !session || session.revoked) {
      throw new HttpError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    const user = await userById(session.userId);
    if (!user) throw new HttpError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    if (stored.revokedAt !== null) {
      if (Date.now() - stored.revokedAt > reuseIntervalMs) {
        // A spent token came back: assume it was stolen and end the whole session.
        revokeSession(session.id);
        throw new HttpError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      }
      // Within the reuse interval (two tabs refreshing at once): hand out the current token.
      const current = [...refreshTokens.values()].find((t) => t.sessionId === session.id && t.revokedAt === null);
      if (!current) throw new HttpError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      return sessionResponse(user, session, current);
    }
    stored.revokedAt = Date.now();
    return sessionResponse(user, session, newRefreshToken(session.id));
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void handle(req, Buffer.concat(chunks).toString("utf8"))
        .catch((error: unknown) => ({ status: 500, json: { code: "unexpected_failure", message: String(error) } }))
        .then(({ status, json }) => {
          res.writeHead(status, {
            "Content-Type": "application/json",
            // Error bodies are in the 2024-01-01 shape ({ code, message }), which the header announces.
            "X-Supabase-Api-Version": "2024-01-01",
          });
          res.end(json === undefined ? undefined : JSON.stringify(json));
        });
    });
  });

  async function handle(req: http.IncomingMessage, raw: string): Promise<{ status: number; json?: unknown }> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const path = url.pathname.replace(/^\/auth\/v1/, "");
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    let body: any; // any: parsed JSON from the client
    const record: GoTrueRequest = {
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      apikey: header("apikey"),
      authorization: header("authorization"),
      body: undefined,
      status: 0,
    };
    requests.push(record);
    const answer = (status: number, json?: unknown) => {
      record.status = status;
      return { status, json };
    };
    try {
      body = raw ? JSON.parse(raw) : {};
      record.body = body;
    } catch {
      return answer(400, { code: "bad_json", message: "Could not parse request body as JSON" });
    }
    // The API gateway in front of GoTrue: no project key, no entry.
    const apikey = record.apikey;
    if (!apikey) return answer(401, { message: "No API key found in request" });
    if (apikey !== anonKey && apikey !== serviceRoleKey) return answer(401, { message: "Invalid API key" });
    if (!url.pathname.startsWith("/auth/v1/")) return answer(404, { message: "no Route matched with those values" });
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match || route.method !== req.method) continue;
      try {
        const result = await route.handler({
          body,
          query: url.searchParams,
          authorization: record.authorization,
          params: match.slice(1),
        });
        return answer(result.status, result.json);
      } catch (error) {
        if (error instanceof HttpError) {
          return answer(error.status, { code: error.code, message: error.message, msg: error.message, ...error.extra });
        }
        return answer(500, { code: "unexpected_failure", message: String(error) });
      }
    }
    return answer(404, { code: "not_found", message: `The stand-in has no ${req.method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}/auth/v1`;

  return {
    url,
    jwtSecret,
    anonKey,
    serviceRoleKey,
    requests,
    emails,
    requestsTo: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    lastEmailTo: (to) => emails.filter((e) => e.to === to.toLowerCase()).at(-1),
    sessionActive: (sessionId) => sessions.get(sessionId)?.revoked === false,
    authorizeAs,
    sign,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Starts the stand-in before the app and points the app at it (SUPABASE_URL, SUPABASE_ANON_KEY,
 * SUPABASE_SERVICE_ROLE_KEY). Call it before useTestServer(), so its beforeAll runs first.
 */
export function useFakeGoTrue(options: FakeGoTrueOptions = {}): () => FakeGoTrue {
  let gotrue: FakeGoTrue | undefined;
  beforeAll(async () => {
    gotrue = await startFakeGoTrue(options);
    process.env.SUPABASE_URL = gotrue.url;
    process.env.SUPABASE_ANON_KEY = gotrue.anonKey;
    process.env.SUPABASE_SERVICE_ROLE_KEY = gotrue.serviceRoleKey;
  });
  afterAll(async () => {
    await gotrue?.close();
  });
  return () => {
    if (!gotrue) throw new Error("The GoTrue stand-in is not running: call useFakeGoTrue() at the top of the file");
    return gotrue;
  };
}
