import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AlertTriangle, FileText, Pencil } from "lucide-react";
import { formatDate, formatDay } from "#app/components/pipeline/format.ts";
import { billingTypeLabel } from "#app/components/pipeline/project-labels.ts";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { formatHours } from "#app/components/projects/budget-bar.tsx";
import { BudgetGauge } from "#app/components/projects/budget-gauge.tsx";
import { BurnChart } from "#app/components/projects/burn-chart.tsx";
import { HoursByPerson } from "#app/components/projects/hours-by-person.tsx";
import {
  Detail,
  RecentActivity,
  TasksSummary,
  UpcomingMilestones,
  type TaskSummary,
} from "#app/components/projects/overview-cards.tsx";
import { orNotFound, projectIdParam } from "#app/components/projects/route-data.server.ts";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { recentProjectActivity } from "#app/models/project-activity.server.ts";
import { projectReports } from "#app/models/projects.server.ts";
import { listMilestones, listTasks } from "#app/models/tasks.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";
import { useProjectLayout } from "./_app.projects.$projectId.tsx";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { viewer } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const projectId = projectIdParam(params);
  const [reports, milestones, tasks, activity] = await orNotFound(
    Promise.all([
      projectReports({ claims, projectId }),
      listMilestones({ claims, projectId }),
      listTasks({ claims, projectId }),
      recentProjectActivity({ claims, projectId }),
    ]),
  );
  const byStatus: Record<string, number> = {};
  for (const task of tasks) byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
  const open = tasks
    .filter((t) => t.status !== "done")
    // Dated work first, soonest first; then the board's order.
    .sort((a, b) => (a.due_date ?? "9999").localeCompare(b.due_date ?? "9999") || a.position - b.position);
  const taskSummary: TaskSummary = {
    total: tasks.length,
    byStatus,
    next: open.slice(0, 5).map(({ id, title, status, due_date, assignee_name }) => ({
      id,
      title,
      status,
      due_date,
      assignee_name,
    })),
  };
  // Once 100 % is crossed, the 80 % alert of the same budget says nothing new.
  const alerts = reports.alerts.filter(
    (alert) => !reports.alerts.some((other) => other.metric === alert.metric && other.threshold > alert.threshold),
  );
  return {
    reports: { ...reports, alerts },
    milestones: milestones.filter((m) => m.status !== "approved").slice(0, 5),
    milestoneTotal: milestones.length,
    tasks: taskSummary,
    activity,
  };
}

