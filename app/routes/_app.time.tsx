import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { SectionTabs } from "#app/components/ui/section-tabs.tsx";
import { Outlet, useLoaderData, useRouteLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { PageHeader } from "#app/components/page-header.tsx";
import { RouteErrorPanel } from "#app/components/pipeline/route-error-panel.tsx";
import { todayIn } from "#app/components/tasks/dates.ts";
import { ExportCsvForm } from "#app/components/time/export-form.tsx";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import { assignableMembers, listProjects } from "#app/models/projects.server.ts";
import { listApprovals } from "#app/models/timesheets.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";

export const meta: MetaFunction = () => [{ title: "Time · Agency CRM" }];

/**
 * The Time frame: the page header with the CSV export, and the tabs (Week, Day and, for owners
 * and managers, Approvals with the number of weeks waiting for them). Each tab is its own route.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const claims = viewer.claims;
  const account = await getAccount({ claims });
  const membership = account ? pickMembership(account, agencyId) : undefined;
  const canApprove = membership?.role === "owner" || membership?.role === "manager";
  const [pending, members, projects] = await Promise.all([
    canApprove ? listApprovals({ claims, agencyId }) : Promise.resolve([]),
    canApprove ? assignableMembers({ claims, agencyId }) : Promise.resolve([]),
    listProjects({ claims, agencyId }),
  ]);
  return {
    viewerId: claims.sub,
    role: membership?.role ?? "member",
    canApprove,
    timeZone: account?.profile.timezone ?? "UTC",
    // Weeks this person can decide: a manager's own week waits for someone else.
    pendingCount: pending.filter((w) => membership?.role === "owner" || w.user_id !== claims.sub).length,
    members: members.map((m) => ({ value: m.user_id, label: m.name || "Unnamed" })),
    projects: projects.map((p) => ({ value: p.id, label: p.client_name ? `${p.name} (${p.client_name})` : p.name })),
  };
}

/**
 * The frame's data (role, people, projects, the pending count) changes with decisions, not with
 * every grid cell or week turned: those would otherwise re-read the project list each time.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  formData,
  currentUrl,
  nextUrl,
  defaultShouldRevalidate,
}) => {
  if (formMethod && formMethod.toUpperCase() !== "GET") {
    return formData?.get("intent") === "cell" ? false : defaultShouldRevalidate;
  }
  if (currentUrl.pathname === nextUrl.pathname) return false;
  return defaultShouldRevalidate;
};

/** The frame's data for the tabs below it (members for the "whose week" picker). */
export function useTimeLayout() {
  const data = useRouteLoaderData<typeof loader>("routes/_app.time");
  if (!data) throw new Error("useTimeLayout must be used below the time layout");
  return data;
}

export default function TimeLayout() {
  const { canApprove, pendingCount, members, projects, timeZone } = useLoaderData<typeof loader>();
  const today = todayIn(timeZone);
  const tabs = [
    { to: "/time", label: "Week", end: true },
    { to: "/time/day", label: "Day" },
    ...(canApprove
      ? [
          {
            to: "/time/approvals",
            label: "Approvals",
            count: pendingCount,
            countLabel: pendingCount === 1 ? "week waits for a decision" : "weeks wait for a decision",
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title="Time"
        description="Track time by the week or the day; submitted weeks go to a manager for approval."
        actions={
          <ExportCsvForm
            from={`${today.slice(0, 8)}01`}
            to={today}
            members={canApprove ? members : null}
            projects={projects}
          />
        }
      />
      <SectionTabs label="Time sections" tabs={tabs} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel backTo="/" backLabel="Back to the dashboard" />;
}
