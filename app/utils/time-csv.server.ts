import { stringify } from "csv-stringify/sync";
import { exportEntries, type EntryFilters, type TimeEntry } from "#app/models/time-entries.server.ts";
import type { JwtClaims } from "./db.server.ts";
import { decimalHours } from "./durations.ts";

/**
 * The time export (CSV, RFC 4180: CRLF records, fields quoted when they hold a comma, quote or
 * line break), shared by GET /api/time-entries/export.csv and the staff page's /time/export.csv.
 * Times are local to each entry's own time zone, the one its date and midnight split were made in.
 */
export const TIME_CSV_COLUMNS = [
  "date",
  "member",
  "client",
  "project",
  "task",
  "description",
  "billable",
  "start",
  "end",
  "time_zone",
  "duration_hours",
  "duration_seconds",
  "status",
] as const;

/** "2026-11-24 22:00" — the wall-clock time of an instant in a time zone. */
export function localDateTime(instant: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function timeEntriesCsv(entries: TimeEntry[]): string {
  return stringify(
    entries.map((e) => ({
      date: e.entry_date,
      member: e.user_name,
      client: e.client_name ?? "",
      project: e.project_name,
      task: e.task_title ?? "",
      description: e.description,
      billable: e.is_billable ? "yes" : "no",
      start: e.started_at ? localDateTime(e.started_at, e.time_zone) : "",
      end: e.ended_at ? localDateTime(e.ended_at, e.time_zone) : "",
      time_zone: e.time_zone,
      duration_hours: decimalHours(e.duration_seconds),
      duration_seconds: e.duration_seconds,
      status: e.status,
    })),
    // Named columns: an export that matches nothing is still a file with its header row.
    { header: true, columns: [...TIME_CSV_COLUMNS], record_delimiter: "windows" },
  );
}

/** The export as a download: entries matching the filters that the caller may see. */
export async function timeCsvResponse({
  claims,
  agencyId,
  filters,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters: EntryFilters;
}): Promise<Response> {
  const entries = await exportEntries({ claims, agencyId, filters });
  const range = [filters.from ?? "start", filters.to ?? new Date().toISOString().slice(0, 10)].join("_");
  return new Response(timeEntriesCsv(entries), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="time-entries_${range}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
