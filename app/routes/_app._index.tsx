import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckCircle2, Circle } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { getDashboardCounts } from "#app/models/dashboard.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Dashboard · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  return getDashboardCounts({ claims: viewer.claims, agencyId });
}

export default function Dashboard() {
  const counts = useLoaderData<typeof loader>();
  const { profile, active } = useStaff();
  const canManage = active.role !== "member";
  const steps = [
    { done: true, label: "Create your agency", to: "/settings/agency" },
    { done: counts.active_members + counts.pending_invitations > 1, label: "Invite your team", to: "/settings/team" },
    { done: counts.clients > 0, label: "Add your first client", to: "/clients/new" },
    { done: counts.open_deals + counts.won_deals > 0, label: "Put a deal in the pipeline", to: "/pipeline" },
    { done: counts.won_deals > 0, label: "Win a deal: it becomes a project", to: "/pipeline" },
    { done: false, label: "Track time on a project (arrives with Time)", to: "/time" },
  ];
  return (
    <>
      <PageHeader
        title={`Hello, ${profile.name.split(" ")[0]}`}
        description={`Here is what is happening at ${active.agency_name}.`}
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label={canManage ? "Open deals" : "Your open deals"} value={counts.open_deals} to="/pipeline" />
        <Stat
          label="Weighted pipeline"
          value={formatMoney(counts.weighted_value_cents, active.currency)}
          to="/pipeline"
        />
        <Stat label={canManage ? "Clients" : "Your clients"} value={counts.clients} to="/clients" />
        <Stat label="Team members" value={counts.active_members} to="/settings/team" />
        <Stat label="Your role" value={active.role} to="/settings/team" />
      </div>
      {canManage ? (
        <Card className="mt-6 max-w-2xl">
          <CardHeader
            title="Getting started"
            description="The path from a won deal to a paid invoice, one step at a time."
          />
          <ol className="divide-y divide-zinc-100">
            {steps.map((step) => (
              <li key={step.label}>
                <Link to={step.to} className="flex items-center gap-3 px-5 py-3 text-sm hover:bg-zinc-50">
                  {step.done ? (
                    <CheckCircle2 className="h-5 w-5 text-emerald-600" aria-label="Done" />
                  ) : (
                    <Circle className="h-5 w-5 text-zinc-300" aria-label="To do" />
                  )}
                  <span className={step.done ? "text-zinc-500 line-through" : "text-zinc-800"}>{step.label}</span>
                </Link>
              </li>
            ))}
          </ol>
        </Card>
      ) : (
        <Card className="mt-6 max-w-2xl">
          <CardHeader title="Your work" description="What you will find here as the agency sets things up." />
          <ul className="list-disc space-y-1 px-10 py-4 text-sm text-zinc-700">
            <li>Projects and tasks you are assigned to, on Projects.</li>
            <li>A timer and your weekly timesheet, on Time.</li>
            <li>Your name and time zone, under Settings → Your profile.</li>
          </ul>
        </Card>
      )}
    </>
  );
}

function Stat({ label, value, to }: { label: string; value: number | string; to: string }) {
  return (
    <Link to={to} className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm transition hover:border-brand/40">
      <p className="text-sm text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-zinc-900">{value}</p>
    </Link>
  );
}
