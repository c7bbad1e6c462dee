import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { SectionTabs } from "#app/components/ui/section-tabs.tsx";
import { Link, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Pencil } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { projectStatusLabel, projectStatusTone } from "#app/components/pipeline/project-labels.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { Badge } from "#app/components/ui/card.tsx";
import { getProject } from "#app/models/projects.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";

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
  return { project, viewerId: viewer.claims.sub };
}

/** The project (header, budget, team, can_manage) for the tab routes below this layout. */
export function useProjectLayout() {
  const data = useRouteLoaderData<typeof loader>("routes/_app.projects.$projectId");
  if (!data) throw new Error("useProjectLayout must be used below the project layout");
  return data;
}

const tabs = [
  { to: "", label: "Overview", end: true },
  { to: "tasks", label: "Tasks" },
  { to: "gantt", label: "Gantt" },
  { to: "milestones", label: "Milestones" },
  { to: "team", label: "Team" },
];

/** Project frame: title, client, status and the tab bar; each tab is its own route. */
export default function ProjectLayout() {
  const { project } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={project.name}
        actions={
          project.can_manage ? (
            <Button asChild variant="secondary" size="sm">
              <Link to={`/projects/${project.id}/edit`}>
                <Pencil className="h-4 w-4" aria-hidden="true" /> Edit project
              </Link>
            </Button>
          ) : null
        }
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
      <SectionTabs label="Project sections" tabs={tabs} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
