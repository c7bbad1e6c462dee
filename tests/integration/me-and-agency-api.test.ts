import { describe, expect, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { addMember, adminSql, http, signUp } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

async function profile(userId: string) {
  const [row] =
    await adminSql()`select name, timezone, email, avatar_url from public.profiles where user_id = ${userId}`;
  return row!;
}

async function agencyRow(agencyId: string) {
  const [row] = await adminSql()`select * from public.agencies where id = ${agencyId}`;
  return row!;
}

function patchMe(token: string, body: unknown) {
  return request("/api/me", { method: "PATCH", token, body });
}

function patchAgency(token: string, body: unknown) {
  return request("/api/agency", { method: "PATCH", token, body });
}

describe("GET /api/me", () => {
  it("answers with the user, their memberships and the active agency", async () => {
    const owner = await signUp(request, "me");
    const response = await request("/api/me", { token: owner.access_token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const membership = {
      agency_id: owner.agency.id,
      agency_name: owner.agency.name,
      agency_slug: owner.agency.slug,
      role: "owner",
    };
    expect(response.body).toEqual({
      user: { id: owner.user.id, email: owner.email, name: "me person", timezone: "UTC", avatar_url: null },
      memberships: [membership],
      active_agency: membership,
    });
  });

  it("shows a member their own role", async () => {
    const owner = await signUp(request, "me-role");
    const member = await addMember(request, owner, "manager");
    const response = await request("/api/me", { token: member.access_token });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: member.user_id, email: member.email });
    expect(response.body.memberships).toEqual([
      expect.objectContaining({ agency_id: owner.agency.id, role: "manager" }),
    ]);
  });
});

describe("PATCH /api/me", () => {
  it("changes name and time zone", async () => {
    const owner = await signUp(request, "me-patch");
    const response = await patchMe(owner.access_token, {
      name: "  Renée Renamed ",
      timezone: "America/Argentina/Buenos_Aires",
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: {
        id: owner.user.id,
        email: owner.email,
        name: "Renée Renamed",
        timezone: "America/Argentina/Buenos_Aires",
        avatar_url: null,
      },
    });
    expect(await profile(owner.user.id)).toMatchObject({
      name: "Renée Renamed",
      timezone: "America/Argentina/Buenos_Aires",
    });

    const onlyZone = await patchMe(owner.access_token, { timezone: "Asia/Kolkata" });
    expect(onlyZone.status).toBe(200);
    expect(await profile(owner.user.id)).toMatchObject({ name: "Renée Renamed", timezone: "Asia/Kolkata" });
    const again = await request("/api/me", { token: owner.access_token });
    expect(again.body.user).toMatchObject({ name: "Renée Renamed", timezone: "Asia/Kolkata" });
  });

  it("rejects a time zone that is not IANA's with errors.timezone, changing nothing", async () => {
    const owner = await signUp(request, "me-tz");
    const before = await profile(owner.user.id);
    const response = await patchMe(owner.access_token, { name: "Should Not Stick", timezone: "Mars/Base" });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(response.body.errors).toHaveProperty("timezone");
    expect(Object.keys(response.body.errors)).toEqual(["timezone"]);
    expect(await profile(owner.user.id)).toEqual(before);
  });

  it("rejects an empty body, unknown fields and an over-long name, changing nothing", async () => {
    const owner = await signUp(request, "me-bad");
    const before = await profile(owner.user.id);
    const empty = await patchMe(owner.access_token, {});
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe("validation_failed");

    const unknown = await patchMe(owner.access_token, { name: "Fine", email: "someone-else@it.test" });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body.errors)).toContain("email");

    const avatar = await patchMe(owner.access_token, { avatar_url: "https://example.com/a.png" });
    expect(avatar.status).toBe(422);

    const long = await patchMe(owner.access_token, { name: "x".repeat(121) });
    expect(long.status).toBe(422);
    expect(long.body.errors).toHaveProperty("name");

    const blank = await patchMe(owner.access_token, { name: "   " });
    expect(blank.status).toBe(422);
    expect(blank.body.errors).toHaveProperty("name");

    const wrongType = await patchMe(owner.access_token, { timezone: 5 });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors).toHaveProperty("timezone");

    expect(await profile(owner.user.id)).toEqual(before);
  });

  it("accepts exactly 120 characters", async () => {
    const owner = await signUp(request, "me-120");
    const response = await patchMe(owner.access_token, { name: "y".repeat(120) });
    expect(response.status).toBe(200);
    expect((await profile(owner.user.id)).name).toBe("y".repeat(120));
  });
});

