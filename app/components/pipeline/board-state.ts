/**
 * The board's arithmetic, kept pure so it can be tested without a browser: where a dropped card
 * goes (a position between its new neighbours), what the board looks like while moves are still
 * in flight (optimistic UI), and which totals a column shows.
 */
import type { Arrangement } from "#app/components/board/arrangement.ts";
import type { DealCard } from "#app/models/pipeline.server.ts";
import type { StageKind } from "#db/schema.ts";

export type { StageKind };

/** A card as the board holds it: the model's DealCard (type only; no server code reaches the browser). */
export type BoardDeal = Omit<DealCard, "closed_at">;

export interface BoardColumn {
  id: string;
  key: string;
  name: string;
  kind: StageKind;
  default_probability: number;
  /** Totals from the pipeline_forecast view: all deals counted, money in the agency currency only. */
  deal_count: number;
  value_cents: number;
  weighted_cents: number;
  /** Currencies of deals in the column other than the agency's (not in the money totals). */
  other_currencies: string[];
  deals: BoardDeal[];
}

export interface PendingMove {
  dealId: string;
  stageId: string;
  position: number;
}

/**
 * Deals are ordered by a floating-point position, so a move writes one row: the midpoint of the
 * neighbours, or one past the end. Ties (equal neighbours) still sort, by creation time.
 */
export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before !== undefined && after !== undefined) return (before + after) / 2;
  if (before !== undefined) return before + 1;
  if (after !== undefined) return after - 1;
  return 1;
}

/** The position for a card placed at `index` of `orderedIds` (which already contains it). */
export function positionAt(orderedIds: string[], index: number, positionOf: (id: string) => number): number {
  const before = index > 0 ? positionOf(orderedIds[index - 1]!) : undefined;
  const after = index < orderedIds.length - 1 ? positionOf(orderedIds[index + 1]!) : undefined;
  return positionBetween(before, after);
}

/** Where a new card goes when someone picks a column without choosing a place: the end. */
export function endPosition(column: BoardColumn): number {
  const last = column.deals.at(-1);
  return last ? last.position + 1 : 1;
}

/** Matches private.weighted_cents: rounded per deal, half away from zero (values are never negative). */
export function weightedCents(valueCents: number, probability: number): number {
  return Math.round((valueCents * probability) / 100);
}

/**
 * The board as it will be once the pending moves land. A card that changes column takes the new
 * stage's default probability, as the database trigger does; within a column it keeps its own.
 * Returns the ids of the columns whose totals the moves changed.
 */
export function applyMoves(
  columns: BoardColumn[],
  moves: PendingMove[],
): { columns: BoardColumn[]; touched: Set<string> } {
  const touched = new Set<string>();
  if (moves.length === 0) return { columns, touched };
  const next = columns.map((column) => ({ ...column, deals: [...column.deals] }));
  for (const move of moves) {
    const from = next.find((column) => column.deals.some((deal) => deal.id === move.dealId));
    const to = next.find((column) => column.id === move.stageId);
    if (!from || !to) continue;
    const deal = from.deals.find((d) => d.id === move.dealId)!;
    from.deals = from.deals.filter((d) => d.id !== move.dealId);
    const probability = from.id === to.id ? deal.probability : to.default_probability;
    to.deals.push({
      ...deal,
      stage_id: to.id,
      position: move.position,
      probability,
      weighted_cents: weightedCents(deal.value_cents, probability),
    });
    to.deals.sort((a, b) => a.position - b.position);
    if (from.id !== to.id) touched.add(from.id).add(to.id);
  }
  return { columns: next, touched };
}

export interface ColumnTotals {
  count: number;
  value_cents: number;
  weighted_cents: number;
  /** Currencies of deals left out of the money totals, which are in the agency currency. */
  otherCurrencies: string[];
}

/**
 * The database's totals (money in the agency currency, other currencies named) while nothing is
 * in flight; during an optimistic move, the same sums over the cards as they will be, until the
 * board reloads from the database.
 */
export function columnTotals(column: BoardColumn, agencyCurrency: string, touched: boolean): ColumnTotals {
  if (!touched) {
    return {
      count: column.deal_count,
      value_cents: column.value_cents,
      weighted_cents: column.weighted_cents,
      otherCurrencies: column.other_currencies,
    };
  }
  const own = column.deals.filter((d) => d.currency === agencyCurrency);
  return {
    count: column.deals.length,
    value_cents: own.reduce((sum, d) => sum + d.value_cents, 0),
    weighted_cents: own.reduce((sum, d) => sum + d.weighted_cents, 0),
    otherCurrencies: [...new Set(column.deals.map((d) => d.currency).filter((c) => c !== agencyCurrency))].sort(),
  };
}

/** Stage ids → ordered deal ids: the shape a drag rearranges. */
export function arrangementOf(columns: BoardColumn[]): Arrangement {
  return Object.fromEntries(columns.map((column) => [column.id, column.deals.map((deal) => deal.id)]));
}
