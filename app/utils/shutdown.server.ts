import { closeAdminSql } from "./admin-db.server.ts";
import { closeAuthProvider } from "./auth/provider.server.ts";
import { closeRequestDb } from "./db.server.ts";

/** Closes every pool the app opened, so the process (and the embedded server) can stop cleanly. */
export async function shutdownConnections(): Promise<void> {
  await Promise.allSettled([closeRequestDb(), closeAuthProvider(), closeAdminSql()]);
}
