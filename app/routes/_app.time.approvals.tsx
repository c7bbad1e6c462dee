import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { CheckCircle2, ChevronDown, ChevronRight } from "lucide-react";
import type { ReactNode } from "react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { todayIn } from "#app/components/tasks/dates.ts";
import { RejectWeekDialog } from "#app/components/time/reject-week-dialog.tsx";
import { TimesheetStatusBadge } from "#app/components/time/timesheet-status.tsx";
import { shortDate, weekdayLabel, dayLabel, weekRange } from "#app/components/time/week-format.ts";
import { rowKeyOf, WeekGrid } from "#app/components/time/week-grid.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Avatar, Card } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import { decideWeek, getWeek, listApprovals, type ApprovalRow } from "#app/models/timesheets.server.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import type { JwtClaims } from "#app/utils/db.server.ts";
import { formatDuration } from "#app/utils/durations.ts";
import { AppError } from "#app/utils/errors.server.ts";

export const meta: MetaFunction = () => [{ title: "Approvals · Time · Agency CRM" }];

const NOT_ALLOWED = "Only owners and managers approve timesheets.";
/** Decided weeks shown at most (newest decisions first). */
const DECIDED_LIMIT = 50;

const Query = z.object({
  show: z.enum(["pending", "decided"]).catch("pending"),
  scope: z.enum(["mine", "all"]).optional().catch(undefined),
  open: uuid.optional().catch(undefined),
});

const back = z
  .string()
  .regex(/^(\?[^#\s]*)?$/)
  .optional()
  .catch(undefined);

const DecideForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), timesheet_id: uuid, back }),
  z.object({
    intent: z.literal("reject"),
    timesheet_id: uuid,
    reason: z
      .string({ error: "Say why the week is rejected." })
      .trim()
      .min(1, "Say why the week is rejected.")
      .max(2000, "Use at most 2000 characters."),
    back,
  }),
]);

async function approverRole(claims: JwtClaims, agencyId: string) {
  const account = await getAccount({ claims });
  const role = account ? pickMembership(account, agencyId)?.role : undefined;
  return role === "owner" || role === "manager" ? role : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const role = await approverRole(claims, agencyId);
  if (!role) throw new Response(NOT_ALLOWED, { status: 403 });
  const url = new URL(request.url);
  const query = Query.parse(Object.fromEntries(url.searchParams));
  const scope = query.scope ?? (role === "manager" ? "mine" : "all");
  const inScope = (row: ApprovalRow) => scope === "all" || row.on_my_projects;

  const pendingAll = await listApprovals({ claims, agencyId, status: "submitted" });
  const decided =
    query.show === "decided"
      ? [
          ...(await listApprovals({ claims, agencyId, status: "approved" })),
          ...(await listApprovals({ claims, agencyId, status: "rejected" })),
        ]
          .filter(inScope)
          .sort((a, b) => String(b.decided_at ?? "").localeCompare(String(a.decided_at ?? "")))
          .slice(0, DECIDED_LIMIT)
      : [];
  const pending = pendingAll.filter(inScope);
  const shown = query.show === "pending" ? pending : decided;

  const opened = query.open ? shown.find((row) => row.id === query.open) : undefined;
  const week = opened
    ? await getWeek({ claims, agencyId, userId: opened.user_id, weekStart: opened.week_start })
    : null;

  const view = (row: ApprovalRow) => ({
    id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    week_start: row.week_start,
    status: row.status,
    submitted_at: row.submitted_at,
    decided_at: row.decided_at,
    decided_by_name: row.decided_by_name,
    rejection_reason: row.rejection_reason,
    total_seconds: row.total_seconds,
    billable_seconds: row.billable_seconds,
    project_names: row.project_names,
    // Owners decide any week (a lone owner their own); managers anyone's but their own.
    can_decide: role === "owner" || row.user_id !== claims.sub,
  });

  return {
    role,
    scope,
    show: query.show,
    pending: pending.map(view),
    pendingElsewhere: pendingAll.length - pending.length,
    decided: decided.map(view),
    open: week
      ? {
          id: opened!.id,
          days: week.days,
          today: todayIn(week.user.time_zone),
          rows: week.rows.map((row) => ({ ...row, key: rowKeyOf(row), added: false })),
          billable: week.totals.billable,
          nonBillable: week.totals.non_billable,
          entries: week.entries.map((e) => ({
            id: e.id,
            entry_date: e.entry_date,
            project_name: e.project_name,
            task_title: e.task_title,
            description: e.description,
            is_billable: e.is_billable,
            started_at: e.started_at,
            ended_at: e.ended_at,
            time_zone: e.time_zone,
            duration_seconds: e.duration_seconds,
          })),
        }
      : null,
  };
}

