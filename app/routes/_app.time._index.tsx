import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { ChevronLeft, ChevronRight, Copy, Eye, Plus, Timer } from "lucide-react";
import { useEffect, useId, useRef } from "react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { ConfirmForm } from "#app/components/projects/confirm-form.tsx";
import { addDays, localToday as todayIn, mondayOf } from "#app/utils/calendar-dates.ts";
import { TimesheetStatusBadge, type WeekStatus } from "#app/components/time/timesheet-status.tsx";
import { shortDate, weekRange } from "#app/components/time/week-format.ts";
import {
  cellKeyOf,
  rowKeyOf,
  TimedHint,
  WeekGrid,
  type CellFailure,
  type GridRowView,
} from "#app/components/time/week-grid.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { trackableProjects } from "#app/models/time-entries.server.ts";
import { getWeek, recentTimesheets, setWeekCell, submitWeek } from "#app/models/timesheets.server.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formatDuration, parseDuration } from "#app/utils/durations.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { useTimeLayout } from "./_app.time.tsx";

export const meta: MetaFunction = () => [{ title: "Week · Time · Agency CRM" }];

const isoDate = z.iso.date({ error: "Use a date such as 2026-11-02." });
const Query = z.object({
  week: isoDate.optional().catch(undefined),
  user: uuid.optional().catch(undefined),
});
/** An added row in the URL: "project:task" or "project:" (no task). */
const addedKey = /^([0-9a-f-]{36}):([0-9a-f-]{36})?$/i;
/** Where a form posted without JavaScript comes back to: this page with its query string. */
const back = z
  .string()
  .regex(/^(\?[^#\s]*)?$/)
  .optional()
  .catch(undefined);

const WeekForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("cell"),
    project_id: uuid,
    task_id: z.union([z.literal(""), uuid]).optional(),
    date: isoDate,
    duration: z.string().max(40, "Enter a duration such as 1:30, 1.5 or 90m."),
    respond: z.literal("json").optional(),
    back,
  }),
  z.object({ intent: z.literal("submit"), week_start: isoDate, back }),
]);

const INVALID_DURATION = "Enter a duration such as 1:30, 1.5 or 90m.";

