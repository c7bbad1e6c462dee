import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Briefcase } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { formatDay } from "#app/components/pipeline/format.ts";
import { billingTypeLabel, projectStatusLabel, projectStatusTone } from "#app/components/pipeline/project-labels.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { Badge, Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { listProjects } from "#app/models/projects.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Projects · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  return { projects: await listProjects({ claims: viewer.claims, agencyId }) };
}

/**
 * Projects so far come from won deals. The list is deliberately plain — name, client, status,
 * budget, created — until the projects feature brings teams, progress and budgets spent.
 */
export default function ProjectsPage() {
  const { projects } = useLoaderData<typeof loader>();
  const { active } = useStaff();
  const member = active.role === "member";

  return (
    <>
      <PageHeader
        title="Projects"
        description={member ? "Projects of the deals assigned to you." : "Work for clients, started from won deals."}
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={<Briefcase className="h-6 w-6" />}
          title="No projects yet"
          action={
            member ? undefined : (
              <Link to="/pipeline" className="text-sm font-medium text-brand hover:underline">
                Go to the pipeline
              </Link>
            )
          }
        >
          A project appears here when a deal is won: it takes the deal&apos;s name and value, and the tasks of a project
          template.
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <div className="relative overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Projects, newest first</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500">
                <tr>
                  <th scope="col" className="px-5 py-2.5 font-medium">
                    Project
                  </th>
                  <th scope="col" className="px-5 py-2.5 font-medium">
                    Client
                  </th>
                  <th scope="col" className="px-5 py-2.5 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-5 py-2.5 text-right font-medium">
                    Budget
                  </th>
                  <th scope="col" className="px-5 py-2.5 text-right font-medium">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {projects.map((project) => (
                  <tr key={project.id} className="hover:bg-zinc-50">
                    <th scope="row" className="px-5 py-3 font-medium">
                      <Link to={`/projects/${project.id}`} className="text-zinc-900 hover:text-brand hover:underline">
                        {project.name}
                      </Link>
                      <span className="block text-xs font-normal text-zinc-500">
                        {billingTypeLabel[project.billing_type]}
                      </span>
                    </th>
                    <td className="px-5 py-3 text-zinc-700">{project.client_name ?? "—"}</td>
                    <td className="px-5 py-3">
                      <Badge tone={projectStatusTone[project.status]}>{projectStatusLabel[project.status]}</Badge>
                    </td>
                    <td className="px-5 py-3 text-right tabular-nums">
                      {project.budget_cents === null ? "—" : formatMoney(project.budget_cents, project.currency)}
                    </td>
                    <td className="px-5 py-3 text-right text-zinc-600">{formatDay(project.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
