/**
 * The task board's arithmetic, pure so it is tested without a browser: columns from the task
 * list, moves still in flight applied on top (optimistic UI), filters, and where a drop lands in
 * the full column when the board shows a filtered part of it.
 */
import type { Arrangement as BoardArrangement } from "#app/components/board/arrangement.ts";
import type { TaskRow } from "#app/models/tasks.server.ts";
import { taskStatuses, type TaskPriority, type TaskStatus } from "./labels.ts";

/** A card as the board holds it (type only: no server code reaches the browser). */
export type BoardTask = Pick<
  TaskRow,
  | "id"
  | "title"
  | "status"
  | "priority"
  | "assignee_id"
  | "assignee_name"
  | "start_date"
  | "due_date"
  | "depends_on"
  | "comment_count"
>;

export type Columns = Record<TaskStatus, BoardTask[]>;

/** Status → ordered task ids: the shape a drag rearranges. */
export type Arrangement = BoardArrangement<TaskStatus>;

/** A move as the database takes it: the status column and the index the task gets in it. */
export interface PendingMove {
  taskId: string;
  status: TaskStatus;
  index: number;
}

/** Tasks arrive ordered by status and position; the columns keep that order. */
export function columnsOf(tasks: BoardTask[]): Columns {
  const columns = Object.fromEntries(taskStatuses.map((status) => [status, [] as BoardTask[]])) as Columns;
  for (const task of tasks) columns[task.status].push(task);
  return columns;
}

/** The board as it will be once the pending moves land, in the order they were made. */
export function applyMoves(columns: Columns, moves: PendingMove[]): Columns {
  if (moves.length === 0) return columns;
  const next = Object.fromEntries(taskStatuses.map((status) => [status, [...columns[status]]])) as Columns;
  for (const move of moves) {
    const from = taskStatuses.find((status) => next[status].some((task) => task.id === move.taskId));
    if (!from) continue;
    const task = next[from].find((t) => t.id === move.taskId)!;
    next[from] = next[from].filter((t) => t.id !== move.taskId);
    const target = next[move.status];
    const index = Math.max(0, Math.min(move.index, target.length));
    next[move.status] = [...target.slice(0, index), { ...task, status: move.status }, ...target.slice(index)];
  }
  return next;
}

export interface TaskFilters {
  /** "mine", "none" (unassigned) or a user id. */
  assignee?: string;
  priority?: TaskPriority;
}

export function matchesFilters(task: BoardTask, filters: TaskFilters, viewerId: string): boolean {
  if (filters.priority && task.priority !== filters.priority) return false;
  if (filters.assignee === "mine") return task.assignee_id === viewerId;
  if (filters.assignee === "none") return task.assignee_id === null;
  if (filters.assignee) return task.assignee_id === filters.assignee;
  return true;
}

export function arrangementOf(columns: Columns, visible: (task: BoardTask) => boolean = () => true): Arrangement {
  return Object.fromEntries(
    taskStatuses.map((status) => [status, columns[status].filter(visible).map((task) => task.id)]),
  ) as Arrangement;
}

/**
 * Where a dropped card lands in its whole column. The board may show only the cards that match
 * the filters; the card goes right after the visible card it was dropped below (or right before
 * the one it was dropped above), wherever the hidden cards are.
 */
export function indexInColumn(visibleIds: string[], activeId: string, columnIds: string[]): number {
  const others = columnIds.filter((id) => id !== activeId);
  const at = visibleIds.indexOf(activeId);
  const before = at > 0 ? visibleIds[at - 1] : undefined;
  if (before !== undefined && others.includes(before)) return others.indexOf(before) + 1;
  const after = at >= 0 ? visibleIds[at + 1] : undefined;
  if (after !== undefined && others.includes(after)) return others.indexOf(after);
  return others.length;
}

/** The dependencies that still hold a task back (not done), as tasks when they are known. */
export function openDependencies(task: BoardTask, byId: Map<string, Pick<BoardTask, "status">>): string[] {
  return task.depends_on.filter((id) => byId.get(id)?.status !== "done");
}
