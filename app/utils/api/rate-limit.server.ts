import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimits } from "#db/schema.ts";
import { rateLimitDb } from "../db.server.ts";
import { env } from "../env.server.ts";
import { AppError } from "../errors.server.ts";

/**
 * Request limits, counted in PostgreSQL (private.rate_limits) so every app instance shares them.
 * - api: per signed-in user across the whole API (API_RATE_LIMIT_PER_MINUTE, default 200/min).
 * - signIn: per IP and email on password and magic-link sign-in, against guessing and mail bombing.
 * - anonymous: per IP on the unauthenticated auth endpoints.
 */
type LimiterName = "api" | "signIn" | "anonymous";

const settings: Record<LimiterName, () => { points: number; duration: number }> = {
  api: () => ({ points: env().API_RATE_LIMIT_PER_MINUTE, duration: 60 }),
  signIn: () => ({ points: 10, duration: 15 * 60 }),
  anonymous: () => ({ points: 60, duration: 60 }),
};

const limiters = new Map<LimiterName, RateLimiterDrizzle>();

function limiter(name: LimiterName): RateLimiterDrizzle {
  let existing = limiters.get(name);
  if (!existing) {
    existing = new RateLimiterDrizzle({
      storeClient: rateLimitDb(),
      schema: rateLimits,
      keyPrefix: name,
      ...settings[name](),
    });
    limiters.set(name, existing);
  }
  return existing;
}

/** Counts one request; throws AppError 429 with the seconds to wait once the limit is spent. */
export async function consume(name: LimiterName, key: string): Promise<void> {
  try {
    await limiter(name).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimitedError(retryAfter);
    }
    throw error;
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "rate_limited", `Too many requests. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** Tests reconfigure limits between suites. */
export function resetRateLimiters(): void {
  limiters.clear();
}
