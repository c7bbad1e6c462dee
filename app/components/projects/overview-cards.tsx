import { Link } from "@remix-run/react";
import { CalendarDays, CheckCircle2, Flag, KanbanSquare, Briefcase } from "lucide-react";
import type { ReactNode } from "react";
import { formatDate, isOverdue } from "#app/components/pipeline/format.ts";
import { milestoneStatusLabel, milestoneStatusTone, taskStatusLabel } from "#app/components/pipeline/project-labels.ts";
import { Badge } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { formatDateTime, timeAgo } from "#app/utils/dates.ts";
import { formatMoney } from "#app/utils/money.ts";

export type TaskSummary = {
  total: number;
  byStatus: Record<string, number>;
  next: { id: string; title: string; status: string; due_date: string | null; assignee_name: string | null }[];
};

const statusOrder = ["todo", "in_progress", "review", "done"] as const;
const statusDot: Record<string, string> = {
  todo: "bg-zinc-300",
  in_progress: "bg-brand",
  review: "bg-amber-500",
  done: "bg-emerald-500",
};

/** Task counts by status (a stacked bar with a text legend) and the next open tasks. */
export function TasksSummary({ summary, boardHref }: { summary: TaskSummary; boardHref: string }) {
  if (summary.total === 0) {
    return (
      <p className="text-sm text-zinc-500">
        No tasks yet.{" "}
        <Link to={boardHref} className="font-medium text-brand hover:underline">
          Plan them on the board
        </Link>
        .
      </p>
    );
  }
  const done = summary.byStatus.done ?? 0;
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-700">
        <span className="text-2xl font-semibold tabular-nums text-zinc-900">{summary.total}</span>{" "}
        {summary.total === 1 ? "task" : "tasks"}, {done} done
      </p>
      <div className="flex h-2 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
        {statusOrder.map((status) => (
          <span
            key={status}
            className={statusDot[status]}
            style={{ width: `${((summary.byStatus[status] ?? 0) / summary.total) * 100}%` }}
          />
        ))}
      </div>
      <ul className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-zinc-600" aria-label="Tasks by status">
        {statusOrder.map((status) => (
          <li key={status} className="flex items-center gap-1.5">
            <span className={cn("h-2 w-2 rounded-full", statusDot[status])} aria-hidden="true" />
            {taskStatusLabel[status]}: <span className="font-medium tabular-nums">{summary.byStatus[status] ?? 0}</span>
          </li>
        ))}
      </ul>
      {summary.next.length > 0 ? (
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">Up next</h3>
          <ul className="mt-2 divide-y divide-zinc-100 text-sm">
            {summary.next.map((task) => (
              <li key={task.id} className="flex items-start justify-between gap-3 py-2">
                <span className="min-w-0">
                  <span className="block truncate text-zinc-800">{task.title}</span>
                  <span className="block text-xs text-zinc-500">
                    {taskStatusLabel[task.status]}
                    {task.assignee_name ? ` · ${task.assignee_name}` : ""}
                  </span>
                </span>
                {task.due_date ? (
                  <span
                    className={cn(
                      "shrink-0 text-xs tabular-nums",
                      isOverdue(task.due_date) ? "font-medium text-red-700" : "text-zinc-500",
                    )}
                  >
                    {isOverdue(task.due_date) ? "Overdue · " : ""}
                    {formatDate(task.due_date)}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Link to={boardHref} className="inline-flex items-center gap-1.5 text-sm font-medium text-brand hover:underline">
        <KanbanSquare className="h-4 w-4" aria-hidden="true" /> Open the board
      </Link>
    </div>
  );
}

export type UpcomingMilestone = {
  id: string;
  title: string;
  status: string;
  due_date: string | null;
  amount_cents: number | null;
  task_count: number;
  done_count: number;
};

export function UpcomingMilestones({ milestones, currency }: { milestones: UpcomingMilestone[]; currency: string }) {
  if (milestones.length === 0) {
    return <p className="text-sm text-zinc-500">No open milestones.</p>;
  }
  return (
    <ul className="divide-y divide-zinc-100 text-sm" aria-label="Upcoming milestones">
      {milestones.map((milestone) => {
        const late = milestone.status === "pending" && isOverdue(milestone.due_date);
        return (
          <li key={milestone.id} className="flex items-start gap-3 py-2.5 first:pt-0">
            <Flag className="mt-0.5 h-4 w-4 shrink-0 text-zinc-400" aria-hidden="true" />
            <span className="min-w-0 flex-1">
              <span className="block truncate font-medium text-zinc-800">{milestone.title}</span>
              <span className={cn("block text-xs", late ? "font-medium text-red-700" : "text-zinc-500")}>
                {milestone.due_date ? `${late ? "Overdue · " : "Due "}${formatDate(milestone.due_date)}` : "No date"}
                {milestone.task_count > 0 ? ` · ${milestone.done_count}/${milestone.task_count} tasks done` : ""}
                {milestone.amount_cents !== null ? ` · ${formatMoney(milestone.amount_cents, currency)}` : ""}
              </span>
            </span>
            <Badge tone={milestoneStatusTone[milestone.status]}>{milestoneStatusLabel[milestone.status]}</Badge>
          </li>
        );
      })}
    </ul>
  );
}

export type ActivityItem = {
  id: string;
  event: string | null;
  kind: string;
  body: string | null;
  occurred_at: string;
  created_by_name: string | null;
};

function activityIcon(item: ActivityItem) {
  if (item.event?.startsWith("milestone_")) return CheckCircle2;
  if (item.event === "project_created") return Briefcase;
  if (item.event?.startsWith("deal_")) return KanbanSquare;
  return CalendarDays;
}

export function RecentActivity({ items }: { items: ActivityItem[] }) {
  if (items.length === 0) return <p className="text-sm text-zinc-500">Nothing has happened yet.</p>;
  return (
    <ol className="space-y-3 text-sm" aria-label="Recent activity">
      {items.map((item) => {
        const Icon = activityIcon(item);
        return (
          <li key={item.id} className="flex gap-3">
            <span
              className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-zinc-500"
              aria-hidden="true"
            >
              <Icon className="h-3.5 w-3.5" />
            </span>
            <span className="min-w-0">
              <span className="block text-zinc-800">{item.body}</span>
              <span className="block text-xs text-zinc-500">
                {item.created_by_name ? `${item.created_by_name} · ` : ""}
                <time dateTime={item.occurred_at} title={formatDateTime(item.occurred_at)}>
                  {timeAgo(item.occurred_at)}
                </time>
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function Detail({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "sm:col-span-2" : undefined}>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-800">{children}</dd>
    </div>
  );
}
