import type { TaskPriority, TaskStatus } from "#db/schema.ts";

export type { TaskPriority, TaskStatus };

/** Board order: the way work flows. */
export const taskStatuses: TaskStatus[] = ["todo", "in_progress", "review", "done"];

export const statusLabel: Record<TaskStatus, string> = {
  todo: "To do",
  in_progress: "In progress",
  review: "Review",
  done: "Done",
};

/** Most pressing first, as in filters and selects. */
export const taskPriorities: TaskPriority[] = ["urgent", "high", "medium", "low"];

export const priorityLabel: Record<TaskPriority, string> = {
  urgent: "Urgent",
  high: "High",
  medium: "Medium",
  low: "Low",
};

export const priorityTone: Record<TaskPriority, "zinc" | "green" | "amber" | "red" | "brand"> = {
  urgent: "red",
  high: "amber",
  medium: "brand",
  low: "zinc",
};

export const statusOptions = taskStatuses.map((value) => ({ value, label: statusLabel[value] }));
export const priorityOptions = taskPriorities.map((value) => ({ value, label: priorityLabel[value] }));

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === "string" && (taskStatuses as string[]).includes(value);
}
