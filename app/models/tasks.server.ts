import { and, asc, eq, sql } from "drizzle-orm";
import { milestones, taskComments, taskDependencies, tasks, type TaskPriority, type TaskStatus } from "#db/schema.ts";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { insertRow } from "#app/utils/insert.server.ts";
import { requireProject, requireVisibleProject } from "./projects.server.ts";

/**
 * Tasks, their dependencies and comments, and milestones. The rules (assignee on the team, members
 * only move their own tasks, no cycles, no start before dependencies are done, closed projects take
 * no new work) are database triggers; this module only shapes rows and maps "no row" to 404/403.
 */
export type TaskRow = {
  id: string;
  project_id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assignee_id: string | null;
  assignee_name: string | null;
  start_date: string | null;
  due_date: string | null;
  estimated_hours: number | null;
  milestone_id: string | null;
  position: number;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  depends_on: string[];
  /** Dependencies not done yet: the task is blocked (or was started anyway) while this is above 0. */
  open_dependencies: number;
  comment_count: number;
};

function taskSelect(where: ReturnType<typeof sql>) {
  return sql`
    select t.id, t.project_id, t.title, t.description, t.status, t.priority, t.assignee_id, pr.name as assignee_name,
           t.start_date::text as start_date, t.due_date::text as due_date, t.estimated_hours, t.milestone_id,
           t.position, t.completed_at, t.created_at, t.updated_at,
           coalesce((select array_agg(td.depends_on_task_id::text order by td.created_at)
                     from public.task_dependencies td where td.task_id = t.id), '{}') as depends_on,
           (select count(*)::int from public.task_dependencies td
              join public.tasks dep on dep.id = td.depends_on_task_id
             where td.task_id = t.id and dep.status <> 'done') as open_dependencies,
           (select count(*)::int from public.task_comments tc where tc.task_id = t.id) as comment_count
    from public.tasks t
    left join public.profiles pr on pr.user_id = t.assignee_id
    where ${where}
    order by t.status, t.position, t.created_at`;
}

function toTask(row: Record<string, unknown>): TaskRow {
  return {
    ...(row as unknown as TaskRow),
    estimated_hours: row.estimated_hours === null ? null : Number(row.estimated_hours),
    position: Number(row.position),
    depends_on: (row.depends_on as string[] | null) ?? [],
    completed_at: (row.completed_at as string | null) ?? null,
  };
}

export async function tasksOfProject(tx: Tx, projectId: string): Promise<TaskRow[]> {
  const rows = await tx.execute<Record<string, unknown>>(taskSelect(sql`t.project_id = ${projectId}`));
  return rows.map(toTask);
}

async function taskById(tx: Tx, taskId: string): Promise<TaskRow | null> {
  const rows = await tx.execute<Record<string, unknown>>(taskSelect(sql`t.id = ${taskId}`));
  return rows[0] ? toTask(rows[0]) : null;
}

/**
 * The task, or 404. With `projectId` (the project in a page's URL) a task of another project is not
 * found either, so a form posted under one project's URL never changes another project's task.
 */
export async function requireTask(tx: Tx, taskId: string, projectId?: string): Promise<TaskRow> {
  const task = await taskById(tx, taskId);
  if (!task || (projectId && task.project_id !== projectId)) {
    throw new AppError(404, "not_found", "There is no such task.");
  }
  return task;
}

/** Optional scope of a task or milestone change: the project in the page's URL. */
export interface InProject {
  projectId?: string;
}

export function getTask({ claims, taskId }: { claims: JwtClaims; taskId: string }): Promise<TaskRow | null> {
  return asUser(claims, (tx) => taskById(tx, taskId));
}

export function listTasks({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, async (tx) => {
    await requireVisibleProject(tx, projectId);
    return tasksOfProject(tx, projectId);
  });
}

export type MyTask = TaskRow & { project_name: string; client_name: string | null };

/** "My tasks": open tasks assigned to the caller across the projects they can see. */
export function listMyTasks({
  claims,
  agencyId,
  includeDone = false,
}: {
  claims: JwtClaims;
  agencyId: string;
  includeDone?: boolean;
}): Promise<MyTask[]> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<Record<string, unknown>>(sql`
      select x.*, p.name as project_name, c.name as client_name
      from (${taskSelect(sql`t.agency_id = ${agencyId} and t.assignee_id = ${claims.sub}
                             and (${includeDone} or t.status <> 'done')`)}) x
      join public.projects p on p.id = x.project_id
      left join public.clients c on c.id = p.client_id and c.agency_id = p.agency_id
      order by x.due_date nulls last,
               array_position(array['urgent', 'high', 'medium', 'low'], x.priority::text), x.created_at`);
    return rows.map((row) => ({
      ...toTask(row),
      project_name: row.project_name as string,
      client_name: (row.client_name as string | null) ?? null,
    }));
  });
}

