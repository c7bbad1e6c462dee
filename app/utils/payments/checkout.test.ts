import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "#app/utils/env.server.ts";
import { checkoutProvider, onlinePaymentConfigured } from "./checkout.server.ts";

/**
 * Which checkout a deployment gets. The local stand-in moves no money, so it must never be what a
 * public site without a Stripe key falls back to: there, online payment is simply off.
 */
const keys = ["SITE_URL", "STRIPE_SECRET_KEY", "LOCAL_CHECKOUT", "SUPABASE_URL", "SUPABASE_ANON_KEY"] as const;
const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));

function configure(settings: Partial<Record<(typeof keys)[number], string>>) {
  for (const key of keys) {
    if (settings[key] === undefined) delete process.env[key];
    else process.env[key] = settings[key];
  }
  resetEnvCache();
}

afterEach(() => {
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

describe("the checkout provider", () => {
  it("is the local stand-in for a site on this machine without a Stripe key", () => {
    for (const site of ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000"]) {
      configure({ SITE_URL: site });
      expect(env().localCheckout, site).toBe(true);
      expect(checkoutProvider().kind).toBe("local");
    }
  });

  it("is none for a public site without a Stripe key, with an error that says what to set", () => {
    configure({ SITE_URL: "https://crm.agency.example" });
    expect(env().localCheckout).toBe(false);
    expect(onlinePaymentConfigured()).toBe(false);
    expect(() => checkoutProvider()).toThrow("Online payment is not configured: set STRIPE_SECRET_KEY");
    // Supabase mode does not change that.
    configure({
      SITE_URL: "https://crm.agency.example",
      SUPABASE_URL: "https://x.supabase.co",
      SUPABASE_ANON_KEY: "a",
    });
    expect(() => checkoutProvider()).toThrow(/not configured/);
  });

  it("follows LOCAL_CHECKOUT when it is set (a demo on a public address, or off locally)", () => {
    configure({ SITE_URL: "https://demo.agency.example", LOCAL_CHECKOUT: "on" });
    expect(checkoutProvider().kind).toBe("local");
    configure({ SITE_URL: "http://localhost:3000", LOCAL_CHECKOUT: "off" });
    expect(onlinePaymentConfigured()).toBe(false);
    expect(() => checkoutProvider()).toThrow(/not configured/);
  });

  it("is Stripe whenever a key is set, and the stand-in is then off even with LOCAL_CHECKOUT=on", () => {
    configure({ SITE_URL: "http://localhost:3000", STRIPE_SECRET_KEY: "sk_test_x", LOCAL_CHECKOUT: "on" });
    expect(env().localCheckout).toBe(false);
    expect(onlinePaymentConfigured()).toBe(true);
    expect(checkoutProvider().kind).toBe("stripe");
  });

  it("refuses a LOCAL_CHECKOUT value that is not on or off", () => {
    configure({ LOCAL_CHECKOUT: "yes" });
    expect(() => env()).toThrow(/Invalid configuration/);
  });
});
