import type { JwtClaims } from "../db.server.ts";

/** What both auth back ends (local issuer, Supabase Auth) hand back after a sign-in or refresh. */
export interface AuthSession {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
  /** Unix seconds. */
  expires_at: number;
  user: { id: string; email: string };
}

export interface Viewer {
  userId: string;
  email: string;
  claims: JwtClaims;
  accessToken: string;
}

/**
 * The sign-in operations the app needs. LocalAuth implements them against auth.users in local
 * mode; SupabaseAuth calls Supabase Auth. Routes only ever talk to this interface.
 */
export interface AuthProvider {
  readonly kind: "local" | "supabase";
  /** Creates a password account. Throws AppError(409, "email_taken") when the email is in use. */
  signUp(input: { email: string; password: string; name: string }): Promise<AuthSession>;
  /** Null for an unknown email or a wrong password alike. */
  signInWithPassword(input: { email: string; password: string }): Promise<AuthSession | null>;
  /** Emails a sign-in link if the account exists; says nothing either way. */
  sendMagicLink(input: { email: string; next: string }): Promise<void>;
  /** Consumes a magic-link token; null when unknown, used or expired. */
  verifyMagicLink(params: URLSearchParams): Promise<AuthSession | null>;
  /**
   * Signs in the owner of an email that was proven some other way (an invitation token sent to it),
   * creating a passwordless account when there is none.
   */
  signInVerifiedEmail(input: { email: string; name?: string | null }): Promise<AuthSession>;
  refresh(refreshToken: string): Promise<AuthSession | null>;
  /** Verifies signature, audience and expiry; null for anything else. */
  verifyAccessToken(token: string): Promise<JwtClaims | null>;
  /** Ends the session the claims belong to; its refresh tokens stop working. */
  signOut(claims: JwtClaims, accessToken?: string): Promise<void>;
  setPassword(input: { claims: JwtClaims; password: string }): Promise<void>;
  /** Removes an account that was just created when the rest of its sign-up failed. */
  deleteUser(userId: string): Promise<void>;
  /** Social sign-in (Supabase mode only): the provider's authorize URL; cookies go on `headers`. */
  startOAuth?(provider: "google" | "github", request: Request, headers: Headers): Promise<string>;
  finishOAuth?(code: string, request: Request, headers: Headers): Promise<AuthSession | null>;
}
