import {
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type DroppableContainer,
  type DroppableContainers,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import type { MouseEvent, TouchEvent } from "react";

/**
 * Pointer sensors that leave the card's own controls alone: pressing on the title link, the
 * "Move to" form or a button must click, type or select, never start a drag. Only the drag
 * handle and the card's plain surface pick the card up. (The keyboard sensor already starts from
 * the handle only, because the handle is the sortable's activator node.)
 */
function startsOnControl(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const control = target.closest("a, button, input, select, textarea, summary, label, details[open]");
  return Boolean(control && !control.hasAttribute("data-drag-handle"));
}

class CardMouseSensor extends MouseSensor {
  static override activators = [
    {
      eventName: "onMouseDown" as const,
      handler: ({ nativeEvent }: MouseEvent) => nativeEvent.button === 0 && !startsOnControl(nativeEvent.target),
    },
  ];
}

class CardTouchSensor extends TouchSensor {
  static override activators = [
    {
      eventName: "onTouchStart" as const,
      handler: ({ nativeEvent }: TouchEvent) =>
        nativeEvent.touches.length === 1 && !startsOnControl(nativeEvent.target),
    },
  ];
}

/**
 * Arrow keys with a board's meaning: up and down change the place within the column, left and
 * right change the column. dnd-kit's sortable coordinates consider every droppable in the
 * direction — including the card's own column, whose box starts a few pixels left of and above
 * its cards, so a press could land on "the same column" and seem to do nothing.
 */
const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const { context } = args;
  const ownColumn = context.active?.data.current?.sortable?.containerId as string | undefined;
  if (!ownColumn) return sortableKeyboardCoordinates(event, args);
  const vertical = event.code === "ArrowUp" || event.code === "ArrowDown";
  const inOwnColumn = (container: DroppableContainer) => container.data.current?.sortable?.containerId === ownColumn;
  const all = context.droppableContainers;
  // Only the two methods sortableKeyboardCoordinates calls.
  const droppableContainers = {
    getEnabled: () =>
      all.getEnabled().filter((c) => (vertical ? inOwnColumn(c) : c.id !== ownColumn && !inOwnColumn(c))),
    get: (id: UniqueIdentifier) => all.get(id),
  } as unknown as DroppableContainers;
  return sortableKeyboardCoordinates(event, { ...args, context: { ...context, droppableContainers } });
};

/** The sensors both boards use: pointers that leave the card's controls alone, and the keyboard. */
export function useBoardSensors() {
  return useSensors(
    useSensor(CardMouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(CardTouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    // Instant scrolling: when the next column is off-screen the sensor scrolls the board instead of
    // moving the card, and a smooth scroll would leave the card over the old column for a moment.
    useSensor(KeyboardSensor, { coordinateGetter: boardKeyboardCoordinates, scrollBehavior: "auto" }),
  );
}
