import { createHash, randomBytes } from "node:crypto";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { jwtVerify, SignJWT } from "jose";
import type postgres from "postgres";
import type { JwtClaims } from "../db.server.ts";
import { AppError } from "../errors.server.ts";
import type { AuthProvider, AuthSession } from "./types.ts";

/**
 * Local mode's stand-in for Supabase Auth. Users live in auth.users; sessions, rotating refresh
 * tokens and magic-link tokens in local_auth (db/bootstrap/03_local_auth.sql), every token stored
 * as a SHA-256 hash. Access tokens are HS256 JWTs with Supabase Auth's claims, so RLS and
 * auth.uid() behave exactly as on Supabase. Connects as supabase_auth_admin, the role GoTrue uses.
 */
const ACCESS_TOKEN_SECONDS = 60 * 60;
const REFRESH_TOKEN_LIFETIME = "30 days";
const REFRESH_REUSE_GRACE = "10 seconds";
const MAGIC_LINK_LIFETIME = "15 minutes";
// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

interface UserRow {
  id: string;
  email: string;
  raw_user_meta_data: Record<string, unknown>;
  raw_app_meta_data: Record<string, unknown>;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
}

type AuthMethod = "password" | "otp";

export class LocalAuth implements AuthProvider {
  readonly kind = "local" as const;
  private readonly secret: Uint8Array;
  private readonly issuer: string;
  /** Compared against when the email is unknown, so both cases take as long. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly sql: postgres.Sql,
    options: { jwtSecret: string; siteUrl: string },
  ) {
    this.secret = new TextEncoder().encode(options.jwtSecret);
    this.issuer = `${options.siteUrl}/auth/v1`;
  }

  async signUp(input: { email: string; password: string; name: string }): Promise<AuthSession> {
    const encrypted = await argonHash(input.password, ARGON2);
    const [user] = await this.sql<UserRow[]>`
      insert into auth.users (email, encrypted_password, raw_user_meta_data, raw_app_meta_data)
      values (${input.email}, ${encrypted}, ${this.sql.json({ name: input.name })},
              ${this.sql.json({ provider: "email", providers: ["email"] })})
      on conflict do nothing
      returning *
    `;
    if (!user)
      throw new AppError(409, "email_taken", "An account with this email already exists. Sign in instead.", {
        email: ["An account with this email already exists."],
      });
    return this.createSession(user, "password");
  }

  async signInWithPassword(input: { email: string; password: string }): Promise<AuthSession | null> {
    const [user] = await this.sql<UserRow[]>`
      select * from auth.users
      where lower(email) = ${input.email.toLowerCase()} and deleted_at is null
        and (banned_until is null or banned_until < now())
    `;
    const stored = user?.encrypted_password ?? (await this.dummy());
    const valid = await argonVerify(stored, input.password).catch(() => false);
    if (!user?.encrypted_password || !valid) return null;
    return this.createSession(user, "password");
  }

  async sendMagicLink(input: { email: string; next: string }): Promise<void> {
    const token = newToken();
    await this.sql.begin(async (tx) => {
      const [user] = await tx<{ id: string; email: string }[]>`
        select id, email from auth.users where lower(email) = ${input.email.toLowerCase()} and deleted_at is null
      `;
      if (!user) return;
      await tx`
        insert into local_auth.one_time_tokens (user_id, purpose, token_hash, expires_at)
        values (${user.id}, 'magic_link', ${sha256(token)}, now() + ${MAGIC_LINK_LIFETIME}::interval)
      `;
      const path = `/auth/magic?${new URLSearchParams({ token, next: input.next })}`;
      await tx`select private.enqueue_email(null, ${user.email}, 'magic_link', ${tx.json({ link_path: path })})`;
    });
  }

  async verifyMagicLink(params: URLSearchParams): Promise<AuthSession | null> {
    const token = params.get("token");
    if (!token) return null;
    const [consumed] = await this.sql<{ user_id: string }[]>`
      update local_auth.one_time_tokens set consumed_at = now()
      where token_hash = ${sha256(token)} and purpose = 'magic_link' and consumed_at is null and expires_at > now()
      returning user_id
    `;
    if (!consumed) return null;
    // One link used: the others sent to this person stop working too.
    await this.sql`
      update local_auth.one_time_tokens set consumed_at = now()
      where user_id = ${consumed.user_id} and purpose = 'magic_link' and consumed_at is null
    `;
    const user = await this.confirmEmail(consumed.user_id);
    return user ? this.createSession(user, "otp") : null;
  }

  async signInVerifiedEmail(input: { email: string; name?: string | null }): Promise<AuthSession> {
    const email = input.email.toLowerCase();
    await this.sql`
      insert into auth.users (email, raw_user_meta_data, raw_app_meta_data, email_confirmed_at)
      values (${email}, ${this.sql.json(input.name ? { name: input.name } : {})},
              ${this.sql.json({ provider: "email", providers: ["email"] })}, now())
      on conflict do nothing
    `;
    const [row] = await this.sql<{ id: string }[]>`select id from auth.users where lower(email) = ${email}`;
    const user = await this.confirmEmail(row!.id);
    return this.createSession(user!, "otp");
  }

  async refresh(refreshToken: string): Promise<AuthSession | null> {
    const next = newToken();
    const [rotated] = await this.sql<{ user_id: string; session_id: string; method: AuthMethod }[]>`
      select * from local_auth.rotate_refresh_token(
        ${sha256(refreshToken)}, ${sha256(next)}, ${REFRESH_TOKEN_LIFETIME}::interval, ${REFRESH_REUSE_GRACE}::interval)
    `;
    if (!rotated) return null;
    const [user] = await this.sql<UserRow[]>`
      select * from auth.users where id = ${rotated.user_id} and deleted_at is null
        and (banned_until is null or banned_until < now())
    `;
    if (!user) return null;
    return this.session(user, rotated.session_id, next, rotated.method);
  }

  async verifyAccessToken(token: string): Promise<JwtClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ["HS256"],
        audience: "authenticated",
        issuer: this.issuer,
      });
      if (typeof payload.sub !== "string" || payload.role !== "authenticated") return null;
      return payload as JwtClaims;
    } catch {
      return null;
    }
  }

  async signOut(claims: JwtClaims): Promise<void> {
    if (!claims.session_id) return;
    await this
      .sql`update local_auth.sessions set revoked_at = now() where id = ${claims.session_id} and revoked_at is null`;
  }

  async setPassword(input: { claims: JwtClaims; password: string }): Promise<void> {
    const encrypted = await argonHash(input.password, ARGON2);
    await this
      .sql`update auth.users set encrypted_password = ${encrypted}, updated_at = now() where id = ${input.claims.sub}`;
  }

  async deleteUser(userId: string): Promise<void> {
    await this.sql`delete from auth.users where id = ${userId}`;
  }

  /**
   * Marks the email as proven. If the account was never confirmed, whoever set its password did
   * not prove they own the address (account pre-hijacking), so that password and every session
   * are dropped; the person who did prove it can set a new password once signed in.
   */
  private async confirmEmail(userId: string): Promise<UserRow | undefined> {
    return this.sql.begin(async (tx) => {
      const [before] = await tx<UserRow[]>`select * from auth.users where id = ${userId} for update`;
      if (!before) return undefined;
      if (before.email_confirmed_at) return before;
      await tx`update local_auth.sessions set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
      const [after] = await tx<UserRow[]>`
        update auth.users set email_confirmed_at = now(), encrypted_password = null, updated_at = now()
        where id = ${userId} returning *
      `;
      return after;
    });
  }

  private async createSession(user: UserRow, method: AuthMethod): Promise<AuthSession> {
    const refreshToken = newToken();
    const sessionId = await this.sql.begin(async (tx) => {
      const [session] = await tx<{ id: string }[]>`
        insert into local_auth.sessions (user_id, method) values (${user.id}, ${method}) returning id
      `;
      await tx`
        insert into local_auth.refresh_tokens (session_id, token_hash, expires_at)
        values (${session!.id}, ${sha256(refreshToken)}, now() + ${REFRESH_TOKEN_LIFETIME}::interval)
      `;
      await tx`update auth.users set last_sign_in_at = now() where id = ${user.id}`;
      return session!.id;
    });
    return this.session(user, sessionId, refreshToken, method);
  }

  private async session(
    user: UserRow,
    sessionId: string,
    refreshToken: string,
    method: AuthMethod,
  ): Promise<AuthSession> {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({
      email: user.email,
      phone: "",
      role: "authenticated",
      aal: "aal1",
      amr: [{ method, timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(this.issuer)
      .setSubject(user.id)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
      .sign(this.secret);
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: "bearer",
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: now + ACCESS_TOKEN_SECONDS,
      user: { id: user.id, email: user.email },
    };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argonHash(randomBytes(16).toString("hex"), ARGON2);
    return this.dummyHash;
  }
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
