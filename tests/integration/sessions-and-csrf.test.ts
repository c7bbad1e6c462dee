import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { readSignedCookie, session, signCookie, visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, invitationToken, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

interface AuthCookie {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  portal: boolean;
}

const HOUR = 60 * 60 * 1000;

function claimsOf(accessToken: string): Record<string, unknown> & { session_id: string; exp: number } {
  return JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString());
}

async function authCookie(browser: BrowserSession): Promise<AuthCookie> {
  const value = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
  if (!value) throw new Error("no valid crm_auth cookie");
  return value;
}

async function revokedAt(sessionId: string): Promise<Date | null> {
  const [row] = await adminSql()<
    { revoked_at: Date | null }[]
  >`select revoked_at from local_auth.sessions where id = ${sessionId}`;
  return row!.revoked_at;
}

async function signedInOwner(prefix: string): Promise<{ owner: SignedUp; browser: BrowserSession }> {
  const owner = await signUp(request, prefix);
  const browser = session(app.url);
  const page = await browser.post("/login", { intent: "password", email: owner.email, password: PASSWORD, next: "" });
  if (page.status !== 302) throw new Error(`sign-in failed: ${page.status}`);
  return { owner, browser };
}

const REFUSED = "Cross-site request refused.";

describe("CSRF defence for cookie-authenticated writes", () => {
  it("refuses a POST from another origin and leaves the session alone", async () => {
    const { owner, browser } = await signedInOwner("csrf-origin");
    const sessionId = claimsOf((await authCookie(browser)).access_token).session_id;
    const page = await browser.post("/logout", {}, { origin: "https://evil.example" });
    expect(page.status).toBe(403);
    expect(page.html).toBe(REFUSED);
    expect(page.cookies).toEqual({});
    expect(await revokedAt(sessionId)).toBeNull();
    const home = await browser.get("/");
    expect(home.status).toBe(200);
    expect(visibleText(home.html)).toContain(owner.agency.name);
  });

  it("refuses a POST whose Referer is another site when there is no Origin", async () => {
    const { browser } = await signedInOwner("csrf-referer");
    const page = await browser.post("/logout", {}, { origin: null, headers: { Referer: "https://evil.example/page" } });
    expect(page.status).toBe(403);
    expect(page.html).toBe(REFUSED);
    const ok = await browser.post("/logout", {}, { origin: null, headers: { Referer: `${app.url()}/settings` } });
    expect(ok.status).toBe(302);
  });

  it("believes Sec-Fetch-Site: cross-site and same-site are refused, same-origin passes", async () => {
    const { browser } = await signedInOwner("csrf-fetch-site");
    const sessionId = claimsOf((await authCookie(browser)).access_token).session_id;
    for (const site of ["cross-site", "same-site"]) {
      // Sec-Fetch-Site wins over an Origin that claims to be this site.
      const page = await browser.post("/logout", {}, { headers: { "Sec-Fetch-Site": site } });
      expect(page.status, site).toBe(403);
      expect(page.html, site).toBe(REFUSED);
    }
    expect(await revokedAt(sessionId)).toBeNull();

    const out = await browser.post("/logout", {}, { headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    expect(await revokedAt(sessionId)).toBeInstanceOf(Date);
  });

  it("does not apply to bearer-token API requests, which carry no cookies", async () => {
    const owner = await signUp(request, "csrf-api");
    const response = await request("/api/members", {
      token: owner.access_token,
      agencyId: owner.agency.id,
      body: { email: uniqueEmail("csrf-invitee"), role: "member" },
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    });
    expect(response.status).toBe(201);
  });

  it("guards every cookie-carrying write, such as switching agency", async () => {
    const { owner, browser } = await signedInOwner("csrf-api-cookie");
    const page = await browser.post(
      "/switch-agency",
      { agency_id: owner.agency.id },
      { origin: "https://evil.example" },
    );
    expect(page.status).toBe(403);
    expect(page.html).toBe(REFUSED);
  });
});

describe("access-token refresh inside page loads", () => {
  /*
   * The crm_auth cookie is signed with SESSION_SECRET, which the server put into this process's
   * environment, so the test can rewrite it as a browser would present it an hour later: the
   * access token re-signed with JWT_SECRET and an `exp` in the past (everything else unchanged),
   * and expires_at in the past. Waiting an hour is not an option.
   */
  async function ageAccessToken(browser: BrowserSession): Promise<AuthCookie> {
    const current = await authCookie(browser);
    const { exp: _exp, iat: _iat, ...claims } = claimsOf(current.access_token);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(now - 2 * 3600)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(process.env.JWT_SECRET!));
    const aged = { ...current, access_token: expired, expires_at: now - 3600 };
    browser.setCookie("crm_auth", await signCookie("crm_auth", aged));
    return aged;
  }

  it("rotates an expired access token transparently on the next page load", async () => {
    const { owner, browser } = await signedInOwner("refresh-expired");
    const before = await ageAccessToken(browser);
    const page = await browser.get("/");
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain(`Here is what is happening at ${owner.agency.name}.`);
    expect(page.cookies.crm_auth).toBeDefined();
    const after = await authCookie(browser);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.expires_at).toBeGreaterThan(Date.now() / 1000 + 50 * 60);
    expect(claimsOf(after.access_token).session_id).toBe(claimsOf(before.access_token).session_id);

    // The new cookie is good as it is: the next load writes no tokens.
    const next = await browser.get("/settings/team");
    expect(next.status).toBe(200);
    expect(next.cookies.crm_auth).toBeUndefined();
  });

  it("refreshes ahead of time when the access token expires within five minutes", async () => {
    const { browser } = await signedInOwner("refresh-margin");
    const current = await authCookie(browser);
    const soon = { ...current, expires_at: Math.floor(Date.now() / 1000) + 60 };
    browser.setCookie("crm_auth", await signCookie("crm_auth", soon));
    const page = await browser.get("/");
    expect(page.status).toBe(200);
    expect((await authCookie(browser)).refresh_token).not.toBe(current.refresh_token);
  });

  it("signs out when the access token has expired and the session was revoked", async () => {
    const { browser } = await signedInOwner("refresh-revoked");
    const aged = await ageAccessToken(browser);
    await adminSql()`update local_auth.sessions set revoked_at = now() where id = ${claimsOf(aged.access_token).session_id}`;
    const page = await browser.get("/");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login?next=%2F");
    expect(page.cookies.crm_auth).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(browser.cookie("crm_auth")).toBeUndefined();
  });

  it("does not trust an access token it did not sign", async () => {
    const { browser } = await signedInOwner("refresh-forged");
    const current = await authCookie(browser);
    const [header, payload] = current.access_token.split(".");
    const forged = { ...current, access_token: `${header}.${payload}.${"A".repeat(43)}`, refresh_token: "made-up" };
    browser.setCookie("crm_auth", await signCookie("crm_auth", forged));
    const page = await browser.get("/");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login?next=%2F");
  });
});

