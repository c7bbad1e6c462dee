import { z } from "zod";
import * as s from "./schemas.ts";

/**
 * /api/openapi.json, generated from the same zod schemas the routes parse with. Each endpoint
 * lists its body and success shape; every error is a Problem (RFC 9457).
 */
interface Endpoint {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  response?: z.ZodType;
  /** A download instead of JSON (the response is then a string in that media type). */
  mediaType?: string;
  status?: number;
}

const list = (item: z.ZodType) => z.object({ data: z.array(item), total: z.number().int() });
const one = (item: z.ZodType) => z.object({ data: item });
const team = z.object({ data: z.array(s.TeamMemberOut) });

const endpoints: Endpoint[] = [
  {
    method: "post",
    path: "/api/auth/signup",
    summary: "Create an account and its agency",
    auth: false,
    body: s.SignupBody,
    response: s.TokenResponse,
    status: 201,
  },
  {
    method: "post",
    path: "/api/auth/token",
    summary: "Sign in with email and password",
    auth: false,
    body: s.TokenBody,
    response: s.TokenResponse,
  },
  {
    method: "post",
    path: "/api/auth/refresh",
    summary: "Exchange a refresh token (single use)",
    auth: false,
    body: s.RefreshBody,
    response: s.TokenResponse,
  },
  {
    method: "post",
    path: "/api/auth/magic-link",
    summary: "Email a sign-in link (always 202)",
    auth: false,
    body: s.MagicLinkBody,
    status: 202,
  },
  { method: "post", path: "/api/auth/logout", summary: "End this token's session", auth: true, status: 204 },
  {
    method: "get",
    path: "/api/me",
    summary: "The caller, memberships, active agency",
    auth: true,
    response: s.MeResponse,
  },
  {
    method: "patch",
    path: "/api/me",
    summary: "Update own name and time zone",
    auth: true,
    body: s.MePatchBody,
    response: s.MeResponse.pick({ user: true }),
  },
  {
    method: "get",
    path: "/api/members",
    summary: "Team of the active agency",
    auth: true,
    response: list(s.MemberOut),
  },
  {
    method: "post",
    path: "/api/members",
    summary: "Invite a person by email",
    auth: true,
    body: s.InviteBody,
    response: one(s.InvitationOut),
    status: 201,
  },
  {
    method: "patch",
    path: "/api/members/{memberId}",
    summary: "Change role, activation, capacity or rates",
    auth: true,
    body: s.MemberPatchBody,
    response: one(s.MemberOut),
  },
  {
    method: "post",
    path: "/api/invitations/{invitationId}/resend",
    summary: "Send a new invitation link",
    auth: true,
    status: 204,
  },
  {
    method: "post",
    path: "/api/invitations/{invitationId}/revoke",
    summary: "Withdraw an invitation",
    auth: true,
    status: 204,
  },
  { method: "get", path: "/api/agency", summary: "The active agency's settings", auth: true },
  {
    method: "patch",
    path: "/api/agency",
    summary: "Change agency settings (branding, address, invoicing, Stripe account, reminder days)",
    auth: true,
    body: s.AgencyPatchBody,
  },
  ...projectEndpoints(),
  ...timeEndpoints(),
  ...invoiceEndpoints(),
  ...deliveryEndpoints(),
];

