import { Link } from "@remix-run/react";
import { ArrowDownRight, ArrowUpLeft, Lock, Pencil, Trash2 } from "lucide-react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { ConfirmForm } from "#app/components/projects/confirm-form.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { addDays } from "#app/utils/calendar-dates.ts";
import { formatDuration } from "#app/utils/durations.ts";
import { isLocked, timeRange, type DayEntry, type DayRow } from "./day.ts";
import { localTime } from "./zoned.ts";

/**
 * The entries of a day: a table-like list on wide screens (time, work, duration, actions), cards on
 * a phone — one list either way, so nothing is read twice. Locked entries show a lock and no edit
 * controls; the database refuses changes to them anyway.
 */
export function EntryList({
  rows,
  durations,
  editable,
  dayLink,
  onEdit,
}: {
  rows: DayRow[];
  durations: DayEntry[];
  /** The viewer's own day (a manager looking at someone else's day only reads). */
  editable: boolean;
  /** The URL of this day with extra search params (keeps ?user=). */
  dayLink: (params: Record<string, string>) => string;
  /** With JavaScript the edit form opens in a dialog; without, ?edit= shows it on the page. */
  onEdit: (entryId: string) => void;
}) {
  return (
    <div>
      <div
        aria-hidden="true"
        className="hidden grid-cols-[8rem_minmax(0,1fr)_4.5rem_5.5rem] gap-4 border-b border-zinc-100 px-5 py-2 text-xs font-medium uppercase tracking-wide text-zinc-500 md:grid"
      >
        <span>Time</span>
        <span>Work</span>
        <span className="text-right">Duration</span>
        <span />
      </div>
      {rows.length > 0 ? (
        <ol aria-label="Timed entries in order" className="divide-y divide-zinc-100">
          {rows.map((row) =>
            row.kind === "gap" ? (
              <GapRow key={`gap-${row.start}`} row={row} editable={editable} dayLink={dayLink} />
            ) : (
              <EntryRow
                key={row.entry.id}
                entry={row.entry}
                fromPreviousDay={row.fromPreviousDay}
                intoNextDay={row.intoNextDay}
                editable={editable}
                dayLink={dayLink}
                onEdit={onEdit}
              />
            ),
          )}
        </ol>
      ) : null}
      {durations.length > 0 ? (
        <>
          <h4 className="border-y border-zinc-100 bg-zinc-50 px-5 py-2 text-xs font-medium uppercase tracking-wide text-zinc-500">
            Logged as a duration
          </h4>
          <ul aria-label="Entries logged as a duration" className="divide-y divide-zinc-100">
            {durations.map((entry) => (
              <EntryRow key={entry.id} entry={entry} editable={editable} dayLink={dayLink} onEdit={onEdit} />
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function GapRow({
  row,
  editable,
  dayLink,
}: {
  row: Extract<DayRow, { kind: "gap" }>;
  editable: boolean;
  dayLink: (params: Record<string, string>) => string;
}) {
  const start = localTime(row.start, row.time_zone);
  const end = localTime(row.end, row.time_zone);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 bg-zinc-50/70 px-5 py-2 text-sm text-zinc-500">
      <span className="w-32 tabular-nums">
        {start}–{end}
      </span>
      <span className="flex-1 italic">{formatDuration(row.seconds)} untracked</span>
      {editable ? (
        <Link to={dayLink({ start, end }) + "#add-entry"} className="font-medium not-italic text-brand hover:underline">
          Log it
          <span className="sr-only">
            {" "}
            ({start}–{end})
          </span>
        </Link>
      ) : null}
    </li>
  );
}

const statusBadge = {
  submitted: { tone: "brand", label: "Submitted" },
  approved: { tone: "green", label: "Approved" },
  rejected: { tone: "red", label: "Rejected" },
} as const;

function EntryRow({
  entry,
  fromPreviousDay = false,
  intoNextDay = false,
  editable,
  dayLink,
  onEdit,
}: {
  entry: DayEntry;
  fromPreviousDay?: boolean;
  intoNextDay?: boolean;
  editable: boolean;
  dayLink: (params: Record<string, string>) => string;
  onEdit: (entryId: string) => void;
}) {
  const hydrated = useHydrated();
  const locked = isLocked(entry);
  const badge = entry.invoice_id
    ? ({ tone: "green", label: "Invoiced" } as const)
    : entry.status === "draft"
      ? null
      : statusBadge[entry.status];
  const title = `${entry.project_name}${entry.task_title ? ` · ${entry.task_title}` : ""}`;
  const range = entry.started_at ? timeRange(entry) : null;

  return (
    <li
      id={`entry-${entry.id}`}
      className="grid scroll-mt-24 grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1 px-5 py-3 target:bg-brand/5 target:ring-2 target:ring-inset target:ring-brand/40 md:grid-cols-[8rem_minmax(0,1fr)_4.5rem_5.5rem] md:items-start"
    >
      <span className="text-sm tabular-nums text-zinc-700 md:order-1 md:pt-0.5">
        {range ?? <span className="text-zinc-500">No times</span>}
      </span>
      <span className="text-right text-sm font-semibold tabular-nums text-zinc-900 md:order-3 md:pt-0.5">
        <span className="sr-only">Duration </span>
        {formatDuration(entry.duration_seconds)}
      </span>
      <div className="min-w-0 md:order-2">
        <p className="text-sm font-medium text-zinc-900">
          {entry.project_name}
          {entry.client_name ? <span className="font-normal text-zinc-500"> ({entry.client_name})</span> : null}
          {entry.task_title ? <span className="font-normal text-zinc-700"> · {entry.task_title}</span> : null}
        </p>
        {entry.description ? <p className="mt-0.5 break-words text-sm text-zinc-600">{entry.description}</p> : null}
        <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
          <Badge tone={entry.is_billable ? "brand" : "zinc"}>{entry.is_billable ? "Billable" : "Not billable"}</Badge>
          {badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : null}
          {locked ? (
            <span className="inline-flex items-center gap-1 text-zinc-500">
              <Lock className="h-3.5 w-3.5" aria-hidden="true" /> Locked
            </span>
          ) : null}
          {fromPreviousDay ? (
            <Link
              to={dayLink({ date: addDays(entry.entry_date, -1) })}
              className="inline-flex items-center gap-1 text-zinc-600 hover:text-brand hover:underline"
            >
              <ArrowUpLeft className="h-3.5 w-3.5" aria-hidden="true" /> Continues from the previous day
            </Link>
          ) : null}
          {intoNextDay ? (
            <Link
              to={dayLink({ date: addDays(entry.entry_date, 1) })}
              className="inline-flex items-center gap-1 text-zinc-600 hover:text-brand hover:underline"
            >
              <ArrowDownRight className="h-3.5 w-3.5" aria-hidden="true" /> Continues into the next day
            </Link>
          ) : null}
        </div>
      </div>
      <div
        className={cn(
          "-mr-2 flex items-end justify-end gap-1 md:order-4 md:mr-0 md:items-start",
          !editable && "hidden",
        )}
      >
        {editable && !locked ? (
          <>
            {hydrated ? (
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => onEdit(entry.id)}
                aria-label={`Edit ${title}${range ? ` ${range}` : ""}`}
              >
                <Pencil className="h-4 w-4" aria-hidden="true" />
              </Button>
            ) : (
              <Button asChild size="sm" variant="ghost">
                <Link
                  to={dayLink({ edit: entry.id }) + "#edit-entry"}
                  aria-label={`Edit ${title}${range ? ` ${range}` : ""}`}
                >
                  <Pencil className="h-4 w-4" aria-hidden="true" />
                </Link>
              </Button>
            )}
            <ConfirmForm
              fields={{ intent: "delete", entry_id: entry.id }}
              trigger={<Trash2 className="h-4 w-4" aria-hidden="true" />}
              triggerLabel={`Delete ${title}${range ? ` ${range}` : ""}`}
              title="Delete this entry?"
              description={`${title}, ${formatDuration(entry.duration_seconds)}${range ? ` (${range})` : ""}. This cannot be undone.`}
              confirmLabel="Delete"
            />
          </>
        ) : null}
      </div>
    </li>
  );
}
