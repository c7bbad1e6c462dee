import type { z } from "zod";

/**
 * One error type for everything a user can get wrong. The database raises rule violations with a
 * stable hint (`raise … using hint = 'last_owner'`); this maps them, and zod failures, to a status,
 * a stable `code` and per-field messages that both forms and the JSON API show.
 */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldErrors = {},
    /** Extra members for the problem body, e.g. the entry an overlap collides with. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function validationError(error: z.ZodError): AppError {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.join(".") : "_";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return new AppError(422, "validation_failed", "Some fields need attention.", fieldErrors);
}

interface PgErrorLike {
  code: string;
  message: string;
  hint?: string;
  detail?: string;
  column_name?: string;
  constraint_name?: string;
  table_name?: string;
}

function asPgError(error: unknown): PgErrorLike | undefined {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const candidate = current as Partial<PgErrorLike> & { name?: string };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code) && candidate.message) {
      return candidate as PgErrorLike;
    }
  }
  return undefined;
}

/** Which field a rule is about, so a form can put the message next to it. */
const fieldForHint: Record<string, string> = {
  already_member: "email",
  member_deactivated: "email",
  already_invited: "email",
  invitation_email_mismatch: "email",
  contact_email_missing: "email",
  owner_required: "role",
  last_owner: "role",
  lost_reason_required: "lost_reason",
  unknown_stage: "stage",
  assignee_not_active: "assigned_to",
  tag_too_long: "tags",
  assignee_not_on_team: "assignee_id",
  dependency_cycle: "depends_on",
  dependency_other_project: "depends_on",
  dependency_not_done: "status",
  override_reason_required: "override_reason",
  project_closed: "_",
  milestone_approved: "status",
  cell_has_timed_entries: "duration_seconds",
  rejection_reason_required: "reason",
  timesheet_empty: "week_start",
  invalid_week: "week_start",
  invalid_paid_at: "paid_at",
  invoice_target_mismatch: "project_id",
  // Invoicing (the functions also name the column; the hint is the contract).
  milestone_not_billable: "milestone_ids",
  invalid_grouping: "grouping",
  due_before_issue: "due_date",
  payment_exceeds_due: "amount_cents",
  refund_exceeds_paid: "amount_cents",
  invalid_amount: "amount_cents",
  invoice_no_recipient: "to_email",
  invalid_email: "to_email",
  too_long: "message",
  start_too_early: "start_date",
};

