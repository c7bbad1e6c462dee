import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { ChevronLeft, ChevronRight, Clock, Lock } from "lucide-react";
import { useEffect, useState } from "react";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { dayView, isLocked, type DayEntry } from "#app/components/time/day.ts";
import { EntryFields, type Conflict, type EntryValues } from "#app/components/time/entry-fields.tsx";
import { EntryList } from "#app/components/time/entry-list.tsx";
import {
  DayAction,
  entryFormFields,
  entryTimes,
  formFieldErrors,
  generalMessage,
  type EntryFormInput,
} from "#app/components/time/forms.ts";
import { Modal } from "#app/components/time/modal.tsx";
import { billableValue, TargetFields } from "#app/components/time/target-fields.tsx";
import { TimerHidden } from "#app/components/time/timer-controls.tsx";
import { localDateTimeInput, localTime, zonedToInstant } from "#app/components/time/zoned.ts";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import { getAccount } from "#app/models/account.server.ts";
import {
  createEntry,
  deleteEntry,
  getEntry,
  trackableProjects,
  updateEntry,
  type EntryChanges,
  type NewEntry,
  type TrackableProject,
} from "#app/models/time-entries.server.ts";
import { getTimer } from "#app/models/timer.server.ts";
import { getWeek } from "#app/models/timesheets.server.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { addDays, localToday } from "#app/utils/calendar-dates.ts";
import { parseDuration, formatDuration } from "#app/utils/durations.ts";
import { AppError, validationError } from "#app/utils/errors.server.ts";
import type { FormFailure } from "#app/utils/forms.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? longDate(data.date) : "Day"} · Time · Agency CRM` },
];

/** "2026-02-31" matches the pattern but is no day (Date would roll it over into March). */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
}

/** A 404/403 from a model as the page's error (the error boundary says which). */
async function orResponse<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && (error.status === 404 || error.status === 403)) {
      throw new Response(error.message, { status: error.status });
    }
    throw error;
  }
}

/**
 * /time/day?date=YYYY-MM-DD — one person's entries of a local day, in order, with the untracked
 * gaps between them; add, edit and delete inline. Owners and managers may look at someone else's
 * day (?user=), read-only: time is only ever changed by the person who tracked it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const url = new URL(request.url);
  const userParam = url.searchParams.get("user");
  if (userParam && !uuid.safeParse(userParam).success) {
    throw new Response("There is no such person in this agency.", { status: 404 });
  }
  const userId = userParam ?? claims.sub;
  const own = userId === claims.sub;
  const account = await getAccount({ claims });
  const timeZone = account?.profile.timezone ?? "UTC";
  const today = localToday(timeZone);
  const asked = url.searchParams.get("date") ?? "";
  // A malformed date opens today rather than failing: a stale or hand-typed link still works.
  const date = isRealDate(asked) ? asked : today;
  const timerParam = own ? url.searchParams.get("timer") : null;
  const timerMode: "start" | "edit" | null = timerParam === "start" || timerParam === "edit" ? timerParam : null;

  const [week, projects, timer] = await Promise.all([
    orResponse(getWeek({ claims, agencyId, weekStart: date, userId })),
    own ? trackableProjects({ claims, agencyId }) : Promise.resolve([] as TrackableProject[]),
    timerMode ? getTimer({ claims, agencyId }) : Promise.resolve(null),
  ]);
  const entries: DayEntry[] = week.entries
    .filter((e) => e.entry_date === date)
    .map((e) => ({
      id: e.id,
      project_id: e.project_id,
      project_name: e.project_name,
      client_name: e.client_name,
      task_id: e.task_id,
      task_title: e.task_title,
      description: e.description,
      is_billable: e.is_billable,
      started_at: e.started_at,
      ended_at: e.ended_at,
      entry_date: e.entry_date,
      duration_seconds: e.duration_seconds,
      status: e.status,
      time_zone: e.time_zone,
      split_group_id: e.split_group_id,
      invoice_id: e.invoice_id,
    }));
  const clock = (value: string | null) => (value && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? value : undefined);
  return {
    date,
    today,
    timeZone,
    own,
    person: week.user,
    entries,
    week: {
      start: week.week_start,
      status: week.timesheet?.status ?? null,
      rejection_reason: week.timesheet?.rejection_reason ?? null,
    },
    projects,
    /** The no-JavaScript home of the header's Start / Change forms (?timer=start|edit). */
    timerForm: timerMode ? { mode: timerMode as "start" | "edit", timer } : null,
    editId: own ? (uuid.safeParse(url.searchParams.get("edit")).data ?? null) : null,
    /** "Log it" on a gap fills the add form with its times. */
    prefill: { start: clock(url.searchParams.get("start")), end: clock(url.searchParams.get("end")) },
  };
}

