import { describe, expect, it } from "vitest";
import { containerOf } from "#app/components/board/arrangement.ts";
import {
  applyMoves,
  arrangementOf,
  columnsOf,
  indexInColumn,
  matchesFilters,
  openDependencies,
  type BoardTask,
} from "./board-state.ts";

function task(id: string, status: BoardTask["status"], extra: Partial<BoardTask> = {}): BoardTask {
  return {
    id,
    title: id,
    status,
    priority: "medium",
    assignee_id: null,
    assignee_name: null,
    start_date: null,
    due_date: null,
    depends_on: [],
    comment_count: 0,
    ...extra,
  };
}

const tasks = [task("a", "todo"), task("b", "todo"), task("c", "todo"), task("d", "in_progress")];

describe("columnsOf", () => {
  it("keeps the server's order within each status and has every column", () => {
    const columns = columnsOf(tasks);
    expect(columns.todo.map((t) => t.id)).toEqual(["a", "b", "c"]);
    expect(columns.in_progress.map((t) => t.id)).toEqual(["d"]);
    expect(columns.review).toEqual([]);
    expect(columns.done).toEqual([]);
  });
});

describe("applyMoves", () => {
  it("moves a task to another column at the index it was dropped", () => {
    const next = applyMoves(columnsOf(tasks), [{ taskId: "b", status: "in_progress", index: 0 }]);
    expect(next.todo.map((t) => t.id)).toEqual(["a", "c"]);
    expect(next.in_progress.map((t) => [t.id, t.status])).toEqual([
      ["b", "in_progress"],
      ["d", "in_progress"],
    ]);
  });

  it("reorders within a column, the index counting the column without the task", () => {
    const next = applyMoves(columnsOf(tasks), [{ taskId: "a", status: "todo", index: 2 }]);
    expect(next.todo.map((t) => t.id)).toEqual(["b", "c", "a"]);
  });

  it("applies moves in order and clamps an index past the end", () => {
    const next = applyMoves(columnsOf(tasks), [
      { taskId: "a", status: "done", index: 99 },
      { taskId: "c", status: "done", index: 0 },
    ]);
    expect(next.done.map((t) => t.id)).toEqual(["c", "a"]);
    expect(next.todo.map((t) => t.id)).toEqual(["b"]);
  });

  it("ignores a move of a task that is gone and leaves the input untouched", () => {
    const columns = columnsOf(tasks);
    const next = applyMoves(columns, [{ taskId: "zz", status: "done", index: 0 }]);
    expect(next.done).toEqual([]);
    expect(columns.todo).toHaveLength(3);
  });
});

describe("indexInColumn", () => {
  const column = ["a", "h1", "b", "h2", "c"]; // h1, h2 hidden by a filter

  it("is the plain index when nothing is hidden", () => {
    expect(indexInColumn(["b", "a", "c"], "a", ["a", "b", "c"])).toBe(1);
    expect(indexInColumn(["a", "b", "c"], "a", ["a", "b", "c"])).toBe(0);
    expect(indexInColumn(["b", "c", "a"], "a", ["a", "b", "c"])).toBe(2);
  });

  it("lands right after the visible card above it", () => {
    // c dropped between a and b: after a, before the hidden h1.
    expect(indexInColumn(["a", "c", "b"], "c", column)).toBe(1);
  });

  it("lands right before the visible card below it when it is first", () => {
    expect(indexInColumn(["c", "a", "b"], "c", column)).toBe(0);
    expect(indexInColumn(["x", "b"], "x", ["h1", "b"])).toBe(1);
  });

  it("goes to the end of a column whose cards are all hidden, or empty", () => {
    expect(indexInColumn(["x"], "x", ["h1", "h2"])).toBe(2);
    expect(indexInColumn(["x"], "x", [])).toBe(0);
  });
});

describe("filters and dependencies", () => {
  const mine = task("m", "todo", { assignee_id: "me", priority: "high" });
  const theirs = task("t", "todo", { assignee_id: "them" });
  const nobody = task("n", "todo");

  it("filters by assignee (mine, unassigned, a person) and priority", () => {
    expect(matchesFilters(mine, { assignee: "mine" }, "me")).toBe(true);
    expect(matchesFilters(theirs, { assignee: "mine" }, "me")).toBe(false);
    expect(matchesFilters(nobody, { assignee: "none" }, "me")).toBe(true);
    expect(matchesFilters(theirs, { assignee: "them" }, "me")).toBe(true);
    expect(matchesFilters(mine, { priority: "high" }, "me")).toBe(true);
    expect(matchesFilters(theirs, { priority: "high" }, "me")).toBe(false);
    expect(matchesFilters(theirs, {}, "me")).toBe(true);
  });

  it("arranges only the visible cards and finds their column", () => {
    const arrangement = arrangementOf(columnsOf([mine, theirs, nobody]), (t) => t.assignee_id === "me");
    expect(arrangement.todo).toEqual(["m"]);
    expect(containerOf(arrangement, "m")).toBe("todo");
    expect(containerOf(arrangement, "review")).toBe("review");
    expect(containerOf(arrangement, "t")).toBeUndefined();
  });

  it("counts a dependency as open until it is done", () => {
    const blocked = task("x", "todo", { depends_on: ["a", "d"] });
    const byId = new Map([
      ["a", { status: "done" as const }],
      ["d", { status: "review" as const }],
    ]);
    expect(openDependencies(blocked, byId)).toEqual(["d"]);
  });
});