/** A model's "not yours" or "no such person" as the page's 403/404. */
async function orResponse<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const url = new URL(request.url);
  const query = Query.parse({
    week: url.searchParams.get("week") || undefined,
    user: url.searchParams.get("user") || undefined,
  });
  const userId = query.user ?? claims.sub;
  const own = userId === claims.sub;

  // "This week" is the person's own: read the week around today in UTC, then check it against
  // today in their time zone (a day apart at most, so a second read is rare).
  let week = await orResponse(
    getWeek({ claims, agencyId, userId, weekStart: query.week ?? new Date().toISOString().slice(0, 10) }),
  );
  const today = todayIn(week.user.time_zone);
  if (!query.week && week.week_start !== mondayOf(today)) {
    week = await orResponse(getWeek({ claims, agencyId, userId, weekStart: today }));
  }

  const status: WeekStatus = week.timesheet?.status ?? "draft";
  const editable = own && status !== "submitted" && status !== "approved";
  const [projects, recent] = own
    ? await Promise.all([trackableProjects({ claims, agencyId }), recentTimesheets({ claims, agencyId })])
    : [[], []];

  // Rows added on the page (URL ?add=project:task) until a cell of theirs is saved.
  const present = new Set(week.rows.map(rowKeyOf));
  const byId = new Map(projects.map((p) => [p.id, p]));
  const added: GridRowView[] = [];
  for (const key of editable ? new Set(url.searchParams.getAll("add")) : []) {
    const match = addedKey.exec(key);
    const project = match ? byId.get(match[1]!) : undefined;
    const task = match?.[2] ? project?.tasks.find((t) => t.id === match[2]) : undefined;
    if (!project || (match?.[2] && !task) || present.has(key)) continue;
    added.push({
      key,
      project_id: project.id,
      project_name: project.name,
      client_name: project.client_name,
      task_id: task?.id ?? null,
      task_title: task?.title ?? null,
      days: week.days.map(() => 0),
      timed: week.days.map(() => 0),
      editable: week.days.map(() => true),
      added: true,
    });
  }
  const rows: GridRowView[] = [
    ...week.rows.map((row) => ({
      key: rowKeyOf(row),
      project_id: row.project_id,
      project_name: row.project_name,
      client_name: row.client_name,
      task_id: row.task_id,
      task_title: row.task_title,
      days: row.days,
      timed: row.timed,
      editable: row.editable,
      added: false,
    })),
    ...added,
  ].sort(
    (a, b) =>
      a.project_name.localeCompare(b.project_name) ||
      (a.task_title ?? "").localeCompare(b.task_title ?? "") ||
      a.key.localeCompare(b.key),
  );
  const shownKeys = new Set(rows.map((r) => r.key));
  // Last week's rows that can take time now (open project, still on the team) and are not here yet.
  const copyable = week.previous_rows
    .filter((row) => {
      const project = byId.get(row.project_id);
      return project && (!row.task_id || project.tasks.some((t) => t.id === row.task_id));
    })
    .map(rowKeyOf)
    .filter((key) => !shownKeys.has(key));

  return {
    own,
    person: week.user,
    weekStart: week.week_start,
    days: week.days,
    today,
    thisWeek: mondayOf(today),
    status,
    timesheet: week.timesheet,
    editable,
    rows,
    billable: week.totals.billable,
    nonBillable: week.totals.non_billable,
    total: week.totals.total,
    billableTotal: week.totals.billable_total,
    addedKeys: added.map((r) => r.key),
    copyable,
    projects: projects.map((p) => ({
      id: p.id,
      name: p.name,
      client_name: p.client_name,
      tasks: p.tasks.map((t) => ({ id: t.id, title: t.title })),
    })),
    recent: recent.map((t) => ({
      id: t.id,
      week_start: t.week_start,
      status: t.status,
      submitted_at: t.submitted_at,
      decided_at: t.decided_at,
      decided_by_name: t.decided_by_name,
    })),
  };
}

