import { createCookie } from "@remix-run/node";

/**
 * A browser without JavaScript, in a few lines: form POSTs (application/x-www-form-urlencoded),
 * a cookie jar fed by Set-Cookie, and redirects left for the test to inspect and follow.
 * Writes send Origin = the site by default, as browsers do for same-origin form posts.
 */
export interface Page {
  status: number;
  /** The Location header of a redirect, else null. */
  location: string | null;
  html: string;
  headers: Headers;
  /** This response's Set-Cookie headers by cookie name (the last one wins), full header text. */
  cookies: Record<string, string>;
}

export interface SendOptions {
  /** Origin header; `null` sends none. Defaults to the site's own origin. */
  origin?: string | null;
  headers?: Record<string, string>;
}

export interface BrowserSession {
  get(path: string, options?: SendOptions): Promise<Page>;
  post(path: string, fields?: Record<string, string>, options?: SendOptions): Promise<Page>;
  /** Raw (still URL-encoded) value of a cookie in the jar. */
  cookie(name: string): string | undefined;
  /** Puts a raw cookie value into the jar (e.g. one minted with signCookie). */
  setCookie(name: string, rawValue: string): void;
  deleteCookie(name: string): void;
}

export function session(baseUrl: () => string): BrowserSession {
  const jar = new Map<string, string>();

  async function send(
    method: string,
    path: string,
    body: URLSearchParams | undefined,
    options: SendOptions = {},
  ): Promise<Page> {
    const headers: Record<string, string> = {};
    if (method !== "GET") {
      const origin = options.origin === undefined ? new URL(baseUrl()).origin : options.origin;
      if (origin !== null) headers.Origin = origin;
    }
    if (body) headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (jar.size > 0) headers.Cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    Object.assign(headers, options.headers);
    const response = await fetch(baseUrl() + path, { method, headers, body, redirect: "manual" });
    const cookies: Record<string, string> = {};
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      cookies[name] = header;
      if (isRemoval(header) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get("location"),
      html: await response.text(),
      headers: response.headers,
      cookies,
    };
  }

  return {
    get: (path, options) => send("GET", path, undefined, options),
    post: (path, fields = {}, options) => send("POST", path, new URLSearchParams(fields), options),
    cookie: (name) => jar.get(name),
    setCookie: (name, rawValue) => void jar.set(name, rawValue),
    deleteCookie: (name) => void jar.delete(name),
  };
}

function isRemoval(header: string): boolean {
  const maxAge = /;\s*max-age=(-?\d+)/i.exec(header);
  if (maxAge) return Number(maxAge[1]) <= 0;
  const expires = /;\s*expires=([^;]+)/i.exec(header);
  return expires ? new Date(expires[1]!).getTime() <= Date.now() : false;
}

function appCookie(name: string) {
  const secret = process.env.SESSION_SECRET;
  if (!secret) throw new Error("SESSION_SECRET is not set: start the test server first");
  return createCookie(name, { secrets: [secret], path: "/", sameSite: "lax", httpOnly: true });
}

/** Verifies and decodes one of the app's signed cookies (raw value as sent by the server). */
export async function readSignedCookie<T>(name: string, rawValue: string | undefined): Promise<T | null> {
  if (rawValue === undefined) return null;
  return (await appCookie(name).parse(`${name}=${rawValue}`)) as T | null;
}

/** A cookie value the app accepts as its own, signed with the server's SESSION_SECRET. */
export async function signCookie(name: string, value: unknown): Promise<string> {
  const header = await appCookie(name).serialize(value);
  const pair = header.split(";")[0]!;
  return pair.slice(pair.indexOf("=") + 1);
}

/** The text a person would see: scripts, styles and tags removed, entities decoded. */
export function visibleText(html: string): string {
  return (
    html
      .replace(/<script[\s\S]*?<\/script>/gi, " ")
      .replace(/<style[\s\S]*?<\/style>/gi, " ")
      .replace(/<!--[\s\S]*?-->/g, "")
      // Inline elements do not break the text: "for <strong>x</strong>, a link" reads "for x, a link".
      .replace(/<\/?(?:strong|em|b|i|a|span|code|small)\b[^>]*>/gi, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&nbsp;/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** The value attribute of the first <input name=…> in the page, or undefined. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
  const value = tag && /\bvalue="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? undefined : value.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
}
