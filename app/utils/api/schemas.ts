import { z } from "zod";

/**
 * Request and response shapes of the JSON API, shared by the routes (parsing) and
 * /api/openapi.json (documentation), so the two cannot disagree. Field names are the database's.
 * Formats are checked here for early, field-level messages; the rules themselves (valid IANA
 * zone, ISO currency, who may do what) are enforced by the database.
 */
export const email = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const password = z
  .string({ error: "Enter a password." })
  .min(8, "Use at least 8 characters.")
  .max(128, "Use at most 128 characters.");

export const personName = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(120, "Use at most 120 characters.");

export const agencyName = z
  .string({ error: "Enter the agency's name." })
  .trim()
  .min(1, "Enter the agency's name.")
  .max(120, "Use at most 120 characters.");

export const timezone = z
  .string({ error: "Choose a time zone." })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, "Use an IANA time zone such as Europe/Berlin.")
  .max(64, "Use an IANA time zone such as Europe/Berlin.");

export const currency = z
  .string({ error: "Choose a currency." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.");

export const role = z.enum(["owner", "manager", "member"], { error: "Choose owner, manager or member." });
export const uuid = z.uuid({ error: "Not a valid id." });

const cents = z
  .number({ error: "Enter an amount in cents." })
  .int("Use whole cents.")
  .min(0, "Cannot be negative.")
  .max(100_000_000, "That is more than the maximum.");

// ------------------------------------------------------------------------------------------
// Auth
// ------------------------------------------------------------------------------------------
export const SignupBody = z.strictObject({
  agency_name: agencyName,
  name: personName,
  email,
  password,
  timezone: timezone.optional(),
  currency: currency.optional(),
});

export const TokenBody = z.strictObject({
  email,
  password: z.string({ error: "Enter your password." }).min(1).max(128),
});
export const RefreshBody = z.strictObject({
  refresh_token: z.string({ error: "Missing refresh_token." }).min(1, "Missing refresh_token.").max(512),
});
export const MagicLinkBody = z.strictObject({
  email,
  redirect_to: z
    .string()
    .regex(/^\/(?!\/)/, "Use a path on this site, like /settings.")
    .max(512)
    .optional(),
});

export const UserRef = z.object({ id: uuid, email: z.string() });
export const AgencyRef = z.object({ id: uuid, name: z.string(), slug: z.string() });
export const TokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
  user: UserRef,
  agency: AgencyRef.optional(),
});

// ------------------------------------------------------------------------------------------
// Me and members
// ------------------------------------------------------------------------------------------
export const MePatchBody = z
  .strictObject({ name: personName.optional(), timezone: timezone.optional() })
  .refine((body) => body.name !== undefined || body.timezone !== undefined, {
    message: "Send name, timezone or both.",
  });

export const MembershipOut = z.object({
  agency_id: uuid,
  agency_name: z.string(),
  agency_slug: z.string(),
  role,
});
export const MeResponse = z.object({
  user: z.object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    timezone: z.string(),
    avatar_url: z.string().nullable(),
  }),
  memberships: z.array(MembershipOut),
  active_agency: MembershipOut.nullable(),
});

export const InviteBody = z.strictObject({ email, name: personName.optional(), role: role.default("member") });

