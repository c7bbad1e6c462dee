import { describe, expect, it } from "vitest";
import { toDay } from "./dates.ts";
import { dependencyArrows, planRows, violatedPrerequisites, withDates } from "./rows.ts";
import { buildTimeline, ROW_HEIGHT } from "./timeline.ts";
import type { GanttMilestone, GanttTask } from "./types.ts";

function task(id: string, start_date: string | null, due_date: string | null, depends_on: string[] = []): GanttTask {
  return { id, title: id, status: "todo", assignee_name: null, start_date, due_date, depends_on };
}

const milestone = (id: string, due_date: string | null): GanttMilestone => ({
  id,
  title: id,
  status: "pending",
  due_date,
});

describe("planRows", () => {
  it("orders rows by start date and sets dateless work aside", () => {
    const plan = planRows(
      [
        task("build", "2026-03-09", "2026-03-13"),
        task("design", "2026-03-02", "2026-03-06"),
        task("someday", null, null),
      ],
      [milestone("launch", "2026-03-13"), milestone("later", null)],
    );
    expect(plan.rows.map((row) => row.id)).toEqual(["design", "build", "launch"]);
    expect(plan.unscheduledTasks.map((t) => t.id)).toEqual(["someday"]);
    expect(plan.unscheduledMilestones.map((m) => m.id)).toEqual(["later"]);
  });

  it("keeps a bar's row while its new dates are unconfirmed", () => {
    const server = [task("a", "2026-03-02", "2026-03-03"), task("b", "2026-03-05", "2026-03-06")];
    const dragged = withDates(server, new Map([["a", { start_date: "2026-03-09", due_date: "2026-03-10" }]]));
    expect(planRows(dragged, []).rows.map((row) => row.id)).toEqual(["b", "a"]);
    const plan = planRows(dragged, [], { tasks: server, milestones: [] });
    expect(plan.rows.map((row) => row.id)).toEqual(["a", "b"]);
    expect(plan.rows[0]!.span.start).toBe(toDay("2026-03-09"));
  });

  it("places a task scheduled optimistically by its own dates", () => {
    const server = [task("a", "2026-03-05", null), task("new", null, null)];
    const scheduled = withDates(server, new Map([["new", { start_date: "2026-03-01", due_date: "2026-03-02" }]]));
    const plan = planRows(scheduled, [], { tasks: server, milestones: [] });
    expect(plan.rows.map((row) => row.id)).toEqual(["new", "a"]);
    expect(plan.unscheduledTasks).toEqual([]);
  });
});

describe("withDates", () => {
  it("replaces only the dates given, and never gives a milestone a start date", () => {
    const [moved] = withDates([task("a", "2026-03-02", "2026-03-04")], new Map([["a", { due_date: "2026-03-09" }]]));
    expect(moved).toMatchObject({ start_date: "2026-03-02", due_date: "2026-03-09" });
    const [m] = withDates(
      [milestone("m", "2026-03-02")],
      new Map([["m", { start_date: "x", due_date: "2026-03-03" }]]),
    );
    expect(m).toEqual(milestone("m", "2026-03-03"));
  });
});

describe("dependencyArrows", () => {
  const timeline = buildTimeline([], toDay("2026-03-02"), "week");
  const x = (iso: string) => (toDay(iso) - timeline.start) * timeline.dayWidth;

  it("runs from the end of the prerequisite's last day to the start of the dependent", () => {
    const plan = planRows(
      [task("design", "2026-03-02", "2026-03-06"), task("build", "2026-03-09", "2026-03-13", ["design"])],
      [],
    );
    const [arrow] = dependencyArrows(plan.rows, timeline);
    expect(arrow).toMatchObject({ key: "design>build", toId: "build", violated: false, from: "design", to: "build" });
    const y1 = ROW_HEIGHT / 2;
    const y2 = ROW_HEIGHT + ROW_HEIGHT / 2;
    expect(arrow!.path).toBe(`M ${x("2026-03-07")} ${y1} H ${x("2026-03-07") + 8} V ${y2} H ${x("2026-03-09")}`);
  });

  it("marks a dependent that starts before its prerequisite ends", () => {
    const tasks = [task("design", "2026-03-02", "2026-03-06"), task("build", "2026-03-04", "2026-03-13", ["design"])];
    expect(dependencyArrows(planRows(tasks, []).rows, timeline)[0]!.violated).toBe(true);
    expect(violatedPrerequisites(tasks[1]!, new Map(tasks.map((t) => [t.id, t]))).map((t) => t.id)).toEqual(["design"]);
  });

  it("draws nothing for a dependency on an unscheduled task", () => {
    const plan = planRows([task("design", null, null), task("build", "2026-03-09", null, ["design"])], []);
    expect(dependencyArrows(plan.rows, timeline)).toEqual([]);
  });
});