export interface TaskInput {
  title: string;
  description?: string | null;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignee_id?: string | null;
  start_date?: string | null;
  due_date?: string | null;
  estimated_hours?: number | null;
  milestone_id?: string | null;
}

export function createTask({
  claims,
  projectId,
  input,
}: {
  claims: JwtClaims;
  projectId: string;
  input: TaskInput;
}): Promise<TaskRow> {
  return asUser(claims, async (tx) => {
    const project = await requireVisibleProject(tx, projectId);
    const row = await insertRow<{ id: string }>(tx, tasks, {
      ...input,
      estimated_hours: input.estimated_hours ?? undefined,
      agency_id: project.agency_id,
      project_id: projectId,
    });
    if (!row) throw new AppError(403, "manager_required", "Only an owner or manager can add tasks.");
    return requireTask(tx, row.id);
  });
}

export type TaskChanges = Partial<TaskInput>;

export function updateTask({
  claims,
  projectId,
  taskId,
  changes,
  overrideReason,
}: {
  claims: JwtClaims;
  taskId: string;
  changes: TaskChanges;
  /** Starts the task although dependencies are unfinished (managers; recorded in the audit log). */
  overrideReason?: string | null;
} & InProject): Promise<TaskRow> {
  return asUser(claims, async (tx) => {
    await requireTask(tx, taskId, projectId);
    const { status, ...rest } = changes;
    if (Object.keys(rest).length > 0) {
      const set = {
        ...rest,
        estimated_hours:
          rest.estimated_hours === undefined
            ? undefined
            : rest.estimated_hours === null
              ? null
              : String(rest.estimated_hours),
      };
      const updated = await tx
        .update(tasks)
        .set(set as Partial<typeof tasks.$inferInsert>)
        .where(eq(tasks.id, taskId))
        .returning({ id: tasks.id });
      if (updated.length === 0) throw forbiddenTaskChange();
    }
    if (status) {
      if (overrideReason) {
        await tx.execute(
          sql`select 1 from public.set_task_status_with_override(${taskId}, ${status}, ${overrideReason})`,
        );
      } else {
        const updated = await tx.update(tasks).set({ status }).where(eq(tasks.id, taskId)).returning({ id: tasks.id });
        if (updated.length === 0) throw forbiddenTaskChange();
      }
    }
    return requireTask(tx, taskId);
  });
}

function forbiddenTaskChange() {
  return new AppError(403, "forbidden", "You may only change tasks assigned to you (owners and managers: any task).");
}

/** Kanban drop: status column and index within it (public.move_task renumbers the column). */
export function moveTask({
  claims,
  projectId,
  taskId,
  status,
  index,
}: {
  claims: JwtClaims;
  taskId: string;
  status: TaskStatus;
  index: number;
} & InProject): Promise<TaskRow> {
  return asUser(claims, async (tx) => {
    await requireTask(tx, taskId, projectId);
    await tx.execute(sql`select 1 from public.move_task(${taskId}, ${status}, ${index})`);
    return requireTask(tx, taskId);
  });
}

export function deleteTask({ claims, taskId, projectId }: { claims: JwtClaims; taskId: string } & InProject) {
  return asUser(claims, async (tx) => {
    await requireTask(tx, taskId, projectId);
    const removed = await tx.delete(tasks).where(eq(tasks.id, taskId)).returning({ id: tasks.id });
    if (removed.length === 0) throw new AppError(403, "manager_required", "Only an owner or manager can delete tasks.");
  });
}

