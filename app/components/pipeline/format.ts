import { minorUnits } from "#app/utils/money.ts";

/**
 * Display formats for the pipeline. Fixed locale and UTC so the server's HTML and the browser's
 * first render agree (no hydration mismatch), whatever the visitor's time zone.
 */

/** Whole units for totals and cards: "€12,500" — cents are noise at the board's zoom level. */
export function formatWhole(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 }).format(
    cents / 10 ** minorUnits(currency),
  );
}

/** Axis labels: "€12K". */
export function formatCompact(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", {
    style: "currency",
    currency,
    notation: "compact",
    // Both bounds: Node's and the browser's ICU default the minimum differently ("€0.0" vs "€0").
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(cents / 10 ** minorUnits(currency));
}

/** "2026-12-15" → "15 Dec 2026". */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${isoDate.slice(0, 10)}T00:00:00Z`),
  );
}

/** A timestamp's calendar day, in UTC like formatDate. */
export function formatDay(timestamp: string | null | undefined): string {
  return timestamp ? formatDate(new Date(timestamp).toISOString()) : "";
}

/** "2026-12" or "2026-12-01" → "Dec 2026" (long) or "Dec 26" (short, for axes). */
export function formatMonth(month: string, style: "long" | "short" = "long"): string {
  return new Intl.DateTimeFormat("en-GB", {
    month: "short",
    year: style === "long" ? "numeric" : "2-digit",
    timeZone: "UTC",
  }).format(new Date(`${month.slice(0, 7)}-01T00:00:00Z`));
}

/** Whether an open deal's expected close date has passed (UTC day, good enough for a hint). */
export function isOverdue(isoDate: string | null): boolean {
  return Boolean(isoDate && isoDate.slice(0, 10) < new Date().toISOString().slice(0, 10));
}
