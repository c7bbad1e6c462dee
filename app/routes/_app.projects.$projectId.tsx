import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckCircle2, Circle } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import {
  billingTypeLabel,
  projectStatusLabel,
  projectStatusTone,
  taskStatusLabel,
} from "#app/components/pipeline/project-labels.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Badge, Card, CardHeader } from "#app/components/ui/card.tsx";
import { getProject } from "#app/models/projects.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formatMoney } from "#app/utils/money.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.project.name ?? "Project"} · Projects · Agency CRM` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const projectId = uuid.safeParse(params.projectId);
  if (!projectId.success) throw new Response("There is no such project.", { status: 404 });
  // RLS decides visibility: a project the viewer may not see is simply not found.
  const project = await getProject({ claims: viewer.claims, projectId: projectId.data });
  if (!project) throw new Response("There is no such project.", { status: 404 });
  return { project };
}

/**
 * A project as the pipeline creates it: where it came from, its terms, and its tasks in order.
 * Read-only until the projects feature adds editing, teams and time.
 */
export default function ProjectPage() {
  const { project } = useLoaderData<typeof loader>();
  const done = project.tasks.filter((task) => task.status === "done").length;

  return (
    <>
      <PageHeader
        title={project.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {project.client_name ? (
              <Link to={`/clients/${project.client_id}`} className="font-medium text-brand hover:underline">
                {project.client_name}
              </Link>
            ) : null}
            <Badge tone={projectStatusTone[project.status]}>{projectStatusLabel[project.status]}</Badge>
            <Link to="/projects" className="text-zinc-500 hover:underline">
              All projects
            </Link>
          </span>
        }
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="h-fit">
          <CardHeader
            title="Tasks"
            description={
              project.tasks.length === 0 ? undefined : `${done} of ${project.tasks.length} done, in plan order`
            }
          />
          {project.tasks.length === 0 ? (
            <p className="px-5 py-6 text-sm text-zinc-500">No tasks yet. Its template had none.</p>
          ) : (
            <ol className="divide-y divide-zinc-100">
              {project.tasks.map((task, index) => (
                <li key={task.id} className="flex items-center gap-3 px-5 py-3 text-sm">
                  <span className="w-6 text-right text-xs tabular-nums text-zinc-400" aria-hidden="true">
                    {index + 1}
                  </span>
                  {task.status === "done" ? (
                    <CheckCircle2 className="h-4 w-4 shrink-0 text-emerald-600" aria-hidden="true" />
                  ) : (
                    <Circle className="h-4 w-4 shrink-0 text-zinc-300" aria-hidden="true" />
                  )}
                  <span className="min-w-0 flex-1">{task.title}</span>
                  <Badge tone={task.status === "done" ? "green" : "zinc"}>{taskStatusLabel[task.status]}</Badge>
                </li>
              ))}
            </ol>
          )}
        </Card>

        <Card className="h-fit">
          <CardHeader title="Details" />
          <dl className="space-y-4 p-5 text-sm">
            <Detail label="Client">
              {project.client_name ? (
                <Link to={`/clients/${project.client_id}`} className="text-brand hover:underline">
                  {project.client_name}
                </Link>
              ) : (
                "—"
              )}
            </Detail>
            <Detail label="Source deal">
              {!project.source_deal_id ? (
                "Created directly"
              ) : project.source_deal_title ? (
                <Link to={`/pipeline/deals/${project.source_deal_id}`} className="text-brand hover:underline">
                  {project.source_deal_title}
                </Link>
              ) : (
                "A deal you do not have access to"
              )}
            </Detail>
            <Detail label="Status">{projectStatusLabel[project.status]}</Detail>
            <Detail label="Billing type">{billingTypeLabel[project.billing_type]}</Detail>
            <Detail label="Budget">
              {project.budget_cents === null ? "Not set" : formatMoney(project.budget_cents, project.currency)}
            </Detail>
            {project.start_date ? <Detail label="Start">{formatDate(project.start_date)}</Detail> : null}
            {project.deadline ? <Detail label="Deadline">{formatDate(project.deadline)}</Detail> : null}
            <Detail label="Created">{formatDay(project.created_at)}</Detail>
            {project.description ? (
              <Detail label="Description">
                <span className="whitespace-pre-line">{project.description}</span>
              </Detail>
            ) : null}
          </dl>
        </Card>
      </div>
    </>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-900">{children}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
