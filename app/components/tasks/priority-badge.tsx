import { Badge } from "#app/components/ui/card.tsx";
import { priorityLabel, priorityTone, type TaskPriority } from "./labels.ts";

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return (
    <Badge tone={priorityTone[priority]}>
      <span className="sr-only">Priority: </span>
      {priorityLabel[priority]}
    </Badge>
  );
}
