import type { TaskStatus } from "./labels.ts";

import { addDays, localToday } from "#app/utils/calendar-dates.ts";

/** "Today" in the person's profile zone, on the server and in the browser alike (same overdue marks). */
export { addDays, localToday as todayIn };

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
