import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "./csrf.server.ts";

const base = { path: "/logout", host: "localhost:3000", protocol: "http", siteUrl: "http://localhost:3000" };

describe("CSRF guard for cookie-carrying writes", () => {
  it("lets reads, the bearer API and clients that name no origin through", () => {
    expect(
      isCrossSiteRequest({ ...base, method: "GET", headers: { cookie: "a=1", origin: "https://evil.example" } }),
    ).toBe(false);
    expect(
      isCrossSiteRequest({
        ...base,
        path: "/api/members",
        method: "POST",
        headers: { origin: "https://evil.example" },
      }),
    ).toBe(false);
    expect(isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1" } })).toBe(false);
  });

  it("refuses a cross-site sign-in form even without cookies (login CSRF)", () => {
    expect(
      isCrossSiteRequest({ ...base, path: "/login", method: "POST", headers: { origin: "https://evil.example" } }),
    ).toBe(true);
  });

  it("trusts the browser's Sec-Fetch-Site when present", () => {
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", "sec-fetch-site": "same-origin" } }),
    ).toBe(false);
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", "sec-fetch-site": "cross-site" } }),
    ).toBe(true);
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", "sec-fetch-site": "same-site" } }),
    ).toBe(true);
  });

  it("falls back to Origin, then Referer", () => {
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", origin: "http://localhost:3000" } }),
    ).toBe(false);
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", origin: "https://evil.example" } }),
    ).toBe(true);
    expect(
      isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", referer: "https://evil.example/page" } }),
    ).toBe(true);
    expect(isCrossSiteRequest({ ...base, method: "POST", headers: { cookie: "a=1", referer: "not a url" } })).toBe(
      true,
    );
  });
});