export type DayFailure = FormFailure & { ok: false; code: string; conflict?: Conflict };

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const formData = await request.formData();
  const values = Object.fromEntries(
    [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const asJson = values.respond === "json";
  const parsed = DayAction.safeParse(values);
  const timed = values.mode !== "duration";

  const fail = async (error: unknown) => {
    if (error instanceof Response) throw error;
    const appError = toAppError(error);
    const { _: general, ...raw } = appError.fieldErrors;
    // A locked week or entry is about the whole entry, not one field.
    const fieldErrors = appError.code === "entry_locked" ? {} : formFieldErrors(raw, timed);
    const lockedMessage = appError.code === "entry_locked" ? Object.values(raw).flat().join(" ") : "";
    let conflict: Conflict | undefined;
    const conflictId = appError.extra.conflicting_entry_id;
    if (appError.code === "overlap" && typeof conflictId === "string") {
      const other = await getEntry({ claims, agencyId, entryId: conflictId }).catch(() => null);
      if (other) conflict = { id: other.id, date: other.entry_date };
    }
    const body: DayFailure = {
      ok: false,
      code: appError.code,
      formError:
        Object.keys(fieldErrors).length > 0
          ? general?.join(" ")
          : general?.join(" ") || lockedMessage || appError.message,
      fieldErrors,
      values,
      conflict,
    };
    return json(body, { status: appError.status });
  };

  if (!parsed.success) return fail(validationError(parsed.error));
  const input = parsed.data;
  try {
    const url = new URL(request.url);
    if (input.intent === "delete") {
      await deleteEntry({ claims, agencyId, entryId: input.entry_id });
      await context.app.toast({ kind: "success", message: "Entry deleted." });
      return asJson ? json({ ok: true as const }) : redirect(dayUrl(url, url.searchParams.get("date")));
    }
    if (input.intent === "create") {
      const account = await getAccount({ claims });
      const times = when(input, account?.profile.timezone ?? "UTC");
      const entry: NewEntry = {
        ...target(input),
        ...(times ?? { date: input.date, duration_seconds: parseDuration(input.duration ?? "")! }),
      };
      const parts = await createEntry({ claims, agencyId, entry });
      const seconds = parts.reduce((sum, p) => sum + p.duration_seconds, 0);
      const split = parts.length > 1 ? " (split at midnight)" : "";
      await context.app.toast({
        kind: "success",
        message: `Logged ${formatDuration(seconds)} on ${parts[0]?.project_name ?? "the project"}${split}.`,
      });
      return asJson ? json({ ok: true as const }) : redirect(dayUrl(url, input.date));
    }
    // The times of an entry are read in its own zone (the one that set its date).
    const current = await getEntry({ claims, agencyId, entryId: input.entry_id });
    const times = when(input, current.time_zone);
    const { is_billable, ...rest } = target(input);
    const changes: EntryChanges = {
      ...rest,
      // "Project default" is for new time; a stored entry keeps its flag unless one is chosen.
      ...(is_billable === null ? {} : { is_billable }),
      ...(times ?? { entry_date: input.date, duration_seconds: parseDuration(input.duration ?? "")! }),
    };
    const parts = await updateEntry({ claims, agencyId, entryId: input.entry_id, changes });
    await context.app.toast({ kind: "success", message: "Entry saved." });
    return asJson ? json({ ok: true as const }) : redirect(dayUrl(url, parts[0]?.entry_date ?? input.date));
  } catch (error) {
    return fail(error);
  }
}

function target(input: EntryFormInput) {
  return {
    project_id: input.project_id,
    task_id: input.task_id ?? null,
    description: input.description,
    is_billable: input.is_billable,
  };
}

/** Start and end as instants, or null for an entry logged as a duration. */
function when(input: EntryFormInput, timeZone: string): { started_at: string; ended_at: string } | null {
  if (input.mode === "duration") return null;
  const times = entryTimes({ date: input.date, start: input.start!, end: input.end! }, (local) =>
    zonedToInstant(local, timeZone),
  );
  if (!times)
    throw new AppError(422, "validation_failed", "Some fields need attention.", { start: ["Enter a real time."] });
  return times;
}

/** Back to a day, keeping ?user= (the only other thing the day's URL carries). */
function dayUrl(url: URL, date: string | null): string {
  const params = new URLSearchParams();
  if (date) params.set("date", date);
  const user = url.searchParams.get("user");
  if (user) params.set("user", user);
  return `/time/day?${params}`;
}

export default function TimeDay() {
  const data = useLoaderData<typeof loader>();
  const { date, today, own, person, entries, week, projects, editId, prefill, timerForm } = data;
  const actionData = useActionData<typeof action>();
  const failure = actionData && !actionData.ok ? (actionData as DayFailure) : undefined;
  const hydrated = useHydrated();
  const navigation = useNavigation();
  // Opened by a row's Edit button (or by ?edit= when the page came without JavaScript).
  const [editing, setEditing] = useState<string | null>(editId);
  const view = dayView(entries);
  const weekLocked = week.status === "submitted" || week.status === "approved";
  const canAdd = own && !weekLocked;

  const dayLink = (params: Record<string, string>) => {
    const search = new URLSearchParams({ date });
    if (!own) search.set("user", person.id);
    for (const [key, value] of Object.entries(params)) search.set(key, value);
    return `/time/day?${search}`;
  };
  const addFailure = failure?.values.intent === "create" ? failure : undefined;
  const editFailure = failure?.values.intent === "update" ? failure : undefined;
  const deleteFailure = failure?.values.intent === "delete" ? failure : undefined;
  const adding = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";
  const editEntry = entries.find((e) => e.id === (editing ?? editFailure?.values.entry_id ?? editId));
  const addKey = `${entries.length}:${view.total}:${prefill.start ?? ""}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold tracking-tight text-zinc-900">
            {own ? longDate(date) : `${person.name}: ${longDate(date)}`}
          </h2>
          <p className="mt-0.5 text-sm text-zinc-600">
            {date === today ? "Today. " : null}
            Times in {person.time_zone.replaceAll("_", " ")}.
            {!own ? " You are looking at someone else's time: only they can change it." : null}
          </p>
        </div>
        <nav aria-label="Days" className="flex flex-wrap items-center gap-2">
          <Button asChild size="sm" variant="secondary">
            <Link to={dayLink({ date: addDays(date, -1) })} prefetch="intent" aria-label="Previous day">
              <ChevronLeft className="h-4 w-4" aria-hidden="true" />
              <span className="hidden sm:inline">Previous</span>
            </Link>
          </Button>
          {date !== today ? (
            <Button asChild size="sm" variant="secondary">
              <Link to={dayLink({ date: today })}>Today</Link>
            </Button>
          ) : null}
          {date < today ? (
            <Button asChild size="sm" variant="secondary">
              <Link to={dayLink({ date: addDays(date, 1) })} prefetch="intent" aria-label="Next day">
                <span className="hidden sm:inline">Next</span>
                <ChevronRight className="h-4 w-4" aria-hidden="true" />
              </Link>
            </Button>
          ) : null}
          <Form method="get" className="flex items-center gap-2">
            {!own ? <input type="hidden" name="user" value={person.id} /> : null}
            <label htmlFor="day-pick" className="sr-only">
              Go to a date
            </label>
            <input
              id="day-pick"
              type="date"
              name="date"
              defaultValue={date}
              key={date}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30"
            />
            <Button type="submit" size="sm" variant="ghost">
              Go
            </Button>
          </Form>
        </nav>
      </div>

      {timerForm ? <NoScriptTimerForm {...timerForm} projects={projects} timeZone={data.timeZone} /> : null}

      {weekLocked ? (
        <p className="flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
          <Lock className="h-4 w-4" aria-hidden="true" />
          The week of {week.start} is {week.status}: its time is locked.
        </p>
      ) : week.status === "rejected" ? (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          This week was returned: {week.rejection_reason ?? "no reason given"}. Correct the entries and submit it again.
        </p>
      ) : null}

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-5 py-4">
          <h3 className="text-base font-semibold text-zinc-900">Entries</h3>
          <dl className="flex gap-5 text-sm">
            <div className="flex gap-1.5">
              <dt className="text-zinc-500">Total</dt>
              <dd className="font-semibold tabular-nums text-zinc-900">{formatDuration(view.total)}</dd>
            </div>
            <div className="flex gap-1.5">
              <dt className="text-zinc-500">Billable</dt>
              <dd className="font-semibold tabular-nums text-zinc-900">{formatDuration(view.billable)}</dd>
            </div>
          </dl>
        </div>
        {deleteFailure?.formError ? (
          <div className="px-5 pt-4">
            <FormError message={deleteFailure.formError} />
          </div>
        ) : null}
        {entries.length === 0 ? (
          <div className="p-5">
            <EmptyState icon={<Clock className="h-6 w-6" />} title="No time on this day">
              {own
                ? canAdd
                  ? "Start the timer at the top, or log what you did with the form below."
                  : "Nothing was tracked on this day."
                : `${person.name} tracked no time on this day.`}
            </EmptyState>
          </div>
        ) : (
          <EntryList
            rows={view.timed}
            durations={view.durations}
            editable={own}
            dayLink={dayLink}
            onEdit={setEditing}
          />
        )}
      </Card>

      {canAdd ? (
        <Card id="add-entry" className="scroll-mt-20">
          <SectionHeader title="Log time" description="A start and end, or just a duration." />
          {projects.length === 0 ? (
            <p className="p-5 text-sm text-zinc-600">
              You are not on the team of an open project yet. A manager adds you to a project&apos;s team.
            </p>
          ) : (
            <Form
              key={addKey}
              method="post"
              preventScrollReset
              className="grid gap-4 p-5 sm:grid-cols-2 lg:grid-cols-4"
              aria-label="Log time"
              noValidate
            >
              <input type="hidden" name="intent" value="create" />
              {generalMessage(addFailure, entryFormFields) ? (
                <div className="sm:col-span-2 lg:col-span-4">
                  <FormError message={generalMessage(addFailure, entryFormFields)} />
                </div>
              ) : null}
              <EntryFields
                projects={projects}
                values={addFailure?.values ?? { date, start: prefill.start, end: prefill.end }}
                errors={addFailure?.fieldErrors ?? {}}
                idPrefix="add"
                conflict={addFailure?.conflict}
              />
              <div className="flex items-end sm:col-span-2 lg:col-span-1">
                <Button type="submit" pending={adding}>
                  Add entry
                </Button>
              </div>
            </Form>
          )}
        </Card>
      ) : null}

      {own && editEntry && !isLocked(editEntry) ? (
        hydrated ? (
          <EditDialog
            entry={editEntry}
            projects={projects}
            failure={editFailure}
            onClose={() => setEditing(null)}
            open={Boolean(editing)}
          />
        ) : (
          <Card id="edit-entry">
            <SectionHeader title="Edit entry" />
            <EditForm entry={editEntry} projects={projects} failure={editFailure} as="form" />
          </Card>
        )
      ) : null}
    </div>
  );
}

/** A card's heading one level below the day's (the time layout has the page's h1, the day its h2). */
function SectionHeader({ title, description }: { title: string; description?: string }) {
  return (
    <div className="border-b border-zinc-100 px-5 py-4">
      <h3 className="text-base font-semibold text-zinc-900">{title}</h3>
      {description ? <p className="mt-0.5 text-sm text-zinc-500">{description}</p> : null}
    </div>
  );
}

/** The entry's stored values as the form shows them, in its own zone. */
function entryValues(entry: DayEntry): EntryValues {
  return {
    project_id: entry.project_id,
    task_id: entry.task_id ?? "",
    description: entry.description,
    is_billable: billableValue(entry.is_billable),
    date: entry.entry_date,
    mode: entry.started_at ? "times" : "duration",
    start: entry.started_at ? localTime(entry.started_at, entry.time_zone) : undefined,
    end: entry.ended_at ? localTime(entry.ended_at, entry.time_zone) : undefined,
    duration: entry.started_at ? undefined : formatDuration(entry.duration_seconds),
  };
}

/** An entry's project stays in its edit form even when it no longer takes new time. */
function withEntryProject(projects: TrackableProject[], entry: DayEntry): TrackableProject[] {
  if (projects.some((p) => p.id === entry.project_id)) return projects;
  return [
    ...projects,
    {
      id: entry.project_id,
      name: entry.project_name,
      client_name: entry.client_name,
      tasks: entry.task_id ? [{ id: entry.task_id, title: entry.task_title ?? "Task" }] : [],
    },
  ];
}

function EditForm({
  entry,
  projects,
  failure,
  as,
  onCancel,
}: {
  entry: DayEntry;
  projects: TrackableProject[];
  failure: DayFailure | undefined;
  as: "form" | "fetcher";
  onCancel?: () => void;
}) {
  const fetcher = useFetcher<typeof action>();
  const fetcherFailure = fetcher.data && !fetcher.data.ok ? (fetcher.data as DayFailure) : undefined;
  const shown = as === "fetcher" ? fetcherFailure : failure;
  const FormComponent = as === "fetcher" ? fetcher.Form : Form;
  const navigation = useNavigation();
  const busy = as === "fetcher" ? fetcher.state !== "idle" : navigation.state === "submitting";

  useEffect(() => {
    if (as === "fetcher" && fetcher.state === "idle" && fetcher.data?.ok) onCancel?.();
  }, [as, fetcher.state, fetcher.data, onCancel]);

  return (
    <FormComponent
      method="post"
      preventScrollReset
      className="grid gap-4 p-5 sm:grid-cols-2"
      noValidate
      aria-label="Edit entry"
    >
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="entry_id" value={entry.id} />
      {as === "fetcher" ? <input type="hidden" name="respond" value="json" /> : null}
      {generalMessage(shown, entryFormFields) ? (
        <div className="sm:col-span-2">
          <FormError message={generalMessage(shown, entryFormFields)} />
        </div>
      ) : null}
      <EntryFields
        projects={withEntryProject(projects, entry)}
        values={shown?.values ?? entryValues(entry)}
        errors={shown?.fieldErrors ?? {}}
        idPrefix="edit"
        editing
        conflict={shown?.conflict}
      />
      <div className="flex justify-end gap-2 sm:col-span-2">
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : (
          <Button asChild variant="secondary">
            <Link to={`/time/day?date=${entry.entry_date}`}>Cancel</Link>
          </Button>
        )}
        <Button type="submit" pending={busy}>
          Save entry
        </Button>
      </div>
    </FormComponent>
  );
}

function EditDialog({
  entry,
  projects,
  failure,
  open,
  onClose,
}: {
  entry: DayEntry;
  projects: TrackableProject[];
  failure: DayFailure | undefined;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      open={open}
      onOpenChange={(next) => (next ? undefined : onClose())}
      title="Edit entry"
      description={`${entry.project_name}, ${formatDuration(entry.duration_seconds)} on ${longDate(entry.entry_date)}.`}
    >
      <div className="-m-5">
        <EditForm key={entry.id} entry={entry} projects={projects} failure={failure} as="fetcher" onCancel={onClose} />
      </div>
    </Modal>
  );
}

/**
 * The header's Start and Change forms for a browser without JavaScript: they need the projects,
 * which this page has at hand. They post to /timer and come back here.
 */
function NoScriptTimerForm({
  mode,
  timer,
  projects,
  timeZone,
}: {
  mode: "start" | "edit";
  timer: Awaited<ReturnType<typeof getTimer>>;
  projects: TrackableProject[];
  timeZone: string;
}) {
  const editing = mode === "edit" && timer;
  return (
    <Card id="timer-form">
      <SectionHeader
        title={editing ? "Change the running timer" : "Start a timer"}
        description={
          editing
            ? undefined
            : timer
              ? `The timer on ${timer.project_name} stops when this one starts; its time is saved.`
              : "It runs until you stop it, on every device."
        }
      />
      <Form
        method="post"
        action="/timer"
        className="grid gap-4 p-5 sm:grid-cols-2"
        noValidate
        aria-label={editing ? "Change the running timer" : "Start a timer"}
      >
        <TimerHidden intent={editing ? "update" : "start"} back="/time/day" />
        <TargetFields
          projects={projects}
          values={
            editing
              ? {
                  project_id: timer.project_id,
                  task_id: timer.task_id ?? "",
                  description: timer.description,
                  is_billable: billableValue(timer.is_billable),
                }
              : {}
          }
          errors={{}}
          idPrefix="page-timer"
        />
        {editing ? (
          <InputField
            label="Started at"
            type="datetime-local"
            name="started_at"
            defaultValue={localDateTimeInput(timer.started_at, timeZone)}
          />
        ) : null}
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit">{editing ? "Save" : "Start timer"}</Button>
          <Button asChild variant="secondary">
            <Link to="/time/day">Cancel</Link>
          </Button>
        </div>
      </Form>
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/time/day" backLabel="Back to your day" />;
}
