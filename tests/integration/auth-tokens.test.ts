import { describe, expect, it } from "vitest";
import { adminSql, http, PASSWORD, signUp, uniqueEmail } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

const app = useTestServer();
const request = http(app.url);

describe("POST /api/auth/signup", () => {
  it("creates the account and its agency and answers with Supabase-shaped tokens", async () => {
    const email = uniqueEmail("signup");
    const response = await request("/api/auth/signup", {
      body: {
        agency_name: "Pixel & Co",
        name: "Pia Pixel",
        email,
        password: PASSWORD,
        timezone: "Europe/Paris",
        currency: "EUR",
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      token_type: "bearer",
      expires_in: 3600,
      user: { email },
      agency: { name: "Pixel & Co", slug: expect.stringMatching(/^pixel-co/) },
    });
    const [header, payload] = response.body.access_token.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "HS256" });
    expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toMatchObject({
      sub: response.body.user.id,
      email,
      role: "authenticated",
      aud: "authenticated",
      session_id: expect.any(String),
      app_metadata: { provider: "email" },
      user_metadata: { name: "Pia Pixel" },
    });
    const [agency] =
      await adminSql()`select currency, timezone from public.agencies where id = ${response.body.agency.id}`;
    expect(agency).toEqual({ currency: "EUR", timezone: "Europe/Paris" });
  });

  it("rejects an email that already has an account", async () => {
    const first = await signUp(request, "dup");
    const again = await request("/api/auth/signup", {
      body: { agency_name: "Second", name: "Dup", email: first.email, password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body).toMatchObject({ status: 409, code: "email_taken", errors: { email: [expect.any(String)] } });
  });

  it("names every bad field and writes nothing", async () => {
    const email = uniqueEmail("bad");
    const response = await request("/api/auth/signup", {
      body: { agency_name: "x".repeat(121), name: 42, email: `${email}@`, password: "short", favourite_colour: "teal" },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("validation_failed");
    expect(Object.keys(response.body.errors).sort()).toEqual(["_", "agency_name", "email", "name", "password"].sort());
    const rows = await adminSql()`select 1 from auth.users where email like ${email + "%"}`;
    expect(rows).toHaveLength(0);
  });

  it("rolls the account back when the agency cannot be created", async () => {
    const email = uniqueEmail("tz");
    const response = await request("/api/auth/signup", {
      body: { agency_name: "Nowhere", name: "No Where", email, password: PASSWORD, timezone: "Mars/Olympus_Mons" },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toHaveProperty("timezone");
    expect(await adminSql()`select 1 from auth.users where email = ${email}`).toHaveLength(0);
  });

  it("answers malformed JSON with 400 and the wrong media type with 415", async () => {
    const broken = await request("/api/auth/signup", {
      rawBody: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe("invalid_json");
    const form = await request("/api/auth/signup", {
      rawBody: "email=a",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe("unsupported_media_type");
  });
});

describe("POST /api/auth/token", () => {
  it("signs in with the right password", async () => {
    const owner = await signUp(request, "token");
    const response = await request("/api/auth/token", {
      body: { email: owner.email.toUpperCase(), password: PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(owner.user.id);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const owner = await signUp(request, "wrong");
    const wrongPassword = await request("/api/auth/token", {
      body: { email: owner.email, password: "not the password" },
    });
    const unknown = await request("/api/auth/token", {
      body: { email: uniqueEmail("nobody"), password: "not the password" },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknown.body);
    expect(wrongPassword.body.code).toBe("invalid_credentials");
  });
});

describe("POST /api/auth/refresh", () => {
  it("rotates: a refresh token works once, the new one works next", async () => {
    const owner = await signUp(request, "refresh");
    const first = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(owner.refresh_token);
    const second = await request("/api/auth/refresh", { body: { refresh_token: first.body.refresh_token } });
    expect(second.status).toBe(200);
  });

  it("treats reuse of a spent token after the grace period as theft and ends the session", async () => {
    const owner = await signUp(request, "reuse");
    const next = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    await adminSql()`update local_auth.refresh_tokens set used_at = now() - interval '1 minute' where used_at is not null
      and session_id = (select session_id from local_auth.refresh_tokens t join local_auth.sessions s on s.id = t.session_id
                        join auth.users u on u.id = s.user_id where u.email = ${owner.email} limit 1)`;
    const replay = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("invalid_refresh_token");
    const legitimate = await request("/api/auth/refresh", { body: { refresh_token: next.body.refresh_token } });
    expect(legitimate.status).toBe(401);
  });

  it("rejects an unknown token", async () => {
    const response = await request("/api/auth/refresh", { body: { refresh_token: "made-up" } });
    expect(response.status).toBe(401);
  });
});

describe("POST /api/auth/logout", () => {
  it("revokes the session's refresh token", async () => {
    const owner = await signUp(request, "logout");
    const out = await request("/api/auth/logout", { method: "POST", token: owner.access_token });
    expect(out.status).toBe(204);
    const refresh = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(refresh.status).toBe(401);
  });
});

describe("bearer authentication", () => {
  it("requires a token and rejects a forged one", async () => {
    const missing = await request("/api/me");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    const owner = await signUp(request, "forged");
    const [header, payload] = owner.access_token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    const response = await request("/api/me", { token: forged });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe("invalid_token");
  });
});
