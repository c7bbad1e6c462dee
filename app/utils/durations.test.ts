import { describe, expect, it } from "vitest";
import { decimalHours, formatDuration, formatElapsed, parseDuration } from "./durations.ts";

describe("parseDuration", () => {
  it.each([
    ["1:30", 5400],
    ["0:05", 300],
    ["1.5", 5400],
    ["1,25", 4500],
    ["2", 7200],
    ["1h 30m", 5400],
    ["1h", 3600],
    ["90m", 5400],
    ["45 min", 2700],
    ["2 hours", 7200],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["", "abc", "1:75", "-1", "1h 30x"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe("formatting", () => {
  it("shows hours and minutes, decimal hours and elapsed time", () => {
    expect(formatDuration(3900)).toBe("1:05");
    expect(formatDuration(29)).toBe("0:00");
    expect(decimalHours(3900)).toBe("1.08");
    expect(formatElapsed(3723)).toBe("01:02:03");
  });
});