function cellFailure(error: unknown, values: Record<string, string>) {
  if (error instanceof Response) throw error;
  const appError = toAppError(error);
  const message = Object.values(appError.fieldErrors).flat()[0] ?? appError.message;
  const body: CellFailure = {
    ok: false,
    cell: cellKeyOf(`${values.project_id ?? ""}:${values.task_id ?? ""}`, values.date ?? ""),
    code: appError.code,
    message,
    fieldErrors: appError.fieldErrors,
    values,
  };
  return json(body, { status: appError.status });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const formData = await request.formData();
  const values = Object.fromEntries(
    [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const parsed = WeekForm.safeParse(values);
  if (!parsed.success) {
    if (values.intent === "cell") return cellFailure(parsed.error, values);
    return submitFailure(parsed.error, values);
  }
  const input = parsed.data;
  if (input.intent === "cell") {
    try {
      const seconds = input.duration.trim() === "" ? 0 : parseDuration(input.duration);
      if (seconds === null) {
        throw new AppError(422, "invalid_duration", INVALID_DURATION, { duration: [INVALID_DURATION] });
      }
      await setWeekCell({
        claims,
        agencyId,
        cell: {
          project_id: input.project_id,
          task_id: input.task_id || null,
          date: input.date,
          duration_seconds: seconds,
        },
      });
    } catch (error) {
      return cellFailure(error, values);
    }
    if (input.respond === "json") {
      return json({ ok: true as const, cell: cellKeyOf(`${input.project_id}:${input.task_id ?? ""}`, input.date) });
    }
    return redirect(`/time${input.back ?? `?week=${mondayOf(input.date)}`}`);
  }
  try {
    const sheet = await submitWeek({ claims, agencyId, weekStart: input.week_start });
    await context.app.toast({
      kind: "success",
      message: `The week of ${weekRange(sheet.week_start)} is submitted for approval.`,
    });
  } catch (error) {
    return submitFailure(error, values);
  }
  return redirect(`/time${input.back ?? `?week=${input.week_start}`}`);
}

function submitFailure(error: unknown, values: Record<string, string>) {
  if (error instanceof Response) throw error;
  const appError = toAppError(error);
  return json(
    {
      ok: false as const,
      intent: "submit" as const,
      code: appError.code,
      formError: Object.values(appError.fieldErrors).flat()[0] ?? appError.message,
      fieldErrors: appError.fieldErrors,
      values,
    },
    { status: appError.status },
  );
}

function weekHref(week: string, user: string | null): string {
  const params = new URLSearchParams({ week });
  if (user) params.set("user", user);
  return `/time?${params}`;
}

export default function WeekPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { canApprove, members, viewerId } = useTimeLayout();
  const location = useLocation();
  const userParam = data.own ? null : data.person.id;
  const search = new URLSearchParams(location.search);
  search.delete("index");
  const back = search.size > 0 ? `?${search}` : "";
  const cellFailure = actionData && "cell" in actionData && !actionData.ok ? actionData : undefined;
  // A refused cell the grid does not show (a locked week, a day of another week): say it above.
  const failureInGrid =
    data.editable &&
    data.rows.some((row) =>
      data.days.some(
        (date, c) => cellKeyOf(row.key, date) === cellFailure?.cell && row.editable[c] && date <= data.today,
      ),
    );
  const submitFailure = actionData && "intent" in actionData ? actionData : undefined;
  const hasTimed = data.rows.some((row) => row.timed.some((s) => s > 0));
  const firstName = data.person.name.split(/\s+/)[0] ?? data.person.name;

  // A row just added ("Add row", "Copy last week's rows") takes the focus: its first open cell.
  const knownAdded = useRef(data.addedKeys);
  useEffect(() => {
    const before = new Set(knownAdded.current);
    knownAdded.current = data.addedKeys;
    const fresh = data.addedKeys.find((key) => !before.has(key));
    if (!fresh) return;
    document.querySelector<HTMLInputElement>(`tr[data-row-key="${CSS.escape(fresh)}"] input[data-c]`)?.focus();
  }, [data.addedKeys]);

  function hrefWithout(key: string): string {
    const params = new URLSearchParams(location.search);
    params.delete("index");
    const kept = params.getAll("add").filter((k) => k !== key);
    params.delete("add");
    for (const k of kept) params.append("add", k);
    return `/time?${params}`;
  }

  const next = addDays(data.weekStart, 7);
  const previous = addDays(data.weekStart, -7);
  const range = weekRange(data.weekStart);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <nav aria-label="Weeks" className="flex items-center gap-1">
            <Button asChild variant="secondary" size="sm">
              <Link to={weekHref(previous, userParam)} aria-label={`Previous week, ${weekRange(previous)}`}>
                <ChevronLeft className="h-4 w-4" aria-hidden="true" />
              </Link>
            </Button>
            <Button asChild variant="secondary" size="sm">
              <Link
                to={weekHref(data.thisWeek, userParam)}
                aria-current={data.weekStart === data.thisWeek ? "page" : undefined}
              >
                This week
              </Link>
            </Button>
            {next <= data.thisWeek ? (
              <Button asChild variant="secondary" size="sm">
                <Link to={weekHref(next, userParam)} aria-label={`Next week, ${weekRange(next)}`}>
                  <ChevronRight className="h-4 w-4" aria-hidden="true" />
                </Link>
              </Button>
            ) : (
              <Button variant="secondary" size="sm" disabled aria-label="Next week (still to come)">
                <ChevronRight className="h-4 w-4" aria-hidden="true" />
              </Button>
            )}
          </nav>
          <h2 className="text-lg font-semibold text-zinc-900">
            {data.own ? null : <span className="text-zinc-600">{data.person.name} · </span>}
            {range}
          </h2>
          <TimesheetStatusBadge status={data.status} />
        </div>
        {canApprove ? (
          <PersonPicker members={members} selected={data.person.id} week={data.weekStart} viewerId={viewerId} />
        ) : null}
      </div>

      <WeekBanner data={data} firstName={firstName} />

      {data.editable ? (
        <RowTools
          projects={data.projects}
          shownKeys={data.rows.map((r) => r.key)}
          copyable={data.copyable}
          weekStart={data.weekStart}
          addedKeys={data.addedKeys}
        />
      ) : null}

      {cellFailure && !failureInGrid ? <FormError message={cellFailure.message} /> : null}

      {data.rows.length === 0 ? (
        <EmptyState icon={<Timer className="h-6 w-6" />} title="No time this week">
          {data.editable
            ? "Add a row or copy last week's rows, then type the hours into the days."
            : data.own
              ? "Nothing was tracked in this week."
              : `${firstName} tracked no time in this week.`}
        </EmptyState>
      ) : (
        <WeekGrid
          caption={`Time for the week of ${range}, by project and day`}
          days={data.days}
          today={data.today}
          rows={data.rows}
          billable={data.billable}
          nonBillable={data.nonBillable}
          mode={data.editable ? "edit" : "read"}
          back={back}
          failure={cellFailure}
          removeRowHref={(row) => hrefWithout(row.key)}
        />
      )}
      {data.editable && hasTimed ? <TimedHint /> : null}
      {data.editable && data.rows.length > 0 ? (
        <p className="text-xs text-zinc-500">
          Type hours as 1:30, 1.5 or 90m. Enter saves and moves down, arrow keys move between days, Escape undoes.
        </p>
      ) : null}

      {data.own && data.editable && data.total > 0 ? (
        <div className="flex flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-zinc-700">
            <span className="font-semibold text-zinc-900">{formatDuration(data.total)}</span> this week,{" "}
            {formatDuration(data.billableTotal)} billable. Submit it when the week is complete.
          </p>
          <ConfirmForm
            fields={{ intent: "submit", week_start: data.weekStart, back }}
            trigger="Submit week"
            triggerLabel={`Submit the week of ${range}`}
            triggerVariant="primary"
            title={`Submit the week of ${range}?`}
            description={
              <>
                {formatDuration(data.total)} in total ({formatDuration(data.billableTotal)} billable) goes to your
                manager for approval. The week is locked until it is approved or returned to you.
                {data.weekStart === data.thisWeek ? " The days still to come this week are locked too." : null}
              </>
            }
            confirmLabel="Submit week"
            confirmVariant="primary"
          />
        </div>
      ) : null}
      <FormError message={submitFailure?.formError} />

      {data.own && data.recent.length > 0 ? <RecentWeeks recent={data.recent} current={data.weekStart} /> : null}
    </div>
  );
}

