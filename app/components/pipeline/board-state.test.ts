import { describe, expect, it } from "vitest";
import { containerOf } from "#app/components/board/arrangement.ts";
import {
  applyMoves,
  columnTotals,
  arrangementOf,
  positionAt,
  positionBetween,
  type BoardColumn,
  type BoardDeal,
} from "./board-state.ts";

function deal(id: string, stage: string, position: number, extra: Partial<BoardDeal> = {}): BoardDeal {
  return {
    id,
    title: id,
    client_id: "c",
    client_name: "Client",
    stage_id: stage,
    value_cents: 10_000,
    currency: "EUR",
    probability: 10,
    weighted_cents: 1_000,
    expected_close_date: null,
    assigned_to: null,
    assigned_name: null,
    position,
    lost_reason: null,
    ...extra,
  };
}

function column(id: string, probability: number, deals: BoardDeal[]): BoardColumn {
  return {
    id,
    key: id,
    name: id,
    kind: id === "won" ? "won" : "open",
    default_probability: probability,
    deal_count: deals.length,
    value_cents: deals.reduce((s, d) => s + d.value_cents, 0),
    weighted_cents: deals.reduce((s, d) => s + d.weighted_cents, 0),
    other_currencies: [],
    deals,
  };
}

describe("positions between neighbours", () => {
  it("takes the midpoint, one past the end, one before the start, or 1 in an empty column", () => {
    expect(positionBetween(1, 2)).toBe(1.5);
    expect(positionBetween(3, undefined)).toBe(4);
    expect(positionBetween(undefined, 3)).toBe(2);
    expect(positionBetween(undefined, undefined)).toBe(1);
  });

  it("reads the neighbours of the dropped card from the new order", () => {
    const positions: Record<string, number> = { a: 1, b: 2, c: 3 };
    expect(positionAt(["a", "x", "b", "c"], 1, (id) => positions[id]!)).toBe(1.5);
    expect(positionAt(["x", "a"], 0, (id) => positions[id]!)).toBe(0);
    expect(positionAt(["a", "b", "c", "x"], 3, (id) => positions[id]!)).toBe(4);
  });
});

describe("optimistic moves", () => {
  const board = [
    column("lead", 10, [deal("a", "lead", 1), deal("b", "lead", 2)]),
    column("proposal", 40, [deal("c", "proposal", 1, { probability: 40, weighted_cents: 4_000 })]),
  ];

  it("moves a card across columns with the new stage's probability, in position order", () => {
    const { columns, touched } = applyMoves(board, [{ dealId: "a", stageId: "proposal", position: 0.5 }]);
    expect(columns[0]!.deals.map((d) => d.id)).toEqual(["b"]);
    expect(columns[1]!.deals.map((d) => d.id)).toEqual(["a", "c"]);
    expect(columns[1]!.deals[0]).toMatchObject({ probability: 40, weighted_cents: 4_000, stage_id: "proposal" });
    expect([...touched].sort()).toEqual(["lead", "proposal"]);
    expect(board[0]!.deals).toHaveLength(2);
  });

  it("keeps the probability when a card only changes place in its column", () => {
    const { columns, touched } = applyMoves(board, [{ dealId: "b", stageId: "lead", position: 0 }]);
    expect(columns[0]!.deals.map((d) => d.id)).toEqual(["b", "a"]);
    expect(columns[0]!.deals[0]!.probability).toBe(10);
    expect(touched.size).toBe(0);
  });

  it("maps cards to their column for the drag", () => {
    const arrangement = arrangementOf(board);
    expect(containerOf(arrangement, "c")).toBe("proposal");
    expect(containerOf(arrangement, "lead")).toBe("lead");
    expect(containerOf(arrangement, "nope")).toBeUndefined();
  });
});

describe("column totals", () => {
  it("uses the view's numbers for an untouched single-currency column", () => {
    const col = { ...column("lead", 10, [deal("a", "lead", 1)]), value_cents: 999, weighted_cents: 99 };
    expect(columnTotals(col, "EUR", false)).toEqual({
      count: 1,
      value_cents: 999,
      weighted_cents: 99,
      otherCurrencies: [],
    });
  });

  it("shows the database's agency-currency totals and other currencies while nothing is in flight", () => {
    const col = {
      ...column("lead", 10, [deal("a", "lead", 1)]),
      value_cents: 10_000,
      weighted_cents: 1_000,
      other_currencies: ["USD"],
    };
    expect(columnTotals(col, "EUR", false)).toEqual({
      count: 1,
      value_cents: 10_000,
      weighted_cents: 1_000,
      otherCurrencies: ["USD"],
    });
  });

  it("during a move, sums only agency-currency cards and names the others", () => {
    const col = column("lead", 10, [
      deal("a", "lead", 1),
      deal("b", "lead", 2, { currency: "USD", value_cents: 50_000, weighted_cents: 5_000 }),
    ]);
    expect(columnTotals(col, "EUR", true)).toEqual({
      count: 2,
      value_cents: 10_000,
      weighted_cents: 1_000,
      otherCurrencies: ["USD"],
    });
  });
});
