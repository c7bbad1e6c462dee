import { Form, Link, useFetcher, useFetchers } from "@remix-run/react";
import { Clock, Lock, X } from "lucide-react";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { cn } from "#app/components/ui/cn.ts";
import { formatDuration, parseDuration } from "#app/utils/durations.ts";
import { dayLabel, longDayLabel, weekdayLabel } from "./week-format.ts";

/**
 * The week grid: one row per project (and task), one column per day, Monday first. Each cell is a
 * small form (intent=cell) that sets the day's total for that row: without JavaScript, Enter in
 * a cell posts it; with it, a fetcher saves on blur or Enter, the totals follow what is being
 * saved, and a refusal stays at the cell with the database's reason in a line under the row.
 *
 * Keyboard: Tab walks the cells row by row; arrow keys move between cells (left and right once
 * the caret is at the edge of the text); Enter saves and moves down; Escape puts the saved value
 * back.
 */
export type GridRowView = {
  key: string;
  project_id: string;
  project_name: string;
  client_name: string | null;
  task_id: string | null;
  task_title: string | null;
  /** Seconds per day, Monday first. */
  days: number[];
  /** Seconds of timed entries per day: a cell cannot go below them. */
  timed: number[];
  editable: boolean[];
  /** Added on this page (an empty row, or one copied from last week) and not saved yet. */
  added: boolean;
};

export type CellFailure = {
  ok: false;
  cell: string;
  code: string;
  message: string;
  fieldErrors: Record<string, string[]>;
  values: Record<string, string>;
};
export type CellResult = { ok: true; cell: string } | CellFailure;

export const CELL_FETCHER_PREFIX = "week-cell:";
const INVALID_DURATION = "Enter a duration such as 1:30, 1.5 or 90m.";

export function rowKeyOf(row: { project_id: string; task_id: string | null }): string {
  return `${row.project_id}:${row.task_id ?? ""}`;
}

export function cellKeyOf(rowKey: string, date: string): string {
  return `${rowKey}|${date}`;
}

/** What a cell's text means in seconds: empty is zero; null when it is not a duration. */
export function cellSeconds(text: string): number | null {
  return text.trim() === "" ? 0 : parseDuration(text);
}

function shown(seconds: number): string {
  return seconds > 0 ? formatDuration(seconds) : "";
}

/** Typed text as the grid shows it once saved ("1.5" → "1:30"); text that is no duration stays. */
function tidy(text: string): string {
  const seconds = cellSeconds(text);
  return seconds === null ? text : shown(seconds);
}

type Mode = "edit" | "read";

