import { sql, type SQL } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "./db.server.ts";

/**
 * INSERT naming only the columns given. Drizzle's insert lists every column of the table (with
 * DEFAULT for the missing ones), and PostgreSQL checks column privileges for every listed column —
 * so it would fail where the migrations deliberately grant INSERT on some columns only (ids,
 * timestamps and derived columns belong to the database). Keys are column names.
 */
export async function insertRow<Row extends Record<string, unknown>>(
  tx: Tx,
  table: PgTable,
  values: Record<string, unknown>,
  returning: string[] = ["id"],
): Promise<Row | undefined> {
  const { name, schema } = getTableConfig(table);
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  const target = schema
    ? sql`${sql.identifier(schema)}.${sql.identifier(name)}`
    : sql`${sql.identifier("public")}.${sql.identifier(name)}`;
  const columns = sql.join(
    entries.map(([column]) => sql.identifier(column)),
    sql`, `,
  );
  // sql.param keeps an array one parameter (a text[]), not a list of parameters.
  const params: SQL[] = entries.map(([, value]) => sql`${sql.param(value)}`);
  const returned = sql.join(
    returning.map((column) => sql.identifier(column)),
    sql`, `,
  );
  const rows = await tx.execute<Row>(
    sql`insert into ${target} (${columns}) values (${sql.join(params, sql`, `)}) returning ${returned}`,
  );
  return rows[0] as Row | undefined;
}
