import { createCookie, type Cookie } from "@remix-run/node";
import { env, requireSetting } from "../env.server.ts";

/**
 * The app's cookies, each signed with SESSION_SECRET, HttpOnly, SameSite=Lax, Secure in production.
 * Tokens sit in a cookie of their own that only sign-in, refresh and sign-out write: a request
 * that merely shows a toast must never write back an older refresh token over a newer one (the
 * older one has been used, and reusing it later would end the session as stolen).
 */
export interface AuthCookie {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  /** Signed in through the client portal: 24 h of inactivity ends the session. */
  portal: boolean;
}

export interface Toast {
  /** Tells two identical messages in a row apart, so the second one shows too. */
  id: string;
  kind: "success" | "error" | "info";
  message: string;
}

let cookies: { auth: Cookie; agency: Cookie; activity: Cookie; toast: Cookie } | undefined;

function make(name: string, maxAge: number | undefined): Cookie {
  return createCookie(name, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production" && env().siteUrl.startsWith("https://"),
    path: "/",
    maxAge,
    secrets: [requireSetting("SESSION_SECRET")],
  });
}

export function appCookies() {
  cookies ??= {
    auth: make("crm_auth", 60 * 60 * 24 * 30),
    agency: make("crm_agency", 60 * 60 * 24 * 365),
    activity: make("crm_activity", 60 * 60 * 24 * 30),
    toast: make("crm_toast", undefined),
  };
  return cookies;
}

export async function readCookie<T>(cookie: Cookie, header: string | null | undefined): Promise<T | undefined> {
  const value = (await cookie.parse(header ?? null)) as T | null;
  return value ?? undefined;
}

export function clearCookie(cookie: Cookie): Promise<string> {
  return cookie.serialize("", { maxAge: 0, expires: new Date(0) });
}
