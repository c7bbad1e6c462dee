import type { Announcements } from "@dnd-kit/core";
import { dropOrder } from "#app/components/board/arrangement.ts";
import type { Arrangement } from "./board-state.ts";
import { statusLabel } from "./labels.ts";

export const screenReaderInstructions = {
  draggable:
    "To move a task, press Space or Enter on its drag handle. The up and down arrow keys change its place in the " +
    "column and the left and right arrow keys change its column. Press Space or Enter again to drop it, or Escape " +
    "to cancel.",
};

/**
 * What a screen reader hears at each step: the task, its column and the place it would take
 * there ("position 2 of 4"). dnd-kit builds the message in the same tick as the board's own
 * drag handler, so it reads the arrangement from the board's ref, which that handler has already
 * updated (and keeps after the drop, for the last message), not from the last render.
 */
export function describeTaskDrag(
  /** The board's drag ref: the arrangement as of the latest event, and the last place heard. */
  live: { current: { arrangement: Arrangement | null; lastPlace: string | undefined } },
  /** The arrangement before any drag. */
  resting: () => Arrangement,
  titleOf: (id: string) => string,
): Announcements {
  const current = () => live.current.arrangement ?? resting();
  const place = (activeId: string, overId: string) => {
    const order = dropOrder(current(), activeId, overId);
    if (!order) return "outside the columns";
    const index = order.ids.indexOf(activeId);
    return `${statusLabel[order.column]}, position ${index + 1} of ${order.ids.length}`;
  };
  return {
    onDragStart: ({ active }) => {
      const id = String(active.id);
      live.current.lastPlace = place(id, id);
      return `Picked up ${titleOf(id)}. ${live.current.lastPlace}.`;
    },
    // Only a change of place is news (the card is over itself right after pick-up, for one).
    onDragOver: ({ active, over }) => {
      if (!over) return `${titleOf(String(active.id))} is not over a column.`;
      const next = place(String(active.id), String(over.id));
      if (next === live.current.lastPlace) return undefined;
      live.current.lastPlace = next;
      return `${titleOf(String(active.id))}: ${next}.`;
    },
    onDragEnd: ({ active, over }) =>
      over
        ? `${titleOf(String(active.id))} dropped in ${place(String(active.id), String(over.id))}.`
        : `${titleOf(String(active.id))} was dropped where it was.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(String(active.id))} was cancelled. It is back where it was.`,
  };
}
