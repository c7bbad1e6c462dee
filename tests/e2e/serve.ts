import fs from "node:fs";
import path from "node:path";
import { startServer } from "../../server.ts";
import { startTestCluster, testDataRoot } from "../setup/test-database.ts";

/** The app for Playwright: fresh database, worker on (emails reach the dev mailbox), fixed port. */
const port = Number(process.env.E2E_PORT ?? 3210);

async function main(): Promise<void> {
  const cluster = await startTestCluster("e2e");
  const database = await cluster.database("crm_e2e");
  const dataDir = path.join(testDataRoot, `e2e-app-${process.pid}`);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(path.join(cluster.dataDir, "secrets.json"), path.join(dataDir, "secrets.json"));
  process.env.DATA_DIR = dataDir;
  process.env.NODE_ENV = "test";
  process.env.SITE_URL = `http://localhost:${port}`;
  const server = await startServer({
    port,
    worker: true,
    // The webhook function on a free port: never the 54321 of a developer's running `npm start`.
    functions: true,
    functionsPort: 0,
    quiet: true,
    log: () => {},
    dbConfig: { dataDir, databaseUrl: database.adminUrl, requestDatabaseUrl: undefined, embeddedPort: 0 },
  });
  const stop = async () => {
    await server.close();
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