export const MemberPatchBody = z
  .strictObject({
    role: role.optional(),
    is_active: z.boolean({ error: "Use true or false." }).optional(),
    capacity_hours_weekly: z.number({ error: "Enter hours." }).min(0).max(168).optional(),
    hourly_rate_cents: cents.nullable().optional(),
    cost_rate_cents: cents.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." });

export const MemberOut = z.object({
  id: uuid,
  user_id: uuid,
  name: z.string(),
  email: z.string(),
  role,
  is_active: z.boolean(),
  capacity_hours_weekly: z.number(),
  hourly_rate_cents: z.number().int().nullable().describe("null for members looking at colleagues"),
  cost_rate_cents: z.number().int().nullable(),
});

export const InvitationOut = z.object({
  id: uuid,
  email: z.string(),
  name: z.string().nullable(),
  role: role.nullable(),
  expires_at: z.string(),
  last_sent_at: z.string(),
  created_at: z.string(),
});

// ------------------------------------------------------------------------------------------
// Agency settings
// ------------------------------------------------------------------------------------------
export const AgencyPatchBody = z
  .strictObject({
    name: agencyName.optional(),
    logo_url: z.url({ error: "Enter a full URL (https://…)." }).max(2048).nullable().optional(),
    brand_color: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^#[0-9a-f]{6}$/, "Use a hex colour such as #4f46e5.")
      .optional(),
    currency: currency.optional(),
    timezone: timezone.optional(),
    default_tax_rate_bp: z.number().int("Use whole basis points.").min(0).max(10_000).optional(),
    default_hourly_rate_cents: cents.optional(),
    invoice_prefix: z
      .string()
      .max(20, "Use at most 20 characters.")
      .regex(/^[A-Za-z0-9/_.-]*$/, "Use letters, digits and - _ . / only.")
      .optional(),
    payment_terms_days: z.number().int().min(0).max(365).optional(),
    invoice_requires_approved_time: z.boolean({ error: "Use true or false." }).optional(),
    address: z.string().trim().max(500, "Use at most 500 characters.").nullable().optional(),
    stripe_account_id: z
      .string()
      .trim()
      .regex(/^acct_[A-Za-z0-9]{1,64}$/, "Use a Stripe account id such as acct_1Abc.")
      .nullable()
      .optional()
      .describe("the connected account checkout sessions are made on; null: the platform's own"),
    reminder_offsets_days: z
      .array(
        z
          .number({ error: "Enter a number of days." })
          .int("Use whole days.")
          .min(-60, "At most 60 days before the due date.")
          .max(120, "At most 120 days after the due date."),
      )
      .max(8, "Use at most 8 reminder days.")
      .refine((days) => new Set(days).size === days.length, "Name each day once.")
      .optional()
      .describe("payment reminders, in days from the due date (-3: three days before); [] sends none"),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one setting to change." });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe("Stable machine-readable reason"),
  errors: z.record(z.string(), z.array(z.string())).optional().describe("Messages per field"),
  conflicting_entry_id: z.uuid().optional().describe("code overlap: the time entry in the way"),
});

// ------------------------------------------------------------------------------------------
// Clients
// ------------------------------------------------------------------------------------------
const optionalText = (max: number, message = `Use at most ${max} characters.`) =>
  z.string().trim().max(max, message).nullable().optional();

export const relationship = z.enum(["lead", "prospect", "active", "inactive"], {
  error: "Choose lead, prospect, active or inactive.",
});
export const clientSize = z.enum(["1-10", "11-50", "51-200", "201-1000", "1000+"], {
  error: "Choose 1-10, 11-50, 51-200, 201-1000 or 1000+.",
});
const tag = z.string().trim().min(1, "Tags cannot be empty.").max(40, "Tags have at most 40 characters.");
const website = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https?:\/\/\S+$/, "Use a full address such as https://example.com.");

export const contactFields = {
  contact_name: personName.optional(),
  contact_email: email.optional(),
  contact_phone: z.string().trim().max(40, "Use at most 40 characters.").optional(),
  contact_title: z.string().trim().max(120).optional(),
};

const clientFields = {
  industry: optionalText(80),
  tags: z.array(tag).max(20, "Use at most 20 tags.").optional(),
  size: clientSize.nullable().optional(),
  website: website.nullable().optional(),
  address: optionalText(500),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as DE.")
    .nullable()
    .optional(),
  currency: currency.nullable().optional(),
  relationship: relationship.optional(),
  notes: optionalText(20000),
};

const companyName = z
  .string({ error: "Enter the company name." })
  .trim()
  .min(1, "Enter the company name.")
  .max(200, "Use at most 200 characters.");

export const ClientCreateBody = z
  .strictObject({ name: companyName, ...clientFields, ...contactFields })
  .refine((b) => !b.contact_email || b.contact_name, {
    message: "Give the contact a name too.",
    path: ["contact_name"],
  });

export const ClientPatchBody = z
  .strictObject({ name: companyName.optional(), ...clientFields })
  .refine((b) => Object.keys(b).length > 0, { message: "Send at least one field to change." });

export const ClientListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  tag: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean)
        : undefined,
    ),
  industry: z.string().trim().max(80).optional(),
  relationship: relationship.optional(),
  archived: z.enum(["true", "false"]).optional(),
  sort: z
    .enum(["name", "revenue", "activity", "created"], { error: "Sort by name, revenue, activity or created." })
    .optional(),
  page: z.coerce.number({ error: "Use a page number." }).int().min(1).max(100_000).optional(),
  per_page: z.coerce.number({ error: "Use a number." }).int().min(1).max(100, "At most 100 per page.").optional(),
});

export const activityKind = z.enum(["note", "call", "meeting", "email"], {
  error: "Choose note, call, meeting or email.",
});
export const ActivityBody = z.strictObject({
  kind: activityKind,
  body: z.string({ error: "Write what happened." }).trim().min(1, "Write what happened.").max(10_000),
  occurred_at: z.iso.datetime({ offset: true, error: "Use an ISO 8601 time such as 2026-11-25T14:30:00Z." }).optional(),
});

export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  per_page: z.coerce.number().int().min(1).max(100).optional(),
});

// ------------------------------------------------------------------------------------------
// Deals and pipeline
// ------------------------------------------------------------------------------------------
const probability = z
  .number({ error: "Enter a probability from 0 to 100." })
  .int("Use a whole percentage.")
  .min(0, "Use 0 to 100.")
  .max(100, "Use 0 to 100.");
const dealValue = z
  .number({ error: "Enter the value in cents." })
  .int("Use whole cents.")
  .min(0, "Cannot be negative.")
  .max(100_000_000_000, "That is more than the maximum.");
export const billingType = z.enum(["hourly", "fixed", "retainer"], { error: "Choose hourly, fixed or retainer." });
const isoDate = z.iso.date({ error: "Use a date such as 2026-12-31." });

const dealFields = {
  title: z.string({ error: "Enter a title." }).trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
  description: optionalText(10_000),
  value_cents: dealValue.optional(),
  currency: currency.optional(),
  probability: probability.nullable().optional(),
  expected_close_date: isoDate.nullable().optional(),
  assigned_to: uuid.nullable().optional(),
  billing_type: billingType.optional(),
  template_id: uuid.nullable().optional(),
};

export const InlineClient = z
  .strictObject({ company_name: companyName, ...clientFields, ...contactFields })
  .refine((b) => !b.contact_email || b.contact_name, {
    message: "Give the contact a name too.",
    path: ["contact_name"],
  });

export const DealCreateBody = z
  .strictObject({
    client_id: uuid.optional(),
    client: InlineClient.optional(),
    stage: z.string().trim().min(1).max(60).optional(),
    lost_reason: z.string().trim().max(1000).optional(),
    ...dealFields,
  })
  .refine((b) => Boolean(b.client_id) !== Boolean(b.client), {
    message: "Send either client_id or a new client, not both.",
    path: ["client_id"],
  });

export const DealPatchBody = z
  .strictObject({ client_id: uuid.optional(), ...dealFields, title: dealFields.title.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: "Send at least one field to change." });

export const DealStageBody = z.strictObject({
  stage: z.string({ error: "Name the stage (a key such as won, or an id)." }).trim().min(1).max(60),
  lost_reason: z.string().trim().max(1000).optional(),
  position: z.number().finite().optional(),
});

