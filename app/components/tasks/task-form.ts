import { z } from "zod";
import { uuid } from "#app/utils/api/schemas.ts";
import { taskPriorities, taskStatuses } from "./labels.ts";

/**
 * Form fields of a task as the board and the task page post them. Empty inputs mean "not set"
 * (null); the database checks the rest again (due after start, assignee on the team).
 */
export const optionalDate = z
  .string()
  .trim()
  .refine((value) => value === "" || /^\d{4}-\d{2}-\d{2}$/.test(value), "Use a date such as 2026-12-31.")
  .optional()
  .transform((value) => (value ? value : null));

const optionalId = z
  .union([z.literal(""), uuid])
  .optional()
  .transform((value) => value || null);

const optionalHours = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    const hours = Number(value.replace(",", "."));
    if (!Number.isFinite(hours) || hours < 0 || hours > 10_000) {
      ctx.addIssue({ code: "custom", message: "Enter hours between 0 and 10000, such as 4 or 1.5." });
      return z.NEVER;
    }
    return Math.round(hours * 100) / 100;
  });

/** The editable fields; combine with `dueAfterStart` (kept apart so a form can add its intent). */
export const taskFieldShape = {
  title: z.string().trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
  description: z
    .string()
    .max(20_000, "Use at most 20000 characters.")
    .optional()
    .transform((value) => (value?.trim() ? value : null)),
  priority: z.enum(taskPriorities, { error: "Choose a priority." }),
  assignee_id: optionalId,
  start_date: optionalDate,
  due_date: optionalDate,
  estimated_hours: optionalHours,
  milestone_id: optionalId,
};

export function dueAfterStart(task: { start_date: string | null; due_date: string | null }, ctx: z.RefinementCtx) {
  if (task.start_date && task.due_date && task.due_date < task.start_date) {
    ctx.addIssue({ code: "custom", path: ["due_date"], message: "The due date is before the start date." });
  }
}

export const taskStatusField = z.enum(taskStatuses, { error: "Choose a status." });
