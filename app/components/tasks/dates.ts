import type { TaskStatus } from "./labels.ts";

/**
 * Calendar arithmetic on "YYYY-MM-DD" strings. "Today" is taken in the person's profile time
 * zone on the server and in the browser alike, so both render the same overdue marks.
 */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      now,
    );
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The Sunday ending the ISO week (Monday to Sunday) that contains `isoDate`. */
export function endOfWeek(isoDate: string): string {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(isoDate, weekday === 0 ? 0 : 7 - weekday);
}

/** A finished task is never overdue. */
export function isOverdue(dueDate: string | null, status: TaskStatus, today: string): boolean {
  return Boolean(dueDate && status !== "done" && dueDate.slice(0, 10) < today);
}

export type DueGroup = "overdue" | "this_week" | "later" | "none";

export const dueGroups: { key: DueGroup; label: string }[] = [
  { key: "overdue", label: "Overdue" },
  { key: "this_week", label: "Due this week" },
  { key: "later", label: "Later" },
  { key: "none", label: "No due date" },
];

export function dueGroupOf(dueDate: string | null, status: TaskStatus, today: string): DueGroup {
  if (!dueDate) return "none";
  if (isOverdue(dueDate, status, today)) return "overdue";
  return dueDate.slice(0, 10) <= endOfWeek(today) ? "this_week" : "later";
}
