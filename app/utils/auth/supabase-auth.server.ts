import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { Session, SupabaseClient } from "@supabase/supabase-js";
import { noRealtime, serverSupabase } from "../supabase.server.ts";
import type { JwtClaims } from "../db.server.ts";
import { AppError } from "../errors.server.ts";
import type { AuthProvider, AuthSession } from "./types.ts";

/**
 * Supabase mode: the same operations through Supabase Auth. The app keeps the resulting tokens in
 * its own session cookie (as in local mode), so everything after sign-in is one code path;
 * @supabase/ssr is used where Supabase needs its own cookies — the PKCE verifier of an OAuth
 * round trip. Magic links use the token-hash flow: configure the Magic Link email template to
 * link to {{ .SiteURL }}/auth/magic?token_hash={{ .TokenHash }}&type=magiclink (see README).
 */
export interface SupabaseAuthOptions {
  url: string;
  anonKey: string;
  serviceRoleKey: string | undefined;
  siteUrl: string;
}

export class SupabaseAuth implements AuthProvider {
  readonly kind = "supabase" as const;
  constructor(private readonly options: SupabaseAuthOptions) {}

  async signUp(input: { email: string; password: string; name: string }): Promise<AuthSession> {
    const { data, error } = await this.client().auth.signUp({
      email: input.email,
      password: input.password,
      options: { data: { name: input.name }, emailRedirectTo: `${this.options.siteUrl}/auth/magic` },
    });
    // With email confirmation on, Supabase answers an existing email with a user without identities.
    if (error?.code === "user_already_exists" || (data.user && data.user.identities?.length === 0)) {
      throw new AppError(409, "email_taken", "An account with this email already exists. Sign in instead.", {
        email: ["An account with this email already exists."],
      });
    }
    if (error) throw new AppError(422, error.code ?? "signup_failed", error.message);
    if (!data.session) {
      throw new AppError(202, "confirmation_required", "Check your email to confirm the account, then sign in.");
    }
    return toSession(data.session);
  }

  async signInWithPassword(input: { email: string; password: string }): Promise<AuthSession | null> {
    const { data, error } = await this.client().auth.signInWithPassword(input);
    return error || !data.session ? null : toSession(data.session);
  }

  async sendMagicLink(input: { email: string; next: string }): Promise<void> {
    // Errors are not surfaced: the answer must not reveal whether the account exists.
    await this.client().auth.signInWithOtp({
      email: input.email,
      options: {
        shouldCreateUser: false,
        emailRedirectTo: `${this.options.siteUrl}/auth/magic?${new URLSearchParams({ next: input.next })}`,
      },
    });
  }

  async verifyMagicLink(params: URLSearchParams): Promise<AuthSession | null> {
    const tokenHash = params.get("token_hash");
    if (!tokenHash) return null;
    // Type "email", not "magiclink": GoTrue looks a "magiclink" hash up among recovery tokens only,
    // but the hash of a link for an account that is not confirmed yet (generateLink for a new
    // email, or /otp to an unconfirmed account) is a signup confirmation; "email" finds either.
    const { data, error } = await this.client().auth.verifyOtp({ token_hash: tokenHash, type: "email" });
    return error || !data.session ? null : toSession(data.session);
  }

  async signInVerifiedEmail(input: { email: string; name?: string | null }): Promise<AuthSession> {
    // generateLink creates the account when there is none; verifying its hash signs the person in.
    const { data, error } = await this.admin().auth.admin.generateLink({
      type: "magiclink",
      email: input.email,
      options: { data: input.name ? { name: input.name } : undefined },
    });
    if (error || !data.properties) throw new AppError(502, "auth_unavailable", "Sign-in is unavailable, try again.");
    const session = await this.verifyMagicLink(new URLSearchParams({ token_hash: data.properties.hashed_token }));
    if (!session) throw new AppError(502, "auth_unavailable", "Sign-in is unavailable, try again.");
    return session;
  }

