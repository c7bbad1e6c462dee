import type { Announcements } from "@dnd-kit/core";
import { containerOf, type Arrangement } from "#app/components/board/arrangement.ts";
import type { BoardColumn, BoardDeal } from "./board-state.ts";

export const screenReaderInstructions = {
  draggable:
    "To move a deal, press Space or Enter on its drag handle. Use the up and down arrow keys to change its place " +
    "and the left and right arrow keys to change its stage. Press Space or Enter again to drop it, or Escape to cancel.",
};

/**
 * What a screen reader hears at each step: the deal, the stage, and the card it is next to.
 * Neighbours rather than numbers: within a column the final order is only known at the drop.
 */
export function describeDrag(
  arrangement: Arrangement,
  dealsById: Map<string, BoardDeal>,
  columnById: Map<string, BoardColumn>,
): Announcements {
  const title = (id: string | number) => dealsById.get(String(id))?.title ?? "The deal";
  const stageOf = (id: string | number) => {
    const stageId = containerOf(arrangement, String(id));
    return stageId ? columnById.get(stageId) : undefined;
  };
  const over = (activeId: string | number, overId: string | number) => {
    const column = stageOf(overId);
    if (!column) return "outside the stages";
    if (String(overId) === column.id || String(overId) === String(activeId)) return `the ${column.name} stage`;
    return `${title(overId)} in ${column.name}`;
  };
  return {
    onDragStart: ({ active }) => `Picked up ${title(active.id)} in ${stageOf(active.id)?.name ?? "its stage"}.`,
    // Over itself (right after pick-up) says nothing, so "Picked up …" is what is heard.
    onDragOver: ({ active, over: target }) =>
      !target
        ? `${title(active.id)} is not over a stage.`
        : target.id === active.id
          ? undefined
          : `${title(active.id)} is over ${over(active.id, target.id)}.`,
    onDragEnd: ({ active, over: target }) => {
      if (!target) return `${title(active.id)} was dropped where it was.`;
      const column = stageOf(target.id);
      return column?.kind === "lost"
        ? `${title(active.id)} dropped on ${column.name}. Say why it was lost to confirm.`
        : `${title(active.id)} dropped in ${column?.name ?? "its stage"}.`;
    },
    onDragCancel: ({ active }) => `Moving ${title(active.id)} was cancelled. It is back where it was.`,
  };
}
