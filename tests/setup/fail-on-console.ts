import { afterEach, beforeEach, vi } from "vitest";

/**
 * A test fails when code logs console.error it did not expect: errors that only show up in logs
 * are bugs too. A test that provokes one on purpose calls expectConsoleError() first.
 */
let expected = 0;
let unexpected: unknown[][] = [];

beforeEach(() => {
  expected = 0;
  unexpected = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (expected > 0) expected -= 1;
    else unexpected.push(args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (unexpected.length > 0) {
    const shown = unexpected
      .map((args) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "))
      .join("\n");
    throw new Error(`console.error was called during the test:\n${shown}`);
  }
});

export function expectConsoleError(times = 1): void {
  expected += times;
}