  async refresh(refreshToken: string): Promise<AuthSession | null> {
    const { data, error } = await this.client().auth.refreshSession({ refresh_token: refreshToken });
    return error || !data.session ? null : toSession(data.session);
  }

  async verifyAccessToken(token: string): Promise<JwtClaims | null> {
    // getClaims decodes before it verifies, and throws a plain Error (not an AuthError it would
    // return) for a token that is not JSON inside: that is an invalid token too, not a crash.
    const result = await this.client()
      .auth.getClaims(token)
      .catch(() => null);
    if (!result) return null;
    const { data, error } = result;
    if (error || !data?.claims || data.claims.role !== "authenticated") return null;
    return data.claims as unknown as JwtClaims;
  }

  async signOut(claims: JwtClaims, accessToken?: string): Promise<void> {
    if (!accessToken) return;
    await this.client().auth.admin.signOut(accessToken, "local");
    void claims;
  }

  async setPassword(input: { claims: JwtClaims; password: string }): Promise<void> {
    const { error } = await this.admin().auth.admin.updateUserById(input.claims.sub, { password: input.password });
    if (error) throw new AppError(422, error.code ?? "password_rejected", error.message, { password: [error.message] });
  }

  async deleteUser(userId: string): Promise<void> {
    await this.admin().auth.admin.deleteUser(userId);
  }

  /** OAuth providers enabled for the login page (SUPABASE_OAUTH_PROVIDERS=google,github). */
  async startOAuth(provider: "google" | "github", request: Request, headers: Headers): Promise<string> {
    const { data, error } = await this.ssrClient(request, headers).auth.signInWithOAuth({
      provider,
      options: { redirectTo: `${this.options.siteUrl}/auth/callback` },
    });
    if (error || !data.url) throw new AppError(502, "auth_unavailable", "Sign-in is unavailable, try again.");
    return data.url;
  }

  async finishOAuth(code: string, request: Request, headers: Headers): Promise<AuthSession | null> {
    const { data, error } = await this.ssrClient(request, headers).auth.exchangeCodeForSession(code);
    return error || !data.session ? null : toSession(data.session);
  }

  private client(): SupabaseClient {
    return serverSupabase(this.options.url, this.options.anonKey);
  }

  private admin(): SupabaseClient {
    if (!this.options.serviceRoleKey) {
      throw new AppError(
        500,
        "misconfigured",
        "SUPABASE_SERVICE_ROLE_KEY is required for invitations in Supabase mode.",
      );
    }
    return serverSupabase(this.options.url, this.options.serviceRoleKey);
  }

  /** A client whose auth storage is the request's cookies, for the PKCE verifier. */
  private ssrClient(request: Request, headers: Headers): SupabaseClient {
    return createServerClient(this.options.url, this.options.anonKey, {
      realtime: noRealtime,
      cookies: {
        getAll: () =>
          parseCookieHeader(request.headers.get("Cookie") ?? "").map(({ name, value }) => ({
            name,
            value: value ?? "",
          })),
        setAll: (cookies) => {
          // Only the PKCE verifier. After the code exchange @supabase/ssr also writes the whole
          // session (refresh token included) into sb-<ref>-auth-token, a cookie scripts can read
          // and sign-out never clears; the app keeps the session in its own HttpOnly cookie.
          for (const { name, value, options } of cookies) {
            if (!name.endsWith("-code-verifier")) continue;
            headers.append("Set-Cookie", serializeCookieHeader(name, value, options));
          }
        },
      },
    });
  }
}

function toSession(session: Session): AuthSession {
  return {
    access_token: session.access_token,
    refresh_token: session.refresh_token,
    token_type: "bearer",
    expires_in: session.expires_in,
    expires_at: session.expires_at ?? Math.floor(Date.now() / 1000) + session.expires_in,
    user: { id: session.user.id, email: session.user.email ?? "" },
  };
}
