import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { PgTransaction } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "#db/schema.ts";
import { requireSetting } from "./env.server.ts";

/**
 * The request path's only way into the database. It logs in as crm_request (no rights of its
 * own) and every unit of work runs in one transaction that first becomes `authenticated` (or
 * `anon`) with the caller's verified JWT claims — what PostgREST does — so RLS decides what the
 * request may see. Nothing here can bypass RLS; privileged work lives in admin-db.server.ts.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = PgTransaction<PostgresJsQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

/** Verified claims of the caller, as issued by Supabase Auth or the local issuer. */
export interface JwtClaims {
  sub: string;
  email?: string;
  role: string;
  session_id?: string;
  [claim: string]: unknown;
}

let client: postgres.Sql | undefined;
let db: Db | undefined;

function requestDb(): Db {
  if (!db) {
    // prepare: false keeps this working behind Supabase's transaction pooler.
    client = postgres(requireSetting("REQUEST_DATABASE_URL"), {
      max: 10,
      prepare: false,
      onnotice: () => {},
      connection: { application_name: "agency-crm:request", TimeZone: "UTC" },
    });
    db = drizzle(client, { schema });
    // After drizzle's own parser setup: timestamptz leaves as RFC 3339 (what the JSON API promises).
    client.options.parsers[1184] = rfc3339;
  }
  return db;
}

/** "2026-11-25 17:28:55.196+00" (PostgreSQL, session time zone UTC) → "2026-11-25T17:28:55.196Z". */
export function rfc3339(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)\+00$/.exec(value);
  return match ? `${match[1]}T${match[2]}Z` : value;
}

/** Runs `work` as the signed-in user in one transaction; RLS applies to every statement. */
export function asUser<T>(claims: JwtClaims, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (claims.role !== "authenticated") throw new Error(`asUser needs an authenticated JWT, got role ${claims.role}`);
  return asRole("authenticated", claims, work);
}

/** Runs `work` as an anonymous visitor (role anon). */
export function asAnon<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return asRole("anon", { role: "anon" }, work);
}

function asRole<T>(role: "anon" | "authenticated", claims: object, work: (tx: Tx) => Promise<T>): Promise<T> {
  return requestDb().transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`,
    );
    return work(tx);
  });
}

/** The rate limiter writes its counters as crm_request itself (see the rate_limits migration). */
export function rateLimitDb(): Db {
  return requestDb();
}

export async function closeRequestDb(): Promise<void> {
  await client?.end({ timeout: 5 });
  client = undefined;
  db = undefined;
}
