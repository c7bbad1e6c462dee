/**
 * CSRF defence for the pages: a non-GET request must come from this site when a browser says
 * where it comes from (Sec-Fetch-Site in modern browsers, else Origin or Referer). This covers
 * requests without cookies too — a forged sign-in form would log the victim into the attacker's
 * account. The JSON API under /api is exempt: it takes bearer tokens, not cookies, and only
 * accepts application/json, which a cross-site form cannot send.
 */
export interface CsrfInput {
  method: string;
  path: string;
  host: string | undefined;
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
  siteUrl: string;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteRequest({ method, path, host, protocol, headers, siteUrl }: CsrfInput): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  if (path === "/api" || path.startsWith("/api/")) return false;
  const fetchSite = header(headers["sec-fetch-site"]);
  if (fetchSite) return fetchSite !== "same-origin" && fetchSite !== "none";
  const source = header(headers.origin) ?? originOf(header(headers.referer));
  if (!source) return false;
  const allowed = new Set([new URL(siteUrl).origin, host ? `${protocol}://${host}` : ""]);
  return !allowed.has(source);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return "invalid";
  }
}
