import type http from "node:http";
import { afterAll, beforeAll } from "vitest";

/**
 * What the HTTP stand-ins of outside services (Resend, Stripe) share: closing their server, and
 * running one for a test file with the environment that points the app's SDK at it. The app reads
 * its configuration once per process, so call the hook before useTestServer().
 */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });
}

export function useStandIn<T extends { close(): Promise<void> }>(
  name: string,
  start: () => Promise<T>,
  environment: (standIn: T) => Record<string, string>,
): () => T {
  let standIn: T | undefined;
  let names: string[] = [];
  beforeAll(async () => {
    standIn = await start();
    const values = environment(standIn);
    names = Object.keys(values);
    Object.assign(process.env, values);
  });
  afterAll(async () => {
    for (const key of names) delete process.env[key];
    await standIn?.close();
  });
  return () => {
    if (!standIn) throw new Error(`The ${name} stand-in is not running: call its hook at the top of the file`);
    return standIn;
  };
}
