import { ROW_HEIGHT, arrowPath, dayX, dependencyViolated, spanOf, type Span, type Timeline } from "./timeline.ts";
import type { GanttMilestone, GanttTask, TaskDates } from "./types.ts";

/**
 * Which rows the chart has, in which order, and the dependency arrows between them.
 */
export type Row =
  | { kind: "task"; id: string; title: string; task: GanttTask; span: Span }
  | { kind: "milestone"; id: string; title: string; milestone: GanttMilestone; span: Span };

export interface Plan {
  rows: Row[];
  unscheduledTasks: GanttTask[];
  unscheduledMilestones: GanttMilestone[];
}

const milestoneDates = (m: { due_date: string | null }): TaskDates => ({ start_date: null, due_date: m.due_date });

/**
 * Rows by start date (then end, tasks before a milestone on the same day, then title). The order
 * follows `settled` — the dates the server has — when given, so a bar being dragged or saved
 * keeps its row (and keyboard focus stays put) until the new dates are confirmed.
 */
export function planRows(
  tasks: GanttTask[],
  milestones: GanttMilestone[],
  settled?: { tasks: GanttTask[]; milestones: GanttMilestone[] },
): Plan {
  const settledSpan = new Map<string, Span | null>();
  for (const task of settled?.tasks ?? []) settledSpan.set(task.id, spanOf(task));
  for (const milestone of settled?.milestones ?? []) settledSpan.set(milestone.id, spanOf(milestoneDates(milestone)));

  const rows: (Row & { order: Span })[] = [];
  const unscheduledTasks: GanttTask[] = [];
  const unscheduledMilestones: GanttMilestone[] = [];
  for (const task of tasks) {
    const span = spanOf(task);
    if (span)
      rows.push({ kind: "task", id: task.id, title: task.title, task, span, order: settledSpan.get(task.id) ?? span });
    else unscheduledTasks.push(task);
  }
  for (const milestone of milestones) {
    const span = spanOf(milestoneDates(milestone));
    if (span) {
      const order = settledSpan.get(milestone.id) ?? span;
      rows.push({ kind: "milestone", id: milestone.id, title: milestone.title, milestone, span, order });
    } else unscheduledMilestones.push(milestone);
  }
  rows.sort(
    (a, b) =>
      a.order.start - b.order.start ||
      a.order.end - b.order.end ||
      (a.kind === b.kind ? 0 : a.kind === "task" ? -1 : 1) ||
      a.title.localeCompare(b.title) ||
      a.id.localeCompare(b.id),
  );
  return { rows: rows.map(({ order: _order, ...row }) => row as Row), unscheduledTasks, unscheduledMilestones };
}

/** Items with the dates that are being saved (or dragged) in place of the server's. */
export function withDates<T extends { id: string; due_date: string | null }>(
  items: T[],
  changes: ReadonlyMap<string, Partial<TaskDates>>,
): T[] {
  return items.map((item) => {
    const change = changes.get(item.id);
    return change ? { ...item, ...pick(change, "start_date" in item) } : item;
  });
}

// A milestone has no start date; a change for it must not give it one.
function pick(change: Partial<TaskDates>, hasStart: boolean): Partial<TaskDates> {
  if (hasStart) return change;
  const { start_date: _start, ...rest } = change;
  return rest;
}

export interface Arrow {
  key: string;
  toId: string;
  path: string;
  violated: boolean;
  /** For the accessible description: "Design must end before Build starts". */
  from: string;
  to: string;
}

/**
 * One arrow per dependency whose two tasks are both on the chart, from the prerequisite's end
 * (right edge of its last day) to the dependent's start, red when the dependent starts too soon.
 */
export function dependencyArrows(rows: Row[], timeline: Timeline): Arrow[] {
  const index = new Map(rows.map((row, i) => [row.id, i]));
  const arrows: Arrow[] = [];
  rows.forEach((row, i) => {
    if (row.kind !== "task") return;
    for (const prerequisiteId of row.task.depends_on) {
      const j = index.get(prerequisiteId);
      const prerequisite = j === undefined ? undefined : rows[j];
      if (j === undefined || !prerequisite || prerequisite.kind !== "task") continue;
      const y1 = j * ROW_HEIGHT + ROW_HEIGHT / 2;
      const y2 = i * ROW_HEIGHT + ROW_HEIGHT / 2;
      arrows.push({
        key: `${prerequisiteId}>${row.id}`,
        toId: row.id,
        path: arrowPath(dayX(timeline, prerequisite.span.end + 1), y1, dayX(timeline, row.span.start), y2),
        violated: dependencyViolated(prerequisite.span, row.span),
        from: prerequisite.title,
        to: row.title,
      });
    }
  });
  return arrows;
}

/** Titles of a task's prerequisites that end too late for it, for labels and the table. */
export function violatedPrerequisites(task: GanttTask, tasksById: ReadonlyMap<string, GanttTask>): GanttTask[] {
  const span = spanOf(task);
  if (!span) return [];
  return task.depends_on.flatMap((id) => {
    const prerequisite = tasksById.get(id);
    const other = prerequisite ? spanOf(prerequisite) : null;
    return prerequisite && other && dependencyViolated(other, span) ? [prerequisite] : [];
  });
}
