import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgSchema,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Drizzle mirror of the migrated database, for typed queries in app/models. Keys are the column
 * names (snake_case), so rows go to the JSON API exactly as the database names them. The migrations in
 * supabase/migrations are the source of truth; tests/integration/schema-drift.test.ts fails when
 * this file and the database disagree on tables, columns, types or nullability.
 */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export const agencyRole = pgEnum("agency_role", ["owner", "manager", "member"]);
export type AgencyRole = (typeof agencyRole.enumValues)[number];

export const currencies = pgTable("currencies", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  minor_units: smallint("minor_units").notNull(),
});

export const agencies = pgTable("agencies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  logo_url: text("logo_url"),
  brand_color: text("brand_color").notNull(),
  currency: text("currency").notNull(),
  timezone: text("timezone").notNull(),
  default_tax_rate_bp: integer("default_tax_rate_bp").notNull(),
  default_hourly_rate_cents: integer("default_hourly_rate_cents").notNull(),
  invoice_prefix: text("invoice_prefix").notNull(),
  payment_terms_days: integer("payment_terms_days").notNull(),
  subscription_plan: text("subscription_plan").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  invoice_requires_approved_time: boolean("invoice_requires_approved_time").notNull(),
  address: text("address"),
  stripe_account_id: text("stripe_account_id"),
  reminder_offsets_days: smallint("reminder_offsets_days").array().notNull(),
});

export const profiles = pgTable("profiles", {
  user_id: uuid("user_id").primaryKey(),
  email: text("email").notNull(),
  name: text("name").notNull(),
  avatar_url: text("avatar_url"),
  timezone: text("timezone").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const agencyMembers = pgTable("agency_members", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  user_id: uuid("user_id").notNull(),
  role: agencyRole("role").notNull(),
  capacity_hours_weekly: numeric("capacity_hours_weekly", { precision: 5, scale: 2 }).notNull(),
  is_active: boolean("is_active").notNull(),
  deactivated_at: timestamptz("deactivated_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const memberRates = pgTable(
  "member_rates",
  {
    agency_id: uuid("agency_id").notNull(),
    user_id: uuid("user_id").notNull(),
    hourly_rate_cents: integer("hourly_rate_cents"),
    cost_rate_cents: integer("cost_rate_cents"),
    updated_at: timestamptz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agency_id, t.user_id] })],
);

export const auditLog = pgTable("audit_log", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  agency_id: uuid("agency_id").notNull(),
  actor_id: uuid("actor_id"),
  actor_role: text("actor_role").notNull(),
  table_name: text("table_name").notNull(),
  row_id: text("row_id").notNull(),
  action: text("action").notNull(),
  old_values: jsonb("old_values"),
  new_values: jsonb("new_values"),
  reason: text("reason"),
  created_at: timestamptz("created_at").notNull(),
});

export const clientRelationship = pgEnum("client_relationship", ["lead", "prospect", "active", "inactive"]);
export type ClientRelationship = (typeof clientRelationship.enumValues)[number];
export const activityKind = pgEnum("activity_kind", ["note", "call", "meeting", "email", "system"]);
export type ActivityKind = (typeof activityKind.enumValues)[number];

export const clients = pgTable("clients", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  name: text("name").notNull(),
  archived_at: timestamptz("archived_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  industry: text("industry"),
  tags: text("tags").array().notNull(),
  size: text("size"),
  website: text("website"),
  address: text("address"),
  country: text("country"),
  currency: text("currency"),
  relationship: clientRelationship("relationship").notNull(),
  notes: text("notes"),
  stripe_customer_id: text("stripe_customer_id"),
  last_activity_at: timestamptz("last_activity_at"),
  search_text: text("search_text").notNull(),
});

export const clientContacts = pgTable("client_contacts", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  name: text("name").notNull(),
  email: text("email"),
  phone: text("phone"),
  user_id: uuid("user_id"),
  portal_access_granted_at: timestamptz("portal_access_granted_at"),
  portal_access_revoked_at: timestamptz("portal_access_revoked_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  title: text("title"),
  is_primary: boolean("is_primary").notNull(),
});

export const clientActivities = pgTable("client_activities", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  kind: activityKind("kind").notNull(),
  event: text("event"),
  body: text("body"),
  data: jsonb("data").notNull(),
  occurred_at: timestamptz("occurred_at").notNull(),
  created_by: uuid("created_by"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  deal_id: uuid("deal_id"),
  project_id: uuid("project_id"),
});

