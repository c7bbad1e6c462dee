import { useRouteLoaderData } from "@remix-run/react";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import type { loader as portalLoader } from "./portal.tsx";

/** Portal home. Projects, deliverables and invoices arrive with their features. */
export default function PortalHome() {
  const data = useRouteLoaderData<typeof portalLoader>("routes/portal");
  const clients = data?.access ?? [];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {data?.name}</h1>
        <p className="mt-1 text-sm text-zinc-600">
          {clients.length === 1
            ? `You are signed in for ${clients[0]!.client_name}.`
            : `You are signed in for ${clients.map((c) => c.client_name).join(", ")}.`}
        </p>
      </div>
      <EmptyState
        icon={
          <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M3 7h18M3 12h18M3 17h12" />
          </svg>
        }
        title="Nothing to review yet"
        action={undefined}
      >
        When the agency shares projects, deliverables to approve or invoices, they appear here.
      </EmptyState>
    </div>
  );
}