/** A rule's DETAIL may carry a JSON object for the caller (never a message). */
function detailObject(detail: string | undefined): Record<string, unknown> {
  if (!detail?.startsWith("{")) return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Constraints whose name does not end in the field a person sent (multi-column checks and
 * composite keys), with the message to show for them.
 */
const fieldForConstraint: Record<string, { field: string; message?: string; code?: string }> = {
  projects_deadline_after_start: { field: "deadline", message: "The deadline cannot be before the start date." },
  tasks_due_after_start: { field: "due_date", message: "The due date cannot be before the start date." },
  tasks_assignee_on_team_fkey: { field: "assignee_id", message: "Add this person to the project's team first." },
  tasks_milestone_in_project_fkey: { field: "milestone_id", message: "Pick a milestone of this project." },
  task_dependencies_check: { field: "depends_on", message: "A task cannot depend on itself." },
  time_entries_no_overlap: { field: "started_at", message: "This overlaps another of your entries." },
  invoices_due_after_issue: { field: "due_date", message: "The due date cannot be before the issue date." },
  invoices_period_in_order: { field: "period_to", message: "The period cannot end before it starts." },
  recurring_invoices_ends_after_start: { field: "end_date", message: "The schedule cannot end before it starts." },
  recurring_invoices_bill_something: {
    field: "lines",
    message: "Give the schedule a retainer amount or at least one line.",
  },
  recurring_invoices_lines_shape: {
    field: "lines",
    message: "Each line needs a description, a quantity above zero, a whole-cent price and a tax rate of 0–100 %.",
  },
  agencies_reminder_offsets_days_check: {
    field: "reminder_offsets_days",
    message: "Up to 8 reminder days, each between 60 days before and 120 days after the due date.",
  },
  time_entries_part_at_most_12h: {
    field: "duration_seconds",
    message: "An entry can be at most 12 hours.",
    code: "entry_too_long",
  },
};

/**
 * Constraint `table_column_check` → `column`. Tenant foreign keys are composite
 * (`deals_agency_id_client_id_fkey`); the field a person sent is the part after agency_id.
 */
function fieldFromConstraint(error: PgErrorLike): string {
  if (error.column_name) return error.column_name;
  const known = fieldForConstraint[error.constraint_name ?? ""];
  if (known) return known.field;
  const table = error.table_name ?? "";
  const name = (error.constraint_name ?? "").replace(new RegExp(`^${table}_`), "");
  return name.replace(/_(check|fkey|key|not_null)$/, "").replace(/^agency_id_(?=.)/, "") || "_";
}

export function fromDatabaseError(error: unknown): AppError | undefined {
  const pg = asPgError(error);
  if (!pg) return undefined;
  // Hints are snake_case codes, digits allowed (day_over_24h); anything else is prose, not a code.
  const hint = pg.hint && /^[a-z][a-z0-9_]*$/.test(pg.hint) ? pg.hint : undefined;
  switch (pg.code) {
    case "P0001": {
      const code = hint ?? "rule_violated";
      if (code === "rate_limited") return new AppError(429, code, capitalize(pg.message));
      const field = fieldForHint[code] ?? pg.column_name ?? "_";
      return new AppError(
        422,
        code,
        capitalize(pg.message),
        { [field]: [capitalize(pg.message)] },
        detailObject(pg.detail),
      );
    }
    case "23P01": {
      // Exclusion constraints are the race backstop of a rule the triggers explain first.
      const code = fieldForConstraint[pg.constraint_name ?? ""]?.field === "started_at" ? "overlap" : "conflict";
      const message =
        fieldForConstraint[pg.constraint_name ?? ""]?.message ?? "That conflicts with an existing record.";
      return new AppError(code === "overlap" ? 422 : 409, code, message, { started_at: [message] });
    }
    case "40001":
    case "40P01":
      return new AppError(
        409,
        "concurrent_change",
        "Someone changed the same records at the same time. Please try again.",
      );
    case "P0002":
      return new AppError(404, hint ?? "not_found", capitalize(pg.message));
    case "42501":
      return new AppError(403, hint ?? "forbidden", hint ? capitalize(pg.message) : "You are not allowed to do that.");
    case "23505":
      return new AppError(409, "conflict", "That already exists.", { [fieldFromConstraint(pg)]: ["Already taken."] });
    case "23514": {
      const field = fieldFromConstraint(pg);
      const known = fieldForConstraint[pg.constraint_name ?? ""];
      const message = known?.message;
      // A rule's backstop constraint answers with the rule's code (the trigger normally speaks first).
      return new AppError(422, known?.code ?? "invalid_value", message ?? `The value of ${field} is not allowed.`, {
        [field]: [message ?? "Not a valid value."],
      });
    }
    case "23503": {
      const field = fieldFromConstraint(pg);
      const message = fieldForConstraint[pg.constraint_name ?? ""]?.message;
      return new AppError(422, "invalid_reference", message ?? `${field} refers to something that does not exist.`, {
        [field]: [message ?? "Unknown value."],
      });
    }
    case "23502": {
      const field = pg.column_name ?? "_";
      return new AppError(422, "missing_value", `${field} is required.`, { [field]: ["Required."] });
    }
    case "22P02":
    case "22007":
    case "22008":
      return new AppError(400, "malformed_value", "A value has the wrong format.");
    default:
      return undefined;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
