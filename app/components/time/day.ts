import type { TimeEntry } from "#app/models/time-entries.server.ts";
import { localDate, localTime } from "./zoned.ts";

/**
 * One person's day as the day view shows it: timed entries in order with the gaps between them,
 * then the entries logged as a duration, and the totals. Times are read in each entry's own zone
 * (the one that decided its date and its midnight split).
 */
export type DayEntry = Pick<
  TimeEntry,
  | "id"
  | "project_id"
  | "project_name"
  | "client_name"
  | "task_id"
  | "task_title"
  | "description"
  | "is_billable"
  | "started_at"
  | "ended_at"
  | "entry_date"
  | "duration_seconds"
  | "status"
  | "time_zone"
  | "split_group_id"
  | "invoice_id"
>;

export type DayRow =
  | {
      kind: "entry";
      entry: DayEntry;
      /** "00:00–…" part of an entry that began the day before. */
      fromPreviousDay: boolean;
      /** "…–24:00" part of an entry that goes on after midnight. */
      intoNextDay: boolean;
    }
  | { kind: "gap"; seconds: number; start: string; end: string; time_zone: string };

/** Gaps shorter than this are rounding, not untracked time. */
const MIN_GAP_SECONDS = 60;

export function isLocked(entry: Pick<DayEntry, "status" | "invoice_id">): boolean {
  return entry.status === "submitted" || entry.status === "approved" || entry.invoice_id !== null;
}

export function dayView(entries: DayEntry[]): {
  timed: DayRow[];
  durations: DayEntry[];
  total: number;
  billable: number;
} {
  const timed = entries
    .filter((e) => e.started_at && e.ended_at)
    .sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
  const rows: DayRow[] = [];
  let previous: DayEntry | undefined;
  for (const entry of timed) {
    if (previous) {
      const seconds = Math.round((Date.parse(entry.started_at!) - Date.parse(previous.ended_at!)) / 1000);
      if (seconds >= MIN_GAP_SECONDS) {
        rows.push({
          kind: "gap",
          seconds,
          start: previous.ended_at!,
          end: entry.started_at!,
          time_zone: entry.time_zone,
        });
      }
    }
    const split = entry.split_group_id !== null;
    rows.push({
      kind: "entry",
      entry,
      fromPreviousDay: split && localTime(entry.started_at!, entry.time_zone) === "00:00",
      intoNextDay: split && localDate(entry.ended_at!, entry.time_zone) > entry.entry_date,
    });
    if (!previous || Date.parse(entry.ended_at!) > Date.parse(previous.ended_at!)) previous = entry;
  }
  const durations = entries.filter((e) => !e.started_at);
  const total = entries.reduce((sum, e) => sum + e.duration_seconds, 0);
  const billable = entries.reduce((sum, e) => sum + (e.is_billable ? e.duration_seconds : 0), 0);
  return { timed: rows, durations, total, billable };
}

/** "09:00–10:30", with 24:00 for an end at the next midnight. */
export function timeRange(entry: Pick<DayEntry, "started_at" | "ended_at" | "time_zone" | "entry_date">): string {
  if (!entry.started_at || !entry.ended_at) return "";
  const end =
    localDate(entry.ended_at, entry.time_zone) > entry.entry_date
      ? "24:00"
      : localTime(entry.ended_at, entry.time_zone);
  return `${localTime(entry.started_at, entry.time_zone)}–${end}`;
}
