import { Link } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { milestoneClass, taskBarClass } from "./colors.ts";
import { taskStatusLabel, type TaskStatus, type Zoom } from "./types.ts";

export type View = "chart" | "table";

const WIDE = "(min-width: 768px)";

/**
 * Without ?view= the page shows the chart on wide screens and the table on narrow ones (CSS
 * decides, so it works before and without JavaScript); this says which one that is, for the toggle.
 */
export function useDefaultView(): View {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WIDE);
      query.addEventListener("change", onChange);
      return () => query.removeEventListener("change", onChange);
    },
    () => (window.matchMedia(WIDE).matches ? "chart" : "table"),
    () => "chart",
  );
}

function href(view: View | undefined, zoom: Zoom) {
  const params = new URLSearchParams();
  if (view) params.set("view", view);
  if (zoom !== "week") params.set("zoom", zoom);
  const query = params.toString();
  // Only the search part: the link stays on this page.
  return { search: query ? `?${query}` : "" };
}

function Segmented({
  label,
  options,
  className,
}: {
  label: string;
  options: { to: { search: string }; text: string; current: boolean }[];
  className?: string;
}) {
  return (
    <nav aria-label={label} className={className}>
      <ul className="flex rounded-lg border border-zinc-300 bg-white p-0.5 shadow-sm">
        {options.map((option) => (
          <li key={option.text}>
            <Link
              to={option.to}
              replace
              preventScrollReset
              aria-current={option.current ? "true" : undefined}
              className={cn(
                "block rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand",
                option.current ? "bg-brand text-white" : "text-zinc-700 hover:bg-zinc-100",
              )}
            >
              {option.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** View (chart/table) and zoom (week/month) as links, so both live in the URL. */
export function GanttToolbar({ view, zoom, shown }: { view: View | undefined; zoom: Zoom; shown: View }) {
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3">
      <Segmented
        label="Gantt view"
        options={[
          { to: href("chart", zoom), text: "Chart", current: shown === "chart" },
          { to: href("table", zoom), text: "Table", current: shown === "table" },
        ]}
      />
      <Segmented
        label="Zoom"
        className={cn(view === "table" && "hidden", view === undefined && "hidden md:block")}
        options={[
          { to: href(view, "week"), text: "Week", current: zoom === "week" },
          { to: href(view, "month"), text: "Month", current: zoom === "month" },
        ]}
      />
      <Legend className={cn(view === "table" && "hidden", view === undefined && "hidden md:flex")} />
    </div>
  );
}

function Legend({ className }: { className?: string }) {
  const statuses: TaskStatus[] = ["todo", "in_progress", "review", "done"];
  return (
    <ul
      aria-label="Legend"
      className={cn("flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600", className)}
    >
      {statuses.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={cn("h-3 w-5 rounded-sm border", taskBarClass[status])} />
          {taskStatusLabel[status]}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={cn("h-2.5 w-2.5 rotate-45 rounded-[2px] border", milestoneClass.pending)} />
        Milestone
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="h-0 w-5 border-t-2 border-dashed border-red-600" />
        Starts before its prerequisite ends
      </li>
    </ul>
  );
}
