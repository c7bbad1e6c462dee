import { describe, expect, it } from "vitest";
import { addDays, dueGroupOf, endOfWeek, isOverdue, todayIn } from "./dates.ts";

describe("task dates", () => {
  it("takes today in the given time zone", () => {
    const now = new Date("2026-03-01T23:30:00Z");
    expect(todayIn("UTC", now)).toBe("2026-03-01");
    expect(todayIn("Europe/Berlin", now)).toBe("2026-03-02");
    expect(todayIn("America/New_York", now)).toBe("2026-03-01");
    expect(todayIn("Not/AZone", now)).toBe("2026-03-01");
  });

  it("adds days across months and finds the week's Sunday", () => {
    expect(addDays("2026-02-27", 3)).toBe("2026-03-02");
    expect(endOfWeek("2026-03-04")).toBe("2026-03-08"); // Wednesday → Sunday
    expect(endOfWeek("2026-03-08")).toBe("2026-03-08"); // Sunday is the week's last day
    expect(endOfWeek("2026-03-09")).toBe("2026-03-15"); // Monday starts a new week
  });

  it("marks open tasks past their due date overdue, done ones never", () => {
    expect(isOverdue("2026-03-03", "todo", "2026-03-04")).toBe(true);
    expect(isOverdue("2026-03-04", "todo", "2026-03-04")).toBe(false);
    expect(isOverdue("2026-03-03", "done", "2026-03-04")).toBe(false);
    expect(isOverdue(null, "todo", "2026-03-04")).toBe(false);
  });

  it("groups by due date relative to today", () => {
    const today = "2026-03-04"; // a Wednesday
    expect(dueGroupOf("2026-03-01", "in_progress", today)).toBe("overdue");
    expect(dueGroupOf("2026-03-04", "todo", today)).toBe("this_week");
    expect(dueGroupOf("2026-03-08", "todo", today)).toBe("this_week");
    expect(dueGroupOf("2026-03-09", "todo", today)).toBe("later");
    expect(dueGroupOf(null, "todo", today)).toBe("none");
  });
});