/** Projects, teams, tasks, milestones and notifications (issue 4). */
function projectEndpoints(): Endpoint[] {
  const task = one(s.TaskOut);
  return [
    {
      method: "get",
      path: "/api/projects",
      summary: "Projects; filters client_id, status (or open), manager_id, over_budget, q; page, per_page",
      auth: true,
      response: list(s.ProjectListItemOut),
    },
    {
      method: "post",
      path: "/api/projects",
      summary: "Create a project, blank or from a template, with a team (owners and managers)",
      auth: true,
      body: s.ProjectCreateBody,
      response: one(s.ProjectOut),
      status: 201,
    },
    {
      method: "get",
      path: "/api/projects/{projectId}",
      summary: "A project with its budget (derived from tracked time) and team; money is null for members",
      auth: true,
      response: one(s.ProjectOut),
    },
    {
      method: "patch",
      path: "/api/projects/{projectId}",
      summary: "Change a project (owners and managers)",
      auth: true,
      body: s.ProjectPatchBody,
      response: one(s.ProjectOut),
    },
    {
      method: "post",
      path: "/api/projects/{projectId}/members",
      summary: "Add someone to the team, or set their project rate; answers the team",
      auth: true,
      body: s.TeamMemberBody,
      response: team,
    },
    {
      method: "delete",
      path: "/api/projects/{projectId}/members",
      summary: "Take someone off the team ({user_id} or ?user_id=); their tasks become unassigned",
      auth: true,
      body: s.TeamMemberRemoveBody,
      response: team,
    },
    {
      method: "get",
      path: "/api/projects/{projectId}/tasks",
      summary: "The project's tasks in board order; filters status, assignee_id",
      auth: true,
      response: list(s.TaskOut),
    },
    {
      method: "post",
      path: "/api/projects/{projectId}/tasks",
      summary: "Add a task (owners and managers); the assignee must be on the team",
      auth: true,
      body: s.TaskCreateBody,
      response: task,
      status: 201,
    },
    { method: "get", path: "/api/tasks/{taskId}", summary: "One task", auth: true, response: task },
    {
      method: "patch",
      path: "/api/tasks/{taskId}",
      summary: "Change a task; members: the status of their own tasks only. override_reason starts a blocked task",
      auth: true,
      body: s.TaskPatchBody,
      response: task,
    },
    {
      method: "delete",
      path: "/api/tasks/{taskId}",
      summary: "Delete a task (owners and managers)",
      auth: true,
      status: 204,
    },
    {
      method: "post",
      path: "/api/tasks/{taskId}/move",
      summary: "Kanban drop: status column and index within it",
      auth: true,
      body: s.TaskMoveBody,
      response: task,
    },
    {
      method: "post",
      path: "/api/tasks/{taskId}/dependencies",
      summary: "This task waits for depends_on (same project; cycles are rejected)",
      auth: true,
      body: s.DependencyBody,
      response: task,
      status: 201,
    },
    {
      method: "delete",
      path: "/api/tasks/{taskId}/dependencies",
      summary: "Remove a dependency ({depends_on} or ?depends_on=)",
      auth: true,
      body: s.DependencyBody,
      response: task,
    },
    {
      method: "get",
      path: "/api/tasks/{taskId}/comments",
      summary: "Comments on a task, oldest first",
      auth: true,
      response: list(s.CommentOut),
    },
    {
      method: "post",
      path: "/api/tasks/{taskId}/comments",
      summary: "Comment (members: on their assigned tasks)",
      auth: true,
      body: s.CommentBody,
      response: one(s.CommentOut),
      status: 201,
    },
    {
      method: "get",
      path: "/api/projects/{projectId}/milestones",
      summary: "The project's milestones by due date",
      auth: true,
      response: list(s.MilestoneOut),
    },
    {
      method: "post",
      path: "/api/projects/{projectId}/milestones",
      summary: "Add a milestone (owners and managers)",
      auth: true,
      body: s.MilestoneCreateBody,
      response: one(s.MilestoneOut),
      status: 201,
    },
    {
      method: "patch",
      path: "/api/milestones/{milestoneId}",
      summary: "Change a milestone; reaching it writes a timeline event, approved is final",
      auth: true,
      body: s.MilestonePatchBody,
      response: one(s.MilestoneOut),
    },
    {
      method: "delete",
      path: "/api/milestones/{milestoneId}",
      summary: "Delete a milestone (owners and managers)",
      auth: true,
      status: 204,
    },
    {
      method: "get",
      path: "/api/my-tasks",
      summary: "The caller's tasks across projects; include_done=true adds finished ones",
      auth: true,
      response: list(s.TaskOut.extend({ project_name: z.string(), client_name: z.string().nullable() })),
    },
    {
      method: "get",
      path: "/api/notifications",
      summary: "The caller's notifications, newest first, with unread_count; unread=true filters",
      auth: true,
      response: list(s.NotificationOut).extend({ unread_count: z.number().int() }),
    },
    {
      method: "post",
      path: "/api/notifications",
      summary: "Mark notifications read: {ids} or {all: true}",
      auth: true,
      body: s.NotificationsReadBody,
      response: one(z.object({ marked: z.number().int(), unread_count: z.number().int() })),
    },
  ];
}

