import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";
import { AppError, fromDatabaseError } from "#app/utils/errors.server.ts";

/**
 * CSV → rows for public.import_clients, which checks each row against the real constraints and
 * policies (a dry run for the preview) and imports each row all-or-nothing. This module only
 * reads the file and turns the database's per-row errors into messages people understand.
 */
export const IMPORT_COLUMNS = [
  "name",
  "industry",
  "tags",
  "size",
  "website",
  "address",
  "country",
  "currency",
  "relationship",
  "notes",
  "contact_name",
  "contact_email",
  "contact_phone",
  "contact_title",
] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export type ImportRow = Partial<Record<Exclude<ImportColumn, "tags">, string>> & { tags?: string[] };

const aliases: Record<string, ImportColumn> = {
  company: "name",
  company_name: "name",
  client: "name",
  client_name: "name",
  email: "contact_email",
  phone: "contact_phone",
  contact: "contact_name",
  title: "contact_title",
  job_title: "contact_title",
  url: "website",
  stage: "relationship",
};

export const MAX_IMPORT_ROWS = 5000;

export function parseClientCsv(text: string): { rows: ImportRow[]; ignoredColumns: string[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new AppError(422, "invalid_csv", `The file is not valid CSV: ${(error as Error).message}`, {
      file: ["The file is not valid CSV."],
    });
  }
  if (records.length === 0)
    throw new AppError(422, "empty_csv", "The file has no rows.", { file: ["The file has no rows."] });
  if (records.length > MAX_IMPORT_ROWS) {
    throw new AppError(422, "import_too_large", `Import at most ${MAX_IMPORT_ROWS} rows at a time.`, {
      file: [`Import at most ${MAX_IMPORT_ROWS} rows at a time.`],
    });
  }
  const headers = Object.keys(records[0]!);
  const mapping = new Map<string, ImportColumn>();
  const ignoredColumns: string[] = [];
  for (const header of headers) {
    const normalized = header
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "");
    const column = (IMPORT_COLUMNS as readonly string[]).includes(normalized)
      ? (normalized as ImportColumn)
      : aliases[normalized];
    if (column) mapping.set(header, column);
    else ignoredColumns.push(header);
  }
  if (![...mapping.values()].includes("name")) {
    throw new AppError(422, "missing_name_column", "The file needs a column with the company name (name or company).", {
      file: ["The file needs a column with the company name (name or company)."],
    });
  }
  const rows = records.map((record) => {
    const row: ImportRow = {};
    for (const [header, column] of mapping) {
      const value = record[header] ?? "";
      if (column === "tags")
        row.tags = value
          .split(/[;,]/)
          .map((t) => t.trim())
          .filter(Boolean);
      else row[column] = value;
    }
    return row;
  });
  return { rows, ignoredColumns };
}

export interface ImportResult {
  row_number: number;
  ok: boolean;
  client_id: string | null;
  message: string | null;
  field: string | null;
}

type RawResult = {
  row_number: number;
  ok: boolean;
  client_id: string | null;
  error_state: string | null;
  error_table: string | null;
  error_constraint: string | null;
  error_column: string | null;
  error_message: string | null;
};

export function importClients({
  claims,
  agencyId,
  rows,
  dryRun,
}: {
  claims: JwtClaims;
  agencyId: string;
  rows: ImportRow[];
  dryRun: boolean;
}): Promise<ImportResult[]> {
  return asUser(claims, async (tx) => {
    const results = await tx.execute<RawResult>(
      sql`select * from public.import_clients(${agencyId}, ${JSON.stringify(rows)}::jsonb, ${dryRun})`,
    );
    return results.map((result) => explain(result, rows[result.row_number - 1]));
  });
}

/** What each column expects, said the way the forms say it. */
const expected: Record<string, string> = {
  name: "enter the company name",
  website: "use a full address such as https://example.com",
  country: "use a two-letter country code such as DE",
  size: "use 1-10, 11-50, 51-200, 201-1000 or 1000+",
  currency: "use a three-letter currency code such as EUR",
  relationship: "use lead, prospect, active or inactive",
  tags: "tags have at most 40 characters, and a client at most 20 tags",
  industry: "use at most 80 characters",
  notes: "use at most 20000 characters",
  address: "use at most 500 characters",
  contact_name: "give the contact a name",
  contact_email: "enter a valid email address",
  contact_phone: "use at most 40 characters",
};

/** A row's database error in the words a person needs, with the CSV column it is about. */
function explain(result: RawResult, row: ImportRow | undefined): ImportResult {
  if (result.ok)
    return { row_number: result.row_number, ok: true, client_id: result.client_id, message: null, field: null };
  if (result.error_state === "42501") {
    return {
      row_number: result.row_number,
      ok: false,
      client_id: null,
      message: "You may not import clients into this agency.",
      field: null,
    };
  }
  const enumField =
    result.error_state === "22P02" && /client_relationship/.test(result.error_message ?? "") ? "relationship" : null;
  const error = fromDatabaseError({
    code: result.error_state ?? "XX000",
    message: result.error_message ?? "failed",
    table_name: result.error_table ?? undefined,
    constraint_name: result.error_constraint ?? undefined,
    column_name: result.error_column ?? undefined,
  });
  const column = enumField ?? (error ? Object.keys(error.fieldErrors)[0] : undefined);
  const field =
    column && column !== "_" ? (result.error_table === "client_contacts" ? `contact_${column}` : column) : null;
  const given = field && field !== "tags" ? row?.[field as Exclude<keyof ImportRow, "tags">] : undefined;
  const message = field
    ? `${field.replaceAll("_", " ")}: ${expected[field] ?? "not a valid value"}${given ? ` (the file says "${given}")` : ""}`
    : (error?.message ?? "This row could not be imported.");
  return { row_number: result.row_number, ok: false, client_id: null, message, field };
}
