import { describe, expect, it } from "vitest";
import { session, type BrowserSession } from "../setup/browser-like.ts";
import { adminSql, http, signUp, uniqueEmail, PASSWORD } from "../setup/http.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { useTestServer } from "../setup/test-server.ts";

/** Profile and agency forms that carry images (multipart), as a browser sends them. */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

// A 1×1 transparent PNG.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

async function signedIn(email: string): Promise<BrowserSession> {
  const browser = session(app.url);
  const page = await browser.post("/login", { intent: "password", email, password: PASSWORD, next: "/" });
  expect(page.status).toBe(302);
  return browser;
}

async function postMultipart(browser: BrowserSession, path: string, form: FormData) {
  const cookie = ["crm_auth", "crm_agency", "crm_activity"]
    .map((name) => [name, browser.cookie(name)])
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
  const response = await fetch(app.url() + path, {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, Origin: app.url() },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

function profileForm(fields: Record<string, string>, file?: Blob, fileName = "me.png") {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (file) form.set("avatar", file, fileName);
  return form;
}

describe("Settings → Your profile", () => {
  it("saves name, time zone and a photo that is then served", async () => {
    const owner = await signUp(request, "avatar");
    const browser = await signedIn(owner.email);
    const saved = await postMultipart(
      browser,
      "/settings/profile",
      profileForm(
        { intent: "profile", name: "Ava Tar", timezone: "Asia/Tokyo" },
        new Blob([png], { type: "image/png" }),
      ),
    );
    expect(saved.status).toBe(302);
    const [profile] =
      await adminSql()`select name, timezone, avatar_url from public.profiles where user_id = ${owner.user.id}`;
    expect(profile).toMatchObject({ name: "Ava Tar", timezone: "Asia/Tokyo" });
    expect(profile!.avatar_url).toMatch(
      new RegExp(`^${app.url()}/storage/avatars/${owner.user.id}/[0-9a-f]{32}\\.png$`),
    );
    const image = await fetch(profile!.avatar_url);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
  });

  it("refuses an SVG or an oversized image with a message on the field, changing nothing", async () => {
    const owner = await signUp(request, "badimg");
    const browser = await signedIn(owner.email);
    const svg = await postMultipart(
      browser,
      "/settings/profile",
      profileForm(
        { intent: "profile", name: "Changed", timezone: "UTC" },
        new Blob(["<svg/>"], { type: "image/svg+xml" }),
        "x.svg",
      ),
    );
    expect(svg.status).toBe(422);
    expect(svg.html).toContain("Use a PNG, JPEG, WebP or GIF image.");
    const big = await postMultipart(
      browser,
      "/settings/profile",
      profileForm(
        { intent: "profile", name: "Changed", timezone: "UTC" },
        new Blob([Buffer.alloc(1024 * 1024 + 1)], { type: "image/png" }),
      ),
    );
    expect(big.status).toBe(422);
    expect(big.html).toContain("Use an image of at most 1 MB.");
    const [profile] = await adminSql()`select name, avatar_url from public.profiles where user_id = ${owner.user.id}`;
    expect(profile).toEqual({ name: "badimg person", avatar_url: null });
  });

  it("rejects a time zone the database does not know, keeping the typed name", async () => {
    const owner = await signUp(request, "tz");
    const browser = await signedIn(owner.email);
    const page = await postMultipart(
      browser,
      "/settings/profile",
      profileForm({ intent: "profile", name: "Tia Zone", timezone: "Mars/Olympus" }),
    );
    expect(page.status).toBe(422);
    expect(page.html).toContain("Tia Zone");
    const [profile] = await adminSql()`select timezone from public.profiles where user_id = ${owner.user.id}`;
    expect(profile!.timezone).toBe("UTC");
  });
});

describe("Settings → Agency logo", () => {
  it("stores the owner's logo and refuses a member's settings change", async () => {
    const owner = await signUp(request, "logo");
    const browser = await signedIn(owner.email);
    const form = new FormData();
    for (const [key, value] of Object.entries({
      name: "Logo Lab",
      brand_color: "#123456",
      currency: "EUR",
      timezone: "Europe/Dublin",
      default_tax_rate: "23",
      default_hourly_rate: "95.50",
      invoice_prefix: "LL-",
      payment_terms_days: "14",
      invoice_requires_approved_time: "on",
    })) {
      form.set(key, value);
    }
    form.set("logo", new Blob([png], { type: "image/png" }), "logo.png");
    const saved = await postMultipart(browser, "/settings/agency", form);
    expect(saved.status).toBe(302);
    const [agency] = await adminSql()`
      select name, brand_color, currency, default_tax_rate_bp, default_hourly_rate_cents, invoice_prefix, payment_terms_days, logo_url,
             invoice_requires_approved_time
      from public.agencies where id = ${owner.agency.id}`;
    expect(agency).toMatchObject({
      name: "Logo Lab",
      brand_color: "#123456",
      currency: "EUR",
      default_tax_rate_bp: 2300,
      default_hourly_rate_cents: 9550,
      invoice_prefix: "LL-",
      payment_terms_days: 14,
      invoice_requires_approved_time: true,
    });
    expect(agency!.logo_url).toContain(`/storage/agency-logos/${owner.agency.id}/`);

    const memberEmail = uniqueEmail("logo-member");
    await request("/api/members", {
      token: owner.access_token,
      agencyId: owner.agency.id,
      body: { email: memberEmail, role: "member" },
    });
    const invitee = session(app.url);
    const [row] =
      await adminSql()`select data ->> 'accept_path' as path from private.email_outbox where to_email = ${memberEmail}`;
    expect((await invitee.post(row!.path, {})).status).toBe(302);
    const memberForm = new FormData();
    for (const [key, value] of form.entries()) if (typeof value === "string") memberForm.set(key, value);
    memberForm.set("name", "Taken Over");
    const refused = await postMultipart(invitee, "/settings/agency", memberForm);
    expect(refused.status).toBe(403);
    const [after] = await adminSql()`select name from public.agencies where id = ${owner.agency.id}`;
    expect(after!.name).toBe("Logo Lab");
  });
});
