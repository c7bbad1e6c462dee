import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { session, visibleText } from "../setup/browser-like.ts";
import { adminSql, http, PASSWORD, signUp, uniqueEmail } from "../setup/http.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { useTestServer } from "../setup/test-server.ts";

trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

const SENT = "a sign-in link is on its way";
const SPENT = "expired or was already used";

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Asks for a link through the login page's second form, as a person would. */
async function requestLink(email: string) {
  return session(app.url).post("/login", { intent: "magic", email, next: "" });
}

async function magicEmails(email: string) {
  return adminSql()<{ template: string; data: { link_path?: string }; agency_id: string | null }[]>`
    select template, data, agency_id from private.email_outbox where to_email = ${email.toLowerCase()}
  `;
}

/** The token from the newest magic-link email to `email`. */
async function linkFor(email: string): Promise<{ path: string; token: string; next: string }> {
  const rows = await magicEmails(email);
  const path = rows.filter((r) => r.template === "magic_link").at(-1)?.data.link_path;
  if (!path) throw new Error(`no magic link to ${email}`);
  const url = new URL(path, "http://x");
  return { path, token: url.searchParams.get("token")!, next: url.searchParams.get("next") ?? "" };
}

async function tokenRow(token: string) {
  const [row] = await adminSql()<{ consumed_at: Date | null; expires_at: Date }[]>`
    select consumed_at, expires_at from local_auth.one_time_tokens where token_hash = ${sha256(token)}
  `;
  return row;
}

describe("requesting a magic link", () => {
  it("queues exactly one email with the link for an existing account", async () => {
    const owner = await signUp(request, "magic-known");
    const page = await requestLink(owner.email);
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain(`If an account exists for ${owner.email}, ${SENT}.`);
    expect(page.cookies.crm_auth).toBeUndefined();

    const rows = await magicEmails(owner.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      template: "magic_link",
      agency_id: null,
      data: { link_path: expect.stringMatching(/^\/auth\/magic\?token=[\w-]{43}&next=%2F$/) },
    });
    const { token } = await linkFor(owner.email);
    const row = await tokenRow(token);
    expect(row).toBeDefined();
    expect(row!.consumed_at).toBeNull();
    // Short-lived: about 15 minutes.
    const minutes = (row!.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(13);
    expect(minutes).toBeLessThanOrEqual(15.5);
  });

  it("answers an unknown email with the same page and sends nothing", async () => {
    const owner = await signUp(request, "magic-same");
    const known = await requestLink(owner.email);
    const email = uniqueEmail("magic-unknown");
    const unknown = await requestLink(email);
    expect(unknown.status).toBe(known.status);
    expect(visibleText(unknown.html)).toContain(`If an account exists for ${email}, ${SENT}.`);
    // Byte for byte the same page, apart from the address typed in.
    expect(unknown.html.replaceAll(email, "EMAIL")).toBe(known.html.replaceAll(owner.email, "EMAIL"));
    expect(await magicEmails(email)).toHaveLength(0);
  });
});

