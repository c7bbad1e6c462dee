/** Project statuses as the forms and filters offer them; a new project starts open. */
export const openStatuses = ["planning", "active", "on_hold"] as const;
export const allStatuses = [...openStatuses, "completed", "archived"] as const;
