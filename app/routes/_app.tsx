import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { hexToRgb } from "#app/components/auth-shell.tsx";
import { AppShell } from "#app/components/shell/app-shell.tsx";
import { TimerBar } from "#app/components/time/timer-bar.tsx";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import { unreadCount } from "#app/models/notifications.server.ts";
import { getTimer } from "#app/models/timer.server.ts";
import { requireViewer } from "#app/utils/auth/guards.server.ts";
import { env } from "#app/utils/env.server.ts";

/**
 * Every staff page sits in here. It decides where a signed-in person belongs: no agency yet →
 * onboarding; only a client contact → the portal; otherwise the agency they last worked in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  const account = await getAccount({ claims: viewer.claims });
  if (!account) throw redirect("/login");
  if (account.memberships.length === 0) throw redirect(account.portal.length > 0 ? "/portal" : "/onboarding");
  const requested = await context.app.activeAgencyId();
  const active = pickMembership(account, requested) ?? account.memberships[0]!;
  if (active.agency_id !== requested) await context.app.setActiveAgency(active.agency_id);
  // The header's running timer; the projects its Start form offers load when it opens (/timer).
  const [unreadNotifications, timer] = await Promise.all([
    unreadCount({ claims: viewer.claims, agencyId: active.agency_id }),
    getTimer({ claims: viewer.claims, agencyId: active.agency_id }),
  ]);
  return {
    profile: account.profile,
    memberships: account.memberships,
    active,
    devMailbox: env().devMailbox,
    unreadNotifications,
    timer,
  };
}

export default function StaffLayout() {
  const { profile, memberships, active, devMailbox, unreadNotifications, timer } = useLoaderData<typeof loader>();
  return (
    <div className="h-full">
      {/* On :root, so dialogs and toasts that Radix portals to <body> wear the agency colour too.
          hexToRgb yields three numbers (brand_color is checked as #rrggbb by the database). */}
      <style>{`:root { --brand-rgb: ${hexToRgb(active.brand_color)}; }`}</style>
      <AppShell
        profile={profile}
        memberships={memberships}
        active={active}
        devMailbox={devMailbox}
        unreadNotifications={unreadNotifications}
        timerBar={<TimerBar timer={timer} timeZone={profile.timezone} />}
      >
        <Outlet />
      </AppShell>
    </div>
  );
}

/** The active agency and role, for pages inside the shell. */
export function useStaff() {
  return useRouteLoaderData<typeof loader>("routes/_app")!;
}
