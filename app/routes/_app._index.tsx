import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckCircle2, Circle } from "lucide-react";
import { PageHeader } from "#app/components/page-header.tsx";
import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { listTeam } from "#app/models/team.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { useStaff } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Dashboard · Agency CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const team = await listTeam({ claims: viewer.claims, agencyId });
  return {
    activeMembers: team.members.filter((m) => m.is_active).length,
    pendingInvitations: team.invitations.length,
  };
}

export default function Dashboard() {
  const { activeMembers, pendingInvitations } = useLoaderData<typeof loader>();
  const { profile, active } = useStaff();
  const canManage = active.role !== "member";
  const steps = [
    { done: true, label: "Create your agency", to: "/settings/agency" },
    { done: activeMembers + pendingInvitations > 1, label: "Invite your team", to: "/settings/team" },
    { done: false, label: "Add your first client (arrives with Clients)", to: "/clients" },
    { done: false, label: "Track time on a project (arrives with Time)", to: "/time" },
  ];
  return (
    <>
      <PageHeader
        title={`Hello, ${profile.name.split(" ")[0]}`}
        description={`Here is what is happening at ${active.agency_name}.`}
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Stat label="Active team members" value={activeMembers} to="/settings/team" />
        {canManage ? <Stat label="Pending invitations" value={pendingInvitations} to="/settings/team" /> : null}
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
      <p className="mt-1 text-2xl font-semibold capitalize text-zinc-900">{value}</p>
    </Link>
  );
}
