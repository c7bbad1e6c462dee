import { afterAll, beforeAll, inject } from "vitest";
import { startServer, type RunningServer } from "../../server.ts";

/**
 * Starts the real app (built Remix server, worker, auth) in this test file's process against the
 * shared integration database, on a free port. Server-side console.error lands in this process,
 * where fail-on-console.ts turns it into a failure.
 */
export function useTestServer(
  options: {
    worker?: boolean;
    requestDatabaseUrl?: string;
    functions?: boolean;
    /** SITE_URL as a deployment sets it (e.g. a public https:// address); default: where it listens. */
    siteUrl?: string;
  } = {},
): {
  url: () => string;
  server: () => RunningServer;
} {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    process.env.DATA_DIR = inject("dataDir");
    process.env.NODE_ENV = "test";
    process.env.PORT = "0";
    if (options.siteUrl) process.env.SITE_URL = options.siteUrl;
    else delete process.env.SITE_URL;
    running = await startServer({
      port: 0,
      worker: options.worker ?? false,
      // The Edge Functions (Deno) only for files that post to them, on a free port: test files run in parallel.
      functions: options.functions ?? false,
      functionsPort: 0,
      quiet: true,
      log: () => {},
      dbConfig: {
        dataDir: inject("dataDir"),
        databaseUrl: inject("adminUrl"),
        requestDatabaseUrl: options.requestDatabaseUrl,
        embeddedPort: 0,
      },
    });
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    url: () => running!.url,
    server: () => running!,
  };
}
