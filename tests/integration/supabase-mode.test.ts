import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { readSignedCookie, session, visibleText, type BrowserSession } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { useFakeGoTrue } from "../setup/fake-gotrue.ts";
import { adminSql, http, invitationToken, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

/*
 * The app in Supabase mode: SUPABASE_URL points at an in-process GoTrue stand-in
 * (tests/setup/fake-gotrue.ts), so every sign-in goes through @supabase/supabase-js over HTTP while
 * users land in this database's auth.users. The stand-in runs with a refresh-token reuse interval
 * of 0 (the project's config.toml says 10 s) so that reuse of a spent token is visible without
 * waiting.
 */
trustForwardedFor();
process.env.SUPABASE_OAUTH_PROVIDERS = "google";
const gotrue = useFakeGoTrue({ refreshTokenReuseIntervalSeconds: 0 });
const app = useTestServer();
const request = asDistinctClients(http(app.url));

interface AuthCookie {
  access_token: string;
  refresh_token: string;
  portal: boolean;
}

const SPENT = "This sign-in link has expired or was already used.";

async function authCookie(browser: BrowserSession): Promise<AuthCookie> {
  const auth = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
  if (!auth) throw new Error("no crm_auth cookie in the jar");
  return auth;
}

function sessionIdOf(accessToken: string): string {
  return decodeJwt(accessToken).session_id as string;
}

/** The GoTrue requests made since `before` (an index into the request log). */
function requestsSince(before: number) {
  return gotrue().requests.slice(before);
}

describe("sign-up through GoTrue", () => {
  it("creates the user in auth.users through GoTrue and the agency in the database", async () => {
    const email = uniqueEmail("sb-signup");
    const response = await request("/api/auth/signup", {
      body: { agency_name: "Supa Studio", name: "Sam Supa", email, password: PASSWORD, timezone: "Europe/Berlin" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      token_type: "bearer",
      expires_in: 3600,
      user: { email },
      agency: { name: "Supa Studio", slug: expect.stringMatching(/^supa-studio/) },
    });
    expect(response.body.refresh_token).toEqual(expect.any(String));

    // The app asked GoTrue, with the project's anon key, and passed the name as user metadata.
    const [call] = gotrue()
      .requestsTo("POST", "/signup")
      .filter((r) => r.body.email === email);
    expect(call).toMatchObject({
      apikey: gotrue().anonKey,
      status: 200,
      body: { email, password: PASSWORD, data: { name: "Sam Supa" } },
      query: { redirect_to: `${app.url()}/auth/magic` },
    });

    // The tokens are GoTrue's: HS256 with Supabase's claims, for the user GoTrue created.
    const token = response.body.access_token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "HS256" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: `${gotrue().url}/auth/v1`,
      sub: response.body.user.id,
      email,
      role: "authenticated",
      aud: "authenticated",
      session_id: expect.any(String),
      app_metadata: { provider: "email" },
      user_metadata: { name: "Sam Supa" },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(gotrue().sessionActive(claims.session_id as string)).toBe(true);

    const [user] = await adminSql()<{ encrypted_password: string; email_confirmed_at: Date | null }[]>`
      select encrypted_password, email_confirmed_at from auth.users where id = ${response.body.user.id}
    `;
    expect(user!.encrypted_password).toMatch(/^\$argon2id\$/);
    expect(user!.email_confirmed_at).toBeInstanceOf(Date);
    // The profile trigger ran on GoTrue's insert; the agency and its owner came from the app.
    const [owner] = await adminSql()`
      select p.name, p.email, m.role, a.timezone
      from public.profiles p
      join public.agency_members m on m.user_id = p.user_id
      join public.agencies a on a.id = m.agency_id
      where p.user_id = ${response.body.user.id}
    `;
    expect(owner).toEqual({ name: "Sam Supa", email, role: "owner", timezone: "Europe/Berlin" });
  });

  it("answers an email GoTrue already has with 409 email_taken", async () => {
    const first = await signUp(request, "sb-dup");
    const again = await request("/api/auth/signup", {
      body: { agency_name: "Second", name: "Dup", email: first.email, password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "email_taken", errors: { email: [expect.any(String)] } });
    const [refused] = gotrue()
      .requestsTo("POST", "/signup")
      .filter((r) => r.body.email === first.email)
      .slice(1);
    expect(refused?.status).toBe(422);
    expect(await adminSql()`select 1 from auth.users where email = ${first.email}`).toHaveLength(1);
  });

  it("deletes the GoTrue user again (admin API) when the agency cannot be created", async () => {
    const email = uniqueEmail("sb-rollback");
    const before = gotrue().requests.length;
    const response = await request("/api/auth/signup", {
      body: { agency_name: "Nowhere", name: "No Where", email, password: PASSWORD, timezone: "Mars/Olympus_Mons" },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toHaveProperty("timezone");
    const signup = requestsSince(before).find((r) => r.path === "/signup" && r.body.email === email);
    expect(signup?.status).toBe(200);
    const deletion = requestsSince(before).find((r) => r.method === "DELETE" && r.path.startsWith("/admin/users/"));
    expect(deletion).toMatchObject({ status: 200, authorization: `Bearer ${gotrue().serviceRoleKey}` });
    expect(await adminSql()`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });
});

describe("password sign-in and refresh through GoTrue", () => {
  it("signs in with the right password and refuses a wrong one like an unknown email", async () => {
    const owner = await signUp(request, "sb-token");
    const right = await request("/api/auth/token", { body: { email: owner.email, password: PASSWORD } });
    expect(right.status).toBe(200);
    expect(right.body.user.id).toBe(owner.user.id);
    // A new GoTrue session, not the sign-up's.
    expect(sessionIdOf(right.body.access_token)).not.toBe(sessionIdOf(owner.access_token));
    expect(
      gotrue()
        .requestsTo("POST", "/token")
        .some((r) => r.query.grant_type === "password"),
    ).toBe(true);

    const wrong = await request("/api/auth/token", { body: { email: owner.email, password: "not the password" } });
    const unknown = await request("/api/auth/token", {
      body: { email: uniqueEmail("sb-nobody"), password: "not the password" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_credentials");
    expect(wrong.body).toEqual(unknown.body);
  });

  it("rotates refresh tokens; a spent one is refused and ends the session", async () => {
    const owner = await signUp(request, "sb-refresh");
    const first = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(owner.refresh_token);
    expect(sessionIdOf(first.body.access_token)).toBe(sessionIdOf(owner.access_token));
    const second = await request("/api/auth/refresh", { body: { refresh_token: first.body.refresh_token } });
    expect(second.status).toBe(200);

    const replay = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("invalid_refresh_token");
    // GoTrue took the replay for theft and revoked the session: the newest token is dead too.
    const after = await request("/api/auth/refresh", { body: { refresh_token: second.body.refresh_token } });
    expect(after.status).toBe(401);
    expect(await request("/api/auth/refresh", { body: { refresh_token: "made-up" } })).toMatchObject({
      status: 401,
    });
  });
});

describe("bearer tokens issued by GoTrue", () => {
  it("reach RLS: GET /api/me lists the memberships of the token's user", async () => {
    const owner = await signUp(request, "sb-me", "Claims");
    const before = gotrue().requests.length;
    const me = await request("/api/me", { token: owner.access_token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: owner.user.id, email: owner.email });
    expect(me.body.memberships).toEqual([
      { agency_id: owner.agency.id, agency_name: owner.agency.name, agency_slug: owner.agency.slug, role: "owner" },
    ]);
    // getClaims checks an HS256 token by asking GoTrue for its user.
    const check = requestsSince(before).find((r) => r.method === "GET" && r.path === "/user");
    expect(check).toMatchObject({ authorization: `Bearer ${owner.access_token}`, status: 200 });
  });

  it("rejects a token signed with another secret, and accepts the same claims signed by the project", async () => {
    const owner = await signUp(request, "sb-forged");
    const claims = decodeJwt(owner.access_token);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode("some-other-projects-secret-0123456789"));
    const refused = await request("/api/me", { token: forged });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("invalid_token");
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");

    const genuine = await gotrue().sign(claims);
    expect((await request("/api/me", { token: genuine })).status).toBe(200);
  });

  it("rejects an expired token and a malformed one with 401", async () => {
    const owner = await signUp(request, "sb-expired");
    const claims = decodeJwt(owner.access_token);
    const expired = await gotrue().sign({ ...claims, iat: claims.iat! - 7200, exp: claims.iat! - 3600 });
    const late = await request("/api/me", { token: expired });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe("invalid_token");
    for (const token of ["abc.def.ghi", "not-a-jwt"]) {
      const response = await request("/api/me", { token });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("invalid_token");
    }
  });

  it("POST /api/auth/logout ends the GoTrue session: the token and its refresh token stop working", async () => {
    const owner = await signUp(request, "sb-api-logout");
    const out = await request("/api/auth/logout", { method: "POST", token: owner.access_token });
    expect(out.status).toBe(204);
    const [logout] = gotrue()
      .requestsTo("POST", "/logout")
      .filter((r) => r.authorization === `Bearer ${owner.access_token}`);
    expect(logout).toMatchObject({ query: { scope: "local" }, status: 204 });
    expect(gotrue().sessionActive(sessionIdOf(owner.access_token))).toBe(false);
    expect((await request("/api/me", { token: owner.access_token })).status).toBe(401);
    expect((await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } })).status).toBe(401);
  });
});

describe("magic links through GoTrue", () => {
  async function askForLink(email: string) {
    return session(app.url).post("/login", { intent: "magic", email, next: "" });
  }

  it("asks GoTrue's /otp and answers with the same page whether or not the account exists", async () => {
    const owner = await signUp(request, "sb-magic-known");
    const unknownEmail = uniqueEmail("sb-magic-unknown");
    const before = gotrue().requests.length;
    const known = await askForLink(owner.email);
    const unknown = await askForLink(unknownEmail);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(visibleText(known.html)).toContain(`If an account exists for ${owner.email}, a sign-in link is on its way.`);
    expect(unknown.html.replaceAll(unknownEmail, "EMAIL")).toBe(known.html.replaceAll(owner.email, "EMAIL"));
    expect(known.cookies.crm_auth).toBeUndefined();

    const otpCalls = requestsSince(before).filter((r) => r.path === "/otp");
    expect(otpCalls.map((r) => r.body.email)).toEqual([owner.email, unknownEmail]);
    for (const call of otpCalls) {
      expect(call).toMatchObject({
        method: "POST",
        apikey: gotrue().anonKey,
        body: { create_user: false },
        query: { redirect_to: `${app.url()}/auth/magic?next=%2F` },
      });
    }
    // GoTrue refused to create the unknown account and sent nothing there; the owner got a link.
    expect(otpCalls[1]!.status).toBe(422);
    expect(gotrue().lastEmailTo(unknownEmail)).toBeUndefined();
    expect(gotrue().lastEmailTo(owner.email)).toMatchObject({
      template: "magic_link",
      token_hash: expect.stringMatching(/^[0-9a-f]{56}$/),
      link: expect.stringContaining(`${app.url()}/auth/magic?token_hash=`),
    });
    expect(await adminSql()`select 1 from auth.users where email = ${unknownEmail}`).toHaveLength(0);
  });

  it("signs in on POST /auth/magic with the emailed token_hash, once", async () => {
    const owner = await signUp(request, "sb-magic-use", "Magic");
    await askForLink(owner.email);
    const mail = gotrue().lastEmailTo(owner.email)!;
    const link = new URL(mail.link);
    expect(link.searchParams.get("type")).toBe("magiclink");

    // Opening the link shows a button and spends nothing.
    const browser = session(app.url);
    const landing = await browser.get(link.pathname + link.search);
    expect(landing.status).toBe(200);
    expect(landing.html).toContain(`name="token_hash" value="${mail.token_hash}"`);
    expect(landing.cookies.crm_auth).toBeUndefined();

    const before = gotrue().requests.length;
    const signedIn = await browser.post("/auth/magic", { token_hash: mail.token_hash, type: "magiclink" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/");
    expect(signedIn.cookies.crm_auth).toMatch(/HttpOnly/i);
    expect(requestsSince(before).find((r) => r.path === "/verify")).toMatchObject({
      body: { token_hash: mail.token_hash },
      status: 200,
    });
    expect((await authCookie(browser)).access_token).toBeTruthy();
    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    expect(visibleText(dashboard.html)).toContain(`Here is what is happening at ${owner.agency.name}.`);

    const again = await session(app.url).post("/auth/magic", { token_hash: mail.token_hash, type: "magiclink" });
    expect(again.status).toBe(200);
    expect(visibleText(again.html)).toContain(SPENT);
    expect(again.cookies.crm_auth).toBeUndefined();
  });
});

describe("invitations in Supabase mode", () => {
  async function invite(owner: SignedUp, email: string, name?: string) {
    const invited = await request("/api/members", {
      token: owner.access_token,
      agencyId: owner.agency.id,
      body: { email, role: "member", ...(name ? { name } : {}) },
    });
    expect(invited.status).toBe(201);
    return invitationToken(email);
  }

  async function accept(token: string) {
    const browser = session(app.url);
    const preview = await browser.get(`/invite/${token}`);
    expect(preview.status).toBe(200);
    const accepted = await browser.post(`/invite/${token}`);
    return { browser, accepted };
  }

  it("signs a new person in through admin.generateLink + verifyOtp and makes them a member", async () => {
    const owner = await signUp(request, "sb-inv-owner", "Invites");
    const email = uniqueEmail("sb-inv-new");
    const token = await invite(owner, email, "Ivy Invitee");
    expect(await adminSql()`select 1 from auth.users where email = ${email}`).toHaveLength(0);

    const before = gotrue().requests.length;
    const { browser, accepted } = await accept(token);
    expect(visibleText(accepted.html)).not.toContain("Sign-in is unavailable");
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/");
    expect(accepted.cookies.crm_auth).toMatch(/HttpOnly/i);

    const calls = requestsSince(before);
    expect(calls.find((r) => r.path === "/admin/generate_link")).toMatchObject({
      authorization: `Bearer ${gotrue().serviceRoleKey}`,
      body: { type: "magiclink", email, data: { name: "Ivy Invitee" } },
      status: 200,
    });
    expect(calls.find((r) => r.path === "/verify")).toMatchObject({ status: 200 });
    const claims = decodeJwt((await authCookie(browser)).access_token);
    expect(claims.email).toBe(email);

    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    const home = visibleText(dashboard.html);
    expect(home).toContain(`Here is what is happening at ${owner.agency.name}.`);
    expect(home).toMatch(/Your role member/);

    const [account] = await adminSql()`
      select u.id, u.email_confirmed_at, p.name, m.role, m.agency_id
      from auth.users u
      join public.profiles p on p.user_id = u.id
      join public.agency_members m on m.user_id = u.id
      where u.email = ${email}
    `;
    expect(account).toMatchObject({ id: claims.sub, name: "Ivy Invitee", role: "member", agency_id: owner.agency.id });
    expect(account!.email_confirmed_at).toBeInstanceOf(Date);
  });

  it("signs an existing account in the same way and adds the membership", async () => {
    const owner = await signUp(request, "sb-inv-owner2", "Invites");
    const existing = await signUp(request, "sb-inv-existing", "Own");
    const token = await invite(owner, existing.email);
    const { browser, accepted } = await accept(token);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/");
    expect(decodeJwt((await authCookie(browser)).access_token).sub).toBe(existing.user.id);
    const roles = await adminSql()`
      select agency_id, role from public.agency_members where user_id = ${existing.user.id} order by role::text
    `;
    expect(roles).toEqual([
      { agency_id: owner.agency.id, role: "member" },
      { agency_id: existing.agency.id, role: "owner" },
    ]);
  });
});

describe("social sign-in (PKCE through @supabase/ssr)", () => {
  it("sends the browser to GoTrue's authorize URL and signs in with the returned code, once", async () => {
    const browser = session(app.url);
    const login = await browser.get("/login");
    expect(visibleText(login.html)).toContain("Continue with Google");

    const start = await browser.post("/login", { intent: "oauth", provider: "google" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${gotrue().url}/auth/v1/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      provider: "google",
      redirect_to: `${app.url()}/auth/callback`,
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: "s256",
    });
    // The PKCE verifier waits in a cookie of its own for the way back.
    const verifierCookie = Object.keys(start.cookies).find((name) => name.endsWith("-auth-token-code-verifier"));
    expect(verifierCookie).toBeDefined();

    const email = uniqueEmail("sb-oauth");
    const callback = new URL(await gotrue().authorizeAs(start.location!, { email, name: "Olga Oauth" }));
    const before = gotrue().requests.length;
    const back = await browser.get(callback.pathname + callback.search);
    expect(back.status).toBe(302);
    expect(back.location).toBe("/");
    expect(back.cookies.crm_auth).toMatch(/HttpOnly/i);
    const exchange = requestsSince(before).find((r) => r.path === "/token" && r.query.grant_type === "pkce");
    expect(exchange).toMatchObject({ status: 200, body: { auth_code: callback.searchParams.get("code") } });
    expect(decodeJwt((await authCookie(browser)).access_token).email).toBe(email);
    // The tokens live in the app's own HttpOnly cookie only; the verifier cookie is cleared.
    const sessionCookies = back.headers.getSetCookie().filter((c) => /^sb-[^=]*-auth-token(\.\d+)?=/.test(c));
    expect(sessionCookies).toEqual([]);
    expect(browser.cookie(verifierCookie!)).toBeUndefined();
    // A new account without an agency goes on to onboarding.
    expect((await browser.get("/")).location).toBe("/onboarding");

    // The code was spent.
    const replay = await session(app.url).get(callback.pathname + callback.search);
    expect(replay.status).toBe(302);
    expect(replay.location).toBe("/login");
    expect(replay.cookies.crm_auth).toBeUndefined();
  });
});

describe("signing out of the staff app", () => {
  it("POST /logout calls GoTrue's logout with the session's token and clears the cookie", async () => {
    const owner = await signUp(request, "sb-page-logout");
    const browser = session(app.url);
    const signedIn = await browser.post("/login", {
      intent: "password",
      email: owner.email,
      password: PASSWORD,
      next: "",
    });
    expect(signedIn.status).toBe(302);
    const { access_token, refresh_token } = await authCookie(browser);

    const out = await browser.post("/logout");
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    expect(browser.cookie("crm_auth")).toBeUndefined();
    const [logout] = gotrue()
      .requestsTo("POST", "/logout")
      .filter((r) => r.authorization === `Bearer ${access_token}`);
    expect(logout).toMatchObject({ query: { scope: "local" }, status: 204 });
    expect(gotrue().sessionActive(sessionIdOf(access_token))).toBe(false);
    expect((await request("/api/auth/refresh", { body: { refresh_token } })).status).toBe(401);
    // The owner's other session (from sign-up) is untouched: scope local.
    expect(gotrue().sessionActive(sessionIdOf(owner.access_token))).toBe(true);
  });
});

describe("the GoTrue stand-in", () => {
  it("refuses calls without the project's apikey, and admin calls without the service role", async () => {
    const base = `${gotrue().url}/auth/v1`;
    const noKey = await fetch(`${base}/user`);
    expect(noKey.status).toBe(401);
    const asAnon = await fetch(`${base}/admin/generate_link`, {
      method: "POST",
      headers: {
        apikey: gotrue().anonKey,
        Authorization: `Bearer ${gotrue().anonKey}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ type: "magiclink", email: uniqueEmail("sb-not-admin") }),
    });
    expect(asAnon.status).toBe(403);
    expect(await asAnon.json()).toMatchObject({ code: "not_admin" });
  });
});