export const DealListQuery = z.strictObject({
  stage: z.string().trim().max(60).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  per_page: z.coerce.number().int().min(1).max(100).optional(),
});

export const StageCreateBody = z.strictObject({
  name: z.string({ error: "Name the stage." }).trim().min(1, "Name the stage.").max(60),
  default_probability: probability,
});

export const StagesPatchBody = z
  .strictObject({
    stages: z
      .array(
        z.strictObject({
          id: uuid,
          name: z.string().trim().min(1).max(60).optional(),
          default_probability: probability.optional(),
        }),
      )
      .optional(),
    order: z.array(uuid).optional(),
  })
  .refine((b) => b.stages || b.order, { message: "Send stages to change, an order, or both." });

export const TemplateCreateBody = z.strictObject({
  name: z.string({ error: "Name the template." }).trim().min(1).max(120),
  description: optionalText(2000),
  billing_type: billingType.optional(),
  is_default: z.boolean().optional(),
  tasks: z.array(z.string().trim().min(1, "Tasks need a title.").max(200)).max(200).default([]),
});

// ------------------------------------------------------------------------------------------
// Projects, tasks, milestones, notifications
// ------------------------------------------------------------------------------------------
export const projectStatus = z.enum(["planning", "active", "on_hold", "completed", "archived"], {
  error: "Choose planning, active, on_hold, completed or archived.",
});
export const taskStatus = z.enum(["todo", "in_progress", "review", "done"], {
  error: "Choose todo, in_progress, review or done.",
});
export const taskPriority = z.enum(["low", "medium", "high", "urgent"], {
  error: "Choose low, medium, high or urgent.",
});
export const milestoneStatus = z.enum(["pending", "reached", "approved"], {
  error: "Choose pending, reached or approved.",
});

/** Hours as the database stores them (numeric(_, 2)): at most two decimals, never negative. */
const hours = (max: number) =>
  z
    .number({ error: "Enter a number of hours." })
    .min(0, "Cannot be negative.")
    .max(max, `Use at most ${max} hours.`)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "Use at most two decimals.");
const bigCents = dealValue;
const title = z
  .string({ error: "Enter a title." })
  .trim()
  .min(1, "Enter a title.")
  .max(200, "Use at most 200 characters.");

/** A date range in a body: the end may not come before the start (the database checks it too). */
const endNotBeforeStart =
  <K extends string>(start: K, end: K, message: string) =>
  (b: Partial<Record<K, string | null | undefined>>, ctx: z.RefinementCtx) => {
    const from = b[start];
    const to = b[end];
    if (from && to && to < from) ctx.addIssue({ code: "custom", message, path: [end] });
  };
const deadlineAfterStart = endNotBeforeStart("start_date", "deadline", "The deadline cannot be before the start date.");
const dueAfterStart = endNotBeforeStart("start_date", "due_date", "The due date cannot be before the start date.");
const atLeastOne = (b: object) => Object.keys(b).length > 0;

const TeamEntry = z.preprocess(
  (v) => (typeof v === "string" ? { user_id: v } : v),
  z.strictObject(
    { user_id: uuid, billable_rate_cents: cents.nullable().optional() },
    { error: "Use a user id or {user_id, billable_rate_cents}." },
  ),
);

/** How each time entry is rounded when it is invoiced (projects.invoice_rounding); tracked time never changes. */
export const invoiceRounding = z.enum(["none", "up", "down", "nearest"], {
  error: "Choose none, up, down or nearest.",
});
export const invoiceRoundingMinutes = z.union([z.literal(6), z.literal(15), z.literal(30)], {
  error: "Choose 6, 15 or 30 minutes.",
});

const projectFields = {
  name: z
    .string({ error: "Name the project." })
    .trim()
    .min(1, "Name the project.")
    .max(200, "Use at most 200 characters."),
  description: optionalText(10_000),
  status: projectStatus.optional(),
  billing_type: billingType.optional(),
  currency: currency.optional(),
  budget_cents: bigCents.nullable().optional(),
  budget_hours: hours(1_000_000).nullable().optional(),
  hourly_rate_cents: cents.nullable().optional(),
  time_billable_default: z.boolean({ error: "Use true or false." }).optional(),
  invoice_rounding: invoiceRounding.optional(),
  invoice_rounding_minutes: invoiceRoundingMinutes.optional(),
  start_date: isoDate.nullable().optional(),
  deadline: isoDate.nullable().optional(),
  manager_id: uuid.nullable().optional(),
};

export const ProjectCreateBody = z
  .strictObject({
    client_id: uuid,
    ...projectFields,
    template_id: uuid.nullable().optional(),
    team: z.array(TeamEntry).max(100, "Add at most 100 people at once.").optional(),
  })
  .superRefine(deadlineAfterStart);

export const ProjectPatchBody = z
  .strictObject({ ...projectFields, name: projectFields.name.optional() })
  .superRefine(deadlineAfterStart)
  .refine(atLeastOne, { message: "Send at least one field to change." });

export const ProjectListQuery = z.strictObject({
  client_id: uuid.optional(),
  status: z
    .enum(["planning", "active", "on_hold", "completed", "archived", "open"], {
      error: "Choose planning, active, on_hold, completed, archived or open.",
    })
    .optional(),
  manager_id: uuid.optional(),
  over_budget: z.enum(["true", "false"], { error: "Use true or false." }).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number({ error: "Use a page number." }).int().min(1).max(100_000).optional(),
  per_page: z.coerce.number({ error: "Use a number." }).int().min(1).max(100, "At most 100 per page.").optional(),
});

export const TeamMemberBody = z.strictObject({ user_id: uuid, billable_rate_cents: cents.nullable().optional() });
export const TeamMemberRemoveBody = z.strictObject({ user_id: uuid });