describe("GET /api/agency", () => {
  it("answers with the active agency's settings", async () => {
    const owner = await signUp(request, "agency");
    const response = await request("/api/agency", { token: owner.access_token });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: owner.agency.id,
      name: owner.agency.name,
      slug: owner.agency.slug,
      logo_url: null,
      brand_color: "#4f46e5",
      currency: "USD",
      timezone: "UTC",
      default_tax_rate_bp: 0,
      default_hourly_rate_cents: 0,
      invoice_prefix: "INV-",
      payment_terms_days: 30,
      invoice_requires_approved_time: false,
      subscription_plan: "free",
    });
    expect(response.body.data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it("is readable by a plain member", async () => {
    const owner = await signUp(request, "agency-member");
    const member = await addMember(request, owner, "member");
    const response = await request("/api/agency", { token: member.access_token });
    expect(response.status).toBe(200);
    expect(response.body.data.id).toBe(owner.agency.id);
  });
});

describe("PATCH /api/agency", () => {
  const settings = {
    name: "Renamed Studio",
    logo_url: "https://cdn.example.com/logo.png",
    brand_color: "#FF8800",
    currency: "eur",
    timezone: "Europe/Berlin",
    default_tax_rate_bp: 1900,
    default_hourly_rate_cents: 12_500,
    invoice_prefix: "RS/2026-",
    payment_terms_days: 14,
    invoice_requires_approved_time: true,
  };
  const stored = { ...settings, brand_color: "#ff8800", currency: "EUR" };

  it("lets an owner change the settings and answers with the updated agency", async () => {
    const owner = await signUp(request, "agency-patch");
    const response = await patchAgency(owner.access_token, settings);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id: owner.agency.id, slug: owner.agency.slug, ...stored });
    expect(await agencyRow(owner.agency.id)).toMatchObject(stored);
    const read = await request("/api/agency", { token: owner.access_token });
    expect(read.body.data).toMatchObject(stored);
  });

  it("lets a manager change the settings", async () => {
    const owner = await signUp(request, "agency-mgr");
    const manager = await addMember(request, owner, "manager");
    const response = await patchAgency(manager.access_token, { payment_terms_days: 7, logo_url: null });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ payment_terms_days: 7, logo_url: null });
    expect(await agencyRow(owner.agency.id)).toMatchObject({ payment_terms_days: 7 });
  });

  it("refuses a member with 403 manager_required, changing nothing", async () => {
    const owner = await signUp(request, "agency-member-patch");
    const member = await addMember(request, owner, "member");
    const before = await agencyRow(owner.agency.id);
    const response = await patchAgency(member.access_token, { name: "Mine now" });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("manager_required");
    expect(await agencyRow(owner.agency.id)).toEqual(before);
  });

  it.each([
    ["brand_color", { brand_color: "blue" }],
    ["brand_color", { brand_color: "#12345" }],
    ["currency", { currency: "XXX" }],
    ["currency", { currency: "EURO" }],
    ["timezone", { timezone: "Mars/Base" }],
    ["default_tax_rate_bp", { default_tax_rate_bp: 10_001 }],
    ["default_tax_rate_bp", { default_tax_rate_bp: 19.5 }],
    ["default_hourly_rate_cents", { default_hourly_rate_cents: -1 }],
    ["invoice_prefix", { invoice_prefix: "INV #" }],
    ["payment_terms_days", { payment_terms_days: 366 }],
    ["invoice_requires_approved_time", { invoice_requires_approved_time: "yes" }],
    ["logo_url", { logo_url: "not a url" }],
    ["name", { name: "" }],
  ])("names %s in a 422 for %j, changing nothing", async (field, body) => {
    const owner = await signUp(request, "agency-bad");
    const before = await agencyRow(owner.agency.id);
    const response = await patchAgency(owner.access_token, { name: "Would Change", ...body });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(response.body.errors)).toEqual([field]);
    expect(await agencyRow(owner.agency.id)).toEqual(before);
  });

  it.each([
    ["slug", { slug: "hijacked" }],
    ["subscription_plan", { subscription_plan: "agency" }],
    ["id", { id: "00000000-0000-4000-8000-000000000000" }],
  ])("refuses %s as an unknown field (422), changing nothing", async (field, body) => {
    const owner = await signUp(request, "agency-unknown");
    const before = await agencyRow(owner.agency.id);
    const response = await patchAgency(owner.access_token, { name: "Would Change", ...body });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("validation_failed");
    expect(JSON.stringify(response.body.errors)).toContain(field);
    expect(await agencyRow(owner.agency.id)).toEqual(before);
  });

  it("refuses an empty body", async () => {
    const owner = await signUp(request, "agency-empty");
    const response = await patchAgency(owner.access_token, {});
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("validation_failed");
  });
});
