import { describe, expect, it } from "vitest";
import { dayView, isLocked, timeRange, type DayEntry } from "./day.ts";
import { entryTimes, formFieldErrors } from "./forms.ts";
import { localDateTimeInput, zonedToInstant } from "./zoned.ts";

function entry(overrides: Partial<DayEntry>): DayEntry {
  return {
    id: crypto.randomUUID(),
    project_id: "p",
    project_name: "Website",
    client_name: null,
    task_id: null,
    task_title: null,
    description: "",
    is_billable: true,
    started_at: null,
    ended_at: null,
    entry_date: "2026-11-26",
    duration_seconds: 0,
    status: "draft",
    time_zone: "Europe/Berlin",
    split_group_id: null,
    invoice_id: null,
    ...overrides,
  };
}

describe("dayView", () => {
  it("orders timed entries, shows the gaps between them and lists durations after", () => {
    const late = entry({
      started_at: "2026-11-26T12:15:00Z",
      ended_at: "2026-11-26T13:00:00Z",
      duration_seconds: 2700,
    });
    const early = entry({
      started_at: "2026-11-26T08:00:00Z",
      ended_at: "2026-11-26T11:00:00Z",
      duration_seconds: 10800,
    });
    const manual = entry({ duration_seconds: 1800, is_billable: false });
    const view = dayView([late, manual, early]);
    expect(view.timed.map((r) => (r.kind === "gap" ? `gap ${r.seconds}` : r.entry.id))).toEqual([
      early.id,
      "gap 4500",
      late.id,
    ]);
    expect(view.durations).toEqual([manual]);
    expect(view.total).toBe(15300);
    expect(view.billable).toBe(13500);
  });

  it("marks the parts of an entry split at midnight", () => {
    const group = crypto.randomUUID();
    // Europe/Berlin: 22:00–24:00 on the 25th, 00:00–02:00 on the 26th.
    const head = entry({
      started_at: "2026-11-25T21:00:00Z",
      ended_at: "2026-11-25T23:00:00Z",
      entry_date: "2026-11-25",
      split_group_id: group,
      duration_seconds: 7200,
    });
    const tail = entry({ started_at: "2026-11-25T23:00:00Z", ended_at: "2026-11-26T01:00:00Z", split_group_id: group });
    const [headRow] = dayView([head]).timed;
    const [tailRow] = dayView([tail]).timed;
    expect(headRow).toMatchObject({ fromPreviousDay: false, intoNextDay: true });
    expect(tailRow).toMatchObject({ fromPreviousDay: true, intoNextDay: false });
    expect(timeRange(head)).toBe("22:00–24:00");
    expect(timeRange(tail)).toBe("00:00–02:00");
  });

  it("knows locked entries", () => {
    expect(isLocked(entry({ status: "submitted" }))).toBe(true);
    expect(isLocked(entry({ status: "rejected" }))).toBe(false);
    expect(isLocked(entry({ invoice_id: "i" }))).toBe(true);
  });
});

describe("wall-clock time", () => {
  it("reads a local time in a zone, across DST changes", () => {
    expect(zonedToInstant("2026-11-26T17:30", "Europe/Berlin")?.toISOString()).toBe("2026-11-26T16:30:00.000Z");
    // The gap moves forward; the repeated hour is its first occurrence.
    expect(zonedToInstant("2026-03-29T02:30", "Europe/Berlin")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedToInstant("2026-10-25T02:30", "Europe/Berlin")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(zonedToInstant("2026-03-08T02:30", "America/New_York")?.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(zonedToInstant("2026-02-30T10:00", "UTC")).toBeNull();
    expect(localDateTimeInput("2026-05-31T18:30:00Z", "Asia/Kolkata")).toBe("2026-06-01T00:00");
  });

  it("puts an end before the start on the next day", () => {
    const toInstant = (local: string) => zonedToInstant(local, "Europe/Berlin");
    expect(entryTimes({ date: "2026-11-25", start: "22:00", end: "02:00" }, toInstant)).toEqual({
      started_at: "2026-11-25T21:00:00.000Z",
      ended_at: "2026-11-26T01:00:00.000Z",
    });
  });

  it("names the database's columns as the form's fields", () => {
    expect(formFieldErrors({ duration_seconds: ["too long"], started_at: ["overlap"] }, true)).toEqual({
      end: ["too long"],
      start: ["overlap"],
    });
    expect(formFieldErrors({ duration_seconds: ["too long"], entry_date: ["future"] }, false)).toEqual({
      duration: ["too long"],
      date: ["future"],
    });
  });
});
