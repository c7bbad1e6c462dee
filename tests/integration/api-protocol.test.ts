import { describe, expect, it } from "vitest";
import { asDistinctClients, randomClientIp, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http, PASSWORD, signUp, uniqueEmail, type ApiResponse } from "../setup/http.ts";
import { useTestServer } from "../setup/test-server.ts";

// The app reads its environment once per process, when the server first needs it: set the limit
// before the server starts. Every authenticated request in this file counts against its user's
// 5 per minute, so each test uses fresh accounts and stays within that unless it means not to.
process.env.API_RATE_LIMIT_PER_MINUTE = "5";
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

function expectProblem(response: ApiResponse, status: number, code?: string) {
  const label = `${status} ${code ?? ""}: ${JSON.stringify(response.body)}`;
  expect(response.status, label).toBe(status);
  expect(response.headers.get("content-type"), label).toMatch(/^application\/problem\+json/);
  expect(response.body, label).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code: code ?? expect.stringMatching(/^[a-z_]+$/),
    }),
  );
  expect(response.body.title.length).toBeGreaterThan(0);
  expect(response.body.detail.length).toBeGreaterThan(0);
}

describe("unknown paths and methods", () => {
  it("answers an unknown /api path with 404 problem+json, signed in or not, for any method", async () => {
    const owner = await signUp(request, "unknown-path");
    for (const [method, path, token] of [
      ["GET", "/api/nothing-here", undefined],
      ["GET", "/api/nothing/here/either", owner.access_token],
      ["POST", "/api/members/extra/segments", owner.access_token],
      ["DELETE", "/api/no-such-resource", owner.access_token],
    ] as const) {
      const response = await request(path, { method, token });
      expectProblem(response, 404, "not_found");
    }
  });

  it("answers a method a route does not have with 405 and an Allow header", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/api/me", "GET, PATCH"],
      ["PUT", "/api/me", "GET, PATCH"],
      ["PUT", "/api/members", "GET, POST"],
      ["DELETE", "/api/members", "GET, POST"],
      ["POST", "/api/agency", "GET, PATCH"],
      ["DELETE", "/api/members/00000000-0000-4000-8000-000000000000", "PATCH"],
    ] as const) {
      const response = await request(path, { method });
      expectProblem(response, 405, "method_not_allowed");
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
    }
  });

  it("answers a method a route has no handler for (GET on write-only, POST on read-only) with 405 problem+json and Allow", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const wrong: string[] = [];
    for (const [method, path, allow] of [
      ["GET", `/api/members/${id}`, "PATCH"],
      ["GET", "/api/auth/token", "POST"],
      ["GET", "/api/auth/signup", "POST"],
      ["GET", "/api/auth/logout", "POST"],
      ["GET", `/api/invitations/${id}/resend`, "POST"],
      ["POST", "/api/openapi.json", "GET"],
    ] as const) {
      const response = await request(path, { method, body: method === "POST" ? {} : undefined });
      const got = `${response.status} ${response.headers.get("content-type")} Allow=${response.headers.get("allow")} code=${response.body?.code}`;
      const expected = `405 application/problem+json Allow=${allow} code=method_not_allowed`;
      if (got !== expected) wrong.push(`${method} ${path}: got ${got}, want ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it("does not run a POST-only command for another method (DELETE /api/auth/logout keeps the session)", async () => {
    const owner = await signUp(request, "logout-method");
    const response = await request("/api/auth/logout", { method: "DELETE", token: owner.access_token });
    expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toBe("POST");
    const refresh = await request("/api/auth/refresh", { body: { refresh_token: owner.refresh_token } });
    expect(refresh.status).toBe(200);
  });
});

describe("error responses", () => {
  it("are application/problem+json with type, title, status, detail and code", async () => {
    const owner = await signUp(request, "problems");
    const other = await signUp(request, "problems-other");
    const [header, payload] = owner.access_token.split(".");
    const cases: [Promise<ApiResponse>, number, string][] = [
      [request("/api/me"), 401, "unauthorized"],
      [request("/api/me", { token: `${header}.${payload}.${"A".repeat(43)}` }), 401, "invalid_token"],
      [request("/api/agency", { token: owner.access_token, agencyId: other.agency.id }), 403, "agency_forbidden"],
      [
        request("/api/members", {
          token: owner.access_token,
          rawBody: "{oops",
          headers: { "Content-Type": "application/json" },
        }),
        400,
        "invalid_json",
      ],
      [
        request("/api/members", {
          token: owner.access_token,
          rawBody: "email=x",
          headers: { "Content-Type": "text/plain" },
        }),
        415,
        "unsupported_media_type",
      ],
      [request("/api/members", { token: owner.access_token, body: { email: "nope" } }), 422, "validation_failed"],
      [
        request("/api/members/00000000-0000-4000-8000-000000000000", {
          method: "PATCH",
          token: other.access_token,
          body: { role: "member" },
        }),
        404,
        "not_found",
      ],
      [
        request("/api/auth/signup", {
          body: { agency_name: "Again", name: "Again", email: owner.email, password: PASSWORD },
        }),
        409,
        "email_taken",
      ],
      [
        request("/api/auth/token", { body: { email: uniqueEmail("nobody"), password: "wrong password" } }),
        401,
        "invalid_credentials",
      ],
      [request("/api/auth/refresh", { body: { refresh_token: "made-up" } }), 401, "invalid_refresh_token"],
    ];
    for (const [pending, status, code] of cases) expectProblem(await pending, status, code);

    const validation = await request("/api/members", {
      token: other.access_token,
      body: { email: "nope", role: "chief" },
    });
    expectProblem(validation, 422, "validation_failed");
    expect(validation.body.errors).toEqual({ email: [expect.any(String)], role: [expect.any(String)] });
  });

  it("say Bearer in WWW-Authenticate on 401", async () => {
    const response = await request("/api/members");
    expectProblem(response, 401, "unauthorized");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("refuse a body over 1 MB with 413, and the client's next request still works", async () => {
    const owner = await signUp(request, "too-large");
    const response = await request("/api/me", {
      method: "PATCH",
      token: owner.access_token,
      rawBody: JSON.stringify({ name: "x".repeat(1_100_000) }),
      headers: { "Content-Type": "application/json" },
    });
    expectProblem(response, 413, "body_too_large");
    // The refused body is never read: the server must not offer that connection for reuse (or
    // must drain it), or the client's next request on it hangs and is reset.
    const next = await request("/healthz").catch((error: Error & { cause?: { code?: string } }) => ({
      status: `${error.message} (${error.cause?.code ?? "?"})`,
    }));
    expect(next.status).toBe(200);
  });
});

describe("GET /api/openapi.json", () => {
  it("describes the API as OpenAPI 3.1.0 with request bodies from the same schemas the routes use", async () => {
    const response = await request("/api/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const doc = response.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: app.url() }]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/auth/signup",
        "/api/auth/token",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/me",
        "/api/members",
        "/api/members/{memberId}",
        "/api/invitations/{invitationId}/resend",
        "/api/invitations/{invitationId}/revoke",
        "/api/agency",
      ]),
    );
    const body = (path: string, method: string) =>
      doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;

    const signup = body("/api/auth/signup", "post");
    expect(signup).toMatchObject({ type: "object", additionalProperties: false });
    expect(Object.keys(signup.properties).sort()).toEqual([
      "agency_name",
      "currency",
      "email",
      "name",
      "password",
      "timezone",
    ]);
    expect(signup.required.sort()).toEqual(["agency_name", "email", "name", "password"]);

    const inviteBody = body("/api/members", "post");
    expect(inviteBody.properties.role.enum).toEqual(["owner", "manager", "member"]);
    expect(inviteBody.required).toEqual(["email"]);
    expect(doc.paths["/api/members"].post.responses["201"]).toBeDefined();

    expect(Object.keys(body("/api/members/{memberId}", "patch").properties).sort()).toEqual([
      "capacity_hours_weekly",
      "cost_rate_cents",
      "hourly_rate_cents",
      "is_active",
      "role",
    ]);
    expect(Object.keys(body("/api/me", "patch").properties).sort()).toEqual(["name", "timezone"]);
    const agencyBody = body("/api/agency", "patch");
    expect(agencyBody.additionalProperties).toBe(false);
    expect(agencyBody.properties).not.toHaveProperty("slug");
    expect(agencyBody.properties).not.toHaveProperty("subscription_plan");
    expect(doc.paths["/api/members/{memberId}"].patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "memberId", in: "path", required: true })]),
    );
    expect(doc.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(["type", "title", "status", "detail", "code"]),
    );
  });

  it("lists only paths that exist: each answers its documented method with something other than 404/405", async () => {
    const doc = (await request("/api/openapi.json")).body;
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [template, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      const path = template.replace(/\{\w+\}/g, id);
      for (const method of Object.keys(operations)) {
        // No token: authenticated routes answer 401, public ones reject the empty body with 422.
        const response = await request(path, { method: method.toUpperCase(), body: method === "get" ? undefined : {} });
        expect([401, 422], `${method.toUpperCase()} ${template} → ${response.status}`).toContain(response.status);
      }
    }
  });
});

describe("GET /healthz", () => {
  it("answers 200 {status: ok} when the database answers", async () => {
    const response = await request("/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("rate limiting", () => {
  it("answers the 6th authenticated request in a minute with 429 and Retry-After; other users are unaffected", async () => {
    const busy = await signUp(request, "busy");
    const calm = await signUp(request, "calm");
    for (let i = 1; i <= 5; i += 1) {
      const response = await request(i % 2 ? "/api/me" : "/api/members", { token: busy.access_token });
      expect(response.status, `request ${i}`).toBe(200);
    }
    const limited = await request("/api/agency", { token: busy.access_token });
    expectProblem(limited, 429, "rate_limited");
    const retryAfter = limited.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Writes are limited too, and a limited request changes nothing.
    const write = await request("/api/me", { method: "PATCH", token: busy.access_token, body: { name: "Too Busy" } });
    expectProblem(write, 429, "rate_limited");
    const [profile] = await adminSql()`select name from public.profiles where user_id = ${busy.user.id}`;
    expect(profile!.name).toBe("busy person");

    const other = await request("/api/me", { token: calm.access_token });
    expect(other.status).toBe(200);

    const rows = await adminSql()<{ key: string; points: number; expire: Date }[]>`
      select key, points, expire from private.rate_limits where key like ${"%" + busy.user.id}
    `;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).toBe(`api:${busy.user.id}`);
    expect(rows[0]!.points).toBeGreaterThanOrEqual(6);
    const secondsLeft = (rows[0]!.expire.getTime() - Date.now()) / 1000;
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(61);
    const [calmRow] = await adminSql()`select points from private.rate_limits where key = ${`api:${calm.user.id}`}`;
    expect(calmRow).toEqual({ points: 1 });
  });

  it("limits password sign-in per IP and email: the 11th wrong password is 429, even before checking it", async () => {
    const owner = await signUp(request, "guess");
    const ip = randomClientIp();
    const attempt = (password: string, from = ip) =>
      request("/api/auth/token", { body: { email: owner.email, password }, headers: { "X-Forwarded-For": from } });
    for (let i = 1; i <= 10; i += 1) {
      const response = await attempt(`wrong password ${i}`);
      expectProblem(response, 401, "invalid_credentials");
    }
    const eleventh = await attempt("wrong password 11");
    expectProblem(eleventh, 429, "rate_limited");
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The right password does not get through from there either…
    expectProblem(await attempt(PASSWORD), 429, "rate_limited");
    // …but the owner signs in from elsewhere.
    const elsewhere = await attempt(PASSWORD, randomClientIp());
    expect(elsewhere.status).toBe(200);

    const [row] = await adminSql()<{ points: number }[]>`
      select points from private.rate_limits where key = ${`signIn:${ip}:${owner.email}`}
    `;
    expect(row!.points).toBeGreaterThanOrEqual(11);
  });
});
