import { describe, expect, it } from "vitest";
import { inputValue, readSignedCookie, session, visibleText } from "../setup/browser-like.ts";
import { adminSql, http, PASSWORD, signUp, uniqueEmail } from "../setup/http.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
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

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString()).session_id;
}

describe("sign-up page", () => {
  it("creates the account, signs in with a locked-down cookie and sends the person to onboarding", async () => {
    const browser = session(app.url);
    const email = uniqueEmail("form-signup");
    const page = await browser.post("/signup", { name: "Sam Signup", email, password: PASSWORD });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/onboarding");
    const auth = page.cookies.crm_auth;
    expect(auth).toBeDefined();
    expect(auth).toMatch(/;\s*HttpOnly/i);
    expect(auth).toMatch(/;\s*SameSite=Lax/i);
    expect(auth).toMatch(/;\s*Path=\/(;|$)/i);
    const stored = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
    expect(stored).toMatchObject({
      portal: false,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const [user] = await adminSql()`select id from auth.users where email = ${email}`;
    expect(user).toBeDefined();

    const onboarding = await browser.get("/onboarding");
    expect(onboarding.status).toBe(200);
    expect(visibleText(onboarding.html)).toContain("Set up your agency");
  });

  it("re-renders bad input with the typed email and the field message, never the password, and creates nothing", async () => {
    const browser = session(app.url);
    const email = uniqueEmail("form-bad");
    const secret = "short7!";
    const page = await browser.post("/signup", { name: "Bad Input", email, password: secret });
    expect(page.status).toBe(422);
    expect(inputValue(page.html, "email")).toBe(email);
    expect(visibleText(page.html)).toContain("Use at least 8 characters.");
    expect(page.html).not.toContain(secret);
    expect(page.cookies.crm_auth).toBeUndefined();
    expect(await adminSql()`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  it("keeps the form when the email is taken, without the password", async () => {
    const owner = await signUp(request, "form-taken");
    const browser = session(app.url);
    const secret = "another long secret";
    const page = await browser.post("/signup", { name: "Second Try", email: owner.email, password: secret });
    expect(page.status).toBe(409);
    expect(inputValue(page.html, "email")).toBe(owner.email);
    expect(visibleText(page.html)).toContain("An account with this email already exists.");
    expect(page.html).not.toContain(secret);
    expect(page.cookies.crm_auth).toBeUndefined();
  });
});

describe("onboarding page", () => {
  it("creates the agency and lands on its dashboard", async () => {
    const browser = session(app.url);
    const email = uniqueEmail("onboard");
    expect((await browser.post("/signup", { name: "Olga Onboard", email, password: PASSWORD })).status).toBe(302);
    const agencyName = `Onboarded Studio ${email.slice(8, 16)}`;
    const created = await browser.post("/onboarding", { name: agencyName, currency: "EUR", timezone: "Europe/Berlin" });
    expect(created.status).toBe(302);
    expect(created.location).toBe("/");
    expect(created.cookies.crm_agency).toBeDefined();

    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    const text = visibleText(dashboard.html);
    expect(text).toContain("Hello, Olga");
    expect(text).toContain(`Here is what is happening at ${agencyName}.`);

    const [agency] = await adminSql()`
      select a.currency, a.timezone, m.role from public.agencies a
      join public.agency_members m on m.agency_id = a.id
      join auth.users u on u.id = m.user_id
      where u.email = ${email}
    `;
    expect(agency).toEqual({ currency: "EUR", timezone: "Europe/Berlin", role: "owner" });
  });
});

describe("login page", () => {
  it("answers a wrong password with 401, the generic message and no session cookie", async () => {
    const owner = await signUp(request, "login-wrong");
    const browser = session(app.url);
    const page = await browser.post("/login", {
      intent: "password",
      email: owner.email,
      password: "not the password",
      next: "",
    });
    expect(page.status).toBe(401);
    expect(visibleText(page.html)).toContain("Email or password is incorrect.");
    expect(page.cookies.crm_auth).toBeUndefined();
    expect(page.html).not.toContain("not the password");
    expect(inputValue(page.html, "email")).toBe(owner.email);
  });

  it("gives an unknown email the same answer", async () => {
    const browser = session(app.url);
    const page = await browser.post("/login", {
      intent: "password",
      email: uniqueEmail("nobody"),
      password: "not the password",
      next: "",
    });
    expect(page.status).toBe(401);
    expect(visibleText(page.html)).toContain("Email or password is incorrect.");
    expect(page.cookies.crm_auth).toBeUndefined();
  });

  it("signs in with the right password and redirects", async () => {
    const owner = await signUp(request, "login-ok");
    const browser = session(app.url);
    const page = await browser.post("/login", { intent: "password", email: owner.email, password: PASSWORD, next: "" });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/");
    expect(page.cookies.crm_auth).toMatch(/HttpOnly/i);
    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    expect(visibleText(dashboard.html)).toContain(`Here is what is happening at ${owner.agency.name}.`);
    // Signed in, the login page sends you home.
    const login = await browser.get("/login");
    expect(login.status).toBe(302);
    expect(login.location).toBe("/");
  });

  it("honours `next` only for local paths", async () => {
    const owner = await signUp(request, "login-next");
    const local = await session(app.url).post("/login", {
      intent: "password",
      email: owner.email,
      password: PASSWORD,
      next: "/settings/team",
    });
    expect(local.status).toBe(302);
    expect(local.location).toBe("/settings/team");
    for (const next of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
      const page = await session(app.url).post("/login", {
        intent: "password",
        email: owner.email,
        password: PASSWORD,
        next,
      });
      expect(page.status, next).toBe(302);
      expect(page.location, next).toBe("/");
    }
  });
});

describe("signed-out visitors", () => {
  it("are sent from / to the login page with the way back", async () => {
    const page = await session(app.url).get("/");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login?next=%2F");
    const deep = await session(app.url).get("/settings/team");
    expect(deep.status).toBe(302);
    expect(deep.location).toBe("/login?next=%2Fsettings%2Fteam");
  });
});

describe("logout", () => {
  it("revokes the session server-side and clears the cookies", async () => {
    const owner = await signUp(request, "form-logout");
    const browser = session(app.url);
    expect(
      (await browser.post("/login", { intent: "password", email: owner.email, password: PASSWORD, next: "" })).status,
    ).toBe(302);
    expect((await browser.get("/")).status).toBe(200);
    const stored = await readSignedCookie<AuthCookie>("crm_auth", browser.cookie("crm_auth"));
    expect(stored).not.toBeNull();
    const sessionId = sessionIdOf(stored!.access_token);

    const out = await browser.post("/logout");
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    for (const name of ["crm_auth", "crm_agency", "crm_activity"]) {
      expect(out.cookies[name], name).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
      expect(browser.cookie(name), name).toBeUndefined();
    }
    const [row] = await adminSql()`select revoked_at from local_auth.sessions where id = ${sessionId}`;
    expect(row?.revoked_at).toBeInstanceOf(Date);
    const refresh = await request("/api/auth/refresh", { body: { refresh_token: stored!.refresh_token } });
    expect(refresh.status).toBe(401);

    const after = await browser.get("/");
    expect(after.status).toBe(302);
    expect(after.location).toBe("/login?next=%2F");
  });
});
