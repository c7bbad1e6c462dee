import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Briefcase, Plus } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { formatDate, isOverdue } from "#app/components/pipeline/format.ts";
import { billingTypeLabel, projectStatusLabel, projectStatusTone } from "#app/components/pipeline/project-labels.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { BudgetBar } from "#app/components/projects/budget-bar.tsx";
import { ProjectListFilters } from "#app/components/projects/list-filters.tsx";
import { readProjectQuery } from "#app/components/projects/list-query.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Badge, Card } from "#app/components/ui/card.tsx";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import { listClients } from "#app/models/clients.server.ts";
import { listProjects, projectManagers } from "#app/models/projects.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Projects · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const query = readProjectQuery(new URL(request.url));
  const [projects, clients, managers] = await Promise.all([
    listProjects({
      claims,
      agencyId,
      filters: {
        search: query.q,
        clientId: query.client,
        status: query.status,
        managerId: query.manager,
        overBudget: query.over === "1",
      },
    }),
    listClients({ claims, agencyId, filters: { sort: "name", perPage: 100 } }),
    projectManagers({ claims, agencyId }),
  ]);
  return {
    projects,
    clients: clients.data.map((c) => ({ value: c.id, label: c.name })),
    managers: managers.map((m) => ({ value: m.user_id, label: m.name })),
    query,
    filtered: Object.values(query).some(Boolean),
  };
}

const closed = new Set(["completed", "archived"]);

export default function ProjectsPage() {
  const { projects, clients, managers, query, filtered } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { active } = useStaff();
  const canManage = active.role !== "member";

  return (
    <>
      <PageHeader
        title="Projects"
        description={canManage ? "Work for clients: plans, teams and budgets." : "The projects whose team you are on."}
        actions={
          canManage ? (
            <Button asChild size="sm">
              <Link to="/projects/new">
                <Plus className="h-4 w-4" aria-hidden="true" /> New project
              </Link>
            </Button>
          ) : null
        }
      />
      {projects.length === 0 && !filtered ? (
        <EmptyState
          icon={<Briefcase className="h-6 w-6" />}
          title="No projects yet"
          action={
            canManage ? (
              <div className="flex flex-wrap justify-center gap-2">
                <Button asChild>
                  <Link to="/projects/new">Start a project</Link>
                </Button>
                <Button asChild variant="secondary">
                  <Link to="/pipeline">Go to the pipeline</Link>
                </Button>
              </div>
            ) : undefined
          }
        >
          {canManage
            ? "Start one here, or win a deal: its project appears with the tasks of a template."
            : "A project appears here when someone adds you to its team."}
        </EmptyState>
      ) : (
        <>
          <ProjectListFilters query={query} clients={clients} managers={managers} />
          {filtered && projects.length > 0 ? (
            <p className="mb-3 flex items-center justify-between gap-3 text-sm text-zinc-600" aria-live="polite">
              <span>{projects.length === 1 ? "1 project matches." : `${projects.length} projects match.`}</span>
              <Link to="/projects" className="font-medium text-brand hover:underline">
                Clear filters
              </Link>
            </p>
          ) : null}
          {projects.length === 0 ? (
            <EmptyState
              icon={<Briefcase className="h-6 w-6" />}
              title="No projects match"
              action={
                <Link to="/projects" className="text-sm font-medium text-brand hover:underline">
                  Clear the filters
                </Link>
              }
            >
              Try another status or client, or fewer words.
            </EmptyState>
          ) : (
            <Card
              className={
                navigation.state === "loading" && navigation.location.pathname === "/projects"
                  ? "overflow-hidden opacity-60 transition-opacity"
                  : "overflow-hidden"
              }
            >
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">
                    {projects.length === 1 ? "1 project" : `${projects.length} projects`}, open ones first, by deadline
                  </caption>
                  <thead className="border-b border-zinc-100 bg-zinc-50 text-xs text-zinc-500">
                    <tr>
                      <th scope="col" className="px-4 py-2.5 font-medium">
                        Project
                      </th>
                      <th scope="col" className="hidden px-4 py-2.5 font-medium md:table-cell">
                        Client
                      </th>
                      <th scope="col" className="px-4 py-2.5 font-medium">
                        Status
                      </th>
                      <th scope="col" className="hidden px-4 py-2.5 font-medium lg:table-cell">
                        Manager
                      </th>
                      <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                        Deadline
                      </th>
                      <th scope="col" className="hidden px-4 py-2.5 text-right font-medium lg:table-cell">
                        Open tasks
                      </th>
                      <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">
                        Budget used
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100">
                    {projects.map((project) => {
                      const late = !closed.has(project.status) && isOverdue(project.deadline);
                      return (
                        <tr key={project.id} className="hover:bg-zinc-50">
                          <th scope="row" className="px-4 py-3 font-medium">
                            <Link
                              to={`/projects/${project.id}`}
                              className="text-zinc-900 hover:text-brand hover:underline"
                            >
                              {project.name}
                            </Link>
                            <span className="block text-xs font-normal text-zinc-500">
                              <span className="md:hidden">{project.client_name ?? "—"} · </span>
                              {billingTypeLabel[project.billing_type]}
                              {project.deadline ? (
                                <span className="sm:hidden"> · due {formatDate(project.deadline)}</span>
                              ) : null}
                            </span>
                            <span className="mt-1.5 block font-normal sm:hidden">
                              <BudgetBar budget={project.budget} currency={project.currency} />
                            </span>
                          </th>
                          <td className="hidden px-4 py-3 text-zinc-700 md:table-cell">
                            {project.client_name ? (
                              <Link to={`/clients/${project.client_id}`} className="hover:text-brand hover:underline">
                                {project.client_name}
                              </Link>
                            ) : (
                              "—"
                            )}
                          </td>
                          <td className="px-4 py-3">
                            <Badge tone={projectStatusTone[project.status]}>{projectStatusLabel[project.status]}</Badge>
                          </td>
                          <td className="hidden px-4 py-3 text-zinc-700 lg:table-cell">
                            {project.manager_name ?? <span className="text-zinc-400">None</span>}
                          </td>
                          <td className="hidden whitespace-nowrap px-4 py-3 sm:table-cell">
                            {project.deadline ? (
                              <span className={late ? "font-medium text-red-700" : "text-zinc-700"}>
                                {formatDate(project.deadline)}
                                {late ? <span className="block text-xs font-normal">Overdue</span> : null}
                              </span>
                            ) : (
                              <span className="text-zinc-400">None</span>
                            )}
                          </td>
                          <td className="hidden px-4 py-3 text-right tabular-nums lg:table-cell">
                            {project.open_tasks}
                          </td>
                          <td className="hidden px-4 py-3 sm:table-cell">
                            <BudgetBar budget={project.budget} currency={project.currency} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
