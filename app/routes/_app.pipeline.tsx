import type { MetaFunction } from "@remix-run/node";
import { KanbanSquare } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Pipeline · Agency CRM" }];

export default function PipelinePage() {
  return (
    <AreaPlaceholder
      title="Pipeline"
      description="Deals by stage, with a weighted forecast."
      icon={KanbanSquare}
      emptyTitle="No deals yet"
    >
      A kanban of deals by stage, with weighted forecasts. Winning a deal will create its project.
    </AreaPlaceholder>
  );
}
