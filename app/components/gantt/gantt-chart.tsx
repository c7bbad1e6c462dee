import { Link } from "@remix-run/react";
import { Diamond } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { taskDotClass } from "./colors.ts";
import { formatDay, formatRange, toDay } from "./dates.ts";
import { GanttItem, type ItemHandlers } from "./gantt-item.tsx";
import { dependencyArrows, planRows, type Row } from "./rows.ts";
import { ROW_HEIGHT, buildTimeline, datesAfter, dayX, dragSpan, headerTicks, type Span } from "./timeline.ts";
import type { GanttMilestone, GanttTask, TaskDates, Zoom } from "./types.ts";
import { KEYBOARD_SAVE_DELAY_MS, type DatedItem } from "./use-date-saves.ts";

const TIER_HEIGHT = 24;

export interface ChartProps {
  projectId: string;
  /** With saves in flight and keyboard steps applied. */
  tasks: GanttTask[];
  milestones: GanttMilestone[];
  /** The server's dates: they decide the row order. */
  settled: { tasks: GanttTask[]; milestones: GanttMilestone[] };
  zoom: Zoom;
  today: string;
  editable: boolean;
  onChange: (item: DatedItem, dates: TaskDates, options?: { delay?: number }) => void;
  onDiscard: (id: string) => boolean;
  announce: (message: string) => void;
}

export function itemHref(projectId: string, row: { kind: "task" | "milestone"; id: string }): string {
  return row.kind === "task" ? `/projects/${projectId}/tasks/${row.id}` : `/projects/${projectId}/milestones`;
}

/**
 * The chart: a sticky column of names, a two-tier date header, and a body with the grid, the
 * dependency arrows (SVG), the today line and the bars. It scrolls sideways inside its frame.
 * A drag in progress only lives here (`preview`); a drop hands the new dates to onChange.
 */
