import { randomInt } from "node:crypto";
import type { http } from "./http.ts";

/**
 * Every integration file talks to its server from 127.0.0.1, and the unauthenticated limiter
 * (60/min per IP, counted in the shared database) would then be spent by the signups of all files
 * running at once, failing tests at random with 429. A file that signs up many accounts calls
 * `trustForwardedFor()` before useTestServer() and wraps its request helper with
 * `asDistinctClients()`: each request then comes from its own (TEST-NET-2) address, as separate
 * browsers would. A test about per-IP limits pins one address with an explicit X-Forwarded-For.
 */
export function trustForwardedFor(): void {
  // Read by server.ts when the server starts (app.set("trust proxy", …)).
  process.env.TRUST_PROXY = "true";
}

export function randomClientIp(): string {
  return `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

type Request = ReturnType<typeof http>;

export function asDistinctClients(request: Request): Request {
  return (path, options = {}) =>
    request(path, { ...options, headers: { "X-Forwarded-For": randomClientIp(), ...options.headers } });
}
