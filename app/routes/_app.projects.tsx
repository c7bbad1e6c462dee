import type { MetaFunction } from "@remix-run/node";
import { Briefcase } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Projects · Agency CRM" }];

export default function ProjectsPage() {
  return (
    <AreaPlaceholder
      title="Projects"
      description="Projects, tasks, milestones and budgets."
      icon={Briefcase}
      emptyTitle="No projects yet"
    >
      Projects with tasks, milestones, a Gantt view and budget alerts arrive with the projects feature.
    </AreaPlaceholder>
  );
}