const taskFields = {
  title,
  description: optionalText(20_000),
  status: taskStatus.optional(),
  priority: taskPriority.optional(),
  assignee_id: uuid.nullable().optional(),
  start_date: isoDate.nullable().optional(),
  due_date: isoDate.nullable().optional(),
  estimated_hours: hours(10_000).nullable().optional(),
  milestone_id: uuid.nullable().optional(),
};

export const TaskCreateBody = z.strictObject(taskFields).superRefine(dueAfterStart);

export const TaskPatchBody = z
  .strictObject({
    ...taskFields,
    title: title.optional(),
    override_reason: z
      .string({ error: "Say why the dependencies are overridden." })
      .trim()
      .min(1, "Say why the dependencies are overridden.")
      .max(500, "Use at most 500 characters.")
      .optional(),
  })
  .superRefine(dueAfterStart)
  .refine((b) => !b.override_reason || b.status, {
    message: "An override goes with a status change.",
    path: ["override_reason"],
  })
  .refine((b) => Object.keys(b).some((k) => k !== "override_reason"), {
    message: "Send at least one field to change.",
  });

export const TaskListQuery = z.strictObject({ status: taskStatus.optional(), assignee_id: uuid.optional() });
export const MyTasksQuery = z.strictObject({
  include_done: z.enum(["true", "false"], { error: "Use true or false." }).optional(),
});

export const TaskMoveBody = z.strictObject({
  status: taskStatus,
  index: z
    .number({ error: "Give the index in the column (0 is the top)." })
    .int("Use a whole number.")
    .min(0, "Cannot be negative.")
    .max(100_000, "That is more than the maximum."),
});

export const DependencyBody = z.strictObject({ depends_on: uuid });

export const CommentBody = z.strictObject({
  body: z
    .string({ error: "Write a comment." })
    .trim()
    .min(1, "Write a comment.")
    .max(10_000, "Use at most 10000 characters."),
});

const milestoneFields = {
  title,
  description: optionalText(10_000),
  due_date: isoDate.nullable().optional(),
  amount_cents: bigCents.nullable().optional(),
  status: milestoneStatus.optional(),
};
export const MilestoneCreateBody = z.strictObject(milestoneFields);
export const MilestonePatchBody = z
  .strictObject({ ...milestoneFields, title: title.optional() })
  .refine(atLeastOne, { message: "Send at least one field to change." });

export const NotificationListQuery = z.strictObject({
  unread: z.enum(["true", "false"], { error: "Use true or false." }).optional(),
  page: z.coerce.number({ error: "Use a page number." }).int().min(1).max(100_000).optional(),
  per_page: z.coerce.number({ error: "Use a number." }).int().min(1).max(100, "At most 100 per page.").optional(),
});
export const NotificationsReadBody = z
  .strictObject({
    ids: z.array(uuid).min(1, "Name at least one notification.").max(500).optional(),
    all: z.literal(true, { error: "Use all: true to mark everything read." }).optional(),
  })
  .refine((b) => Boolean(b.ids) !== Boolean(b.all), { message: "Send either ids or all: true.", path: ["ids"] });

// Response shapes, for /api/openapi.json.
export const BudgetOut = z.object({
  budget_cents: z.number().int().nullable().describe("null for members"),
  spent_cents: z.number().int().nullable().describe("billable value of tracked time; null for members"),
  remaining_cents: z.number().int().nullable(),
  percent_used: z.number().nullable(),
  budget_hours: z.number().nullable(),
  spent_hours: z.number(),
  remaining_hours: z.number().nullable(),
  percent_hours_used: z.number().nullable(),
});
export const TeamMemberOut = z.object({
  user_id: uuid,
  name: z.string(),
  email: z.string(),
  avatar_url: z.string().nullable(),
  role,
  billable_rate_cents: z.number().int().nullable().describe("project rate; null for members"),
  effective_rate_cents: z.number().int().nullable(),
});
export const ProjectOut = z.object({
  id: uuid,
  client_id: uuid,
  client_name: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  status: projectStatus,
  billing_type: billingType,
  currency: z.string(),
  budget_cents: z.number().int().nullable(),
  budget_hours: z.number().nullable(),
  hourly_rate_cents: z.number().int().nullable(),
  time_billable_default: z.boolean().describe("whether new time on the project is billable unless said otherwise"),
  invoice_rounding: invoiceRounding.describe(
    "how each entry's time is rounded when invoiced; tracked time never changes",
  ),
  invoice_rounding_minutes: invoiceRoundingMinutes.describe("the step invoice_rounding rounds to, in minutes"),
  start_date: z.string().nullable(),
  deadline: z.string().nullable(),
  manager_id: uuid.nullable(),
  manager_name: z.string().nullable(),
  budget: BudgetOut,
  team: z.array(TeamMemberOut),
  can_manage: z.boolean(),
});
export const ProjectListItemOut = ProjectOut.pick({
  id: true,
  client_id: true,
  client_name: true,
  name: true,
  status: true,
  billing_type: true,
  currency: true,
  start_date: true,
  deadline: true,
  manager_id: true,
  manager_name: true,
  budget: true,
}).extend({ open_tasks: z.number().int(), created_at: z.string() });
export const TaskOut = z.object({
  id: uuid,
  project_id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  status: taskStatus,
  priority: taskPriority,
  assignee_id: uuid.nullable(),
  assignee_name: z.string().nullable(),
  start_date: z.string().nullable(),
  due_date: z.string().nullable(),
  estimated_hours: z.number().nullable(),
  milestone_id: uuid.nullable(),
  position: z.number().int(),
  completed_at: z.string().nullable(),
  depends_on: z.array(uuid),
  /** How many of depends_on are not done yet: the task is blocked while this is above 0. */
  open_dependencies: z.number().int(),
  comment_count: z.number().int(),
});
export const CommentOut = z.object({
  id: uuid,
  author_id: uuid,
  author_name: z.string(),
  body: z.string(),
  created_at: z.string(),
});
export const MilestoneOut = z.object({
  id: uuid,
  project_id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  due_date: z.string().nullable(),
  amount_cents: z.number().int().nullable(),
  status: milestoneStatus,
  reached_at: z.string().nullable(),
  approved_at: z.string().nullable(),
});
export const NotificationOut = z.object({
  id: uuid,
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link_path: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  read_at: z.string().nullable(),
  created_at: z.string(),
});

