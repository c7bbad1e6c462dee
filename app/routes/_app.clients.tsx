import type { MetaFunction } from "@remix-run/node";
import { Users } from "lucide-react";
import { AreaPlaceholder } from "#app/components/coming-soon.tsx";

export const meta: MetaFunction = () => [{ title: "Clients · Agency CRM" }];

export default function ClientsPage() {
  return (
    <AreaPlaceholder
      title="Clients"
      description="Your client list, contacts and timeline."
      icon={Users}
      emptyTitle="No clients yet"
    >
      Client records, contacts, and a timeline of every call, meeting and invoice arrive with the CRM feature.
    </AreaPlaceholder>
  );
}
