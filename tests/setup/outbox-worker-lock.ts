import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";

/**
 * Test files that run the outbox worker take turns. A worker delivers every due row of the shared
 * outbox, so two files running workers side by side (vitest runs files in parallel on machines
 * with more cores) would deliver each other's emails through the wrong mailer — the dev mailbox
 * instead of the Resend stand-in or the other way round — and fail at random. Each such file calls
 * this before useTestServer(): a session-level advisory lock held from before its server starts
 * until after it stops (vitest runs afterAll hooks in reverse order).
 */
const OUTBOX_WORKER_LOCK = 7_310_001;

export function holdOutboxWorkerLock(): void {
  let connection: postgres.Sql | undefined;
  beforeAll(async () => {
    connection = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
    await connection`select pg_advisory_lock(${OUTBOX_WORKER_LOCK})`;
    // Waiting for another file's whole run is the point, so the hook may take that long.
  }, 180_000);
  afterAll(async () => {
    // Ending the session releases the lock.
    await connection?.end({ timeout: 5 });
  });
}
