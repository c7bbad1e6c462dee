import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { todayIn } from "#app/components/tasks/dates.ts";
import { statusLabel, type TaskStatus } from "#app/components/tasks/labels.ts";
import { PriorityBadge } from "#app/components/tasks/priority-badge.tsx";
import { Section } from "#app/components/tasks/section.tsx";
import type { BoardFailure } from "#app/components/tasks/task-board.tsx";
import { TaskComments } from "#app/components/tasks/task-comments.tsx";
import { TaskDependencies, type LinkedTask } from "#app/components/tasks/task-dependencies.tsx";
import { TaskDetails } from "#app/components/tasks/task-details.tsx";
import { TaskDialog } from "#app/components/tasks/task-dialog.tsx";
import { dueAfterStart, taskFieldShape, taskStatusField } from "#app/components/tasks/task-form.ts";
import { TaskStatusForm } from "#app/components/tasks/task-status-form.tsx";
import { Badge } from "#app/components/ui/card.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { getTaskDetail, startTaskAnyway } from "#app/models/task-board.server.ts";
import {
  addComment,
  addDependency,
  deleteTask,
  moveTask,
  removeDependency,
  updateTask,
} from "#app/models/tasks.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { toAppError } from "#app/utils/api/problem.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.task.title ?? "Task"} · Tasks · Agency CRM` },
];

const TaskAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), ...taskFieldShape }).superRefine(dueAfterStart),
  z
    .object({
      intent: z.literal("status"),
      status: taskStatusField,
      override: z.literal("1").optional(),
      override_reason: z.string().trim().max(500, "Use at most 500 characters.").optional(),
    })
    .refine((form) => !form.override || (form.override_reason ?? "").length >= 3, {
      path: ["override_reason"],
      message: "Say why the dependencies can wait (at least 3 characters).",
    }),
  z.object({ intent: z.literal("add_dependency"), depends_on: uuid.or(z.literal("")) }),
  z.object({ intent: z.literal("remove_dependency"), depends_on: uuid }),
  z.object({
    intent: z.literal("comment"),
    body: z.string().trim().min(1, "Write something first.").max(10_000, "Use at most 10000 characters."),
  }),
  z.object({ intent: z.literal("delete") }),
]);

/** A status change from this page puts the task at the end of its new column (move_task renumbers). */
const END_OF_COLUMN = 100_000;

/** Rules the database names by hint, and the field each is about (when the error has none). */
const fieldForCode: Record<string, string> = {
  dependency_cycle: "depends_on",
  dependency_other_project: "depends_on",
  assignee_not_on_team: "assignee_id",
  dependency_not_done: "status",
  override_reason_required: "override_reason",
};

function ids(params: LoaderFunctionArgs["params"]) {
  const projectId = uuid.safeParse(params.projectId);
  const taskId = uuid.safeParse(params.taskId);
  if (!projectId.success || !taskId.success) throw new Response("There is no such task.", { status: 404 });
  return { projectId: projectId.data, taskId: taskId.data };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const { projectId, taskId } = ids(params);
  const detail = await getTaskDetail({ claims: viewer.claims, projectId, taskId });
  if (!detail) throw new Response("There is no such task, or you cannot see it.", { status: 404 });
  return detail;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const { projectId, taskId } = ids(params);
  const form = await parseForm(request, TaskAction);
  if (!form.ok) return form.response;
  const claims = viewer.claims;
  const search = new URL(request.url).search.replace(/^\?index&?/, "?").replace(/^\?$/, "");
  const taskUrl = `/projects/${projectId}/tasks/${taskId}${search}`;
  const input = form.data;
  try {
    let message: string;
    if (input.intent === "update") {
      const { intent: _intent, ...changes } = input;
      await updateTask({ claims, taskId, projectId, changes });
      message = "Task saved.";
    } else if (input.intent === "status") {
      if (input.override) {
        await startTaskAnyway({
          claims,
          taskId,
          projectId,
          status: input.status,
          index: END_OF_COLUMN,
          reason: input.override_reason!,
        });
        message = `Moved to ${statusLabel[input.status]} despite open dependencies. The reason is on record.`;
      } else {
        await moveTask({ claims, taskId, projectId, status: input.status, index: END_OF_COLUMN });
        message = `Status: ${statusLabel[input.status]}.`;
      }
    } else if (input.intent === "add_dependency") {
      if (!input.depends_on) {
        throw new AppError(422, "validation_failed", "Choose a task.", { depends_on: ["Choose a task."] });
      }
      await addDependency({ claims, taskId, projectId, dependsOn: input.depends_on });
      message = "Dependency added.";
    } else if (input.intent === "remove_dependency") {
      await removeDependency({ claims, taskId, projectId, dependsOn: input.depends_on });
      message = "Dependency removed.";
    } else if (input.intent === "comment") {
      await addComment({ claims, taskId, projectId, body: input.body });
      message = "Comment added.";
    } else {
      await deleteTask({ claims, taskId, projectId });
      await context.app.toast({ kind: "success", message: "Task deleted." });
      return redirect(`/projects/${projectId}/tasks${search}`);
    }
    await context.app.toast({ kind: "success", message });
    return redirect(taskUrl);
  } catch (error) {
    if (error instanceof Response) throw error;
    const appError = toAppError(error);
    return json(failureOf(appError, form.values), { status: appError.status });
  }
}