// ------------------------------------------------------------------------------------------
// Time tracking: entries, timer, timesheets
// ------------------------------------------------------------------------------------------
export const timeEntryStatus = z.enum(["draft", "submitted", "approved", "rejected"], {
  error: "Choose draft, submitted, approved or rejected.",
});
export const timesheetStatus = z.enum(["submitted", "approved", "rejected"], {
  error: "Choose submitted, approved or rejected.",
});
/** An instant with its offset (RFC 3339): a time without one would be read in nobody's zone. */
const instant = z.iso.datetime({
  offset: true,
  error: "Use an RFC 3339 time with an offset, such as 2026-11-25T09:00:00+01:00.",
});
const entryDescription = z
  .string({ error: "Describe the work (an empty text is allowed)." })
  .trim()
  .max(2000, "Use at most 2000 characters.");
const billable = z.boolean({ error: "Use true or false." });
/**
 * Seconds. The 12-hour and 24-hour limits are the database's rules with their own codes
 * (entry_too_long, day_over_24h); this only keeps the number sane.
 */
const durationSeconds = z
  .number({ error: "Enter the duration in seconds." })
  .int("Use whole seconds.")
  .positive("The duration must be positive.")
  .max(604_800, "That is more than a week.");
const trueFalse = z.enum(["true", "false"], { error: "Use true or false." }).transform((v) => v === "true");

/** The two forms of an entry's time: start and end, or a date and a duration — one, not both. */
function oneTimeForm(
  b: { started_at?: string; ended_at?: string; date?: string; duration_seconds?: number },
  ctx: z.RefinementCtx,
  required: boolean,
) {
  const timed = b.started_at !== undefined || b.ended_at !== undefined;
  const manual = b.date !== undefined || b.duration_seconds !== undefined;
  if (timed && manual) {
    ctx.addIssue({
      code: "custom",
      message: "Send either started_at and ended_at, or date and duration_seconds, not both.",
      path: ["started_at"],
    });
    return;
  }
  if (timed) {
    if (b.started_at === undefined)
      ctx.addIssue({ code: "custom", message: "Give the start too.", path: ["started_at"] });
    if (b.ended_at === undefined) ctx.addIssue({ code: "custom", message: "Give the end too.", path: ["ended_at"] });
    if (b.started_at && b.ended_at && Date.parse(b.ended_at) <= Date.parse(b.started_at)) {
      ctx.addIssue({ code: "custom", message: "The end must be after the start.", path: ["ended_at"] });
    }
  } else if (manual) {
    if (b.date === undefined) ctx.addIssue({ code: "custom", message: "Give the date too.", path: ["date"] });
    if (b.duration_seconds === undefined) {
      ctx.addIssue({ code: "custom", message: "Give the duration too.", path: ["duration_seconds"] });
    }
  } else if (required) {
    ctx.addIssue({
      code: "custom",
      message: "Give started_at and ended_at, or date and duration_seconds.",
      path: ["started_at"],
    });
  }
}

const entryTimeFields = {
  started_at: instant.optional(),
  ended_at: instant.optional(),
  date: isoDate.optional(),
  duration_seconds: durationSeconds.optional(),
};

export const TimeEntryCreateBody = z
  .strictObject({
    project_id: uuid,
    task_id: uuid.nullable().optional(),
    description: entryDescription,
    is_billable: billable.nullable().optional().describe("omitted or null: the project's default"),
    ...entryTimeFields,
  })
  .superRefine((b, ctx) => oneTimeForm(b, ctx, true));

export const TimeEntryPatchBody = z
  .strictObject({
    project_id: uuid.optional(),
    task_id: uuid.nullable().optional(),
    description: entryDescription.optional(),
    is_billable: billable.optional(),
    ...entryTimeFields,
  })
  .superRefine((b, ctx) => oneTimeForm(b, ctx, false))
  .refine(atLeastOne, { message: "Send at least one field to change." });

/** A date range in a query: to may not come before from. */
const rangeInOrder = (q: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.to < q.from)
    ctx.addIssue({ code: "custom", message: "to cannot be before from.", path: ["to"] });
};

const entryFilterFields = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  user_id: uuid.optional(),
  project_id: uuid.optional(),
  status: timeEntryStatus.optional(),
  billable: trueFalse.optional(),
};

export const TimeEntryListQuery = z
  .strictObject({
    ...entryFilterFields,
    page: z.coerce.number({ error: "Use a page number." }).int().min(1).max(100_000).optional(),
    per_page: z.coerce.number({ error: "Use a number." }).int().min(1).max(100, "At most 100 per page.").optional(),
  })
  .superRefine(rangeInOrder);

export const TimeExportQuery = z.strictObject(entryFilterFields).superRefine(rangeInOrder);

export const TimerStartBody = z.strictObject({
  project_id: uuid,
  task_id: uuid.nullable().optional(),
  description: entryDescription.optional(),
  is_billable: billable.nullable().optional().describe("omitted or null: the project's default"),
});

export const TimerStopBody = z.strictObject({
  ended_at: instant.optional().describe("when work stopped; required once the timer has run more than 12 hours"),
});

export const TimerPatchBody = z
  .strictObject({ ...TimerStartBody.shape, project_id: uuid.optional(), started_at: instant.optional() })
  .refine(atLeastOne, { message: "Send at least one field to change." });

