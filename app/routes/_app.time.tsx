import type { MetaFunction } from "@remix-run/node";
import { Clock } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Time · Agency CRM" }];

export default function TimePage() {
  return (
    <AreaPlaceholder
      title="Time"
      description="Timers, timesheets and approvals."
      icon={Clock}
      emptyTitle="No time tracked yet"
    >
      Start a timer or log time manually; weekly timesheets go to managers for approval.
    </AreaPlaceholder>
  );
}