/** Time entries, the timer, timesheets and their approval (issue 5). */
function timeEndpoints(): Endpoint[] {
  const entries = one(z.array(s.TimeEntryOut));
  const timesheet = one(s.TimesheetOut);
  return [
    {
      method: "get",
      path: "/api/time-entries",
      summary:
        "Time entries; filters from, to (local dates), user_id, project_id, status, billable; page, per_page. Members: their own",
      auth: true,
      response: list(s.TimeEntryOut),
    },
    {
      method: "post",
      path: "/api/time-entries",
      summary:
        "Log time: started_at + ended_at, or date + duration_seconds. Answers every stored part (split at the member's midnight)",
      auth: true,
      body: s.TimeEntryCreateBody,
      response: entries,
      status: 201,
    },
    {
      method: "get",
      path: "/api/time-entries/export.csv",
      summary:
        "CSV (RFC 4180, header row): date, member, client, project, task, description, billable, start, end, time_zone, duration_hours, duration_seconds, status; filters as the list",
      auth: true,
      mediaType: "text/csv",
    },
    {
      method: "get",
      path: "/api/time-entries/{entryId}",
      summary: "One time entry",
      auth: true,
      response: one(s.TimeEntryOut),
    },
    {
      method: "patch",
      path: "/api/time-entries/{entryId}",
      summary: "Change own draft or rejected time; answers every part (a new range may be split again)",
      auth: true,
      body: s.TimeEntryPatchBody,
      response: entries,
    },
    {
      method: "delete",
      path: "/api/time-entries/{entryId}",
      summary: "Delete own draft or rejected time (submitted, approved and invoiced: entry_locked)",
      auth: true,
      status: 204,
    },
    {
      method: "get",
      path: "/api/timer",
      summary: "The caller's running timer, or null",
      auth: true,
      response: one(s.TimerOut.nullable()),
    },
    {
      method: "post",
      path: "/api/timer/start",
      summary: "Start the timer; a running one is stopped first (its entries in stopped)",
      auth: true,
      body: s.TimerStartBody,
      response: one(z.object({ timer: s.TimerOut, stopped: z.array(s.TimeEntryOut) })),
      status: 201,
    },
    {
      method: "post",
      path: "/api/timer/stop",
      summary: "Stop the timer (now, or at ended_at) into entries; after 12 hours ended_at is required",
      auth: true,
      body: s.TimerStopBody,
      response: entries,
    },
    {
      method: "patch",
      path: "/api/timer",
      summary: "Change the running timer's project, task, description, billable flag or start",
      auth: true,
      body: s.TimerPatchBody,
      response: one(s.TimerOut),
    },
    { method: "delete", path: "/api/timer", summary: "Discard the running timer", auth: true, status: 204 },
    {
      method: "get",
      path: "/api/timesheets",
      summary: "A week (week_start: any date in it; user_id: owners and managers): entries, grid, totals, status",
      auth: true,
      response: one(s.WeekOut),
    },
    {
      method: "post",
      path: "/api/timesheets/submit",
      summary: "Submit the caller's week (a Monday) for approval; its entries are locked",
      auth: true,
      body: s.SubmitWeekBody,
      response: timesheet,
    },
    {
      method: "post",
      path: "/api/timesheets/{timesheetId}/approve",
      summary: "Approve a submitted week (owners and managers, not their own); its entries become final",
      auth: true,
      body: s.DecideWeekBody,
      response: timesheet,
    },
    {
      method: "post",
      path: "/api/timesheets/{timesheetId}/reject",
      summary: "Return a submitted week with a reason; its entries become editable and the member is emailed",
      auth: true,
      body: s.DecideWeekBody,
      response: timesheet,
    },
    {
      method: "get",
      path: "/api/timesheets/approvals",
      summary: "Approval queue (owners and managers); status (default submitted), mine=true: my projects",
      auth: true,
      response: list(s.ApprovalOut),
    },
    {
      method: "put",
      path: "/api/timesheets/cells",
      summary: "Set a week grid cell's total; the cell's manual entry takes the difference to its timed entries",
      auth: true,
      body: s.WeekCellBody,
      response: entries,
    },
    {
      method: "post",
      path: "/api/projects/{projectId}/apply-rates",
      summary: "Apply current rates to the project's unbilled time (optionally from/to); owners and managers",
      auth: true,
      body: s.ApplyRatesBody,
      response: one(z.object({ updated: z.number().int() })),
    },
  ];
}