export const WeekQuery = z.strictObject({
  week_start: isoDate.describe("any date of the week; the answer is its ISO week, Monday first"),
  user_id: uuid.optional(),
});
export const SubmitWeekBody = z.strictObject({ week_start: isoDate.describe("the Monday of the week") });
export const DecideWeekBody = z.strictObject({
  reason: z.string({ error: "Say why the week is returned." }).max(2000, "Use at most 2000 characters.").optional(),
});
export const ApprovalsQuery = z.strictObject({
  status: timesheetStatus.optional(),
  mine: trueFalse.optional(),
});
export const WeekCellBody = z.strictObject({
  project_id: uuid,
  task_id: uuid.nullable().optional(),
  date: isoDate,
  duration_seconds: z
    .number({ error: "Enter the cell's total in seconds." })
    .int("Use whole seconds.")
    .min(0, "Cannot be negative.")
    .max(86_400, "A day has 24 hours."),
});
export const ApplyRatesBody = z
  .strictObject({ from: isoDate.optional(), to: isoDate.optional() })
  .superRefine(rangeInOrder);

// Response shapes, for /api/openapi.json.
export const TimeEntryOut = z.object({
  id: uuid,
  user_id: uuid,
  user_name: z.string(),
  project_id: uuid,
  project_name: z.string(),
  client_name: z.string().nullable(),
  task_id: uuid.nullable(),
  task_title: z.string().nullable(),
  description: z.string(),
  is_billable: z.boolean(),
  started_at: z.string().nullable().describe("null for date + duration entries"),
  ended_at: z.string().nullable(),
  entry_date: z.string().describe("the local date in time_zone"),
  duration_seconds: z.number().int(),
  status: timeEntryStatus,
  time_zone: z.string(),
  split_group_id: uuid.nullable().describe("shared by the parts of an entry split at midnight"),
  invoice_id: uuid.nullable(),
  billable_rate_cents: z.number().int().nullable().describe("null for members"),
  created_at: z.string(),
  updated_at: z.string(),
});
export const TimerOut = z.object({
  project_id: uuid,
  project_name: z.string(),
  task_id: uuid.nullable(),
  task_title: z.string().nullable(),
  description: z.string(),
  is_billable: z.boolean().nullable(),
  started_at: z.string(),
});
export const TimesheetOut = z.object({
  id: uuid,
  user_id: uuid,
  week_start: z.string(),
  status: timesheetStatus,
  submitted_at: z.string(),
  decided_by: uuid.nullable(),
  decided_by_name: z.string().nullable(),
  decided_at: z.string().nullable(),
  rejection_reason: z.string().nullable(),
});
const weekSeconds = z.array(z.number().int()).describe("seconds per day, Monday first");
export const GridRowOut = z.object({
  project_id: uuid,
  project_name: z.string(),
  client_name: z.string().nullable(),
  task_id: uuid.nullable(),
  task_title: z.string().nullable(),
  days: weekSeconds,
  timed: weekSeconds.describe("seconds of timed entries per day: the cell cannot go below them"),
  total: z.number().int(),
  editable: z.array(z.boolean()),
});
export const WeekOut = z.object({
  user: z.object({ id: uuid, name: z.string(), time_zone: z.string() }),
  week_start: z.string(),
  days: z.array(z.string()),
  timesheet: TimesheetOut.nullable(),
  entries: z.array(TimeEntryOut),
  rows: z.array(GridRowOut),
  previous_rows: z.array(
    GridRowOut.pick({ project_id: true, project_name: true, client_name: true, task_id: true, task_title: true }),
  ),
  totals: z.object({
    days: weekSeconds,
    billable: weekSeconds,
    non_billable: weekSeconds,
    total: z.number().int(),
    billable_total: z.number().int(),
  }),
});
export const ApprovalOut = TimesheetOut.extend({
  user_name: z.string(),
  total_seconds: z.number().int(),
  billable_seconds: z.number().int(),
  entry_count: z.number().int(),
  project_names: z.array(z.string()),
  on_my_projects: z.boolean().describe("the week has time on a project the caller manages"),
});

// ------------------------------------------------------------------------------------------
// Invoices: drafts from time, milestones and manual lines; issue, void, manual payments
// ------------------------------------------------------------------------------------------
export const invoiceStatus = z.enum(["draft", "sent", "partially_paid", "paid", "overdue", "void"], {
  error: "Choose draft, sent, partially_paid, paid, overdue or void.",
});
export const timeGrouping = z.enum(["task", "person", "date", "single"], {
  error: "Group time by task, person, date or single.",
});
export const manualPaymentMethod = z.enum(["bank_transfer", "cash", "card", "other"], {
  error: "Choose bank_transfer, cash, card or other.",
});
/**
 * A line's price in cents (a discount is negative) and quantity, bounded so that quantity × price
 * stays far inside JavaScript's exact integers: totals travel as JSON numbers.
 */
const MAX_LINE_CENTS = 1_000_000_000_000;
const linePrice = z
  .number({ error: "Enter the unit price in cents." })
  .int("Use whole cents.")
  .min(-MAX_LINE_CENTS, "That is more than the maximum.")
  .max(MAX_LINE_CENTS, "That is more than the maximum.");
const lineQuantity = z
  .number({ error: "Enter a quantity." })
  .positive("The quantity must be more than zero.")
  .max(1_000_000, "Use at most 1000000.")
  .refine((v) => Math.abs(v * 10_000 - Math.round(v * 10_000)) < 1e-6, "Use at most four decimals.");
const taxRateBps = z
  .number({ error: "Enter the tax rate in basis points (2000 = 20%)." })
  .int("Use whole basis points (2000 = 20%).")
  .min(0, "Cannot be negative.")
  .max(10_000, "Use at most 10000 (100%).");

