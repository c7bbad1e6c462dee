/**
 * Calendar days as integers (days since 1970-01-01, UTC) so the chart's maths is plain
 * arithmetic: no time zones, no daylight-saving hours, and a date from the database
 * ("2026-03-05") round-trips exactly.
 */
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function toDay(iso: string): number {
  const match = ISO_DATE.exec(iso.slice(0, 10));
  if (!match) throw new Error(`Not a date: ${iso}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY);
}

export function fromDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** "2026-02-30" is not a date even though it has the shape of one. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && fromDay(toDay(value)) === value;
}

/** 0 = Monday … 6 = Sunday (day 0 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function startOfWeek(day: number): number {
  return day - weekdayOf(day);
}

export function startOfMonth(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / MS_PER_DAY);
}

export function startOfNextMonth(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / MS_PER_DAY);
}

/** The calendar day it is now where the viewer lives (their profile's zone), as "YYYY-MM-DD". */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(now);
  } catch {
    // An unknown zone name (stale profile) must not break the page: UTC is close enough.
    return now.toISOString().slice(0, 10);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

// Fixed English names rather than Intl: Node's and the browser's ICU disagree ("Sep" vs "Sept"),
// and the server's HTML must match the first render in the browser.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function parts(day: number) {
  const date = new Date(day * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), date: date.getUTCDate() };
}

/** "5 Mar 2026" */
export function formatDay(day: number): string {
  const { year, month, date } = parts(day);
  return `${date} ${MONTHS[month]} ${year}`;
}

/** "5 Mar" */
export function formatShortDay(day: number): string {
  const { month, date } = parts(day);
  return `${date} ${MONTHS[month]}`;
}

/** "Mar" */
export function formatMonthShort(day: number): string {
  return MONTHS[parts(day).month]!;
}

/** "March 2026" */
export function formatMonthYear(day: number): string {
  const { year, month } = parts(day);
  return `${LONG_MONTHS[month]} ${year}`;
}

/** "5 Mar 2026", or "5 – 9 Mar 2026" style ranges that name the year once. */
export function formatRange(start: number, end: number): string {
  if (start === end) return formatDay(start);
  const sameYear = parts(start).year === parts(end).year;
  return `${sameYear ? formatShortDay(start) : formatDay(start)} – ${formatDay(end)}`;
}

/** "1 day", "5 days": both ends count. */
export function formatDuration(days: number): string {
  return days === 1 ? "1 day" : `${days} days`;
}