type WeekData = ReturnType<typeof useLoaderData<typeof loader>>;

function WeekBanner({ data, firstName }: { data: WeekData; firstName: string }) {
  const sheet = data.timesheet;
  if (!data.own) {
    return (
      <p className="flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
        <Eye className="h-4 w-4 shrink-0 text-zinc-500" aria-hidden="true" />
        <span>
          You are looking at {data.person.name}&rsquo;s week. Only {firstName} can change it.{" "}
          <Link to={weekHref(data.weekStart, null)} className="font-medium text-brand hover:underline">
            Back to my week
          </Link>
        </span>
      </p>
    );
  }
  if (!sheet) return null;
  if (sheet.status === "submitted") {
    return (
      <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Submitted on {shortDate(sheet.submitted_at)} and waiting for approval. The week is read-only until a manager
        decides.
      </div>
    );
  }
  if (sheet.status === "approved") {
    return (
      <div
        role="status"
        className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
      >
        Approved{sheet.decided_by_name ? ` by ${sheet.decided_by_name}` : ""}
        {sheet.decided_at ? ` on ${shortDate(sheet.decided_at)}` : ""}. The week is locked.
      </div>
    );
  }
  return (
    <div role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      <p>
        Returned for changes{sheet.decided_by_name ? ` by ${sheet.decided_by_name}` : ""}
        {sheet.decided_at ? ` on ${shortDate(sheet.decided_at)}` : ""}: fix what is needed and submit the week again.
      </p>
      {sheet.rejection_reason ? (
        <blockquote className="mt-1 border-l-2 border-red-300 pl-2 italic">{sheet.rejection_reason}</blockquote>
      ) : null}
    </div>
  );
}

const controlClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm text-zinc-900 shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30";

