import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "postgres";

/**
 * Applies supabase/migrations/*.sql in file-name order, each once and in its own transaction,
 * recording them in supabase_migrations.schema_migrations exactly where the Supabase CLI does, so
 * `supabase db push` and this runner agree on what has been applied.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const migrationsDir = path.join(root, "supabase", "migrations");
const bootstrapDir = path.join(root, "db", "bootstrap");

export interface Migration {
  version: string;
  name: string;
  file: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{14}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const [, version, name] = /^(\d{14})_(.+)\.sql$/.exec(file)!;
      return { version: version!, name: name!, file: path.join(dir, file) };
    });
}

/** A Supabase project already has what the bootstrap creates; the bootstrap never touches one. */
export async function isSupabaseProject(sql: Sql): Promise<boolean> {
  const [row] = await sql`select exists (select from pg_roles where rolname = 'supabase_admin') as supabase`;
  return Boolean(row?.supabase);
}

export async function applyBootstrap(sql: Sql): Promise<void> {
  const files = fs
    .readdirSync(bootstrapDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  await withMigrationLock(sql, async () => {
    for (const file of files) {
      await sql.begin((tx) => tx.unsafe(fs.readFileSync(path.join(bootstrapDir, file), "utf8")));
    }
  });
}

export async function applyMigrations(
  sql: Sql,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<Migration[]> {
  const log = options.log ?? (() => {});
  return withMigrationLock(sql, async () => {
    await sql.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text primary key,
        statements text[],
        name text
      );
    `);
    const appliedRows = await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`;
    const applied = new Set(appliedRows.map((r) => r.version));
    const pending = listMigrations(options.dir).filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      const body = fs.readFileSync(migration.file, "utf8");
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(body);
          await tx`
            insert into supabase_migrations.schema_migrations (version, name, statements)
            values (${migration.version}, ${migration.name}, ${[body]})
          `;
        });
      } catch (error) {
        throw new Error(`Migration ${path.basename(migration.file)} failed: ${describe(error)}`);
      }
      log(`applied ${path.basename(migration.file)}`);
    }
    return pending;
  });
}

/** Several app instances may start at once; only one migrates, the others wait for it. */
export async function withMigrationLock<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(7286001)`;
    return await work();
  } finally {
    await reserved`select pg_advisory_unlock(7286001)`;
    reserved.release();
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { message: string; position?: string; where?: string };
    return [e.message, e.where].filter(Boolean).join(" — ");
  }
  return String(error);
}