/** Invoices: drafts, issue, void, manual payments, aging (issue 6). Owners and managers; members get 404. */
function invoiceEndpoints(): Endpoint[] {
  const invoice = one(s.InvoiceOut);
  return [
    {
      method: "get",
      path: "/api/invoices",
      summary:
        "Invoices with totals; filters status (derived), client_id, project_id, from, to (issue date); page, per_page",
      auth: true,
      response: list(s.InvoiceSummaryOut),
    },
    {
      method: "post",
      path: "/api/invoices",
      summary:
        "Draft an invoice for project_id or client_id from unbilled time (grouped, rounded per project), reached milestones and manual lines; each entry and milestone is linked to one line",
      auth: true,
      body: s.InvoiceCreateBody,
      response: invoice,
      status: 201,
    },
    {
      method: "get",
      path: "/api/invoices/aging",
      summary: "Money owed per currency: current, 1–30, 31–60, 61–90, 90+ days past due",
      auth: true,
      response: list(s.AgingOut),
    },
    {
      method: "get",
      path: "/api/invoices/{invoiceId}",
      summary: "An invoice with lines and payments",
      auth: true,
      response: invoice,
    },
    {
      method: "patch",
      path: "/api/invoices/{invoiceId}",
      summary: "Change a draft's due date, notes or terms (issued: invoice_not_draft)",
      auth: true,
      body: s.InvoicePatchBody,
      response: invoice,
    },
    {
      method: "delete",
      path: "/api/invoices/{invoiceId}",
      summary: "Delete a draft; its time and milestones can be invoiced again (issued: invoice_not_draft)",
      auth: true,
      status: 204,
    },
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/lines",
      summary: "Add a manual line, or a discount (negative unit_price_cents), to a draft",
      auth: true,
      body: s.InvoiceLineBody,
      response: invoice,
      status: 201,
    },
    {
      method: "delete",
      path: "/api/invoices/{invoiceId}/lines/{lineId}",
      summary: "Remove a draft's line; a time or milestone line releases what it billed",
      auth: true,
      response: invoice,
    },
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/issue",
      summary: "Issue a draft: the next gapless number (prefix-YYYY-NNNN), issue and due dates; status sent",
      auth: true,
      response: invoice,
    },
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/void",
      summary: "Void an issued invoice with nothing paid; releases its time and milestones",
      auth: true,
      body: s.InvoiceVoidBody,
      response: invoice,
    },
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/payments",
      summary: "Record a manual payment (at most the amount due; negative: a refund); status follows the payments",
      auth: true,
      body: s.PaymentBody,
      response: invoice,
      status: 201,
    },
  ];
}

/** Sending, the PDF, reminders and recurring invoices (issue 6, ADR 012). Owners and managers. */
function deliveryEndpoints(): Endpoint[] {
  const recurring = one(s.RecurringOut);
  return [
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/send",
      summary:
        "Email the invoice with its PDF and pay link (to_email, else the client's primary contact); a draft is issued first, in the same transaction. Answers the invoice with pay_url",
      auth: true,
      body: s.InvoiceSendBody,
      response: one(s.InvoiceOut),
    },
    {
      method: "get",
      path: "/api/invoices/{invoiceId}/pdf",
      summary: "The invoice as a PDF (inline; file name: the invoice number, or draft-invoice)",
      auth: true,
      mediaType: "application/pdf",
    },
    {
      method: "post",
      path: "/api/invoices/{invoiceId}/reminders",
      summary: "Email a payment reminder now (issued, unpaid; not within an hour of another email about it)",
      auth: true,
      response: one(s.ReminderOut),
      status: 201,
    },
    {
      method: "get",
      path: "/api/recurring-invoices",
      summary: "Recurring invoice schedules with the next period each will bill",
      auth: true,
      response: list(s.RecurringOut),
    },
    {
      method: "post",
      path: "/api/recurring-invoices",
      summary:
        "A schedule: every week, month, quarter or year from start_date, an invoice with its lines and/or retainer (draft, or sent with auto_send); each period exactly once",
      auth: true,
      body: s.RecurringCreateBody,
      response: recurring,
      status: 201,
    },
    {
      method: "get",
      path: "/api/recurring-invoices/{recurringId}",
      summary: "One schedule",
      auth: true,
      response: recurring,
    },
    {
      method: "patch",
      path: "/api/recurring-invoices/{recurringId}",
      summary: "Change a schedule: pause (active false), end date, lines, retainer, auto_send; client and start stay",
      auth: true,
      body: s.RecurringPatchBody,
      response: recurring,
    },
  ];
}

function schema(type: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(type, { io, unrepresentable: "any" });
}

export function openApiDocument(serverUrl: string) {
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    }));
    const agencyHeader = e.auth
      ? [
          {
            name: "X-Agency-Id",
            in: "header",
            required: false,
            schema: { type: "string", format: "uuid" },
            description: "The agency to act in; required when the caller belongs to several.",
          },
        ]
      : [];
    (paths[e.path] ??= {})[e.method] = {
      summary: e.summary,
      security: e.auth ? [{ bearer: [] }] : [],
      parameters: [...pathParams, ...agencyHeader],
      ...(e.body && {
        requestBody: { required: true, content: { "application/json": { schema: schema(e.body, "input") } } },
      }),
      responses: {
        [String(e.status ?? 200)]: {
          description: "Success",
          ...(e.response && { content: { "application/json": { schema: schema(e.response, "output") } } }),
          ...(e.mediaType && { content: { [e.mediaType]: { schema: { type: "string" } } } }),
        },
        "4XX": { description: "Problem (RFC 9457) with a stable code and per-field errors", content: problem },
        "429": { description: "Rate limited; see Retry-After", content: problem },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Agency CRM API",
      version: "1",
      description: "JSON API. Field names are the database's (snake_case). Lists are {data, total, page, per_page}.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Problem: schema(s.Problem, "output") },
    },
    paths,
  };
}
