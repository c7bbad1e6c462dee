import {
  closestCenter,
  closestCorners,
  pointerWithin,
  rectIntersection,
  type Active,
  type CollisionDetection,
  type Over,
} from "@dnd-kit/core";

/**
 * Which card or column a dragged card is over. The pointer decides when there is one (mouse,
 * touch); the keyboard has none, so the overlap of the dragged card's box decides. dnd-kit's
 * closestCorners alone goes wrong on a board: a long column makes every column as tall as the
 * board, so a card carried into an empty column is "closer" to the cards it left than to the
 * tall, empty list it sits in. Over a column's empty space, the nearest card of that column
 * counts, so the card lands among them. (A card's sortable container is its column's id; a card
 * id is no container, so a hit on a card stays as it is.)
 */
export const boardCollisions: CollisionDetection = (args) => {
  const pointer = pointerWithin(args);
  const hits = pointer.length > 0 ? pointer : rectIntersection(args);
  const first = hits[0]?.id;
  if (first === undefined) return closestCorners(args);
  const cards = args.droppableContainers.filter((c) => c.data.current?.sortable?.containerId === first);
  return cards.length > 0 ? closestCenter({ ...args, droppableContainers: cards }) : hits;
};

/** Whether the dragged card's top is past the middle of what it is over: it goes below that card. */
export function isBelow(active: Active, over: Over): boolean {
  const translated = active.rect.current.translated;
  return translated ? translated.top > over.rect.top + over.rect.height / 2 : false;
}