export default function ProjectOverview() {
  const { reports, milestones, milestoneTotal, tasks, activity } = useLoaderData<typeof loader>();
  const { project } = useProjectLayout();
  const { active } = useStaff();
  // Invoices are the agency's owners' and managers' (a member managing a project does not bill it).
  const canInvoice = project.can_manage && active.role !== "member";
  const { budget, currency } = project;
  const money = (cents: number) => formatMoney(Math.abs(cents), currency);
  const showMoney = project.can_manage && budget.budget_cents !== null && budget.percent_used !== null;
  const showHours = budget.budget_hours !== null && budget.percent_hours_used !== null;

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="min-w-0 space-y-6 lg:col-span-2">
        <Card>
          <CardHeader
            title="Budget"
            description={`${formatHours(budget.spent_hours)} tracked${
              project.can_manage && budget.spent_cents !== null ? `, ${money(budget.spent_cents)} billable value` : ""
            }`}
            action={
              project.can_manage ? (
                <span className="flex flex-wrap gap-x-4 gap-y-1">
                  {canInvoice ? (
                    <Link
                      to={`/invoices/new?project=${project.id}`}
                      className="inline-flex items-center gap-1 text-sm font-medium text-brand hover:underline"
                    >
                      <FileText className="h-3.5 w-3.5" aria-hidden="true" /> Create invoice
                    </Link>
                  ) : null}
                  <Link
                    to={`/projects/${project.id}/edit`}
                    className="inline-flex items-center gap-1 text-sm font-medium text-brand hover:underline"
                  >
                    <Pencil className="h-3.5 w-3.5" aria-hidden="true" /> Change budget
                  </Link>
                </span>
              ) : null
            }
          />
          <div className="p-5">
            {reports.alerts.length > 0 ? (
              <ul className="mb-4 space-y-2" aria-label="Budget alerts">
                {reports.alerts.map((alert) => (
                  <li
                    key={`${alert.metric}-${alert.threshold}`}
                    className={
                      alert.threshold >= 100
                        ? "flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
                        : "flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                    }
                  >
                    <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" />
                    {alert.threshold} % of the {alert.metric === "money" ? "money" : "hours"} budget reached on{" "}
                    {formatDay(alert.crossed_at)}.
                  </li>
                ))}
              </ul>
            ) : null}
            {showMoney || showHours ? (
              <div className={showMoney && showHours ? "grid gap-6 sm:grid-cols-2" : "grid gap-6"}>
                {showMoney ? (
                  <BudgetGauge
                    label="Money"
                    percent={budget.percent_used!}
                    spent={money(budget.spent_cents ?? 0)}
                    budget={money(budget.budget_cents!)}
                    remaining={money(budget.remaining_cents ?? 0)}
                  />
                ) : null}
                {showHours ? (
                  <BudgetGauge
                    label="Hours"
                    percent={budget.percent_hours_used!}
                    spent={formatHours(budget.spent_hours)}
                    budget={formatHours(budget.budget_hours!)}
                    remaining={formatHours(Math.abs(budget.remaining_hours ?? 0))}
                  />
                ) : null}
              </div>
            ) : (
              <p className="text-sm text-zinc-600">
                No budget is set, so there is nothing to warn about.{" "}
                {project.can_manage ? (
                  <Link to={`/projects/${project.id}/edit`} className="font-medium text-brand hover:underline">
                    Set a budget
                  </Link>
                ) : (
                  "A manager can set one."
                )}
              </p>
            )}
          </div>
        </Card>

        <Card>
          <CardHeader title="Burn per week" description="Tracked hours, last 12 weeks" />
          <div className="p-5">
            <BurnChart weeks={reports.burn} currency={currency} />
          </div>
        </Card>

        <Card>
          <CardHeader title="Hours by person" />
          <div className="p-5">
            <HoursByPerson people={reports.byMember} currency={currency} />
          </div>
        </Card>
      </div>

      <div className="min-w-0 space-y-6">
        <Card>
          <CardHeader title="Tasks" />
          <div className="p-5">
            <TasksSummary summary={tasks} boardHref={`/projects/${project.id}/tasks`} />
          </div>
        </Card>

        <Card>
          <CardHeader
            title="Upcoming milestones"
            action={
              <Link
                to={`/projects/${project.id}/milestones`}
                className="text-sm font-medium text-brand hover:underline"
              >
                {milestoneTotal > 0 ? `All ${milestoneTotal}` : project.can_manage ? "Add one" : "Milestones"}
              </Link>
            }
          />
          <div className="p-5">
            <UpcomingMilestones milestones={milestones} currency={currency} />
          </div>
        </Card>

        <Card>
          <CardHeader title="Details" />
          <dl className="grid gap-x-6 gap-y-4 p-5 text-sm sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
            <Detail label="Client">
              <Link to={`/clients/${project.client_id}`} className="text-brand hover:underline">
                {project.client_name ?? "—"}
              </Link>
            </Detail>
            <Detail label="Source deal">
              {project.source_deal_id ? (
                <Link to={`/pipeline/deals/${project.source_deal_id}`} className="text-brand hover:underline">
                  {project.source_deal_title ?? "The deal"}
                </Link>
              ) : (
                "Started directly"
              )}
            </Detail>
            <Detail label="Manager">{project.manager_name ?? "None"}</Detail>
            <Detail label="Billing">
              {billingTypeLabel[project.billing_type]} · {currency}
            </Detail>
            {project.can_manage ? (
              <Detail label="Project rate">
                {project.hourly_rate_cents !== null
                  ? `${formatMoney(project.hourly_rate_cents, currency)} / h`
                  : "Each person's own rate"}
              </Detail>
            ) : null}
            <Detail label="Dates">
              {project.start_date ? formatDate(project.start_date) : "No start"} –{" "}
              {project.deadline ? formatDate(project.deadline) : "no deadline"}
            </Detail>
            {project.description ? (
              <Detail label="Description" wide>
                <span className="whitespace-pre-line">{project.description}</span>
              </Detail>
            ) : null}
          </dl>
        </Card>

        <Card>
          <CardHeader title="Recent activity" />
          <div className="p-5">
            <RecentActivity items={activity} />
          </div>
        </Card>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/projects" backLabel="Back to the projects" />;
}
