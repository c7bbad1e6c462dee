import { closestCenter, closestCorners, pointerWithin, rectIntersection, type CollisionDetection } from "@dnd-kit/core";
import { isTaskStatus } from "./labels.ts";

/**
 * Which card or column a dragged card is over. The pointer decides when there is one (mouse,
 * touch); the keyboard has none, so the overlap of the dragged card's box decides. dnd-kit's
 * closestCorners alone goes wrong on a board: a long column makes every column as tall as the
 * board, so a card carried into an empty column is "closer" to the cards it left than to the
 * tall, empty list it sits in. Over a column's empty space, the nearest card of that column
 * counts, so the card lands among them.
 */
export const boardCollisions: CollisionDetection = (args) => {
  const pointer = pointerWithin(args);
  const hits = pointer.length > 0 ? pointer : rectIntersection(args);
  const first = hits[0]?.id;
  if (first === undefined) return closestCorners(args);
  if (isTaskStatus(first)) {
    const cards = args.droppableContainers.filter((c) => c.data.current?.sortable?.containerId === first);
    if (cards.length > 0) return closestCenter({ ...args, droppableContainers: cards });
  }
  return hits;
};
