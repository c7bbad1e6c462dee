import { describe, expect, it } from "vitest";
import { containerOf, crossInto, dropOrder } from "./arrangement.ts";

const arrangement = { todo: ["a", "b", "c"], in_progress: ["d"], review: [], done: [] };

describe("containerOf", () => {
  it("finds a card's column, takes a column id as itself, and knows no stranger", () => {
    expect(containerOf(arrangement, "d")).toBe("in_progress");
    expect(containerOf(arrangement, "review")).toBe("review");
    expect(containerOf(arrangement, "zz")).toBeUndefined();
  });
});

describe("dropOrder", () => {
  it("places a card over another of its column at that card's place", () => {
    expect(dropOrder(arrangement, "a", "c")).toEqual({ column: "todo", ids: ["b", "c", "a"] });
    expect(dropOrder(arrangement, "c", "a")).toEqual({ column: "todo", ids: ["c", "a", "b"] });
    expect(dropOrder(arrangement, "b", "b")).toEqual({ column: "todo", ids: ["a", "b", "c"] });
    expect(dropOrder(arrangement, "b", "todo")).toEqual({ column: "todo", ids: ["a", "b", "c"] });
    expect(dropOrder(arrangement, "zz", "a")).toBeUndefined();
  });
});

describe("crossInto", () => {
  it("moves a card into another column above or below the card it is over, or to the end", () => {
    expect(crossInto(arrangement, "b", "d", false)).toMatchObject({ todo: ["a", "c"], in_progress: ["b", "d"] });
    expect(crossInto(arrangement, "b", "d", true)).toMatchObject({ in_progress: ["d", "b"] });
    expect(crossInto(arrangement, "b", "review", false)).toMatchObject({ todo: ["a", "c"], review: ["b"] });
  });

  it("answers the same object when the card stays in its column or is unknown", () => {
    expect(crossInto(arrangement, "b", "c", true)).toBe(arrangement);
    expect(crossInto(arrangement, "zz", "d", true)).toBe(arrangement);
  });
});
