import type { MilestoneStatus, TaskStatus } from "./types.ts";

/** Status colours shared by bars, the legend and the table (text contrast ≥ 4.5:1 on each). */
export const taskBarClass: Record<TaskStatus, string> = {
  todo: "border-zinc-400 bg-zinc-200 text-zinc-800",
  in_progress: "border-sky-800 bg-sky-700 text-white",
  review: "border-amber-500 bg-amber-300 text-amber-950",
  done: "border-emerald-800 bg-emerald-700 text-white",
};

export const taskDotClass: Record<TaskStatus, string> = {
  todo: "bg-zinc-400",
  in_progress: "bg-sky-700",
  review: "bg-amber-400",
  done: "bg-emerald-700",
};

export const milestoneClass: Record<MilestoneStatus, string> = {
  pending: "border-violet-800 bg-violet-600",
  reached: "border-emerald-700 bg-emerald-500",
  approved: "border-emerald-950 bg-emerald-800",
};
