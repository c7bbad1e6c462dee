/**
 * Labels for ISO weeks and their days ("Mon 3 Nov", "3–9 Nov 2026"). Dates are calendar dates
 * ("YYYY-MM-DD"), formatted in UTC so server and browser render the same text.
 */
function utc(isoDate: string): Date {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
}

const weekdayShort = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "UTC" });
const weekdayLong = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const dayMonthLong = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
const dayMonthYear = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "Mon" */
export function weekdayLabel(isoDate: string): string {
  return weekdayShort.format(utc(isoDate));
}

/** "3 Nov" */
export function dayLabel(isoDate: string): string {
  return dayMonth.format(utc(isoDate));
}

/** "Monday 3 November": what a screen reader says for a grid cell. */
export function longDayLabel(isoDate: string): string {
  return `${weekdayLong.format(utc(isoDate))} ${dayMonthLong.format(utc(isoDate))}`;
}

/** "3 Nov 2026" */
export function shortDate(isoDate: string): string {
  return dayMonthYear.format(utc(isoDate));
}

/** "3–9 Nov 2026", "29 Dec 2025 – 4 Jan 2026": the week that starts on `monday`. */
export function weekRange(monday: string): string {
  const start = utc(monday);
  const end = new Date(start);
  end.setUTCDate(end.getUTCDate() + 6);
  if (start.getUTCFullYear() !== end.getUTCFullYear()) {
    return `${dayMonthYear.format(start)} – ${dayMonthYear.format(end)}`;
  }
  if (start.getUTCMonth() !== end.getUTCMonth()) {
    return `${dayMonth.format(start)} – ${dayMonthYear.format(end)}`;
  }
  return `${start.getUTCDate()}–${dayMonthYear.format(end)}`;
}
