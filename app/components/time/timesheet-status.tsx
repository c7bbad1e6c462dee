import { Badge } from "#app/components/ui/card.tsx";

export type WeekStatus = "draft" | "submitted" | "approved" | "rejected";

const labels: Record<WeekStatus, string> = {
  draft: "Not submitted",
  submitted: "Waiting for approval",
  approved: "Approved",
  rejected: "Returned for changes",
};

const tones = { draft: "zinc", submitted: "amber", approved: "green", rejected: "red" } as const;

/** A week's status as people read it: a week without a timesheet row is a draft. */
export function TimesheetStatusBadge({ status }: { status: WeekStatus }) {
  return <Badge tone={tones[status]}>{labels[status]}</Badge>;
}

export function weekStatusLabel(status: WeekStatus): string {
  return labels[status];
}