/** The error as a form failure, a rule's message next to the field it is about. */
function failureOf(error: AppError, values: Record<string, string>): BoardFailure {
  const { _: general, ...fieldErrors } = error.fieldErrors;
  const field = Object.keys(fieldErrors).length === 0 ? fieldForCode[error.code] : undefined;
  if (field) return { fieldErrors: { [field]: [error.message] }, values, code: error.code };
  return {
    formError: Object.keys(fieldErrors).length > 0 ? general?.join(" ") : (general?.join(" ") ?? error.message),
    fieldErrors,
    values,
    code: error.code,
  };
}

export default function TaskPage() {
  const { task, projectTasks, milestones, comments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = isFormFailure(actionData) ? (actionData as BoardFailure) : undefined;
  const { project, viewerId } = useProjectLayout();
  const { profile } = useStaff();
  const navigation = useNavigation();
  const location = useLocation();
  const search = location.search.replace(/^\?index&?/, "?").replace(/^\?$/, "");
  const boardUrl = `/projects/${project.id}/tasks${search}`;
  const hrefFor = (id: string) => `/projects/${project.id}/tasks/${id}${search}`;
  const canManage = project.can_manage;
  const isAssignee = task.assignee_id === viewerId;
  const failed = (...intents: string[]) =>
    failure && intents.includes(failure.values.intent ?? "") ? failure : undefined;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  const byId = new Map(projectTasks.map((t) => [t.id, t]));
  const linked = (id: string): LinkedTask[] => {
    const other = byId.get(id);
    return other ? [{ id: other.id, title: other.title, status: other.status as TaskStatus }] : [];
  };
  const dependsOn = task.depends_on.flatMap(linked);
  const blocks = projectTasks.filter((t) => t.depends_on.includes(task.id)).flatMap((t) => linked(t.id));
  const candidates = projectTasks
    .filter((t) => t.id !== task.id && !task.depends_on.includes(t.id))
    .map((t) => ({ id: t.id, title: t.title, status: t.status as TaskStatus }));
  const openDependencies = dependsOn.filter((t) => t.status !== "done");

  return (
    <TaskDialog
      taskId={task.id}
      title={task.title}
      closeTo={boardUrl}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <Badge tone={task.status === "done" ? "green" : "zinc"}>{statusLabel[task.status]}</Badge>
          <PriorityBadge priority={task.priority} />
          <span>{task.assignee_name ? `Assigned to ${task.assignee_name}` : "Unassigned"}</span>
          {openDependencies.length > 0 ? (
            <Badge tone="amber">
              Waits for {openDependencies.length} {openDependencies.length === 1 ? "task" : "tasks"}
            </Badge>
          ) : null}
        </span>
      }
    >
      <Section>
        <TaskStatusForm
          status={task.status}
          canChange={canManage || isAssignee}
          canManage={canManage}
          failure={failed("status")}
          busy={busy("status")}
        />
      </Section>
      <Section title="Details">
        <TaskDetails
          task={task}
          milestones={milestones.map((m) => ({ value: m.id, label: m.title }))}
          team={project.team.map((m) => ({ value: m.user_id, label: m.name }))}
          canManage={canManage}
          today={todayIn(profile.timezone)}
          failure={failed("update")}
          busy={busy("update")}
        />
      </Section>
      <Section title="Dependencies">
        <TaskDependencies
          dependsOn={dependsOn}
          blocks={blocks}
          candidates={candidates}
          canManage={canManage}
          hrefFor={hrefFor}
          failure={failed("add_dependency", "remove_dependency")}
          busy={busy("add_dependency")}
        />
      </Section>
      <Section title={`Comments (${comments.length})`}>
        <TaskComments
          comments={comments}
          canComment={canManage || isAssignee}
          failure={failed("comment")}
          busy={busy("comment")}
        />
      </Section>
      {canManage ? (
        <Section title="Delete">
          <FormError message={failed("delete")?.formError} />
          <details className="text-sm">
            <summary className="w-fit cursor-pointer rounded font-medium text-red-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-red-300">
              Delete this task…
            </summary>
            <Form method="post" className="mt-3 space-y-3">
              <p className="text-zinc-600">Its comments and dependency links go with it. This cannot be undone.</p>
              <input type="hidden" name="intent" value="delete" />
              <Button type="submit" variant="danger" size="sm" pending={busy("delete")}>
                Delete “{task.title}”
              </Button>
            </Form>
          </details>
        </Section>
      ) : null}
    </TaskDialog>
  );
}

export function ErrorBoundary() {
  const { project } = useProjectLayout();
  return (
    <div className="mt-6">
      <RouteErrorPanel backTo={`/projects/${project.id}/tasks`} backLabel="Back to the board" />
    </div>
  );
}
