import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, Outlet, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { BoardFilters } from "#app/components/tasks/board-filters.tsx";
import type { TaskFilters } from "#app/components/tasks/board-state.ts";
import { todayIn } from "#app/components/tasks/dates.ts";
import { taskPriorities, taskStatuses } from "#app/components/tasks/labels.ts";
import { TaskBoard, type BoardFailure } from "#app/components/tasks/task-board.tsx";
import { optionalDate } from "#app/components/tasks/task-form.ts";
import { cn } from "#app/components/ui/cn.ts";
import { startTaskAnyway } from "#app/models/task-board.server.ts";
import { createTask, listTasks, moveTask } from "#app/models/tasks.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";
import { uuidParam } from "#app/utils/params.server.ts";

export const meta: MetaFunction = ({ matches }) => {
  const project = matches.find((m) => m.id === "routes/_app.projects.$projectId")?.data as
    { project?: { name?: string } } | undefined;
  return [{ title: `Tasks · ${project?.project?.name ?? "Project"} · Agency CRM` }];
};

/** Bad filter values are dropped rather than refused: a stale bookmark still opens the board. */
const Filters = z.object({
  assignee: z
    .union([z.literal("mine"), z.literal("none"), uuid])
    .optional()
    .catch(undefined),
  priority: z.enum(taskPriorities).optional().catch(undefined),
});

/** Where a no-JavaScript form returns to: the board with the filters it was on. */
const back = z
  .string()
  .regex(/^(\?[^#\s]*)?$/)
  .optional()
  .catch(undefined);

const status = z.enum(taskStatuses, { error: "Choose a column." });
const index = z.coerce.number().int().min(0).max(100_000).optional();
const respond = z.literal("json").optional();

const BoardForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("move"), task_id: uuid, status, index, respond, back }),
  z.object({
    intent: z.literal("override"),
    task_id: uuid,
    status,
    index,
    reason: z.string().trim().min(3, "Say why the dependencies can wait.").max(500, "Use at most 500 characters."),
    respond,
    back,
  }),
  z.object({
    intent: z.literal("create"),
    status,
    title: z.string().trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
    assignee_id: z.union([z.literal(""), uuid]).optional(),
    priority: z.enum(taskPriorities).optional(),
    due_date: optionalDate,
    back,
  }),
]);

/** Without JavaScript a "Move to" cannot know a place in the column: the end (move_task renumbers). */
const END_OF_COLUMN = 100_000;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = uuid.safeParse(params.projectId);
  if (!projectId.success) throw new Response("There is no such project.", { status: 404 });
  const url = new URL(request.url);
  const filters: TaskFilters = Filters.parse({
    assignee: url.searchParams.get("assignee") || undefined,
    priority: url.searchParams.get("priority") || undefined,
  });
  const tasks = await listTasks({ claims: viewer.claims, projectId: projectId.data });
  return {
    filters,
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status,
      priority: t.priority,
      assignee_id: t.assignee_id,
      assignee_name: t.assignee_name,
      start_date: t.start_date,
      due_date: t.due_date,
      depends_on: t.depends_on,
      comment_count: t.comment_count,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = uuidParam(params, "projectId", "There is no such project.");
  const form = await parseForm(request, BoardForm);
  if (!form.ok) return form.response;
  const input = form.data;
  const claims = viewer.claims;
  const boardUrl = `/projects/${projectId}/tasks${input.back ?? ""}`;
  const asJson = input.intent !== "create" && input.respond === "json";
  try {
    if (input.intent === "move") {
      await moveTask({
        claims,
        taskId: input.task_id,
        projectId,
        status: input.status,
        index: input.index ?? END_OF_COLUMN,
      });
    } else if (input.intent === "override") {
      await startTaskAnyway({
        claims,
        taskId: input.task_id,
        projectId,
        status: input.status,
        index: input.index ?? END_OF_COLUMN,
        reason: input.reason,
      });
    } else {
      await createTask({
        claims,
        projectId,
        input: {
          title: input.title,
          status: input.status,
          priority: input.priority,
          assignee_id: input.assignee_id || null,
          due_date: input.due_date,
        },
      });
      await context.app.toast({ kind: "success", message: `Task “${input.title}” added.` });
      return redirect(boardUrl);
    }
    if (asJson) return json({ ok: true as const });
    await context.app.toast({ kind: "success", message: "Task moved." });
    return redirect(boardUrl);
  } catch (error) {
    if (error instanceof Response) throw error;
    const appError = toAppError(error);
    if (asJson) {
      return json({ ok: false as const, code: appError.code, message: appError.message }, { status: appError.status });
    }
    const { _: general, ...fieldErrors } = appError.fieldErrors;
    const body: BoardFailure = {
      formError: Object.keys(fieldErrors).length > 0 ? general?.join(" ") : (general?.join(" ") ?? appError.message),
      fieldErrors,
      values: form.values,
      code: appError.code,
    };
    return json(body, { status: appError.status });
  }
}

export default function ProjectTasks() {
  const { tasks, filters } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { project, viewerId } = useProjectLayout();
  const { profile } = useStaff();
  const location = useLocation();
  const navigation = useNavigation();
  const boardPath = `/projects/${project.id}/tasks`;
  // After a failed no-JavaScript POST the URL may carry Remix's ?index marker; the way back does not need it.
  const params = new URLSearchParams(location.search);
  params.delete("index");
  const back = params.size > 0 ? `?${params}` : "";
  const acceptsWork = project.status !== "completed" && project.status !== "archived";
  const loading = navigation.state === "loading" && navigation.location.pathname === boardPath;
  const team = project.team.map((m) => ({ user_id: m.user_id, name: m.name, avatar_url: m.avatar_url }));

  return (
    <>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <BoardFilters
          key={location.search}
          filters={filters}
          team={team.map((m) => ({ value: m.user_id, label: m.name }))}
          clearTo={boardPath}
        />
        <p className="text-sm text-zinc-600">
          {tasks.length === 0
            ? project.can_manage && acceptsWork
              ? "No tasks yet: add the first with “Add a task” in a column."
              : "No tasks on this project yet."
            : project.can_manage
              ? "Drag a card to change its status or order."
              : "You can move the tasks assigned to you."}
          {!acceptsWork ? " This project is closed: it takes no new tasks." : null}{" "}
          <Link to="/my-tasks" className="font-medium text-brand hover:underline">
            My tasks
          </Link>
        </p>
      </div>
      <div aria-busy={loading || undefined} className={cn("transition-opacity", loading && "opacity-60")}>
        <TaskBoard
          projectId={project.id}
          tasks={tasks}
          viewerId={viewerId}
          canManage={project.can_manage}
          acceptsWork={acceptsWork}
          team={team}
          filters={filters}
          today={todayIn(profile.timezone)}
          back={back}
          failure={isFormFailure(actionData) ? (actionData as BoardFailure) : undefined}
        />
      </div>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
