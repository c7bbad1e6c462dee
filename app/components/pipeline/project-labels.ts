/** Words for project enums, shared by the project list and page (and later the projects feature). */
export const projectStatusLabel: Record<string, string> = {
  planning: "Planning",
  active: "Active",
  on_hold: "On hold",
  completed: "Completed",
  archived: "Archived",
};

export const projectStatusTone: Record<string, "zinc" | "green" | "amber" | "red" | "brand"> = {
  planning: "brand",
  active: "green",
  on_hold: "amber",
  completed: "zinc",
  archived: "zinc",
};

export const taskStatusLabel: Record<string, string> = {
  todo: "To do",
  in_progress: "In progress",
  review: "In review",
  done: "Done",
};

export const billingTypeLabel: Record<string, string> = {
  fixed: "Fixed price",
  hourly: "Hourly",
  retainer: "Retainer",
};

export const milestoneStatusLabel: Record<string, string> = {
  pending: "Pending",
  reached: "Reached",
  approved: "Approved",
};

export const milestoneStatusTone: Record<string, "zinc" | "green" | "amber" | "red" | "brand"> = {
  pending: "zinc",
  reached: "amber",
  approved: "green",
};
