import { z } from "zod";
import { uuid } from "#app/utils/api/schemas.ts";
import { addDays } from "#app/utils/calendar-dates.ts";
import { parseDuration } from "#app/utils/durations.ts";

/**
 * The timer's and the day view's forms: the strings a <form> posts → what the time models take.
 * Empty means "not set". Only the shape is checked here; every rule about time is the database's.
 */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const projectId = z.uuid({ error: "Choose a project." });
const taskId = z.preprocess(blank, uuid.optional());
const description = z.string().trim().max(2000, "Use at most 2,000 characters.").default("");
/** "" = the project's default (projects.time_billable_default), decided by the database. */
const isBillable = z
  .enum(["", "true", "false"], { error: "Choose billable, not billable or the project's default." })
  .default("")
  .transform((value) => (value === "" ? null : value === "true"));
/** An <input type="datetime-local"> value, wall clock of the person's profile zone. */
const localDateTime = z
  .string({ error: "Enter a date and time." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter a date and time such as 2026-11-26 17:30.");
const clock = z.preprocess(
  blank,
  z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time such as 09:30.")
    .optional(),
);
/** Where a form without JavaScript returns to: a local path only (never another site). */
const redirectTo = z
  .string()
  .regex(/^\/(?![/\\])[^\s]*$/)
  .optional()
  .catch(undefined);
/** Fetchers send respond=json and get the result as data instead of a redirect. */
const respond = z.literal("json").optional().catch(undefined);

const timerTarget = { project_id: projectId, task_id: taskId, description, is_billable: isBillable };

export const TimerAction = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("start"), ...timerTarget, redirect_to: redirectTo, respond }),
    z.object({ intent: z.literal("stop"), redirect_to: redirectTo, respond }),
    z.object({ intent: z.literal("stop_at"), ended_at: localDateTime, redirect_to: redirectTo, respond }),
    z.object({ intent: z.literal("discard"), redirect_to: redirectTo, respond }),
    z.object({
      intent: z.literal("update"),
      ...timerTarget,
      started_at: z.preprocess(blank, localDateTime.optional()),
      redirect_to: redirectTo,
      respond,
    }),
  ],
  { error: "Choose start, stop, stop at, discard or update." },
);
export type TimerActionInput = z.infer<typeof TimerAction>;

const entryFields = {
  project_id: projectId,
  task_id: taskId,
  description,
  is_billable: isBillable,
  date: z.iso.date({ error: "Use a date such as 2026-11-26." }),
  /** Start and end, or a duration. */
  mode: z.enum(["times", "duration"]).default("times").catch("times"),
  start: clock,
  end: clock,
  duration: z.preprocess(blank, z.string().max(20, "Enter a duration such as 1:30, 1.5 or 90m.").optional()),
};

type EntryFields = { mode: "times" | "duration"; start?: string; end?: string; duration?: string };

function timesOrDuration(form: EntryFields, ctx: z.RefinementCtx) {
  if (form.mode === "times") {
    if (!form.start) ctx.addIssue({ code: "custom", path: ["start"], message: "Enter a start time." });
    if (!form.end) ctx.addIssue({ code: "custom", path: ["end"], message: "Enter an end time." });
    if (form.start && form.start === form.end) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "The end must be after the start." });
    }
  } else {
    const seconds = form.duration ? parseDuration(form.duration) : null;
    if (!seconds) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "Enter a duration such as 1:30, 1.5 or 90m." });
    }
  }
}

export const DayAction = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create"), ...entryFields }).superRefine(timesOrDuration),
    z.object({ intent: z.literal("update"), entry_id: uuid, ...entryFields }).superRefine(timesOrDuration),
    z.object({ intent: z.literal("delete"), entry_id: uuid }),
  ],
  { error: "Choose create, update or delete." },
);
export type DayActionInput = z.infer<typeof DayAction>;
export type EntryFormInput = Extract<DayActionInput, { intent: "create" | "update" }>;

/** The instants of a form's start and end on its date; an end at or before the start is the next day. */
export function entryTimes(
  input: { date: string; start: string; end: string },
  toInstant: (local: string) => Date | null,
): { started_at: string; ended_at: string } | null {
  const start = toInstant(`${input.date}T${input.start}`);
  const endDate = input.end <= input.start ? addDays(input.date, 1) : input.date;
  const end = toInstant(`${endDate}T${input.end}`);
  if (!start || !end) return null;
  return { started_at: start.toISOString(), ended_at: end.toISOString() };
}

/**
 * The database names the column a rule is about (started_at, duration_seconds…); the forms name
 * their fields for people (start, duration…). A duration rule on a timed entry belongs at its end.
 */
export function formFieldErrors(fieldErrors: Record<string, string[]>, timed: boolean): Record<string, string[]> {
  const rename: Record<string, string> = {
    started_at: "start",
    ended_at: "end",
    entry_date: "date",
    duration_seconds: timed ? "end" : "duration",
  };
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const name = rename[field] ?? field;
    out[name] = [...(out[name] ?? []), ...messages];
  }
  return out;
}

/** Fields the entry and timer forms show messages at. */
export const entryFormFields = [
  "project_id",
  "task_id",
  "description",
  "is_billable",
  "date",
  "mode",
  "start",
  "end",
  "duration",
];
export const timerFormFields = ["project_id", "task_id", "description", "is_billable", "started_at", "ended_at"];

/**
 * The form-level message: the general one and any field message the form has no field for (a
 * start refused because the running timer could not be stopped names ended_at, which the Start
 * form does not show). Nothing a rule says may get lost.
 */
export function generalMessage(
  failure: { formError?: string; fieldErrors: Record<string, string[]> } | undefined,
  shown: readonly string[],
): string | undefined {
  if (!failure) return undefined;
  const unplaced = Object.entries(failure.fieldErrors)
    .filter(([field]) => !shown.includes(field))
    .flatMap(([, messages]) => messages);
  const parts = [failure.formError, ...unplaced].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : undefined;
}