/** A hand-made line's amount (quantity × price) stays within what an invoice line may hold. */
function lineAmountWithinMax(line: { quantity?: number; unit_price_cents: number }, ctx: z.RefinementCtx) {
  if (Math.abs((line.quantity ?? 1) * line.unit_price_cents) > MAX_LINE_CENTS) {
    ctx.addIssue({
      code: "custom",
      message: "The line's amount is more than the maximum.",
      path: ["unit_price_cents"],
    });
  }
}

export const InvoiceLineBody = z
  .strictObject({
    description: z
      .string({ error: "Describe the line." })
      .trim()
      .min(1, "Describe the line.")
      .max(500, "Use at most 500 characters."),
    quantity: lineQuantity.optional().describe("default 1"),
    unit_price_cents: linePrice.describe("negative for a discount line"),
    tax_rate_bps: taxRateBps.optional().describe("default: the agency's tax rate"),
  })
  .superRefine(lineAmountWithinMax);

const invoiceText = optionalText(5000);

export const InvoiceCreateBody = z
  .strictObject({
    project_id: uuid.optional(),
    client_id: uuid.optional().describe("a client-wide invoice: its projects in the client's currency"),
    period_from: isoDate.nullable().optional(),
    period_to: isoDate.nullable().optional(),
    include_time: z.boolean({ error: "Use true or false." }).optional().describe("default true"),
    grouping: timeGrouping.optional().describe("how time becomes lines; default task"),
    milestone_ids: z.array(uuid).max(100, "Choose at most 100 milestones.").optional(),
    lines: z.array(InvoiceLineBody).max(200, "Add at most 200 lines at once.").optional(),
    due_date: isoDate.nullable().optional().describe("default: issue date + the agency's payment terms"),
    notes: invoiceText,
  })
  .superRefine((b, ctx) => {
    if (Boolean(b.project_id) === Boolean(b.client_id)) {
      ctx.addIssue({ code: "custom", message: "Send either project_id or client_id, not both.", path: ["project_id"] });
    }
    if (b.period_from && b.period_to && b.period_to < b.period_from) {
      ctx.addIssue({ code: "custom", message: "The period cannot end before it starts.", path: ["period_to"] });
    }
    if (b.milestone_ids && new Set(b.milestone_ids).size !== b.milestone_ids.length) {
      ctx.addIssue({ code: "custom", message: "Name each milestone once.", path: ["milestone_ids"] });
    }
  });

export const InvoicePatchBody = z
  .strictObject({ due_date: isoDate.nullable().optional(), notes: invoiceText, terms: invoiceText })
  .refine(atLeastOne, { message: "Send at least one field to change." });

export const InvoiceVoidBody = z.strictObject({
  reason: z
    .string({ error: "Say why the invoice is voided." })
    .trim()
    .max(2000, "Use at most 2000 characters.")
    .optional(),
});

export const PaymentBody = z.strictObject({
  amount_cents: z
    .number({ error: "Enter the amount in cents." })
    .int("Use whole cents.")
    .refine((v) => v !== 0, "Enter an amount other than zero.")
    .refine((v) => Math.abs(v) <= 100_000_000_000, "That is more than the maximum.")
    .describe("negative for a refund"),
  method: manualPaymentMethod,
  paid_at: instant.optional().describe("default now"),
  reference: z.string({ error: "Use text." }).trim().max(500, "Use at most 500 characters.").nullable().optional(),
});

export const InvoiceListQuery = z
  .strictObject({
    status: invoiceStatus.optional(),
    client_id: uuid.optional(),
    project_id: uuid.optional(),
    from: isoDate.optional().describe("issue date (a draft's creation date) on or after"),
    to: isoDate.optional(),
    page: z.coerce.number({ error: "Use a page number." }).int().min(1).max(100_000).optional(),
    per_page: z.coerce.number({ error: "Use a number." }).int().min(1).max(100, "At most 100 per page.").optional(),
  })
  .superRefine(rangeInOrder);

// Response shapes, for /api/openapi.json.
export const InvoiceLineOut = z.object({
  id: uuid,
  position: z.number().int(),
  kind: z.enum(["time", "milestone", "manual", "discount", "expense"]),
  description: z.string(),
  quantity: z.number().describe("hours for time lines"),
  unit_price_cents: z.number().int(),
  tax_rate_bps: z.number().int(),
  amount_cents: z.number().int().describe("quantity × unit price, rounded half away from zero"),
  tax_cents: z.number().int(),
  project_id: uuid.nullable(),
  entry_count: z.number().int().describe("time entries billed on this line"),
});
export const InvoicePaymentOut = z.object({
  id: uuid,
  amount_cents: z.number().int(),
  method: z.enum(["stripe", "bank_transfer", "cash", "card", "other"]),
  paid_at: z.string(),
  reference: z.string().nullable(),
  stripe_event_id: z.string().nullable(),
  created_at: z.string(),
});
export const InvoiceSummaryOut = z.object({
  id: uuid,
  invoice_number: z.string().nullable().describe("given when issued"),
  status: invoiceStatus.describe("derived now: past due and unpaid reads overdue"),
  client_id: uuid,
  client_name: z.string(),
  project_id: uuid.nullable(),
  project_name: z.string().nullable(),
  currency: z.string(),
  issue_date: z.string().nullable(),
  due_date: z.string().nullable(),
  subtotal_cents: z.number().int(),
  tax_cents: z.number().int(),
  total_cents: z.number().int(),
  amount_paid_cents: z.number().int(),
  amount_due_cents: z.number().int(),
  created_at: z.string(),
});
export const InvoiceActivityOut = z.object({
  id: uuid,
  kind: z.enum(["sent", "viewed", "reminded", "payment_failed", "payment_unmatched"]),
  to_email: z.string().nullable(),
  reminder_offset_days: z.number().int().nullable().describe("a scheduled reminder's step; null: sent by hand"),
  detail: z.string().nullable(),
  actor_name: z.string().nullable(),
  created_at: z.string(),
});
export const InvoiceOut = InvoiceSummaryOut.extend({
  period_from: z.string().nullable(),
  period_to: z.string().nullable(),
  notes: z.string().nullable(),
  terms: z.string().nullable(),
  checkout_url: z.string().nullable(),
  sent_at: z.string().nullable(),
  viewed_at: z.string().nullable(),
  paid_at: z.string().nullable(),
  voided_at: z.string().nullable(),
  void_reason: z.string().nullable(),
  pay_path: z.string().describe("the client's pay link, relative to the site (/pay/<token>)"),
  pay_url: z.string().nullable().describe("the pay link in full; null while a draft (it opens once issued)"),
  sent_to_email: z.string().nullable().describe("where it was last emailed; reminders go there"),
  lines: z.array(InvoiceLineOut),
  payments: z.array(InvoicePaymentOut),
  activity: z.array(InvoiceActivityOut).describe("sent, viewed, reminded, failed or unmatched payments"),
});
export const AgingOut = z.object({
  currency: z.string(),
  current: z.number().int().describe("not yet due"),
  days_1_30: z.number().int(),
  days_31_60: z.number().int(),
  days_61_90: z.number().int(),
  days_90_plus: z.number().int(),
});

