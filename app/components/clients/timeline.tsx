import { Link } from "@remix-run/react";
import { Briefcase, CalendarDays, KanbanSquare, Mail, MessageSquare, Phone } from "lucide-react";
import type { ActivityKind } from "#db/schema.ts";
import { formatDateTime, timeAgo } from "#app/utils/dates.ts";

/** A client's history, newest first: what people logged and what happened to deals and projects. */
export interface TimelineItem {
  id: string;
  kind: ActivityKind;
  event: string | null;
  body: string | null;
  occurred_at: string;
  created_by_name: string | null;
  deal_id: string | null;
  project_id: string | null;
}

const icons = { note: MessageSquare, call: Phone, meeting: CalendarDays, email: Mail } as const;

export function Timeline({ entries }: { entries: TimelineItem[] }) {
  if (entries.length === 0) {
    return <p className="px-5 py-8 text-center text-sm text-zinc-500">Nothing on the timeline yet.</p>;
  }
  return (
    <ol className="space-y-0 px-5 py-4" aria-label="Timeline">
      {entries.map((entry) => {
        const Icon =
          entry.kind === "system"
            ? entry.project_id && entry.event === "project_created"
              ? Briefcase
              : KanbanSquare
            : icons[entry.kind];
        return (
          <li key={entry.id} className="relative flex gap-3 pb-5 last:pb-0">
            <span
              aria-hidden="true"
              className={
                entry.kind === "system"
                  ? "flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-zinc-500"
                  : "flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-brand/10 text-brand"
              }
            >
              <Icon className="h-4 w-4" />
            </span>
            <div className="min-w-0 flex-1 text-sm">
              <p className="text-zinc-500">
                <span className="font-medium capitalize text-zinc-800">
                  {entry.kind === "system" ? "Update" : entry.kind}
                </span>
                {entry.created_by_name ? ` · ${entry.created_by_name}` : ""} ·{" "}
                <time dateTime={entry.occurred_at} title={formatDateTime(entry.occurred_at)}>
                  {timeAgo(entry.occurred_at)}
                </time>
              </p>
              <p className="mt-0.5 whitespace-pre-line text-zinc-800">{entry.body}</p>
              {entry.project_id ? (
                <Link to={`/projects/${entry.project_id}`} className="text-xs font-medium text-brand hover:underline">
                  Open the project
                </Link>
              ) : entry.deal_id ? (
                <Link
                  to={`/pipeline/deals/${entry.deal_id}`}
                  className="text-xs font-medium text-brand hover:underline"
                >
                  Open the deal
                </Link>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
