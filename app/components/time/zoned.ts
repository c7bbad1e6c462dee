/**
 * Wall-clock time in a person's IANA zone, with Intl only (no date library in this project).
 * Times people type ("stop at 17:30", "09:00–12:15") are wall-clock in their profile zone; the
 * database stores instants. A time in a DST gap moves forward (02:30 → 03:30), an ambiguous one
 * (the hour the clocks go back) is its first occurrence.
 */
type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows the zone (profiles are checked by the database; this guards the rest). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-11-26T17:30" on the wall clock of `timeZone` → the instant, or null when the text is not
 * a real date and time.
 */
export function zonedToInstant(local: string, timeZone: string): Date | null {
  const match = LOCAL.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23) return null;
  // The zone's offsets half a day either side: one of them is right unless the time falls in a
  // DST gap (then the earlier offset moves it forward) or an ambiguous hour (the first one wins).
  const HALF_DAY = 12 * 3600 * 1000;
  const candidates = [offsetAt(wall - HALF_DAY, timeZone), offsetAt(wall + HALF_DAY, timeZone)]
    .map((offset) => wall - offset)
    .filter((instant) => {
      const w = wallClock(new Date(instant), timeZone);
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === wall;
    });
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wall - offsetAt(wall - HALF_DAY, timeZone));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar date of an instant in a zone: "2026-11-26". */
export function localDate(iso: string | Date, timeZone: string): string {
  const w = wallClock(new Date(iso), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** "17:30" — an instant's wall-clock time in a zone. */
export function localTime(iso: string | Date, timeZone: string): string {
  const w = wallClock(new Date(iso), timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** The value of an <input type="datetime-local"> for an instant: "2026-11-26T17:30". */
export function localDateTimeInput(iso: string | Date, timeZone: string): string {
  return `${localDate(iso, timeZone)}T${localTime(iso, timeZone)}`;
}
