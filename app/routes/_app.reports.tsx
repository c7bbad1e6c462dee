import type { MetaFunction } from "@remix-run/node";
import { BarChart3 } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Reports · Agency CRM" }];

export default function ReportsPage() {
  return (
    <AreaPlaceholder
      title="Reports"
      description="Profitability and utilization."
      icon={BarChart3}
      emptyTitle="Nothing to report yet"
    >
      Profitability per client and project, and each person&apos;s utilization, once time and invoices flow in.
    </AreaPlaceholder>
  );
}