describe("the magic-link landing page", () => {
  it("shows a Continue button on GET without spending the token", async () => {
    const owner = await signUp(request, "magic-get");
    await requestLink(owner.email);
    const { path, token } = await linkFor(owner.email);
    for (let visit = 0; visit < 2; visit += 1) {
      const page = await session(app.url).get(path);
      expect(page.status).toBe(200);
      expect(visibleText(page.html)).toContain("Continue");
      expect(page.html).toContain(`name="token" value="${token}"`);
      expect(page.cookies.crm_auth).toBeUndefined();
    }
    expect((await tokenRow(token))!.consumed_at).toBeNull();
  });

  it("signs in on POST, spends the token, and refuses it the second time", async () => {
    const owner = await signUp(request, "magic-post");
    await requestLink(owner.email);
    const { token, next } = await linkFor(owner.email);
    const browser = session(app.url);
    const page = await browser.post("/auth/magic", { token, next });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/");
    expect(page.cookies.crm_auth).toMatch(/HttpOnly/i);
    expect((await tokenRow(token))!.consumed_at).toBeInstanceOf(Date);
    const dashboard = await browser.get("/");
    expect(dashboard.status).toBe(200);
    expect(visibleText(dashboard.html)).toContain(`Here is what is happening at ${owner.agency.name}.`);

    const again = await session(app.url).post("/auth/magic", { token, next });
    expect(again.status).toBe(200);
    expect(visibleText(again.html)).toContain(SPENT);
    expect(again.cookies.crm_auth).toBeUndefined();
    // The page no longer offers the button.
    expect(again.html).not.toContain('name="token"');
  });

  it("spends every other pending link of the person with the one used", async () => {
    const owner = await signUp(request, "magic-siblings");
    await requestLink(owner.email);
    const first = await linkFor(owner.email);
    await requestLink(owner.email);
    const second = await linkFor(owner.email);
    expect(second.token).not.toBe(first.token);
    expect((await session(app.url).post("/auth/magic", { token: second.token, next: second.next })).status).toBe(302);
    const older = await session(app.url).post("/auth/magic", { token: first.token, next: first.next });
    expect(visibleText(older.html)).toContain(SPENT);
    expect(older.cookies.crm_auth).toBeUndefined();
  });

  it("refuses an expired link", async () => {
    const owner = await signUp(request, "magic-expired");
    await requestLink(owner.email);
    const { token, next } = await linkFor(owner.email);
    await adminSql()`update local_auth.one_time_tokens set expires_at = now() - interval '1 second' where token_hash = ${sha256(token)}`;
    const page = await session(app.url).post("/auth/magic", { token, next });
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain(SPENT);
    expect(page.cookies.crm_auth).toBeUndefined();
    expect((await tokenRow(token))!.consumed_at).toBeNull();
  });

  it("refuses a made-up token", async () => {
    const page = await session(app.url).post("/auth/magic", { token: "made-up-token", next: "/" });
    expect(visibleText(page.html)).toContain(SPENT);
    expect(page.cookies.crm_auth).toBeUndefined();
  });
});

describe("account pre-hijacking defence", () => {
  it("drops the password and sessions of a never-confirmed account when its owner proves the email", async () => {
    // The API sign-up does not confirm the email: whoever chose that password never proved the address.
    const squatter = await signUp(request, "magic-hijack");
    const [before] =
      await adminSql()`select email_confirmed_at, encrypted_password from auth.users where id = ${squatter.user.id}`;
    expect(before!.email_confirmed_at).toBeNull();
    expect(before!.encrypted_password).not.toBeNull();

    await requestLink(squatter.email);
    const { token, next } = await linkFor(squatter.email);
    const victim = session(app.url);
    expect((await victim.post("/auth/magic", { token, next })).status).toBe(302);
    expect((await victim.get("/")).status).toBe(200);

    const [after] =
      await adminSql()`select email_confirmed_at, encrypted_password from auth.users where id = ${squatter.user.id}`;
    expect(after!.email_confirmed_at).toBeInstanceOf(Date);
    expect(after!.encrypted_password).toBeNull();

    const passwordLogin = await session(app.url).post("/login", {
      intent: "password",
      email: squatter.email,
      password: PASSWORD,
      next: "",
    });
    expect(passwordLogin.status).toBe(401);
    expect(visibleText(passwordLogin.html)).toContain("Email or password is incorrect.");
    // The squatter's earlier session is gone too.
    const refresh = await request("/api/auth/refresh", { body: { refresh_token: squatter.refresh_token } });
    expect(refresh.status).toBe(401);
  });

  it("keeps the password of an account whose email was already confirmed", async () => {
    const owner = await signUp(request, "magic-confirmed");
    await adminSql()`update auth.users set email_confirmed_at = now() where id = ${owner.user.id}`;
    await requestLink(owner.email);
    const { token, next } = await linkFor(owner.email);
    expect((await session(app.url).post("/auth/magic", { token, next })).status).toBe(302);
    const passwordLogin = await session(app.url).post("/login", {
      intent: "password",
      email: owner.email,
      password: PASSWORD,
      next: "",
    });
    expect(passwordLogin.status).toBe(302);
    const refresh = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(refresh.status).toBe(200);
  });
});
