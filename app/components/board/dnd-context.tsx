import { DndContext, type DndContextProps } from "@dnd-kit/core";
import { boardCollisions } from "./collisions.ts";
import { useBoardSensors } from "./sensors.ts";

/** dnd-kit's context with what both boards drag with: their sensors and collision detection. */
export function BoardDndContext(props: Omit<DndContextProps, "sensors" | "collisionDetection">) {
  const sensors = useBoardSensors();
  return <DndContext {...props} sensors={sensors} collisionDetection={boardCollisions} />;
}
