import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatRange,
  fromDay,
  isIsoDate,
  startOfMonth,
  startOfNextMonth,
  startOfWeek,
  toDay,
  todayIn,
  weekdayOf,
} from "./dates.ts";

describe("calendar days", () => {
  it("round-trips dates through day numbers, across leap days and year ends", () => {
    for (const iso of ["1970-01-01", "2024-02-29", "2026-03-29", "2026-12-31", "2027-01-01"]) {
      expect(fromDay(toDay(iso))).toBe(iso);
    }
    expect(toDay("1970-01-02")).toBe(1);
    expect(toDay("2024-03-01") - toDay("2024-02-28")).toBe(2);
    // A daylight-saving weekend is still two days apart, whatever the machine's zone.
    expect(toDay("2026-03-30") - toDay("2026-03-28")).toBe(2);
  });

  it("reads timestamps by their date part", () => {
    expect(toDay("2026-03-05T22:00:00Z")).toBe(toDay("2026-03-05"));
  });

  it("refuses shapes that are not dates", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-2-3")).toBe(false);
    expect(isIsoDate("")).toBe(false);
    expect(() => toDay("soon")).toThrow();
  });

  it("knows weekdays, week starts (Monday) and month starts", () => {
    expect(weekdayOf(toDay("2026-03-02"))).toBe(0); // a Monday
    expect(weekdayOf(toDay("2026-03-08"))).toBe(6); // a Sunday
    expect(weekdayOf(toDay("1969-12-29"))).toBe(0); // before day 0 too
    expect(fromDay(startOfWeek(toDay("2026-03-08")))).toBe("2026-03-02");
    expect(fromDay(startOfWeek(toDay("2026-03-02")))).toBe("2026-03-02");
    expect(fromDay(startOfMonth(toDay("2026-03-31")))).toBe("2026-03-01");
    expect(fromDay(startOfNextMonth(toDay("2026-12-15")))).toBe("2027-01-01");
  });

  it("takes today in the viewer's zone, and UTC for a zone it does not know", () => {
    const lateEvening = new Date("2026-03-05T23:30:00Z");
    expect(todayIn("UTC", lateEvening)).toBe("2026-03-05");
    expect(todayIn("Europe/Berlin", lateEvening)).toBe("2026-03-06");
    expect(todayIn("America/New_York", lateEvening)).toBe("2026-03-05");
    expect(todayIn("Mars/Olympus_Mons", lateEvening)).toBe("2026-03-05");
  });

  it("formats ranges naming the year once and durations counting both ends", () => {
    expect(formatRange(toDay("2026-03-05"), toDay("2026-03-05"))).toBe("5 Mar 2026");
    expect(formatRange(toDay("2026-03-05"), toDay("2026-03-09"))).toBe("5 Mar – 9 Mar 2026");
    expect(formatRange(toDay("2026-12-30"), toDay("2027-01-02"))).toBe("30 Dec 2026 – 2 Jan 2027");
    expect(formatDuration(1)).toBe("1 day");
    expect(formatDuration(5)).toBe("5 days");
  });
});