export function GanttChart(props: ChartProps) {
  const { projectId, tasks, milestones, settled, zoom, today, editable, onChange, onDiscard, announce } = props;
  const instructionsId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const focusedId = useRef<string | null>(null);
  const [preview, setPreview] = useState<{ id: string; span: Span } | null>(null);

  const plan = planRows(tasks, milestones, settled);
  const todayDay = toDay(today);
  const timeline = buildTimeline(
    plan.rows.flatMap((row) => [row.span.start, row.span.end]),
    todayDay,
    zoom,
  );
  const rows: Row[] = preview
    ? plan.rows.map((row) => (row.id === preview.id ? { ...row, span: preview.span } : row))
    : plan.rows;
  const arrows = dependencyArrows(rows, timeline);
  const late = new Map<string, string[]>();
  for (const arrow of arrows) {
    if (arrow.violated) late.set(arrow.toId, [...(late.get(arrow.toId) ?? []), arrow.from]);
  }
  const ticks = headerTicks(timeline);
  const height = Math.max(rows.length, 1) * ROW_HEIGHT;
  const todayX = dayX(timeline, todayDay) + timeline.dayWidth / 2;

  // Open where the work is: today a third of the way in when the work spans it, else the first bar.
  const firstStart = plan.rows[0]?.span.start;
  const lastEnd = Math.max(...plan.rows.map((row) => row.span.end), todayDay);
  const showToday = firstStart === undefined || (firstStart <= todayDay && todayDay <= lastEnd);
  const anchorX = showToday ? todayX : dayX(timeline, (firstStart ?? todayDay) - 2);
  useEffect(() => {
    const frame = scroller.current;
    if (!frame) return;
    const names = frame.querySelector("[data-gantt-names]")?.clientWidth ?? 0;
    frame.scrollLeft = Math.max(0, anchorX - (showToday ? (frame.clientWidth - names) / 3 : 0));
    // Only when the chart opens or the zoom changes: a save must not yank the view away.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zoom]);

  // Rows are ordered by date, so a saved bar may change places; keep the keyboard on it.
  useEffect(() => {
    const id = focusedId.current;
    if (!id || document.activeElement !== document.body) return;
    body.current?.querySelector<HTMLElement>(`[data-gantt-id="${CSS.escape(id)}"]`)?.focus();
  });
  useEffect(() => {
    const forget = (event: PointerEvent) => {
      if (!(event.target instanceof Element) || !event.target.closest("[data-gantt-id]")) focusedId.current = null;
    };
    document.addEventListener("pointerdown", forget);
    return () => document.removeEventListener("pointerdown", forget);
  }, []);

  const item = (row: Row): DatedItem => ({ kind: row.kind, id: row.id, title: row.title });
  const datesOf = (row: Row): TaskDates =>
    row.kind === "task"
      ? { start_date: row.task.start_date, due_date: row.task.due_date }
      : { start_date: null, due_date: row.milestone.due_date };
  const describe = (row: Row, span: Span) =>
    row.kind === "milestone"
      ? `${row.title} due ${formatDay(span.end)}`
      : `${row.title}: ${formatRange(span.start, span.end)}`;

  const handlers: ItemHandlers = {
    onPreview: (id, span) => setPreview(span ? { id, span } : null),
    onDrop: (row, mode, span) => {
      setPreview(null);
      onChange(item(row), datesAfter(datesOf(row), mode, span));
      announce(`${describe(row, span)}. Saving…`);
    },
    onStep: (row, mode, delta) => {
      const next = dragSpan(row.span, mode, delta);
      if (next.start === row.span.start && next.end === row.span.end) {
        announce(`${row.title} is one day long; it cannot end before it starts.`);
        return;
      }
      onChange(item(row), datesAfter(datesOf(row), mode, next), { delay: KEYBOARD_SAVE_DELAY_MS });
      announce(describe(row, next));
    },
    onEscape: (row) => {
      if (onDiscard(row.id)) announce(`Change to ${row.title} undone.`);
    },
  };

  return (
    <div>
      <p id={instructionsId} className="sr-only">
        {editable
          ? "Arrow keys move it by a day; Shift with the arrow keys changes the due date; Escape undoes a change not yet saved; Enter opens it."
          : "Enter opens it."}
      </p>
      <div
        ref={scroller}
        role="region"
        aria-label="Gantt chart"
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard
        tabIndex={0}
        className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
      >
        <div className="flex w-max">
          <div data-gantt-names className="sticky left-0 z-20 w-36 shrink-0 border-r border-zinc-200 bg-white sm:w-56">
            <div
              className="flex items-end border-b border-zinc-200 px-3 pb-1 text-xs font-medium text-zinc-500"
              style={{ height: TIER_HEIGHT * 2 }}
            >
              Task
            </div>
            <ul aria-label="Scheduled tasks and milestones">
              {rows.map((row) => (
                <li
                  key={row.id}
                  className="flex items-center gap-2 border-b border-zinc-100 px-3"
                  style={{ height: ROW_HEIGHT }}
                >
                  {row.kind === "task" ? (
                    <span
                      aria-hidden="true"
                      className={cn("h-2 w-2 shrink-0 rounded-full", taskDotClass[row.task.status])}
                    />
                  ) : (
                    <Diamond aria-hidden="true" className="h-3 w-3 shrink-0 text-violet-700" />
                  )}
                  <Link
                    to={itemHref(projectId, row)}
                    title={row.title}
                    className="truncate text-sm text-zinc-800 hover:text-brand hover:underline"
                  >
                    {row.title}
                  </Link>
                </li>
              ))}
              {rows.length === 0 ? (
                <li className="px-3 text-sm text-zinc-500" style={{ lineHeight: `${ROW_HEIGHT}px` }}>
                  Nothing scheduled yet.
                </li>
              ) : null}
            </ul>
          </div>

          <div className="relative" style={{ width: timeline.width }}>
            <div
              aria-hidden="true"
              className="relative border-b border-zinc-200 text-xs"
              style={{ height: TIER_HEIGHT * 2 }}
            >
              {ticks.top.map((tick) => (
                <div
                  key={tick.key}
                  className="absolute top-0 whitespace-nowrap border-l border-zinc-200 font-medium text-zinc-700"
                  style={{ left: tick.x, width: tick.width, height: TIER_HEIGHT, lineHeight: `${TIER_HEIGHT}px` }}
                >
                  {/* Sticks beside the names column, so a month scrolled half out of view is still named. */}
                  <span className="sticky left-36 px-2 sm:left-56">{tick.label}</span>
                </div>
              ))}
              {ticks.bottom.map((tick) => (
                <div
                  key={tick.key}
                  className={cn(
                    "absolute text-center tabular-nums",
                    tick.weekend ? "text-zinc-400" : "text-zinc-600",
                    zoom === "month" && "border-l border-zinc-200",
                  )}
                  style={{
                    left: tick.x,
                    width: tick.width,
                    top: TIER_HEIGHT,
                    height: TIER_HEIGHT,
                    lineHeight: `${TIER_HEIGHT}px`,
                  }}
                >
                  {zoom === "week" && tick.key === String(todayDay) ? (
                    <span className="rounded-full bg-red-600 px-1 py-0.5 font-semibold text-white">{tick.label}</span>
                  ) : (
                    tick.label
                  )}
                </div>
              ))}
              {zoom === "month" ? (
                <span
                  className="absolute bottom-0 z-10 -translate-x-1/2 rounded-t bg-red-600 px-1 text-[10px] font-semibold uppercase leading-4 text-white"
                  style={{ left: todayX }}
                >
                  Today
                </span>
              ) : null}
            </div>

            <div
              ref={body}
              className="relative"
              onFocus={(event) => {
                const id = (event.target as Element).getAttribute("data-gantt-id");
                if (id) focusedId.current = id;
              }}
              style={{
                height,
                backgroundImage: `linear-gradient(to bottom, transparent ${ROW_HEIGHT - 1}px, rgb(244 244 245) ${ROW_HEIGHT - 1}px)`,
                backgroundSize: `100% ${ROW_HEIGHT}px`,
              }}
            >
              {ticks.bottom
                .filter((tick) => tick.weekend)
                .map((tick) => (
                  <div
                    key={tick.key}
                    aria-hidden="true"
                    className="absolute inset-y-0 bg-zinc-50"
                    style={{ left: tick.x, width: tick.width }}
                  />
                ))}
              {ticks.lines.map((x) => (
                <div key={x} aria-hidden="true" className="absolute inset-y-0 w-px bg-zinc-200" style={{ left: x }} />
              ))}
              <svg
                aria-hidden="true"
                className="pointer-events-none absolute inset-0 z-[5]"
                width={timeline.width}
                height={height}
              >
                <defs>
                  <marker
                    id="gantt-arrow"
                    viewBox="0 0 8 8"
                    refX="7"
                    refY="4"
                    markerWidth="7"
                    markerHeight="7"
                    orient="auto"
                  >
                    <path d="M0 0 L8 4 L0 8 z" className="fill-zinc-500" />
                  </marker>
                  <marker
                    id="gantt-arrow-late"
                    viewBox="0 0 8 8"
                    refX="7"
                    refY="4"
                    markerWidth="7"
                    markerHeight="7"
                    orient="auto"
                  >
                    <path d="M0 0 L8 4 L0 8 z" className="fill-red-600" />
                  </marker>
                </defs>
                {arrows.map((arrow) => (
                  <path
                    key={arrow.key}
                    d={arrow.path}
                    fill="none"
                    strokeWidth={arrow.violated ? 2 : 1.5}
                    strokeDasharray={arrow.violated ? "4 3" : undefined}
                    className={arrow.violated ? "stroke-red-600" : "stroke-zinc-500"}
                    markerEnd={`url(#${arrow.violated ? "gantt-arrow-late" : "gantt-arrow"})`}
                  />
                ))}
              </svg>
              <div
                aria-hidden="true"
                className="absolute inset-y-0 z-[6] w-0.5 -translate-x-1/2 bg-red-600/70"
                style={{ left: todayX }}
              />
              {rows.map((row, index) => (
                <GanttItem
                  key={row.id}
                  row={row}
                  index={index}
                  timeline={timeline}
                  editable={editable}
                  dragging={preview?.id === row.id}
                  href={itemHref(projectId, row)}
                  late={late.get(row.id) ?? []}
                  describedBy={instructionsId}
                  handlers={handlers}
                />
              ))}
            </div>
          </div>
        </div>
      </div>
      {arrows.length > 0 ? (
        <ul className="sr-only" aria-label="Dependencies">
          {arrows.map((arrow) => (
            <li key={arrow.key}>
              {arrow.to} waits for {arrow.from} to finish
              {arrow.violated ? `, but starts before ${arrow.from} ends` : ""}.
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