export function WeekGrid({
  caption,
  days,
  today,
  rows,
  billable,
  nonBillable,
  mode,
  action = "/time?index",
  back = "",
  failure,
  removeRowHref,
}: {
  caption: string;
  days: string[];
  today: string;
  rows: GridRowView[];
  billable: number[];
  nonBillable: number[];
  mode: Mode;
  action?: string;
  /** The page's query string, where a form posted without JavaScript comes back to. */
  back?: string;
  /** A cell refused on a post made without JavaScript (the action's answer). */
  failure?: CellFailure;
  removeRowHref?: (row: GridRowView) => string;
}) {
  const tableRef = useRef<HTMLTableElement>(null);
  const fetchers = useFetchers();

  // What is being saved counts in the totals until the server answers.
  const saving = new Map<string, number>();
  for (const fetcher of fetchers) {
    if (!fetcher.key.startsWith(CELL_FETCHER_PREFIX) || !fetcher.formData) continue;
    const seconds = cellSeconds(String(fetcher.formData.get("duration") ?? ""));
    if (seconds !== null) saving.set(fetcher.key.slice(CELL_FETCHER_PREFIX.length), seconds);
  }
  const values = rows.map((row) => days.map((date, c) => saving.get(cellKeyOf(row.key, date)) ?? row.days[c] ?? 0));
  const dayTotals = days.map((_, c) => values.reduce((sum, row) => sum + (row[c] ?? 0), 0));
  const weekTotal = dayTotals.reduce((a, b) => a + b, 0);
  const scale = Math.max(8 * 3600, ...dayTotals);

  function move(from: HTMLInputElement, dr: number, dc: number): boolean {
    const table = tableRef.current;
    if (!table) return false;
    let r = Number(from.dataset.r);
    let c = Number(from.dataset.c);
    for (;;) {
      r += dr;
      c += dc;
      if (r < 0 || r >= rows.length || c < 0 || c >= days.length) return false;
      const next = table.querySelector<HTMLInputElement>(`input[data-r="${r}"][data-c="${c}"]`);
      if (next) {
        next.focus();
        return true;
      }
    }
  }

  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm">
      <table ref={tableRef} className="w-full min-w-[54rem] border-separate border-spacing-0 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th
              scope="col"
              className="sticky left-0 z-20 w-36 border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 sm:w-56"
            >
              Project / task
            </th>
            {days.map((date) => (
              <th
                key={date}
                scope="col"
                className={cn(
                  "border-b border-zinc-200 bg-zinc-50 px-2 py-2 text-right text-xs font-medium",
                  date === today ? "text-brand" : date > today ? "text-zinc-400" : "text-zinc-600",
                )}
              >
                <span className="block font-semibold uppercase tracking-wide">{weekdayLabel(date)}</span>
                <span className="block font-normal">{dayLabel(date)}</span>
                {date === today ? <span className="sr-only"> (today)</span> : null}
                {date > today ? <span className="sr-only"> (still to come)</span> : null}
              </th>
            ))}
            <th
              scope="col"
              className="border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-zinc-600"
            >
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <GridRow
              key={row.key}
              row={row}
              r={r}
              days={days}
              today={today}
              values={values[r]!}
              mode={mode}
              action={action}
              back={back}
              failure={failure}
              removeHref={row.added && removeRowHref ? removeRowHref(row) : undefined}
              move={move}
            />
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th
              scope="row"
              className="sticky left-0 z-10 border-t border-zinc-200 bg-zinc-50 px-3 py-2 text-left font-semibold text-zinc-900"
            >
              Total
            </th>
            {days.map((date, c) => (
              <td key={date} className="border-t border-zinc-200 bg-zinc-50 px-2 py-2 text-right">
                <span className={cn("font-semibold tabular-nums", dayTotals[c] ? "text-zinc-900" : "text-zinc-400")}>
                  {formatDuration(dayTotals[c]!)}
                </span>
                {/* The bar repeats the two rows below as a picture; they carry the numbers. */}
                <span aria-hidden="true" className="mt-1 flex h-1.5 w-full overflow-hidden rounded-full bg-zinc-200/70">
                  <span className="bg-brand" style={{ width: `${((billable[c] ?? 0) / scale) * 100}%` }} />
                  <span className="bg-zinc-400" style={{ width: `${((nonBillable[c] ?? 0) / scale) * 100}%` }} />
                </span>
              </td>
            ))}
            <td className="border-t border-zinc-200 bg-zinc-50 px-3 py-2 text-right font-semibold tabular-nums text-zinc-900">
              {formatDuration(weekTotal)}
            </td>
          </tr>
          <SplitRow label="Billable" swatch="bg-brand" values={billable} />
          <SplitRow label="Non-billable" swatch="bg-zinc-400" values={nonBillable} />
        </tfoot>
      </table>
    </div>
  );
}

function SplitRow({ label, swatch, values }: { label: string; swatch: string; values: number[] }) {
  return (
    <tr className="text-xs text-zinc-600">
      <th scope="row" className="sticky left-0 z-10 bg-zinc-50 px-3 py-1 text-left font-medium">
        <span className="inline-flex items-center gap-2">
          <span aria-hidden="true" className={cn("h-2 w-2 rounded-full", swatch)} />
          {label}
        </span>
      </th>
      {values.map((seconds, c) => (
        <td key={c} className={cn("bg-zinc-50 px-2 py-1 text-right tabular-nums", !seconds && "text-zinc-400")}>
          {formatDuration(seconds)}
        </td>
      ))}
      <td className="bg-zinc-50 px-3 py-1 text-right tabular-nums">
        {formatDuration(values.reduce((a, b) => a + b, 0))}
      </td>
    </tr>
  );
}

