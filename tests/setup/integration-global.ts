import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startTestCluster, testDataRoot } from "./test-database.ts";

/** One throwaway cluster and migrated database for the whole integration run. */
declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
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
