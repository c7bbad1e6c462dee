/**
 * CSRF defence for cookie-authenticated writes: a non-GET request that carries cookies must come
 * from this site. Modern browsers say so in Sec-Fetch-Site; older ones in Origin (or Referer).
 * Requests without cookies (the bearer-token API) cannot be forged this way and pass.
 */
export interface CsrfInput {
  method: string;
  host: string | undefined;
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
  siteUrl: string;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteRequest({ method, host, protocol, headers, siteUrl }: CsrfInput): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  if (!headers.cookie) return false;
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
