import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ListTodo } from "lucide-react";
import { z } from "zod";
import { PageHeader } from "#app/components/page-header.tsx";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { dueGroupOf, dueGroups, todayIn } from "#app/components/tasks/dates.ts";
import { statusLabel } from "#app/components/tasks/labels.ts";
import { MyTaskRow, type MyTaskView } from "#app/components/tasks/my-task-row.tsx";
import { taskStatusField } from "#app/components/tasks/task-form.ts";
import { Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { FormError } from "#app/components/ui/field.tsx";
import { listMyTasks } from "#app/models/tasks.server.ts";
import { moveTask } from "#app/models/tasks.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "My tasks · Agency CRM" }];

const StatusChange = z.object({ task_id: uuid, status: taskStatusField, respond: z.literal("json").optional() });

/** A status change from this list puts the task at the end of its new column (move_task renumbers). */
const END_OF_COLUMN = 100_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const tasks = await listMyTasks({ claims: viewer.claims, agencyId });
  return {
    tasks: tasks.map((t): MyTaskView => ({
      id: t.id,
      project_id: t.project_id,
      project_name: t.project_name,
      client_name: t.client_name,
      title: t.title,
      status: t.status,
      priority: t.priority,
      due_date: t.due_date,
      open_dependencies: t.open_dependencies,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const form = await parseForm(request, StatusChange);
  if (!form.ok) return form.response;
  const { task_id, status, respond } = form.data;
  try {
    const task = await moveTask({ claims: viewer.claims, taskId: task_id, status, index: END_OF_COLUMN });
    await context.app.toast({ kind: "success", message: `“${task.title}”: ${statusLabel[status]}.` });
    return respond === "json" ? json({ ok: true as const }) : redirect("/my-tasks");
  } catch (error) {
    return formFailure(error, form.values);
  }
}

export default function MyTasks() {
  const { tasks } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { profile } = useStaff();
  const today = todayIn(profile.timezone);
  const groups = dueGroups
    .map((group) => ({ ...group, tasks: tasks.filter((t) => dueGroupOf(t.due_date, t.status, today) === group.key) }))
    .filter((group) => group.tasks.length > 0);

  return (
    <>
      <PageHeader title="My tasks" description="The open tasks assigned to you across your projects, by due date." />
      {/* A refused change made without JavaScript (with it, the row says why). */}
      <FormError message={isFormFailure(actionData) ? actionData.formError : undefined} />
      {tasks.length === 0 ? (
        <EmptyState
          icon={<ListTodo className="h-6 w-6" />}
          title="Nothing on your plate"
          action={
            <Link to="/projects" className="text-sm font-medium text-brand hover:underline">
              Browse the projects
            </Link>
          }
        >
          When a task is assigned to you on a project, it shows up here until it is done.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {groups.map((group) => (
            <section key={group.key} aria-labelledby={`group-${group.key}`}>
              <h2
                id={`group-${group.key}`}
                className={
                  group.key === "overdue"
                    ? "mb-2 text-sm font-semibold text-red-700"
                    : "mb-2 text-sm font-semibold text-zinc-900"
                }
              >
                {group.label} <span className="font-normal text-zinc-500">({group.tasks.length})</span>
              </h2>
              <Card>
                <ul className="divide-y divide-zinc-100">
                  {group.tasks.map((task) => (
                    <MyTaskRow key={task.id} task={task} today={today} />
                  ))}
                </ul>
              </Card>
            </section>
          ))}
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
