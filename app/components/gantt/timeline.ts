import {
  formatMonthShort,
  formatMonthYear,
  fromDay,
  startOfMonth,
  startOfNextMonth,
  startOfWeek,
  toDay,
  weekdayOf,
} from "./dates.ts";
import type { TaskDates, Zoom } from "./types.ts";

/**
 * The chart's geometry: which days it shows, where a day is in pixels, and how a drag of so many
 * pixels changes a bar's dates. Pure functions, so the maths is unit-tested apart from React.
 */
export const DAY_WIDTH: Record<Zoom, number> = { week: 28, month: 8 };
export const ROW_HEIGHT = 40;

/** Inclusive calendar days: a task due the day it starts is one day long. */
export interface Span {
  start: number;
  end: number;
}

export interface Timeline {
  zoom: Zoom;
  start: number;
  end: number;
  dayWidth: number;
  width: number;
}

/**
 * A task's bar. Only a due date or only a start date still places it, as a one-day bar; no date
 * at all means it belongs in "Unscheduled".
 */
export function spanOf(dates: TaskDates): Span | null {
  const { start_date, due_date } = dates;
  if (start_date && due_date) {
    const start = toDay(start_date);
    const end = toDay(due_date);
    return { start: Math.min(start, end), end: Math.max(start, end) };
  }
  const only = start_date ?? due_date;
  return only ? { start: toDay(only), end: toDay(only) } : null;
}

/**
 * The visible days: everything scheduled and today, with room either side to drag into, aligned
 * to whole weeks (week zoom) or months (month zoom), and never so short that the chart looks empty.
 */
export function buildTimeline(days: number[], today: number, zoom: Zoom): Timeline {
  const low = Math.min(today, ...days);
  const high = Math.max(today, ...days);
  let start: number;
  let end: number;
  if (zoom === "week") {
    start = startOfWeek(low - 7);
    end = startOfWeek(high + 7) + 6;
    end = Math.max(end, start + 8 * 7 - 1);
  } else {
    start = startOfMonth(startOfMonth(low) - 1);
    end = startOfNextMonth(startOfNextMonth(high)) - 1;
    while (end - start + 1 < 180) end = startOfNextMonth(end + 1) - 1;
  }
  const dayWidth = DAY_WIDTH[zoom];
  return { zoom, start, end, dayWidth, width: (end - start + 1) * dayWidth };
}

/** Left edge of a day's column. */
export function dayX(timeline: Timeline, day: number): number {
  return (day - timeline.start) * timeline.dayWidth;
}

export interface Tick {
  key: string;
  label: string;
  x: number;
  width: number;
  /** Saturdays and Sundays, shaded in the week zoom. */
  weekend?: boolean;
}

/**
 * The two header rows and the grid lines: months over days (week zoom) or years over months
 * (month zoom); lines at each Monday or each month's first day.
 */
export function headerTicks(timeline: Timeline): { top: Tick[]; bottom: Tick[]; lines: number[] } {
  const months = monthSegments(timeline);
  if (timeline.zoom === "week") {
    const bottom: Tick[] = [];
    const lines: number[] = [];
    for (let day = timeline.start; day <= timeline.end; day += 1) {
      const weekday = weekdayOf(day);
      bottom.push({
        key: String(day),
        label: String(Number(fromDay(day).slice(8, 10))),
        x: dayX(timeline, day),
        width: timeline.dayWidth,
        weekend: weekday >= 5,
      });
      if (weekday === 0) lines.push(dayX(timeline, day));
    }
    return {
      top: months.map((m) => ({ ...m, label: m.width >= 90 ? formatMonthYear(m.from) : formatMonthShort(m.from) })),
      bottom,
      lines,
    };
  }
  const years = new Map<string, Tick>();
  for (const month of months) {
    const year = fromDay(month.from).slice(0, 4);
    const tick = years.get(year);
    if (tick) tick.width += month.width;
    else years.set(year, { key: year, label: year, x: month.x, width: month.width });
  }
  return {
    top: [...years.values()],
    bottom: months.map((m) => ({ ...m, label: formatMonthShort(m.from) })),
    lines: months.map((m) => m.x),
  };
}

function monthSegments(timeline: Timeline): (Tick & { from: number })[] {
  const segments: (Tick & { from: number })[] = [];
  for (let from = timeline.start; from <= timeline.end; from = startOfNextMonth(from)) {
    const to = Math.min(startOfNextMonth(from) - 1, timeline.end);
    segments.push({
      key: fromDay(from),
      label: "",
      from,
      x: dayX(timeline, from),
      width: (to - from + 1) * timeline.dayWidth,
    });
  }
  return segments;
}

export type DragMode = "move" | "start" | "end";

/** Whole days for a pointer movement: the bar snaps to days as it is dragged. */
export function pixelsToDays(dx: number, dayWidth: number): number {
  return Math.round(dx / dayWidth) || 0;
}

/**
 * A bar after moving it (both ends) or dragging one edge. An edge stops at the other one: a bar
 * is at least one day long, so a drag can never ask for a due date before the start.
 */
export function dragSpan(span: Span, mode: DragMode, delta: number): Span {
  if (mode === "move") return { start: span.start + delta, end: span.end + delta };
  if (mode === "start") return { start: Math.min(span.start + delta, span.end), end: span.end };
  return { start: span.start, end: Math.max(span.end + delta, span.start) };
}

/**
 * The dates to save for a new bar. A move keeps a one-date task a one-date task; an edge drag
 * gives the task both dates, since a bar with two ends is what the person shaped.
 */
export function datesAfter(dates: TaskDates, mode: DragMode, span: Span): TaskDates {
  if (mode === "move") {
    return {
      start_date: dates.start_date ? fromDay(span.start) : null,
      due_date: dates.due_date ? fromDay(span.end) : null,
    };
  }
  return { start_date: fromDay(span.start), due_date: fromDay(span.end) };
}

/** Finish-to-start: the dependent may start the day after its prerequisite's last day, not sooner. */
export function dependencyViolated(prerequisite: Span, dependent: Span): boolean {
  return dependent.start <= prerequisite.end;
}

/**
 * An elbow from the end of one bar to the start of another. When the dependent starts left of
 * that end (a violation, or a tight fit) the line steps out, drops between the rows and comes
 * back in, so the arrowhead still points right into the bar's start.
 */
export function arrowPath(x1: number, y1: number, x2: number, y2: number, gap = 8): string {
  if (x2 - x1 >= 2 * gap) return `M ${x1} ${y1} H ${x1 + gap} V ${y2} H ${x2}`;
  const between = y2 + (y2 > y1 ? -ROW_HEIGHT / 2 : ROW_HEIGHT / 2);
  return `M ${x1} ${y1} H ${x1 + gap} V ${between} H ${x2 - gap} V ${y2} H ${x2}`;
}
