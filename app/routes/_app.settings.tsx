import type { MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { PageHeader } from "#app/components/page-header.tsx";
import { cn } from "#app/components/ui/cn.ts";

export const meta: MetaFunction = () => [{ title: "Settings · Agency CRM" }];

const tabs = [
  { to: "/settings/agency", label: "Agency" },
  { to: "/settings/team", label: "Team" },
  { to: "/settings/pipeline", label: "Pipeline" },
  { to: "/settings/templates", label: "Project templates" },
  { to: "/settings/profile", label: "Your profile" },
];

export default function SettingsLayout() {
  return (
    <>
      <PageHeader title="Settings" />
      <nav aria-label="Settings" className="mb-6 flex gap-1 overflow-x-auto border-b border-zinc-200">
        {tabs.map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            className={({ isActive }) =>
              cn(
                "-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
                isActive ? "border-brand text-brand" : "border-transparent text-zinc-600 hover:text-zinc-900",
              )
            }
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