// ------------------------------------------------------------------------------------------
// Sending, reminders, recurring invoices (ADR 012)
// ------------------------------------------------------------------------------------------
export const InvoiceSendBody = z.strictObject({
  to_email: email
    .nullable()
    .optional()
    .describe("default: where it was sent before, else the client's primary contact"),
  message: z
    .string({ error: "Write the message as text." })
    .trim()
    .max(5000, "Use at most 5000 characters.")
    .nullable()
    .optional()
    .describe("a note shown above the invoice in the email"),
});

export const ReminderOut = z.object({ id: uuid, to_email: z.string(), created_at: z.string() });

export const frequency = z.enum(["weekly", "monthly", "quarterly", "yearly"], {
  error: "Choose weekly, monthly, quarterly or yearly.",
});

/** The database keeps a schedule's prices within ±1000000000 units (recurring_lines_valid). */
const MAX_RECURRING_CENTS = 100_000_000_000;
const RecurringLineBody = z
  .strictObject({
    ...InvoiceLineBody.shape,
    unit_price_cents: linePrice
      .min(-MAX_RECURRING_CENTS, "That is more than the maximum.")
      .max(MAX_RECURRING_CENTS, "That is more than the maximum.")
      .describe("negative for a discount line"),
    tax_rate_bps: taxRateBps.optional().describe("default: the schedule's tax rate"),
  })
  .superRefine(lineAmountWithinMax);

const recurringFields = {
  name: z
    .string({ error: "Name the schedule." })
    .trim()
    .min(1, "Name the schedule.")
    .max(200, "Use at most 200 characters."),
  end_date: isoDate.nullable().optional().describe("the last period starts on or before it; null: no end"),
  lines: z.array(RecurringLineBody).max(50, "Use at most 50 lines.").optional(),
  retainer_amount_cents: z
    .number({ error: "Enter the retainer in cents." })
    .int("Use whole cents.")
    .min(1, "The retainer must be more than zero.")
    .max(MAX_RECURRING_CENTS, "That is more than the maximum.")
    .nullable()
    .optional()
    .describe("one line per period for this amount, before the lines"),
  tax_rate_bps: taxRateBps.optional().describe("default: the agency's tax rate"),
  auto_send: z
    .boolean({ error: "Use true or false." })
    .optional()
    .describe("issue and email each invoice; default false: drafts"),
  active: z.boolean({ error: "Use true or false." }).optional().describe("false pauses the schedule"),
  notes: optionalText(5000),
};

export const RecurringCreateBody = z
  .strictObject({
    client_id: uuid,
    project_id: uuid.nullable().optional().describe("a project of that client"),
    frequency,
    start_date: isoDate.describe("the first period's start; later periods count from it"),
    ...recurringFields,
  })
  .superRefine((b, ctx) => {
    if (!b.retainer_amount_cents && (b.lines ?? []).length === 0) {
      ctx.addIssue({
        code: "custom",
        message: "Give the schedule a retainer amount or at least one line.",
        path: ["lines"],
      });
    }
    endNotBeforeStart("start_date", "end_date", "The schedule cannot end before it starts.")(b, ctx);
  });

export const RecurringPatchBody = z
  .strictObject({ ...recurringFields, name: recurringFields.name.optional() })
  .refine(atLeastOne, { message: "Send at least one field to change." });

export const RecurringOut = z.object({
  id: uuid,
  client_id: uuid,
  client_name: z.string(),
  project_id: uuid.nullable(),
  project_name: z.string().nullable(),
  name: z.string(),
  frequency,
  start_date: z.string(),
  end_date: z.string().nullable(),
  lines: z.array(
    z.object({
      description: z.string(),
      quantity: z.number(),
      unit_price_cents: z.number().int(),
      tax_rate_bps: z.number().int(),
    }),
  ),
  retainer_amount_cents: z.number().int().nullable(),
  tax_rate_bps: z.number().int(),
  auto_send: z.boolean(),
  active: z.boolean(),
  notes: z.string().nullable(),
  currency: z.string().describe("the project's, else the client's, else the agency's"),
  next_period_start: z.string().nullable().describe("the next period to bill; null when paused or ended"),
  invoices_generated: z.number().int(),
  last_invoice_id: uuid.nullable(),
  last_error: z
    .string()
    .nullable()
    .describe("why the job could not bill the last period it tried; null once one succeeds"),
  last_error_at: z.string().nullable(),
  created_at: z.string(),
});
