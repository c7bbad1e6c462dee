import { is } from "drizzle-orm";
import {
  getTableConfig,
  integer,
  isPgEnum,
  PgEnumColumn,
  pgTable,
  PgTable,
  text,
  uuid,
  type PgEnum,
} from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "#db/schema.ts";
import { adminSql } from "../setup/http.ts";

/**
 * db/schema.ts mirrors the migrations by hand. This fails, naming the exact table and column,
 * when the two disagree: a table or column missing on either side, a different SQL type, or a
 * different nullability — the mistakes that otherwise surface as wrong query results at runtime.
 * Runs against the migrated integration database; no app server needed.
 */
const CHECKED_SCHEMAS = ["public", "private"];

interface DbColumn {
  type: string;
  notNull: boolean;
}
type Catalog = Map<string, Map<string, DbColumn>>;

// Exports are a mix of tables, enums, schemas and types; look at each as what it is at runtime.
const exported = Object.entries(schema as Record<string, unknown>);
const drizzleTables = exported
  .filter((entry): entry is [string, PgTable] => is(entry[1], PgTable))
  .map(([exportName, table]) => ({ exportName, table, ...qualifiedName(table) }));

const drizzleEnums = exported.filter((entry): entry is [string, PgEnum<[string, ...string[]]>] => isPgEnum(entry[1]));

function qualifiedName(table: PgTable) {
  const config = getTableConfig(table);
  const schemaName = config.schema ?? "public";
  return { schemaName, tableName: config.name, qualified: `${schemaName}.${config.name}` };
}

/** The database's view: format_type with an empty search_path, so non-catalog types are schema-qualified. */
async function readCatalog(): Promise<Catalog> {
  const rows = await adminSql().begin(async (tx) => {
    await tx`set local search_path = ''`;
    return tx<{ schema: string; table: string; column: string; type: string; not_null: boolean }[]>`
      select n.nspname as schema, c.relname as table, a.attname as column,
             pg_catalog.format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any(${CHECKED_SCHEMAS}) and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
      order by n.nspname, c.relname, a.attnum
    `;
  });
  const catalog: Catalog = new Map();
  for (const row of rows) {
    const key = `${row.schema}.${row.table}`;
    if (!catalog.has(key)) catalog.set(key, new Map());
    catalog.get(key)!.set(row.column, { type: row.type, notNull: row.not_null });
  }
  return catalog;
}

/** Drizzle's spelling of a type → PostgreSQL's format_type spelling. */
function normalizeDrizzleType(sqlType: string): string {
  let base = sqlType
    .trim()
    .toLowerCase()
    .replace(/\s*,\s*/g, ",")
    .replace(/\s+\(/g, "(");
  let arrays = "";
  while (base.endsWith("[]")) {
    arrays += "[]";
    base = base.slice(0, -2);
  }
  base = base
    .replace(/^varchar\b/, "character varying")
    .replace(/^char\b/, "character")
    .replace(/^decimal\b/, "numeric")
    .replace(/^serial$/, "integer")
    .replace(/^smallserial$/, "smallint")
    .replace(/^bigserial$/, "bigint")
    .replace(/^(timestamp|time)(\(\d+\))?$/, "$1$2 without time zone");
  return base + arrays;
}

function drizzleType(column: ReturnType<typeof getTableConfig>["columns"][number]): string {
  if (is(column, PgEnumColumn)) {
    // getSQLType() drops the enum's schema; the database's name carries it.
    const pgEnum = (column as unknown as PgEnumColumn<never>).enum;
    return `${pgEnum.schema ?? "public"}.${pgEnum.enumName}`;
  }
  return normalizeDrizzleType(column.getSQLType());
}

/** Every disagreement between one drizzle table and the database, as a sentence naming it. */
function tableDrift(table: PgTable, catalog: Catalog): string[] {
  const { qualified } = qualifiedName(table);
  const dbColumns = catalog.get(qualified);
  if (!dbColumns) return [`${qualified}: db/schema.ts declares this table but the migrated database has no such table`];
  const problems: string[] = [];
  const declared = new Set<string>();
  for (const column of getTableConfig(table).columns) {
    declared.add(column.name);
    const where = `${qualified}.${column.name}`;
    const db = dbColumns.get(column.name);
    if (!db) {
      problems.push(`${where}: declared in db/schema.ts but the database has no such column`);
      continue;
    }
    const type = drizzleType(column);
    if (type !== db.type) {
      problems.push(
        `${where}: type differs — db/schema.ts says "${type}" (${column.getSQLType()}), the database says "${db.type}"`,
      );
    }
    if (column.notNull !== db.notNull) {
      const say = (notNull: boolean) => (notNull ? "NOT NULL" : "nullable");
      problems.push(
        `${where}: nullability differs — db/schema.ts says ${say(column.notNull)}, the database says ${say(db.notNull)}`,
      );
    }
  }
  for (const [name, db] of dbColumns) {
    if (!declared.has(name)) {
      problems.push(
        `${qualified}.${name}: the database has this column (${db.type}${db.notNull ? " not null" : ""}) but db/schema.ts does not declare it`,
      );
    }
  }
  return problems;
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await readCatalog();
});

