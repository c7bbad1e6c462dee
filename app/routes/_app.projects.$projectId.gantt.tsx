import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { isIsoDate, todayIn } from "#app/components/gantt/dates.ts";
import { GanttView, failureText, type RefusedForm } from "#app/components/gantt/gantt-view.tsx";
import type { GanttMilestone, GanttTask } from "#app/components/gantt/types.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { projectWorkspace, updateMilestone, updateTask } from "#app/models/tasks.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { formFailure, parseForm } from "#app/utils/forms.server.ts";
import { isFormFailure } from "#app/utils/forms.ts";
import { useStaff } from "./_app.tsx";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export const meta: MetaFunction = ({ matches }) => {
  const layout = matches.find((match) => match.id === "routes/_app.projects.$projectId")?.data as
    { project?: { name?: string } } | undefined;
  return [{ title: `Gantt · ${layout?.project?.name ?? "Project"} · Agency CRM` }];
};

/** A stale or hand-typed URL still opens the chart: unknown values fall back to the defaults. */
const Query = z.object({
  zoom: z.enum(["week", "month"]).catch("week"),
  view: z.enum(["chart", "table"]).optional().catch(undefined),
});

/** Where a form posted without JavaScript returns to: this tab with its ?view and ?zoom. */
const back = z
  .string()
  .regex(/^(\?[^#\s]*)?$/)
  .optional()
  .catch(undefined);

/** "" clears a date; anything else must be a real calendar day. */
const dateField = z
  .string()
  .trim()
  .refine((value) => value === "" || isIsoDate(value), { error: "Enter a date such as 2026-03-05." })
  .transform((value) => value || null);

const respond = z.literal("json").optional();

const DatesForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("task_dates"),
    task_id: uuid,
    start_date: dateField,
    due_date: dateField,
    respond,
    back,
  }),
  z.object({ intent: z.literal("milestone_date"), milestone_id: uuid, due_date: dateField, respond, back }),
]);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = uuid.safeParse(params.projectId);
  if (!projectId.success) throw new Response("There is no such project.", { status: 404 });
  const url = new URL(request.url);
  const query = Query.parse({
    zoom: url.searchParams.get("zoom") ?? undefined,
    view: url.searchParams.get("view") ?? undefined,
  });
  const workspace = await projectWorkspace({ claims: viewer.claims, projectId: projectId.data }).catch((error) => {
    if (error instanceof AppError && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  });
  const tasks: GanttTask[] = workspace.tasks.map((task) => ({
    id: task.id,
    title: task.title,
    status: task.status,
    assignee_name: task.assignee_name,
    start_date: task.start_date,
    due_date: task.due_date,
    depends_on: task.depends_on,
  }));
  const milestones: GanttMilestone[] = workspace.milestones.map((milestone) => ({
    id: milestone.id,
    title: milestone.title,
    status: milestone.status,
    due_date: milestone.due_date,
  }));
  return { ...query, tasks, milestones };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = uuid.safeParse(params.projectId);
  if (!projectId.success) throw new Response("There is no such project.", { status: 404 });
  const form = await parseForm(request, DatesForm);
  if (!form.ok) return form.response;
  const input = form.data;
  try {
    if (input.intent === "task_dates") {
      await updateTask({
        claims: viewer.claims,
        taskId: input.task_id,
        projectId: projectId.data,
        changes: { start_date: input.start_date, due_date: input.due_date },
      });
    } else {
      await updateMilestone({
        claims: viewer.claims,
        milestoneId: input.milestone_id,
        projectId: projectId.data,
        changes: { due_date: input.due_date },
      });
    }
  } catch (error) {
    // A due date before the start is refused by the database (tasks_due_after_start); the
    // message comes from the shared error mapping, next to the due date.
    return formFailure(error, form.values);
  }
  if (input.respond === "json") return json({ ok: true as const });
  await context.app.toast({ kind: "success", message: "Dates saved." });
  return redirect(`/projects/${projectId.data}/gantt${input.back ?? ""}`);
}

export default function ProjectGanttPage() {
  const { zoom, view, tasks, milestones } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { project } = useProjectLayout();
  const { profile } = useStaff();
  const location = useLocation();
  // After a refused no-JavaScript POST the URL carries Remix's ?index marker; the way back does not need it.
  const params = new URLSearchParams(location.search);
  params.delete("index");
  const backTo = params.size > 0 ? `?${params}` : "";

  let refused: RefusedForm | undefined;
  if (isFormFailure(failure)) {
    const id = failure.values.task_id ?? failure.values.milestone_id;
    if (id) {
      refused = {
        id,
        message: failureText(failure),
        values: { start_date: failure.values.start_date, due_date: failure.values.due_date },
      };
    }
  }

  return (
    <GanttView
      projectId={project.id}
      tasks={tasks}
      milestones={milestones}
      zoom={zoom}
      view={view}
      today={todayIn(profile.timezone)}
      canManage={project.can_manage}
      back={backTo}
      refused={refused}
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
