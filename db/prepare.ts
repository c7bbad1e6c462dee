import path from "node:path";
import postgres from "postgres";
import { loadDbConfig, withCredentials, withDatabase, type DbConfig } from "./config.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { applyBootstrap, applyMigrations, isSupabaseProject, withMigrationLock } from "./migrate.ts";
import { loadOrCreateSecrets, type LocalSecrets } from "./secrets.ts";

/**
 * Brings a database to the state the app needs, in both modes: embedded (no DATABASE_URL) starts
 * PostgreSQL 15 under DATA_DIR; external uses DATABASE_URL and starts nothing. Then the Supabase
 * bootstrap (never on a Supabase project), the migrations, and the login roles' credentials.
 */
export interface PreparedDatabase {
  /** Privileged: migrations, the worker, webhooks. Never used on a request path. */
  adminUrl: string;
  /** crm_request: member of anon and authenticated only; cannot bypass RLS. */
  requestUrl: string;
  /** supabase_auth_admin: the local token issuer's login (local mode only). */
  authUrl: string | undefined;
  isSupabase: boolean;
  embedded: EmbeddedServer | undefined;
  secrets: LocalSecrets;
}

export const EMBEDDED_DATABASE = "agency_crm";

export async function prepareDatabase(
  options: { config?: DbConfig; log?: (line: string) => void; database?: string; durable?: boolean } = {},
): Promise<PreparedDatabase> {
  const config = options.config ?? loadDbConfig();
  const log = options.log ?? ((line: string) => console.log(line));
  const secrets = loadOrCreateSecrets(config.dataDir);

  let embedded: EmbeddedServer | undefined;
  let adminUrl = config.databaseUrl;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dir: path.join(config.dataDir, "postgres"),
      port: config.embeddedPort,
      password: secrets.postgresPassword,
      durable: options.durable,
    });
    const database = options.database ?? EMBEDDED_DATABASE;
    await ensureDatabase(embedded.url, database);
    adminUrl = withDatabase(embedded.url, database);
    log(`embedded PostgreSQL 15 on 127.0.0.1:${embedded.port} (data in ${path.join(config.dataDir, "postgres")})`);
  }

  // Two connections: one holds the migration lock while the other applies migrations.
  const admin = postgres(adminUrl, { max: 2, onnotice: () => {} });
  try {
    const isSupabase = await isSupabaseProject(admin);
    if (!isSupabase) await applyBootstrap(admin);
    const applied = await applyMigrations(admin, { log });
    if (applied.length === 0) log("database schema is up to date");

    const requestPassword = process.env.REQUEST_ROLE_PASSWORD || secrets.requestRolePassword;
    let requestUrl = config.requestDatabaseUrl;
    // Several processes (app instances, test files) may start at once; role updates take the
    // migration lock so they do not collide ("tuple concurrently updated").
    if (!requestUrl) {
      await withMigrationLock(admin, () =>
        admin.unsafe(`alter role crm_request login password '${escapeLiteral(requestPassword)}'`),
      );
      requestUrl = withCredentials(adminUrl, poolerAwareUser(adminUrl, "crm_request"), requestPassword);
    }
    let authUrl: string | undefined;
    if (!isSupabase) {
      await withMigrationLock(admin, () =>
        admin.unsafe(`alter role supabase_auth_admin login password '${escapeLiteral(secrets.authRolePassword)}'`),
      );
      authUrl = withCredentials(adminUrl, "supabase_auth_admin", secrets.authRolePassword);
    }
    return { adminUrl, requestUrl, authUrl, isSupabase, embedded, secrets };
  } catch (error) {
    await embedded?.stop();
    throw error;
  } finally {
    await admin.end();
  }
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select exists (select from pg_database where datname = ${database}) as present`;
    if (!row?.present) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
}

/** Supabase's pooler names users `role.project_ref`; keep the suffix when swapping the role. */
function poolerAwareUser(url: string, role: string): string {
  const user = decodeURIComponent(new URL(url).username);
  const dot = user.indexOf(".");
  return dot === -1 ? role : `${role}${user.slice(dot)}`;
}

function escapeLiteral(value: string): string {
  return value.replace(/'/g, "''");
}
