import { NavLink } from "@remix-run/react";
import { cn } from "./cn.ts";

/** A tab bar of links (each tab is its own route), with an optional count badge per tab. */
export interface SectionTab {
  to: string;
  label: string;
  end?: boolean;
  count?: number;
  /** What the count means, for screen readers: "weeks wait for a decision". */
  countLabel?: string;
}

export function SectionTabs({ label, tabs }: { label: string; tabs: SectionTab[] }) {
  return (
    <nav aria-label={label} className="-mt-2 mb-6 overflow-x-auto border-b border-zinc-200">
      <ul className="flex min-w-max gap-1">
        {tabs.map((tab) => (
          <li key={tab.label}>
            <NavLink
              to={tab.to}
              end={tab.end}
              prefetch="intent"
              className={({ isActive }) =>
                cn(
                  "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand",
                  isActive ? "border-brand text-brand" : "border-transparent text-zinc-600 hover:text-zinc-900",
                )
              }
            >
              {tab.label}
              {tab.count ? (
                <span className="rounded-full bg-brand px-2 py-0.5 text-xs font-semibold text-white">
                  {tab.count}
                  {tab.countLabel ? <span className="sr-only"> {tab.countLabel}</span> : null}
                </span>
              ) : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
