import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { withDatabase } from "#db/config.ts";
import { startEmbeddedPostgres } from "#db/embedded.ts";
import { ensureDatabase, prepareDatabase, type PreparedDatabase } from "#db/prepare.ts";
import { loadOrCreateSecrets } from "#db/secrets.ts";

/**
 * Throwaway PostgreSQL 15 clusters for tests: a fresh data directory under .test-data/, a free
 * port, fsync off, removed afterwards. Each test suite gets its own freshly migrated database.
 */
export const testDataRoot = path.resolve(".test-data");

export interface TestCluster {
  dataDir: string;
  serverUrl: string;
  /** Creates (or reuses) a database on this cluster and brings it to the migrated state. */
  database(name: string): Promise<PreparedDatabase>;
  stop(): Promise<void>;
}

export async function startTestCluster(label: string): Promise<TestCluster> {
  const dataDir = path.join(testDataRoot, `${label}-${process.pid}-${Date.now()}`);
  const port = await freePort();
  const log = () => {};
  const secrets = loadOrCreateSecrets(dataDir);
  const embedded = await startEmbeddedPostgres({
    dir: path.join(dataDir, "postgres"),
    port,
    password: secrets.postgresPassword,
    durable: false,
  });
  const serverUrl = embedded.url;
  return {
    dataDir,
    serverUrl,
    async database(name) {
      await ensureDatabase(serverUrl, name);
      return prepareDatabase({
        config: {
          dataDir,
          databaseUrl: withDatabase(serverUrl, name),
          requestDatabaseUrl: undefined,
          embeddedPort: port,
        },
        log,
      });
    },
    async stop() {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