function failure(error: unknown, values: Record<string, string>) {
  if (error instanceof Response) throw error;
  const appError = toAppError(error);
  return json(
    {
      ok: false as const,
      intent: values.intent ?? "",
      timesheet_id: values.timesheet_id ?? "",
      code: appError.code,
      formError: Object.values(appError.fieldErrors).flat()[0] ?? appError.message,
      fieldErrors: appError.fieldErrors,
      values,
    },
    { status: appError.status },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const formData = await request.formData();
  const values = Object.fromEntries(
    [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  if (!(await approverRole(claims, agencyId))) {
    return failure(new AppError(403, "forbidden", NOT_ALLOWED), values);
  }
  const parsed = DecideForm.safeParse(values);
  if (!parsed.success) return failure(parsed.error, values);
  const input = parsed.data;
  try {
    const sheet = await decideWeek({
      claims,
      timesheetId: input.timesheet_id,
      approve: input.intent === "approve",
      reason: input.intent === "reject" ? input.reason : undefined,
    });
    const week = `The week of ${weekRange(sheet.week_start)}`;
    await context.app.toast({
      kind: "success",
      message: input.intent === "approve" ? `${week} is approved.` : `${week} is returned for changes.`,
    });
  } catch (error) {
    return failure(error, values);
  }
  return redirect(`/time/approvals${input.back ?? ""}`);
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["pending"][number];

export default function Approvals() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.delete("index");
  params.delete("open");
  const back = params.size > 0 ? `?${params}` : "";

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(location.search);
    next.delete("index");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return next.size > 0 ? `/time/approvals?${next}` : "/time/approvals";
  };
  const rows = data.show === "pending" ? data.pending : data.decided;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Approval lists" className="flex gap-1 rounded-lg bg-zinc-100 p-1">
          <SegmentLink to={hrefWith({ show: null, open: null })} current={data.show === "pending"}>
            Waiting ({data.pending.length})
          </SegmentLink>
          <SegmentLink to={hrefWith({ show: "decided", open: null })} current={data.show === "decided"}>
            Decided
          </SegmentLink>
        </nav>
        <div role="group" aria-label="Whose weeks" className="flex gap-1 rounded-lg bg-zinc-100 p-1">
          <SegmentLink to={hrefWith({ scope: "mine", open: null })} current={data.scope === "mine"}>
            Only my projects
          </SegmentLink>
          <SegmentLink to={hrefWith({ scope: "all", open: null })} current={data.scope === "all"}>
            Everyone
          </SegmentLink>
        </div>
      </div>

      {actionData && !actionData.ok && actionData.intent !== "reject" ? (
        <FormError message={actionData.formError} />
      ) : null}

      {rows.length === 0 ? (
        <EmptyState
          icon={<CheckCircle2 className="h-6 w-6" />}
          title={data.show === "pending" ? "Nothing waits for approval" : "No decided weeks yet"}
          action={
            data.show === "pending" && data.scope === "mine" && data.pendingElsewhere > 0 ? (
              <Link to={hrefWith({ scope: "all" })} className="text-sm font-medium text-brand hover:underline">
                Show the {data.pendingElsewhere} {data.pendingElsewhere === 1 ? "week" : "weeks"} on other projects
              </Link>
            ) : undefined
          }
        >
          {data.show === "pending"
            ? "When someone submits a week, it shows up here for you to approve or return with a reason."
            : "Approved and returned weeks are listed here with who decided and why."}
        </EmptyState>
      ) : (
        <Card>
          <ul
            aria-label={data.show === "pending" ? "Weeks waiting for approval" : "Decided weeks"}
            className="divide-y divide-zinc-100"
          >
            {rows.map((row) => (
              <ApprovalItem
                key={row.id}
                row={row}
                show={data.show}
                back={back}
                open={data.open?.id === row.id ? data.open : null}
                toggleHref={hrefWith({ open: data.open?.id === row.id ? null : row.id })}
                failure={actionData && !actionData.ok && actionData.timesheet_id === row.id ? actionData : undefined}
              />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function SegmentLink({ to, current, children }: { to: string; current: boolean; children: ReactNode }) {
  return (
    <Link
      to={to}
      preventScrollReset
      aria-current={current ? "true" : undefined}
      className={cn(
        "rounded-md px-3 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand",
        current ? "bg-white text-zinc-900 shadow-sm" : "text-zinc-600 hover:text-zinc-900",
      )}
    >
      {children}
    </Link>
  );
}

function ApprovalItem({
  row,
  show,
  back,
  open,
  toggleHref,
  failure,
}: {
  row: Row;
  show: "pending" | "decided";
  back: string;
  open: Data["open"];
  toggleHref: string;
  failure: { intent: string; formError?: string; values: Record<string, string> } | undefined;
}) {
  const navigation = useNavigation();
  const range = weekRange(row.week_start);
  const approving =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === "approve" &&
    navigation.formData.get("timesheet_id") === row.id;
  const detailsId = `week-${row.id}`;
  return (
    <li className="px-4 py-4 sm:px-5">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start lg:justify-between">
        <div className="flex min-w-0 gap-3">
          <Avatar name={row.user_name} size={36} />
          <div className="min-w-0">
            <p className="font-medium text-zinc-900">
              {row.user_name} <span className="font-normal text-zinc-500">· {range}</span>
            </p>
            <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-600">
              <div className="flex gap-1">
                <dt>Total</dt>
                <dd className="font-semibold tabular-nums text-zinc-900">{formatDuration(row.total_seconds)}</dd>
              </div>
              <div className="flex gap-1">
                <dt>Billable</dt>
                <dd className="tabular-nums text-zinc-900">{formatDuration(row.billable_seconds)}</dd>
              </div>
              <div className="flex min-w-0 gap-1">
                <dt>Projects</dt>
                <dd className="truncate text-zinc-900">{row.project_names.join(", ") || "—"}</dd>
              </div>
              <div className="flex gap-1">
                <dt>Submitted</dt>
                <dd className="text-zinc-900">{shortDate(row.submitted_at)}</dd>
              </div>
            </dl>
            {show === "decided" ? (
              <div className="mt-2 space-y-1 text-sm">
                <p className="flex flex-wrap items-center gap-2 text-zinc-600">
                  <TimesheetStatusBadge status={row.status} />
                  {row.decided_by_name ? `by ${row.decided_by_name}` : null}
                  {row.decided_at ? ` on ${shortDate(row.decided_at)}` : null}
                </p>
                {row.rejection_reason ? (
                  <p className="text-zinc-700">
                    <span className="font-medium">Reason:</span> {row.rejection_reason}
                  </p>
                ) : null}
              </div>
            ) : null}
          </div>
        </div>
        <div className="flex flex-wrap items-start gap-2 lg:justify-end">
          <Button asChild variant="ghost" size="sm">
            <Link
              to={toggleHref}
              preventScrollReset
              aria-expanded={Boolean(open)}
              aria-controls={open ? detailsId : undefined}
            >
              {open ? (
                <ChevronDown className="h-4 w-4" aria-hidden="true" />
              ) : (
                <ChevronRight className="h-4 w-4" aria-hidden="true" />
              )}
              {open ? "Hide entries" : "Show entries"}
              <span className="sr-only">
                {" "}
                of {row.user_name}&rsquo;s week of {range}
              </span>
            </Link>
          </Button>
          {show === "pending" && row.can_decide ? (
            <>
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="timesheet_id" value={row.id} />
                <input type="hidden" name="back" value={back} />
                <Button
                  type="submit"
                  size="sm"
                  pending={approving}
                  aria-label={`Approve ${row.user_name}'s week of ${range}`}
                >
                  Approve
                </Button>
              </Form>
              <RejectWeekDialog
                timesheetId={row.id}
                who={row.user_name}
                week={range}
                back={back}
                error={failure?.intent === "reject" ? failure.formError : undefined}
                reason={failure?.intent === "reject" ? failure.values.reason : undefined}
              />
            </>
          ) : show === "pending" ? (
            <p className="text-sm text-zinc-500">Your own week: an owner or another manager decides it.</p>
          ) : null}
        </div>
      </div>
      {open ? (
        <div id={detailsId} className="mt-4 space-y-3">
          <WeekGrid
            caption={`${row.user_name}'s time for the week of ${range}, by project and day`}
            days={open.days}
            today={open.today}
            rows={open.rows}
            billable={open.billable}
            nonBillable={open.nonBillable}
            mode="read"
          />
          <EntryList entries={open.entries} />
        </div>
      ) : null}
    </li>
  );
}

function clock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

function EntryList({ entries }: { entries: NonNullable<Data["open"]>["entries"] }) {
  if (entries.length === 0) return null;
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200">
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">Entries of the week</caption>
        <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Day
            </th>
            <th scope="col" className="px-3 py-2">
              Project / task
            </th>
            <th scope="col" className="px-3 py-2">
              Description
            </th>
            <th scope="col" className="px-3 py-2">
              Time
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Duration
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="whitespace-nowrap px-3 py-2 text-zinc-700">
                {weekdayLabel(entry.entry_date)} {dayLabel(entry.entry_date)}
              </td>
              <td className="px-3 py-2 text-zinc-900">
                {entry.project_name}
                {entry.task_title ? <span className="text-zinc-500"> · {entry.task_title}</span> : null}
              </td>
              <td className="px-3 py-2 text-zinc-700">
                {entry.description || <span className="text-zinc-400">No description</span>}
                {entry.is_billable ? null : <span className="ml-2 text-xs text-zinc-500">(non-billable)</span>}
              </td>
              <td className="whitespace-nowrap px-3 py-2 tabular-nums text-zinc-600">
                {entry.started_at && entry.ended_at
                  ? `${clock(entry.started_at, entry.time_zone)}–${clock(entry.ended_at, entry.time_zone)}`
                  : "—"}
              </td>
              <td className="px-3 py-2 text-right font-medium tabular-nums text-zinc-900">
                {formatDuration(entry.duration_seconds)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/time" backLabel="Back to my week" />;
}
