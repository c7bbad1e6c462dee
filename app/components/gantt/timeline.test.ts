import { describe, expect, it } from "vitest";
import { fromDay, toDay, weekdayOf } from "./dates.ts";
import {
  arrowPath,
  buildTimeline,
  datesAfter,
  dayX,
  dependencyViolated,
  dragSpan,
  headerTicks,
  pixelsToDays,
  spanOf,
} from "./timeline.ts";

const d = toDay;

describe("spanOf", () => {
  it("runs a bar from the start to the due date, both days included", () => {
    expect(spanOf({ start_date: "2026-03-02", due_date: "2026-03-06" })).toEqual({
      start: d("2026-03-02"),
      end: d("2026-03-06"),
    });
  });

  it("shows a task with only one date as a one-day bar", () => {
    expect(spanOf({ start_date: null, due_date: "2026-03-06" })).toEqual({
      start: d("2026-03-06"),
      end: d("2026-03-06"),
    });
    expect(spanOf({ start_date: "2026-03-02", due_date: null })).toEqual({
      start: d("2026-03-02"),
      end: d("2026-03-02"),
    });
  });

  it("has no bar for a task without dates", () => {
    expect(spanOf({ start_date: null, due_date: null })).toBeNull();
  });
});

describe("buildTimeline", () => {
  const today = d("2026-03-04");

  it("pads the week zoom by a week either side, in whole weeks from a Monday", () => {
    const timeline = buildTimeline([d("2026-03-10"), d("2026-05-20")], today, "week");
    expect(weekdayOf(timeline.start)).toBe(0);
    expect(weekdayOf(timeline.end)).toBe(6);
    expect(timeline.start).toBeLessThanOrEqual(today - 7);
    expect(timeline.end).toBeGreaterThanOrEqual(d("2026-05-27"));
    expect(timeline.width).toBe((timeline.end - timeline.start + 1) * 28);
  });

  it("includes today even when the work is all in the future", () => {
    const timeline = buildTimeline([d("2026-06-01")], today, "week");
    expect(timeline.start).toBeLessThanOrEqual(today);
    expect(timeline.end).toBeGreaterThanOrEqual(d("2026-06-01"));
  });

  it("never shows fewer than eight weeks or six months", () => {
    const weeks = buildTimeline([], today, "week");
    expect(weeks.end - weeks.start + 1).toBe(56);
    const months = buildTimeline([], today, "month");
    expect(months.end - months.start + 1).toBeGreaterThanOrEqual(180);
  });

  it("pads the month zoom by a whole month either side", () => {
    const timeline = buildTimeline([d("2026-03-10"), d("2026-09-20")], today, "month");
    expect(fromDay(timeline.start)).toBe("2026-02-01");
    expect(fromDay(timeline.end)).toBe("2026-10-31");
    expect(timeline.dayWidth).toBe(8);
  });
});

describe("headerTicks", () => {
  it("puts days under months, shades weekends and draws a line each Monday (week zoom)", () => {
    const timeline = buildTimeline([d("2026-03-20")], d("2026-03-04"), "week");
    const { top, bottom, lines } = headerTicks(timeline);
    expect(bottom).toHaveLength(timeline.end - timeline.start + 1);
    expect(bottom[0]).toMatchObject({ x: 0, width: 28, weekend: false });
    expect(bottom.filter((tick) => tick.weekend)).toHaveLength(((timeline.end - timeline.start + 1) / 7) * 2);
    expect(lines[0]).toBe(0);
    expect(lines[1]).toBe(7 * 28);
    const march = top.find((tick) => tick.key === "2026-03-01")!;
    expect(march).toMatchObject({ label: "March 2026", x: dayX(timeline, d("2026-03-01")), width: 31 * 28 });
    // The first month is cut at the chart's start.
    expect(top[0]!.x).toBe(0);
    expect(top.reduce((sum, tick) => sum + tick.width, 0)).toBe(timeline.width);
  });

  it("puts months under years (month zoom)", () => {
    const timeline = buildTimeline([d("2026-12-20")], d("2026-10-04"), "month");
    const { top, bottom, lines } = headerTicks(timeline);
    expect(bottom.map((tick) => tick.label)).toEqual(["Sep", "Oct", "Nov", "Dec", "Jan", "Feb"]);
    expect(top.map((tick) => tick.label)).toEqual(["2026", "2027"]);
    expect(top[0]!.width).toBe((30 + 31 + 30 + 31) * 8);
    expect(lines).toEqual(bottom.map((tick) => tick.x));
  });
});

describe("dragging", () => {
  const span = { start: d("2026-03-02"), end: d("2026-03-06") };

  it("snaps a pointer movement to whole days", () => {
    expect(pixelsToDays(13, 28)).toBe(0);
    expect(pixelsToDays(15, 28)).toBe(1);
    expect(pixelsToDays(-85, 28)).toBe(-3);
    expect(Object.is(pixelsToDays(-1, 28), 0)).toBe(true);
  });

  it("moves both ends, or one edge", () => {
    expect(dragSpan(span, "move", 3)).toEqual({ start: span.start + 3, end: span.end + 3 });
    expect(dragSpan(span, "start", -2)).toEqual({ start: span.start - 2, end: span.end });
    expect(dragSpan(span, "end", 4)).toEqual({ start: span.start, end: span.end + 4 });
  });

  it("stops an edge at the other one: a bar is at least a day long", () => {
    expect(dragSpan(span, "start", 10)).toEqual({ start: span.end, end: span.end });
    expect(dragSpan(span, "end", -10)).toEqual({ start: span.start, end: span.start });
  });

  it("keeps a one-date task a one-date task when it is moved", () => {
    const moved = dragSpan({ start: d("2026-03-06"), end: d("2026-03-06") }, "move", 2);
    expect(datesAfter({ start_date: null, due_date: "2026-03-06" }, "move", moved)).toEqual({
      start_date: null,
      due_date: "2026-03-08",
    });
    expect(datesAfter({ start_date: "2026-03-06", due_date: null }, "move", moved)).toEqual({
      start_date: "2026-03-08",
      due_date: null,
    });
  });

  it("gives a task both dates when an edge is dragged", () => {
    const stretched = dragSpan({ start: d("2026-03-06"), end: d("2026-03-06") }, "end", 2);
    expect(datesAfter({ start_date: null, due_date: "2026-03-06" }, "end", stretched)).toEqual({
      start_date: "2026-03-06",
      due_date: "2026-03-08",
    });
  });
});

describe("dependencies", () => {
  const design = { start: d("2026-03-02"), end: d("2026-03-06") };

  it("lets the dependent start the day after the prerequisite ends, not sooner", () => {
    expect(dependencyViolated(design, { start: d("2026-03-07"), end: d("2026-03-10") })).toBe(false);
    expect(dependencyViolated(design, { start: d("2026-03-06"), end: d("2026-03-10") })).toBe(true);
    expect(dependencyViolated(design, { start: d("2026-03-01"), end: d("2026-03-10") })).toBe(true);
  });

  it("draws a plain elbow when there is room, and a detour that ends pointing right when not", () => {
    expect(arrowPath(100, 20, 200, 100)).toBe("M 100 20 H 108 V 100 H 200");
    expect(arrowPath(100, 20, 60, 100)).toBe("M 100 20 H 108 V 80 H 52 V 100 H 60");
    expect(arrowPath(100, 100, 60, 20)).toBe("M 100 100 H 108 V 40 H 52 V 20 H 60");
  });
});
