import { sql } from "drizzle-orm";
import type { TaskStatus } from "#db/schema.ts";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";
import {
  commentsOf,
  milestonesOfProject,
  requireTask,
  tasksOfProject,
  type InProject,
  type TaskComment,
  type TaskRow,
} from "./tasks.server.ts";

/**
 * What the task board and the task page need beyond tasks.server.ts: the override-and-place of a
 * blocked card in one transaction, and a task with its surroundings in one read. The rules stay
 * in the database (public.set_task_status_with_override, public.move_task).
 */

/**
 * A manager drops a task whose dependencies are unfinished and gives a reason: the status change
 * goes through the audited override, then the card is put where it was dropped. One transaction,
 * so a refusal of either step leaves the task as it was.
 */
export function startTaskAnyway({
  claims,
  taskId,
  projectId,
  status,
  index,
  reason,
}: {
  claims: JwtClaims;
  taskId: string;
  status: TaskStatus;
  index: number;
  reason: string;
} & InProject): Promise<void> {
  return asUser(claims, async (tx) => {
    await requireTask(tx, taskId, projectId);
    await tx.execute(sql`select 1 from public.set_task_status_with_override(${taskId}, ${status}, ${reason})`);
    // Same status now, so the dependency rule does not apply again; only the place changes.
    await tx.execute(sql`select 1 from public.move_task(${taskId}, ${status}, ${index})`);
  });
}

export interface TaskDetail {
  task: TaskRow;
  /** The project's other tasks: dependency names and the "depends on" picker. */
  projectTasks: Pick<TaskRow, "id" | "title" | "status" | "depends_on">[];
  milestones: { id: string; title: string; due_date: string | null; status: string }[];
  comments: TaskComment[];
}

/** A task with its project's tasks, milestones and comments; null when the viewer cannot see it. */
export function getTaskDetail({
  claims,
  projectId,
  taskId,
}: {
  claims: JwtClaims;
  projectId: string;
  taskId: string;
}): Promise<TaskDetail | null> {
  return asUser(claims, async (tx) => {
    const tasks = await tasksOfProject(tx, projectId);
    const task = tasks.find((t) => t.id === taskId);
    if (!task) return null;
    const [milestones, comments] = await Promise.all([milestonesOfProject(tx, projectId), commentsOf(tx, taskId)]);
    return {
      task,
      projectTasks: tasks.map(({ id, title, status, depends_on }) => ({ id, title, status, depends_on })),
      milestones: milestones.map(({ id, title, due_date, status }) => ({ id, title, due_date, status })),
      comments,
    };
  });
}