describe("portal inactivity limit", () => {
  /** A portal-only contact with live access, signed in through an emailed link. */
  async function portalSession(): Promise<{ browser: BrowserSession; sessionId: string }> {
    const owner = await signUp(request, "idle-owner");
    const email = uniqueEmail("idle-contact");
    const [client] = await adminSql()<
      { id: string }[]
    >`insert into public.clients (agency_id, name) values (${owner.agency.id}, 'Idle Client') returning id`;
    const [contact] = await adminSql()<{ id: string }[]>`
      insert into public.client_contacts (agency_id, client_id, name, email) values (${owner.agency.id}, ${client!.id}, 'Ida Idle', ${email}) returning id
    `;
    await adminSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: owner.user.id, role: "authenticated" })}, true)`;
      await tx`select public.invite_portal_contact(${contact!.id})`;
    });
    const token = await invitationToken(email);
    const [user] = await adminSql()<
      { id: string }[]
    >`insert into auth.users (email, email_confirmed_at) values (${email}, now()) returning id`;
    await adminSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: user!.id, email, role: "authenticated" })}, true)`;
      await tx`select * from public.accept_invitation(${token})`;
    });
    const browser = session(app.url);
    expect((await browser.post("/portal/login", { email, next: "/portal" })).status).toBe(200);
    const [mail] = await adminSql()<{ path: string }[]>`
      select data ->> 'link_path' as path from private.email_outbox where to_email = ${email} and template = 'magic_link'
    `;
    const link = new URL(mail!.path, "http://x").searchParams;
    const signedIn = await browser.post("/auth/magic", { token: link.get("token")!, next: link.get("next")! });
    expect(signedIn.location).toBe("/portal");
    const auth = await authCookie(browser);
    expect(auth.portal).toBe(true);
    return { browser, sessionId: claimsOf(auth.access_token).session_id };
  }

  it("signs a portal session out after more than 24 hours without activity", async () => {
    const { browser, sessionId } = await portalSession();
    browser.setCookie("crm_activity", await signCookie("crm_activity", Date.now() - 25 * HOUR));
    const page = await browser.get("/portal");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/portal/login?next=%2Fportal");
    expect(page.cookies.crm_auth).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await revokedAt(sessionId)).toBeInstanceOf(Date);
    expect((await browser.get("/portal")).location).toBe("/portal/login?next=%2Fportal");
  });

  it("keeps a portal session that was active within 24 hours, and records the new activity", async () => {
    const { browser, sessionId } = await portalSession();
    browser.setCookie("crm_activity", await signCookie("crm_activity", Date.now() - 23 * HOUR));
    const page = await browser.get("/portal");
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain("You are signed in for Idle Client.");
    const activity = await readSignedCookie<number>("crm_activity", browser.cookie("crm_activity"));
    expect(Date.now() - activity!).toBeLessThan(60_000);
    expect(await revokedAt(sessionId)).toBeNull();
  });

  it("does not apply the limit to staff sessions", async () => {
    const { browser } = await signedInOwner("idle-staff");
    browser.setCookie("crm_activity", await signCookie("crm_activity", Date.now() - 30 * 24 * HOUR));
    expect((await browser.get("/")).status).toBe(200);
  });
});