export function addDependency({
  claims,
  projectId,
  taskId,
  dependsOn,
}: {
  claims: JwtClaims;
  taskId: string;
  dependsOn: string;
} & InProject): Promise<TaskRow> {
  return asUser(claims, async (tx) => {
    const task = await requireTask(tx, taskId, projectId);
    if (dependsOn === taskId) {
      throw new AppError(422, "dependency_cycle", "A task cannot depend on itself.", {
        depends_on: ["Pick another task."],
      });
    }
    if (task.depends_on.includes(dependsOn)) {
      throw new AppError(409, "conflict", "This task depends on that one already.", {
        depends_on: ["Already a dependency."],
      });
    }
    const other = await taskById(tx, dependsOn);
    if (!other || other.project_id !== task.project_id) {
      throw new AppError(422, "dependency_other_project", "A task can only depend on a task of the same project.", {
        depends_on: ["Pick a task of this project."],
      });
    }
    const [project] = await tx.execute<{ agency_id: string }>(
      sql`select agency_id from public.projects where id = ${task.project_id}`,
    );
    const row = await insertRow(
      tx,
      taskDependencies,
      {
        agency_id: project!.agency_id,
        project_id: task.project_id,
        task_id: taskId,
        depends_on_task_id: dependsOn,
      },
      ["task_id"],
    );
    if (!row) throw new AppError(403, "manager_required", "Only an owner or manager can link tasks.");
    return requireTask(tx, taskId);
  });
}

export function removeDependency({
  claims,
  projectId,
  taskId,
  dependsOn,
}: {
  claims: JwtClaims;
  taskId: string;
  dependsOn: string;
} & InProject): Promise<TaskRow> {
  return asUser(claims, async (tx) => {
    const task = await requireTask(tx, taskId, projectId);
    const [manages] = await tx.execute<{ manages: boolean }>(
      sql`select private.manages_project(${task.project_id}) as manages`,
    );
    if (!manages?.manages) throw new AppError(403, "manager_required", "Only an owner or manager can unlink tasks.");
    const removed = await tx
      .delete(taskDependencies)
      .where(and(eq(taskDependencies.task_id, taskId), eq(taskDependencies.depends_on_task_id, dependsOn)))
      .returning({ task_id: taskDependencies.task_id });
    if (removed.length === 0) throw new AppError(404, "not_found", "This task does not depend on that one.");
    return requireTask(tx, taskId);
  });
}

export type TaskComment = { id: string; author_id: string; author_name: string; body: string; created_at: string };

export function listComments({ claims, taskId }: { claims: JwtClaims; taskId: string }): Promise<TaskComment[]> {
  return asUser(claims, async (tx) => {
    await requireTask(tx, taskId);
    return commentsOf(tx, taskId);
  });
}

/** A task's comments, oldest first, with their authors' names. */
export async function commentsOf(tx: Tx, taskId: string): Promise<TaskComment[]> {
  const rows = await tx.execute<TaskComment>(sql`
    select tc.id, tc.author_id, pr.name as author_name, tc.body, tc.created_at
    from public.task_comments tc join public.profiles pr on pr.user_id = tc.author_id
    where tc.task_id = ${taskId} order by tc.created_at`);
  return [...rows];
}

/** Adds a comment and answers it alone (the API's 201); members only on their assigned tasks (RLS). */
export function createComment({
  claims,
  taskId,
  body,
}: {
  claims: JwtClaims;
  taskId: string;
  body: string;
}): Promise<TaskComment> {
  return asUser(claims, async (tx) => {
    const id = await insertComment(tx, taskId, body);
    const comments = await commentsOf(tx, taskId);
    return comments.find((c) => c.id === id)!;
  });
}

/** Adds a comment and answers all of the task's comments (the task page). */
export function addComment({
  claims,
  projectId,
  taskId,
  body,
}: {
  claims: JwtClaims;
  taskId: string;
  body: string;
} & InProject): Promise<TaskComment[]> {
  return asUser(claims, async (tx) => {
    await insertComment(tx, taskId, body, projectId);
    return commentsOf(tx, taskId);
  });
}

/** The new comment's id; 404 when the task is not visible. */
async function insertComment(tx: Tx, taskId: string, body: string, projectId?: string): Promise<string> {
  await requireTask(tx, taskId, projectId);
  const [task] = await tx.select({ agency_id: tasks.agency_id }).from(tasks).where(eq(tasks.id, taskId));
  const row = await insertRow<{ id: string }>(tx, taskComments, { agency_id: task!.agency_id, task_id: taskId, body });
  return row!.id;
}

// --------------------------------------------------------------------------------------------
// Milestones
// --------------------------------------------------------------------------------------------
export type MilestoneRow = typeof milestones.$inferSelect & { task_count: number; done_count: number };

