import { formatDate } from "#app/components/pipeline/format.ts";

/** "15 Dec" this year, "15 Dec 2027" otherwise: a board card has little room. */
export function formatDue(isoDate: string, today: string): string {
  if (isoDate.slice(0, 4) !== today.slice(0, 4)) return formatDate(isoDate);
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${isoDate.slice(0, 10)}T00:00:00Z`),
  );
}

export { formatDate };