describe("db/schema.ts against the migrated database", () => {
  it("finds tables to compare (guards against the filter silently matching nothing)", () => {
    expect(drizzleTables.map((t) => t.qualified)).toEqual(
      expect.arrayContaining(["public.agencies", "private.rate_limits"]),
    );
    expect(catalog.get("public.agencies")?.size).toBeGreaterThan(5);
  });

  it.each(drizzleTables.map((t) => [t.qualified, t.exportName, t.table] as const))(
    "%s (export %s) matches column for column",
    (_qualified, _exportName, table) => {
      expect(tableDrift(table, catalog)).toEqual([]);
    },
  );

  it("declares every table of schema public", () => {
    const declared = new Set(drizzleTables.map((t) => t.qualified));
    const missing = [...catalog.keys()]
      .filter((name) => name.startsWith("public.") && !declared.has(name))
      .map(
        (name) => `${name}: exists in the database but db/schema.ts has no pgTable("${name.slice("public.".length)}")`,
      );
    expect(missing).toEqual([]);
  });

  it("declares no table twice", () => {
    const names = drizzleTables.map((t) => t.qualified);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("has the database's enum labels, in order", async () => {
    expect(drizzleEnums.length).toBeGreaterThan(0);
    for (const [exportName, pgEnum] of drizzleEnums) {
      const enumSchema = pgEnum.schema ?? "public";
      const rows = await adminSql()<{ label: string }[]>`
        select e.enumlabel as label from pg_catalog.pg_enum e
        join pg_catalog.pg_type t on t.oid = e.enumtypid join pg_catalog.pg_namespace n on n.oid = t.typnamespace
        where n.nspname = ${enumSchema} and t.typname = ${pgEnum.enumName}
        order by e.enumsortorder
      `;
      expect(
        rows.map((r) => r.label),
        `${exportName} → ${enumSchema}.${pgEnum.enumName}`,
      ).toEqual([...pgEnum.enumValues]);
    }
  });
});

describe("the drift check itself", () => {
  it("names each kind of mismatch precisely", () => {
    // A deliberately wrong mirror of public.agencies.
    const wrong = pgTable("agencies", {
      id: uuid("id").primaryKey(),
      name: text("name"),
      payment_terms_days: text("payment_terms_days").notNull(),
      default_tax_rate_bp: integer("default_tax_rate_bp").notNull(),
      nickname: text("nickname"),
    });
    const problems = tableDrift(wrong, catalog);
    expect(problems).toContain(
      "public.agencies.name: nullability differs — db/schema.ts says nullable, the database says NOT NULL",
    );
    expect(problems).toContain(
      'public.agencies.payment_terms_days: type differs — db/schema.ts says "text" (text), the database says "integer"',
    );
    expect(problems).toContain(
      "public.agencies.nickname: declared in db/schema.ts but the database has no such column",
    );
    expect(problems).toContain(
      "public.agencies.slug: the database has this column (text not null) but db/schema.ts does not declare it",
    );
    expect(problems.some((p) => p.startsWith("public.agencies.default_tax_rate_bp"))).toBe(false);
    expect(problems.some((p) => p.startsWith("public.agencies.id:"))).toBe(false);

    expect(tableDrift(pgTable("no_such_table", { id: uuid("id") }), catalog)).toEqual([
      "public.no_such_table: db/schema.ts declares this table but the migrated database has no such table",
    ]);
  });

  it("spells drizzle's types the way PostgreSQL does", () => {
    expect(normalizeDrizzleType("numeric(5, 2)")).toBe("numeric(5,2)");
    expect(normalizeDrizzleType("timestamp (3) with time zone")).toBe("timestamp(3) with time zone");
    expect(normalizeDrizzleType("timestamp")).toBe("timestamp without time zone");
    expect(normalizeDrizzleType("varchar(20)")).toBe("character varying(20)");
    expect(normalizeDrizzleType("text[]")).toBe("text[]");
    expect(normalizeDrizzleType("serial")).toBe("integer");
  });
});