export async function milestonesOfProject(tx: Tx, projectId: string): Promise<MilestoneRow[]> {
  const rows = await tx
    .select({
      ...milestoneColumns,
      // Qualified by hand: drizzle renders ${milestones.id} as a bare "id", which inside the
      // subquery would mean the task's own id.
      task_count: sql<number>`(select count(*)::int from public.tasks t where t.milestone_id = "milestones"."id")`,
      done_count: sql<number>`(select count(*)::int from public.tasks t
                               where t.milestone_id = "milestones"."id" and t.status = 'done')`,
    })
    .from(milestones)
    .where(eq(milestones.project_id, projectId))
    .orderBy(sql`${milestones.due_date} nulls last`, asc(milestones.position), asc(milestones.created_at));
  return rows.map((row) => ({ ...row, amount_cents: row.amount_cents === null ? null : Number(row.amount_cents) }));
}

const milestoneColumns = {
  id: milestones.id,
  agency_id: milestones.agency_id,
  project_id: milestones.project_id,
  title: milestones.title,
  description: milestones.description,
  due_date: milestones.due_date,
  // Money is for owners and managers (as the project budget is); members see the milestone itself.
  amount_cents: sql<
    number | string | null
  >`case when private.manages_project(${milestones.project_id}) then ${milestones.amount_cents} end`,
  status: milestones.status,
  reached_at: milestones.reached_at,
  approved_at: milestones.approved_at,
  position: milestones.position,
  created_at: milestones.created_at,
  updated_at: milestones.updated_at,
  invoice_id: milestones.invoice_id,
  invoice_line_id: milestones.invoice_line_id,
};

export function listMilestones({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, async (tx) => {
    await requireVisibleProject(tx, projectId);
    return milestonesOfProject(tx, projectId);
  });
}

export interface MilestoneInput {
  title: string;
  description?: string | null;
  due_date?: string | null;
  amount_cents?: number | null;
  status?: "pending" | "reached" | "approved";
}

export function createMilestone({
  claims,
  projectId,
  input,
}: {
  claims: JwtClaims;
  projectId: string;
  input: MilestoneInput;
}) {
  return asUser(claims, async (tx) => {
    const project = await requireVisibleProject(tx, projectId);
    const row = await insertRow<{ id: string }>(tx, milestones, {
      ...input,
      agency_id: project.agency_id,
      project_id: projectId,
    });
    if (!row) throw new AppError(403, "manager_required", "Only an owner or manager can add milestones.");
    return requireMilestone(tx, row.id);
  });
}

async function requireMilestone(tx: Tx, milestoneId: string, projectId?: string) {
  const [row] = await tx.select(milestoneColumns).from(milestones).where(eq(milestones.id, milestoneId));
  if (!row || (projectId && row.project_id !== projectId)) {
    throw new AppError(404, "not_found", "There is no such milestone.");
  }
  return { ...row, amount_cents: row.amount_cents === null ? null : Number(row.amount_cents) };
}

export function updateMilestone({
  claims,
  projectId,
  milestoneId,
  changes,
}: {
  claims: JwtClaims;
  milestoneId: string;
  changes: Partial<MilestoneInput>;
} & InProject) {
  return asUser(claims, async (tx) => {
    await requireMilestone(tx, milestoneId, projectId);
    if (Object.keys(changes).length > 0) {
      const updated = await tx
        .update(milestones)
        .set(changes)
        .where(eq(milestones.id, milestoneId))
        .returning({ id: milestones.id });
      if (updated.length === 0)
        throw new AppError(403, "manager_required", "Only an owner or manager can change milestones.");
    }
    return requireMilestone(tx, milestoneId);
  });
}

export function deleteMilestone({
  claims,
  milestoneId,
  projectId,
}: { claims: JwtClaims; milestoneId: string } & InProject) {
  return asUser(claims, async (tx) => {
    await requireMilestone(tx, milestoneId, projectId);
    const removed = await tx.delete(milestones).where(eq(milestones.id, milestoneId)).returning({ id: milestones.id });
    if (removed.length === 0)
      throw new AppError(403, "manager_required", "Only an owner or manager can delete milestones.");
  });
}

/** Everything the project page shows, in one transaction. */
export function projectWorkspace({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, async (tx) => {
    const project = await requireProject(tx, projectId);
    const [projectTasks, projectMilestones] = await Promise.all([
      tasksOfProject(tx, projectId),
      milestonesOfProject(tx, projectId),
    ]);
    return { project, tasks: projectTasks, milestones: projectMilestones };
  });
}
