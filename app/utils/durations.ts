/**
 * Durations as people type and read them. Parsing accepts "1:30", "1.5", "1,5", "1h 30m", "90m",
 * "45 min"; a bare number is hours. Answers whole seconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase().replace(",", ".");
  if (value === "") return null;
  const clock = /^(\d{1,2}):([0-5]\d)$/.exec(value);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60;
  const units = /^(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$/.exec(value);
  if (units && (units[1] || units[2])) {
    return Math.round(Number(units[1] ?? 0) * 3600) + Number(units[2] ?? 0) * 60;
  }
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 3600);
  return null;
}

/** "1:05" — hours and minutes, the way timesheets show time. */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "1.08" — decimal hours with two places (exports and reports). */
export function decimalHours(seconds: number): string {
  return (seconds / 3600).toFixed(2);
}

/** "01:02:03" — a running timer. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}`;
}
