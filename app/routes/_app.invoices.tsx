import type { MetaFunction } from "@remix-run/node";
import { FileText } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Invoices · Agency CRM" }];

export default function InvoicesPage() {
  return (
    <AreaPlaceholder
      title="Invoices"
      description="Invoices from tracked time and milestones, paid with Stripe."
      icon={FileText}
      emptyTitle="No invoices yet"
    >
      Turn approved time and reached milestones into invoices your clients pay online.
    </AreaPlaceholder>
  );
}
