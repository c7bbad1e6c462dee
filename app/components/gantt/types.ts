/** What the Gantt needs of a task and a milestone (the loader trims the model's rows to this). */
export type TaskStatus = "todo" | "in_progress" | "review" | "done";
export type MilestoneStatus = "pending" | "reached" | "approved";
export type Zoom = "week" | "month";

export interface TaskDates {
  start_date: string | null;
  due_date: string | null;
}

export interface GanttTask extends TaskDates {
  id: string;
  title: string;
  status: TaskStatus;
  assignee_name: string | null;
  /** Prerequisites (finish-to-start): this task should start after each of them ends. */
  depends_on: string[];
}

export interface GanttMilestone {
  id: string;
  title: string;
  status: MilestoneStatus;
  due_date: string | null;
}

export const taskStatusLabel: Record<TaskStatus, string> = {
  todo: "To do",
  in_progress: "In progress",
  review: "In review",
  done: "Done",
};

export const milestoneStatusLabel: Record<MilestoneStatus, string> = {
  pending: "Pending",
  reached: "Reached",
  approved: "Approved",
};