function PersonPicker({
  members,
  selected,
  week,
  viewerId,
}: {
  members: { value: string; label: string }[];
  selected: string;
  week: string;
  viewerId: string;
}) {
  const id = useId();
  return (
    <Form method="get" action="/time" className="flex items-end gap-2" aria-label="Choose whose week to see">
      <input type="hidden" name="week" value={week} />
      <div>
        <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
          Whose week
        </label>
        <select id={id} name="user" defaultValue={selected} key={selected} className={controlClass}>
          {members.map((m) => (
            <option key={m.value} value={m.value}>
              {m.value === viewerId ? `${m.label} (me)` : m.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary" size="sm" className="h-[2.125rem]">
        Show
      </Button>
    </Form>
  );
}

function RowTools({
  projects,
  shownKeys,
  copyable,
  weekStart,
  addedKeys,
}: {
  projects: { id: string; name: string; client_name: string | null; tasks: { id: string; title: string }[] }[];
  shownKeys: string[];
  copyable: string[];
  weekStart: string;
  addedKeys: string[];
}) {
  const id = useId();
  const shown = new Set(shownKeys);
  const kept = addedKeys.map((key) => <input key={key} type="hidden" name="add" value={key} />);
  const choices = projects
    .map((p) => ({
      project: p,
      options: [
        { value: `${p.id}:`, label: `${p.name} (no task)` },
        ...p.tasks.map((t) => ({ value: `${p.id}:${t.id}`, label: t.title })),
      ].filter((o) => !shown.has(o.value)),
    }))
    .filter((group) => group.options.length > 0);

  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      {choices.length > 0 ? (
        <Form
          method="get"
          action="/time"
          preventScrollReset
          replace
          className="flex flex-1 items-end gap-2"
          aria-label="Add a row"
        >
          <input type="hidden" name="week" value={weekStart} />
          {kept}
          <div className="min-w-0 flex-1 sm:max-w-md">
            <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
              Project and task
            </label>
            <select id={id} name="add" required defaultValue="" className={controlClass}>
              <option value="" disabled>
                Choose a project or task…
              </option>
              {choices.map(({ project, options }) => (
                <optgroup
                  key={project.id}
                  label={project.client_name ? `${project.name} · ${project.client_name}` : project.name}
                >
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary" size="sm" className="h-[2.125rem]">
            <Plus className="h-4 w-4" aria-hidden="true" /> Add row
          </Button>
        </Form>
      ) : (
        <p className="text-sm text-zinc-500">
          {projects.length === 0
            ? "You are on no open project's team yet: a manager adds you to a project first."
            : "Every project and task you can track is in the grid."}
        </p>
      )}
      {copyable.length > 0 ? (
        <Form method="get" action="/time" preventScrollReset replace>
          <input type="hidden" name="week" value={weekStart} />
          {kept}
          {copyable.map((key) => (
            <input key={key} type="hidden" name="add" value={key} />
          ))}
          <Button type="submit" variant="ghost" size="sm">
            <Copy className="h-4 w-4" aria-hidden="true" /> Copy last week&rsquo;s rows ({copyable.length})
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

function RecentWeeks({ recent, current }: { recent: WeekData["recent"]; current: string }) {
  return (
    <Card>
      <CardHeader title="Your recent timesheets" description="Weeks you submitted, newest first." />
      <ul className="divide-y divide-zinc-100">
        {recent.map((sheet) => (
          <li key={sheet.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
            <Link
              to={weekHref(sheet.week_start, null)}
              aria-current={sheet.week_start === current ? "page" : undefined}
              className="font-medium text-zinc-900 hover:underline aria-[current=page]:text-brand"
            >
              {weekRange(sheet.week_start)}
            </Link>
            <span className="flex items-center gap-3 text-xs text-zinc-500">
              {sheet.status === "submitted"
                ? `submitted ${shortDate(sheet.submitted_at)}`
                : sheet.decided_at
                  ? `${sheet.decided_by_name ? `by ${sheet.decided_by_name}, ` : ""}${shortDate(sheet.decided_at)}`
                  : null}
              <TimesheetStatusBadge status={sheet.status} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/time" backLabel="Back to my week" />;
}
