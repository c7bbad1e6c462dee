import type { Active, Over } from "@dnd-kit/core";
import { describe, expect, it } from "vitest";
import { describeTaskDrag } from "./announcements.ts";
import type { Arrangement } from "./board-state.ts";

const resting: Arrangement = { todo: ["a", "b"], in_progress: ["c"], review: [], done: [] };
const titles: Record<string, string> = { a: "Alpha", b: "Beta", c: "Gamma" };
const active = (id: string) => ({ id }) as unknown as Active;
const over = (id: string) => ({ id }) as unknown as Over;

function setup() {
  const live = { current: { arrangement: null as Arrangement | null, lastPlace: undefined as string | undefined } };
  const say = describeTaskDrag(
    live,
    () => resting,
    (id) => titles[id] ?? "?",
  );
  return { live, say };
}

describe("describeTaskDrag", () => {
  it("names the task, its column and its place when it is picked up", () => {
    const { say } = setup();
    expect(say.onDragStart!({ active: active("b") })).toBe("Picked up Beta. To do, position 2 of 2.");
  });

  it("reads the arrangement the drag handler has just written, and says a place only once", () => {
    const { live, say } = setup();
    say.onDragStart!({ active: active("a") });
    expect(say.onDragOver!({ active: active("a"), over: over("a") })).toBeUndefined();
    // The board's handler has carried the card into In progress, above Gamma.
    live.current.arrangement = { todo: ["b"], in_progress: ["a", "c"], review: [], done: [] };
    expect(say.onDragOver!({ active: active("a"), over: over("a") })).toBe("Alpha: In progress, position 1 of 2.");
    expect(say.onDragOver!({ active: active("a"), over: over("c") })).toBe("Alpha: In progress, position 2 of 2.");
    expect(say.onDragEnd!({ active: active("a"), over: over("c") })).toBe(
      "Alpha dropped in In progress, position 2 of 2.",
    );
  });

  it("tells when the card is over nothing, dropped nowhere or the drag is cancelled", () => {
    const { say } = setup();
    expect(say.onDragOver!({ active: active("a"), over: null })).toBe("Alpha is not over a column.");
    expect(say.onDragEnd!({ active: active("a"), over: null })).toBe("Alpha was dropped where it was.");
    expect(say.onDragCancel!({ active: active("a"), over: null })).toBe(
      "Moving Alpha was cancelled. It is back where it was.",
    );
  });
});