function GridRow({
  row,
  r,
  days,
  today,
  values,
  mode,
  action,
  back,
  failure,
  removeHref,
  move,
}: {
  row: GridRowView;
  r: number;
  days: string[];
  today: string;
  values: number[];
  mode: Mode;
  action: string;
  back: string;
  failure: CellFailure | undefined;
  removeHref: string | undefined;
  move: (from: HTMLInputElement, dr: number, dc: number) => boolean;
}) {
  const id = useId();
  const [errors, setErrors] = useState<(string | null)[]>(() =>
    days.map((date) => (failure?.cell === cellKeyOf(row.key, date) ? failure.message : null)),
  );
  const label = row.task_title ? `${row.project_name} · ${row.task_title}` : row.project_name;
  const total = values.reduce((a, b) => a + b, 0);
  const errorId = (c: number) => `${id}-error-${c}`;
  const reported = errors.some(Boolean);

  return (
    <>
      <tr data-row-key={row.key} className="group">
        <th
          scope="row"
          className="sticky left-0 z-10 w-36 max-w-36 border-b border-zinc-100 bg-white px-3 py-2 text-left align-middle font-normal group-hover:bg-zinc-50 sm:w-56 sm:max-w-56"
        >
          <div className="flex items-start gap-2">
            <div className="min-w-0 flex-1">
              <span className="block truncate font-medium text-zinc-900" title={row.project_name}>
                {row.project_name}
              </span>
              <span className="block truncate text-xs text-zinc-500" title={row.task_title ?? undefined}>
                {row.task_title ?? "No task"}
                {row.client_name ? ` · ${row.client_name}` : null}
              </span>
            </div>
            {removeHref ? (
              <Link
                to={removeHref}
                replace
                preventScrollReset
                className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                aria-label={`Remove the empty row ${label}`}
              >
                <X className="h-3.5 w-3.5" aria-hidden="true" />
              </Link>
            ) : null}
          </div>
        </th>
        {days.map((date, c) => {
          const seconds = row.days[c] ?? 0;
          const future = date > today;
          if (mode === "read" || future || !row.editable[c]) {
            return (
              <td
                key={date}
                className={cn(
                  "border-b border-zinc-100 px-2 py-2 text-right tabular-nums group-hover:bg-zinc-50",
                  future ? "bg-zinc-50/60 text-zinc-300" : "text-zinc-800",
                )}
              >
                {future ? (
                  <>
                    <span aria-hidden="true">–</span>
                    <span className="sr-only">Still to come</span>
                  </>
                ) : (
                  <span className="inline-flex items-center justify-end gap-1">
                    {mode === "edit" && !row.editable[c] ? (
                      <Lock className="h-3 w-3 text-zinc-400" role="img" aria-label="Locked" />
                    ) : null}
                    {seconds > 0 ? formatDuration(seconds) : <span className="text-zinc-300">–</span>}
                  </span>
                )}
              </td>
            );
          }
          return (
            <td key={date} className="border-b border-zinc-100 px-1 py-1 group-hover:bg-zinc-50">
              <Cell
                row={row}
                r={r}
                c={c}
                date={date}
                seconds={seconds}
                timed={row.timed[c] ?? 0}
                label={`${label}, ${longDayLabel(date)}`}
                action={action}
                back={back}
                failure={failure?.cell === cellKeyOf(row.key, date) ? failure : undefined}
                errorId={errors[c] ? errorId(c) : undefined}
                onError={(message) =>
                  setErrors((current) =>
                    current[c] === message ? current : current.map((e, i) => (i === c ? message : e)),
                  )
                }
                move={move}
              />
            </td>
          );
        })}
        <td className="border-b border-zinc-100 px-3 py-2 text-right font-medium tabular-nums text-zinc-900 group-hover:bg-zinc-50">
          {formatDuration(total)}
        </td>
      </tr>
      {reported ? (
        <tr>
          <td colSpan={days.length + 2} className="border-b border-red-100 bg-red-50 px-3 py-2">
            <ul className="space-y-0.5 text-sm text-red-800">
              {errors.map((message, c) =>
                message ? (
                  <li key={c} id={errorId(c)} role="alert">
                    <span className="font-medium">
                      {label}, {weekdayLabel(days[c]!)} {dayLabel(days[c]!)}:
                    </span>{" "}
                    {message}
                  </li>
                ) : null,
              )}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Cell({
  row,
  r,
  c,
  date,
  seconds,
  timed,
  label,
  action,
  back,
  failure,
  errorId,
  onError,
  move,
}: {
  row: GridRowView;
  r: number;
  c: number;
  date: string;
  seconds: number;
  timed: number;
  label: string;
  action: string;
  back: string;
  failure: CellFailure | undefined;
  errorId: string | undefined;
  onError: (message: string | null) => void;
  move: (from: HTMLInputElement, dr: number, dc: number) => boolean;
}) {
  const cellKey = cellKeyOf(row.key, date);
  const fetcher = useFetcher<CellResult>({ key: `${CELL_FETCHER_PREFIX}${cellKey}` });
  const hydrated = useHydrated();
  const hintId = useId();
  // Typed and not saved yet; null shows what is saved (or being saved, or was refused).
  const [draft, setDraft] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  // Escape put the saved value back over a refusal.
  const [dismissed, setDismissed] = useState(false);
  // Typed since the last save: Enter saves and moves on, and the blur that follows must not save again.
  const unsaved = useRef(false);

  // The answer to the last save: this fetcher's, or the page's after a post made without JavaScript.
  const result = fetcher.data ?? failure;
  const saving = fetcher.formData ? String(fetcher.formData.get("duration") ?? "") : null;
  const refused = saving === null && result && !result.ok && !dismissed ? result : undefined;
  const text = draft ?? (saving !== null ? tidy(saving) : refused ? (refused.values.duration ?? "") : shown(seconds));
  const error = localError ?? refused?.message ?? null;
  useEffect(() => onError(error), [error]); // eslint-disable-line react-hooks/exhaustive-deps

  function revert() {
    setDraft(null);
    setLocalError(null);
    setDismissed(true);
    unsaved.current = false;
  }

  /** Saves what was typed; false when it is not a duration (the cell keeps the focus to fix it). */
  function save(): boolean {
    unsaved.current = false;
    if (draft === null) return true;
    const value = cellSeconds(draft);
    if (value === null) {
      setLocalError(INVALID_DURATION);
      return false;
    }
    setLocalError(null);
    setDraft(null);
    if (value === seconds && saving === null) {
      // Back to what is saved: nothing to send, and an old refusal no longer applies.
      setDismissed(true);
      return true;
    }
    setDismissed(false);
    fetcher.submit(
      {
        intent: "cell",
        project_id: row.project_id,
        task_id: row.task_id ?? "",
        date,
        duration: draft.trim(),
        respond: "json",
        back,
      },
      { method: "post", action },
    );
    return true;
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    switch (event.key) {
      case "Enter":
        event.preventDefault();
        if (save()) move(input, 1, 0);
        break;
      case "Escape":
        if (draft !== null || error) {
          event.preventDefault();
          revert();
        }
        break;
      case "ArrowUp":
        if (move(input, -1, 0)) event.preventDefault();
        break;
      case "ArrowDown":
        if (move(input, 1, 0)) event.preventDefault();
        break;
      case "ArrowLeft":
        if ((all || (input.selectionStart === 0 && input.selectionEnd === 0)) && move(input, 0, -1)) {
          event.preventDefault();
        }
        break;
      case "ArrowRight":
        if ((all || input.selectionStart === input.value.length) && move(input, 0, 1)) event.preventDefault();
        break;
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    // With JavaScript the fetcher saves (a phone's "Go" key lands here); without, the form posts.
    event.preventDefault();
    save();
  }

  const describedBy = [timed > 0 ? hintId : null, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <Form method="post" onSubmit={hydrated ? handleSubmit : undefined} className="relative">
      <input type="hidden" name="intent" value="cell" />
      <input type="hidden" name="project_id" value={row.project_id} />
      <input type="hidden" name="task_id" value={row.task_id ?? ""} />
      <input type="hidden" name="date" value={date} />
      <input type="hidden" name="back" value={back} />
      <input
        name="duration"
        value={text}
        onChange={(event) => {
          setDraft(event.target.value);
          unsaved.current = true;
          setLocalError(null);
        }}
        onFocus={(event) => event.currentTarget.select()}
        onBlur={() => {
          if (unsaved.current) save();
        }}
        onKeyDown={handleKeyDown}
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        aria-label={label}
        title={timed > 0 ? `Includes ${formatDuration(timed)} of timed entries` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-busy={fetcher.state !== "idle" || undefined}
        data-r={r}
        data-c={c}
        className={cn(
          "h-9 w-full min-w-[4rem] rounded-md border border-zinc-200 bg-white px-2 text-right tabular-nums text-zinc-900 hover:border-zinc-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30",
          timed > 0 && "pl-5",
          error && "border-red-500 bg-red-50 hover:border-red-500",
          fetcher.state !== "idle" && "text-zinc-500",
        )}
      />
      {timed > 0 ? (
        <>
          <Clock
            className="pointer-events-none absolute left-1.5 top-1/2 h-3 w-3 -translate-y-1/2 text-zinc-400"
            aria-hidden="true"
          />
          <span id={hintId} className="sr-only">
            Includes {formatDuration(timed)} of timed entries; it cannot go below that here (change them in the day
            view).
          </span>
        </>
      ) : null}
    </Form>
  );
}

/** The hint under the grid that explains the clock mark, shown when some cell has one. */
export function TimedHint() {
  return (
    <p className="flex items-center gap-1.5 text-xs text-zinc-500">
      <Clock className="h-3 w-3" aria-hidden="true" />
      Cells with a clock include timer or start–end entries: they cannot go below that total here; change those in the
      day view.
    </p>
  );
}

export { INVALID_DURATION };
