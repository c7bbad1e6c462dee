import { describe, expect, it } from "vitest";
import { addDays, localToday, mondayOf } from "./calendar-dates.ts";

describe("calendar dates", () => {
  it("adds days across months, years and a DST change without drifting", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("finds the ISO Monday of any day, Sunday belonging to the week before", () => {
    expect(mondayOf("2026-11-26")).toBe("2026-11-23");
    expect(mondayOf("2026-11-23")).toBe("2026-11-23");
    expect(mondayOf("2026-11-29")).toBe("2026-11-23");
    expect(mondayOf("2027-01-01")).toBe("2026-12-28");
  });

  it("answers today in the given zone", () => {
    const instant = new Date("2026-11-26T03:30:00Z");
    expect(localToday("UTC", instant)).toBe("2026-11-26");
    expect(localToday("America/Los_Angeles", instant)).toBe("2026-11-25");
    expect(localToday("Pacific/Auckland", instant)).toBe("2026-11-26");
  });
});