export const stageKind = pgEnum("stage_kind", ["open", "won", "lost"]);
export type StageKind = (typeof stageKind.enumValues)[number];
export const billingType = pgEnum("billing_type", ["hourly", "fixed", "retainer"]);
export type BillingType = (typeof billingType.enumValues)[number];
export const projectStatus = pgEnum("project_status", ["planning", "active", "on_hold", "completed", "archived"]);
export type ProjectStatus = (typeof projectStatus.enumValues)[number];
export const taskStatus = pgEnum("task_status", ["todo", "in_progress", "review", "done"]);
export type TaskStatus = (typeof taskStatus.enumValues)[number];

export const pipelineStages = pgTable("pipeline_stages", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  key: text("key").notNull(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
  default_probability: integer("default_probability").notNull(),
  kind: stageKind("kind").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const projectTemplates = pgTable("project_templates", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  name: text("name").notNull(),
  description: text("description"),
  billing_type: billingType("billing_type").notNull(),
  is_default: boolean("is_default").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const projectTemplateTasks = pgTable("project_template_tasks", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  template_id: uuid("template_id").notNull(),
  title: text("title").notNull(),
  position: integer("position").notNull(),
  created_at: timestamptz("created_at").notNull(),
});

export const deals = pgTable("deals", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  stage_id: uuid("stage_id").notNull(),
  title: text("title").notNull(),
  description: text("description"),
  value_cents: bigint("value_cents", { mode: "number" }).notNull(),
  currency: text("currency").notNull(),
  probability: integer("probability").notNull(),
  expected_close_date: date("expected_close_date", { mode: "string" }),
  assigned_to: uuid("assigned_to"),
  billing_type: billingType("billing_type").notNull(),
  template_id: uuid("template_id"),
  lost_reason: text("lost_reason"),
  position: doublePrecision("position").notNull(),
  closed_at: timestamptz("closed_at"),
  created_by: uuid("created_by"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const projects = pgTable("projects", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  source_deal_id: uuid("source_deal_id"),
  name: text("name").notNull(),
  description: text("description"),
  status: projectStatus("status").notNull(),
  billing_type: billingType("billing_type").notNull(),
  budget_cents: bigint("budget_cents", { mode: "number" }),
  currency: text("currency").notNull(),
  start_date: date("start_date", { mode: "string" }),
  deadline: date("deadline", { mode: "string" }),
  template_id: uuid("template_id"),
  created_by: uuid("created_by"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  manager_id: uuid("manager_id"),
  budget_hours: numeric("budget_hours", { precision: 9, scale: 2 }),
  hourly_rate_cents: integer("hourly_rate_cents"),
  time_billable_default: boolean("time_billable_default").notNull(),
  invoice_rounding: text("invoice_rounding").notNull(),
  invoice_rounding_minutes: smallint("invoice_rounding_minutes").notNull(),
});

export const taskPriority = pgEnum("task_priority", ["low", "medium", "high", "urgent"]);
export const milestoneStatus = pgEnum("milestone_status", ["pending", "reached", "approved"]);
export type TaskPriority = (typeof taskPriority.enumValues)[number];
export type MilestoneStatus = (typeof milestoneStatus.enumValues)[number];

/** billable_rate_cents is hidden from members by column grants: select it via project_member_rates(). */
export const projectMembers = pgTable(
  "project_members",
  {
    agency_id: uuid("agency_id").notNull(),
    project_id: uuid("project_id").notNull(),
    user_id: uuid("user_id").notNull(),
    billable_rate_cents: integer("billable_rate_cents"),
    created_at: timestamptz("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agency_id, t.project_id, t.user_id] })],
);

export const milestones = pgTable("milestones", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  project_id: uuid("project_id").notNull(),
  title: text("title").notNull(),
  description: text("description"),
  due_date: date("due_date", { mode: "string" }),
  amount_cents: bigint("amount_cents", { mode: "number" }),
  status: milestoneStatus("status").notNull(),
  reached_at: timestamptz("reached_at"),
  approved_at: timestamptz("approved_at"),
  position: integer("position").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  invoice_id: uuid("invoice_id"),
  invoice_line_id: uuid("invoice_line_id"),
});

export const tasks = pgTable("tasks", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  project_id: uuid("project_id").notNull(),
  title: text("title").notNull(),
  status: taskStatus("status").notNull(),
  position: integer("position").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  description: text("description"),
  priority: taskPriority("priority").notNull(),
  assignee_id: uuid("assignee_id"),
  start_date: date("start_date", { mode: "string" }),
  due_date: date("due_date", { mode: "string" }),
  estimated_hours: numeric("estimated_hours", { precision: 7, scale: 2 }),
  milestone_id: uuid("milestone_id"),
  completed_at: timestamptz("completed_at"),
  created_by: uuid("created_by"),
});

export const taskDependencies = pgTable(
  "task_dependencies",
  {
    agency_id: uuid("agency_id").notNull(),
    project_id: uuid("project_id").notNull(),
    task_id: uuid("task_id").notNull(),
    depends_on_task_id: uuid("depends_on_task_id").notNull(),
    created_at: timestamptz("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.task_id, t.depends_on_task_id] })],
);

export const taskComments = pgTable("task_comments", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  task_id: uuid("task_id").notNull(),
  author_id: uuid("author_id").notNull(),
  body: text("body").notNull(),
  created_at: timestamptz("created_at").notNull(),
});

export const timeEntryStatus = pgEnum("time_entry_status", ["draft", "submitted", "approved", "rejected"]);

export const timeEntries = pgTable("time_entries", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  user_id: uuid("user_id").notNull(),
  project_id: uuid("project_id").notNull(),
  task_id: uuid("task_id"),
  description: text("description").notNull(),
  is_billable: boolean("is_billable").notNull(),
  started_at: timestamptz("started_at"),
  ended_at: timestamptz("ended_at"),
  entry_date: date("entry_date", { mode: "string" }).notNull(),
  duration_seconds: integer("duration_seconds").notNull(),
  status: timeEntryStatus("status").notNull(),
  billable_rate_cents: integer("billable_rate_cents").notNull(),
  cost_rate_cents: integer("cost_rate_cents").notNull(),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  time_zone: text("time_zone").notNull(),
  split_group_id: uuid("split_group_id"),
  invoice_id: uuid("invoice_id"),
  invoice_line_id: uuid("invoice_line_id"),
});

export const invoiceStatus = pgEnum("invoice_status", ["draft", "sent", "partially_paid", "paid", "overdue", "void"]);
export const invoiceLineKind = pgEnum("invoice_line_kind", ["time", "milestone", "manual", "discount", "expense"]);
export const paymentMethod = pgEnum("payment_method", ["stripe", "bank_transfer", "cash", "card", "other"]);

/** Totals, numbers and status are written by the database (ADR 011); the app reads them. */
export const invoices = pgTable("invoices", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  project_id: uuid("project_id"),
  invoice_number: text("invoice_number"),
  sequence_number: integer("sequence_number"),
  status: invoiceStatus("status").notNull(),
  currency: text("currency").notNull(),
  issue_date: date("issue_date", { mode: "string" }),
  due_date: date("due_date", { mode: "string" }),
  period_from: date("period_from", { mode: "string" }),
  period_to: date("period_to", { mode: "string" }),
  notes: text("notes"),
  terms: text("terms"),
  subtotal_cents: bigint("subtotal_cents", { mode: "number" }).notNull(),
  tax_cents: bigint("tax_cents", { mode: "number" }).notNull(),
  total_cents: bigint("total_cents", { mode: "number" }).notNull(),
  amount_paid_cents: bigint("amount_paid_cents", { mode: "number" }).notNull(),
  checkout_url: text("checkout_url"),
  stripe_checkout_session_id: text("stripe_checkout_session_id"),
  sent_at: timestamptz("sent_at"),
  viewed_at: timestamptz("viewed_at"),
  paid_at: timestamptz("paid_at"),
  voided_at: timestamptz("voided_at"),
  void_reason: text("void_reason"),
  created_by: uuid("created_by"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
  public_token: text("public_token").notNull(),
  sent_to_email: text("sent_to_email"),
});

export const invoiceLines = pgTable("invoice_lines", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  invoice_id: uuid("invoice_id").notNull(),
  position: integer("position").notNull(),
  kind: invoiceLineKind("kind").notNull(),
  description: text("description").notNull(),
  quantity: numeric("quantity", { precision: 14, scale: 4 }).notNull(),
  unit_price_cents: bigint("unit_price_cents", { mode: "number" }).notNull(),
  tax_rate_bps: integer("tax_rate_bps").notNull(),
  amount_cents: bigint("amount_cents", { mode: "number" }).notNull(),
  tax_cents: bigint("tax_cents", { mode: "number" }).notNull(),
  project_id: uuid("project_id"),
  created_at: timestamptz("created_at").notNull(),
});

export const invoicePayments = pgTable("invoice_payments", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  invoice_id: uuid("invoice_id").notNull(),
  amount_cents: bigint("amount_cents", { mode: "number" }).notNull(),
  method: paymentMethod("method").notNull(),
  paid_at: timestamptz("paid_at").notNull(),
  reference: text("reference"),
  stripe_event_id: text("stripe_event_id"),
  recorded_by: uuid("recorded_by"),
  created_at: timestamptz("created_at").notNull(),
  stripe_payment_intent_id: text("stripe_payment_intent_id"),
});

export const invoiceActivity = pgTable("invoice_activity", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  invoice_id: uuid("invoice_id").notNull(),
  kind: text("kind").notNull(),
  to_email: text("to_email"),
  reminder_offset_days: smallint("reminder_offset_days"),
  detail: text("detail"),
  stripe_event_id: text("stripe_event_id"),
  actor_id: uuid("actor_id"),
  created_at: timestamptz("created_at").notNull(),
});

export const recurringInvoices = pgTable("recurring_invoices", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  client_id: uuid("client_id").notNull(),
  project_id: uuid("project_id"),
  name: text("name").notNull(),
  frequency: text("frequency").notNull(),
  start_date: date("start_date", { mode: "string" }).notNull(),
  end_date: date("end_date", { mode: "string" }),
  lines: jsonb("lines").notNull(),
  retainer_amount_cents: bigint("retainer_amount_cents", { mode: "number" }),
  last_error: text("last_error"),
  last_error_at: timestamptz("last_error_at"),
  paused_on: date("paused_on", { mode: "string" }),
  tax_rate_bps: integer("tax_rate_bps").notNull(),
  auto_send: boolean("auto_send").notNull(),
  active: boolean("active").notNull(),
  notes: text("notes"),
  created_by: uuid("created_by"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const recurringInvoiceRuns = pgTable(
  "recurring_invoice_runs",
  {
    agency_id: uuid("agency_id").notNull(),
    recurring_invoice_id: uuid("recurring_invoice_id").notNull(),
    period_start: date("period_start", { mode: "string" }).notNull(),
    invoice_id: uuid("invoice_id"),
    skipped: boolean("skipped").notNull(),
    created_at: timestamptz("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agency_id, t.recurring_invoice_id, t.period_start] })],
);

export const timers = pgTable(
  "timers",
  {
    agency_id: uuid("agency_id").notNull(),
    user_id: uuid("user_id").notNull(),
    project_id: uuid("project_id").notNull(),
    task_id: uuid("task_id"),
    description: text("description").notNull(),
    is_billable: boolean("is_billable"),
    started_at: timestamptz("started_at").notNull(),
    created_at: timestamptz("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agency_id, t.user_id] })],
);

export const timesheetStatus = pgEnum("timesheet_status", ["submitted", "approved", "rejected"]);

export const timesheets = pgTable("timesheets", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  user_id: uuid("user_id").notNull(),
  week_start: date("week_start", { mode: "string" }).notNull(),
  status: timesheetStatus("status").notNull(),
  submitted_at: timestamptz("submitted_at").notNull(),
  decided_by: uuid("decided_by"),
  decided_at: timestamptz("decided_at"),
  rejection_reason: text("rejection_reason"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

export const notifications = pgTable("notifications", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  user_id: uuid("user_id").notNull(),
  kind: text("kind").notNull(),
  title: text("title").notNull(),
  body: text("body"),
  link_path: text("link_path"),
  data: jsonb("data").notNull(),
  read_at: timestamptz("read_at"),
  created_at: timestamptz("created_at").notNull(),
});

export const projectBudgetAlerts = pgTable("project_budget_alerts", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  project_id: uuid("project_id").notNull(),
  metric: text("metric").notNull(),
  threshold: smallint("threshold").notNull(),
  percent_used: numeric("percent_used", { precision: 8, scale: 1 }).notNull(),
  crossed_at: timestamptz("crossed_at").notNull(),
  cleared_at: timestamptz("cleared_at"),
});

export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id").notNull(),
  email: text("email").notNull(),
  name: text("name"),
  role: agencyRole("role"),
  client_contact_id: uuid("client_contact_id"),
  token_hash: bytea("token_hash").notNull(),
  invited_by: uuid("invited_by").notNull(),
  expires_at: timestamptz("expires_at").notNull(),
  last_sent_at: timestamptz("last_sent_at").notNull(),
  accepted_at: timestamptz("accepted_at"),
  accepted_by: uuid("accepted_by"),
  revoked_at: timestamptz("revoked_at"),
  created_at: timestamptz("created_at").notNull(),
  updated_at: timestamptz("updated_at").notNull(),
});

/** Tables in `private`: reached only by SQL functions, the worker and the rate limiter. */
export const privateSchema = pgSchema("private");

export const emailOutbox = privateSchema.table("email_outbox", {
  id: uuid("id").primaryKey().defaultRandom(),
  agency_id: uuid("agency_id"),
  to_email: text("to_email").notNull(),
  template: text("template").notNull(),
  data: jsonb("data").notNull(),
  status: text("status").notNull(),
  attempts: integer("attempts").notNull(),
  next_attempt_at: timestamptz("next_attempt_at").notNull(),
  last_error: text("last_error"),
  provider_message_id: text("provider_message_id"),
  created_at: timestamptz("created_at").notNull(),
  sent_at: timestamptz("sent_at"),
});

/** Column names are fixed by rate-limiter-flexible's Drizzle store. */
export const rateLimits = privateSchema.table("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});
