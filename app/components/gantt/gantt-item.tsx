import { useNavigate } from "@remix-run/react";
import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import { cn } from "#app/components/ui/cn.ts";
import { milestoneClass, taskBarClass } from "./colors.ts";
import { formatDay, formatRange } from "./dates.ts";
import type { Row } from "./rows.ts";
import { ROW_HEIGHT, dayX, dragSpan, pixelsToDays, type DragMode, type Span, type Timeline } from "./timeline.ts";
import { milestoneStatusLabel, taskStatusLabel } from "./types.ts";

const BAR_HEIGHT = 24;
const DIAMOND = 16;
/** Narrower bars carry their title beside them, and have no resize edges (move only). */
const LABEL_INSIDE_MIN = 88;
const HANDLES_MIN = 20;

export interface ItemHandlers {
  onPreview: (id: string, span: Span | null) => void;
  onDrop: (row: Row, mode: DragMode, span: Span) => void;
  onStep: (row: Row, mode: DragMode, delta: number) => void;
  onEscape: (row: Row) => void;
}

/**
 * A task's bar or a milestone's diamond. A button, so it is focusable and Enter (or a click that
 * was not a drag) opens it. Managers drag it with a pointer — the middle moves it, the edges
 * resize it — snapping to days, or step it with the arrow keys (Shift: the due date).
 */
export function GanttItem({
  row,
  index,
  timeline,
  editable,
  dragging,
  href,
  late,
  describedBy,
  handlers,
}: {
  row: Row;
  index: number;
  timeline: Timeline;
  editable: boolean;
  /** This item is being dragged: show its dates beside it. */
  dragging: boolean;
  href: string;
  /** Titles of prerequisites that end after this task starts. */
  late: string[];
  describedBy: string;
  handlers: ItemHandlers;
}) {
  const navigate = useNavigate();
  const drag = useRef<{ mode: DragMode; base: Span; originX: number; delta: number; moved: boolean } | null>(null);
  const wasDrag = useRef(false);
  const { span } = row;
  const milestone = row.kind === "milestone";
  const left = dayX(timeline, span.start);
  const width = (span.end - span.start + 1) * timeline.dayWidth;
  const top = index * ROW_HEIGHT;
  const range = formatRange(span.start, span.end);
  const labelInside = !milestone && width >= LABEL_INSIDE_MIN && !dragging;

  function onPointerDown(event: PointerEvent<HTMLButtonElement>) {
    if (!editable || event.button !== 0 || !event.isPrimary) return;
    const handle = (event.target as Element).closest("[data-handle]")?.getAttribute("data-handle");
    const mode: DragMode = handle === "start" || handle === "end" ? handle : "move";
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { mode, base: span, originX: event.clientX, delta: 0, moved: false };
    wasDrag.current = false;
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>) {
    const current = drag.current;
    if (!current) return;
    const dx = event.clientX - current.originX;
    if (Math.abs(dx) > 3) current.moved = true;
    const delta = pixelsToDays(dx, timeline.dayWidth);
    if (delta === current.delta) return;
    current.delta = delta;
    handlers.onPreview(row.id, dragSpan(current.base, current.mode, delta));
  }

  function onPointerUp() {
    const current = drag.current;
    drag.current = null;
    if (!current) return;
    wasDrag.current = current.moved;
    const next = dragSpan(current.base, current.mode, current.delta);
    if (next.start === current.base.start && next.end === current.base.end) handlers.onPreview(row.id, null);
    else handlers.onDrop(row, current.mode, next);
  }

  function onPointerCancel() {
    if (!drag.current) return;
    drag.current = null;
    handlers.onPreview(row.id, null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "Escape") {
      if (drag.current) onPointerCancel();
      handlers.onEscape(row);
      return;
    }
    if (!editable || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const delta = event.key === "ArrowLeft" ? -1 : 1;
    handlers.onStep(row, event.shiftKey && !milestone ? "end" : "move", delta);
  }

  const label = milestone
    ? `Milestone ${row.title}, due ${formatDay(span.start)}, ${milestoneStatusLabel[row.milestone.status]}.`
    : `${row.title}, ${range}, ${taskStatusLabel[row.task.status]}.` +
      (late.length > 0 ? ` Starts before ${late.join(", ")} ends.` : "");

  const itemBox = milestone
    ? { left: left + timeline.dayWidth / 2 - DIAMOND / 2, top: top + (ROW_HEIGHT - DIAMOND) / 2, width: DIAMOND }
    : { left, top: top + (ROW_HEIGHT - BAR_HEIGHT) / 2, width };
  const outsideLeft = itemBox.left + itemBox.width + 6;

  return (
    <>
      <button
        type="button"
        data-gantt-id={row.id}
        aria-label={label}
        aria-describedby={describedBy}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onKeyDown={onKeyDown}
        onClick={() => {
          if (wasDrag.current) wasDrag.current = false;
          else navigate(href);
        }}
        style={{ ...itemBox, height: milestone ? DIAMOND : BAR_HEIGHT, touchAction: editable ? "none" : undefined }}
        className={cn(
          "absolute z-10 select-none border text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2",
          milestone
            ? cn("rotate-45 rounded-[3px] shadow-sm", milestoneClass[row.milestone.status])
            : cn("flex items-center rounded-md shadow-sm", taskBarClass[row.task.status]),
          !milestone && late.length > 0 && "border-2 border-dashed border-red-600",
          editable ? "cursor-grab active:cursor-grabbing" : "cursor-pointer",
          dragging && "opacity-90 shadow-md ring-2 ring-brand/50",
        )}
      >
        {labelInside ? <span className="truncate px-2 text-xs font-medium">{row.title}</span> : null}
        {editable && !milestone && width >= HANDLES_MIN ? (
          <>
            <span
              data-handle="start"
              aria-hidden="true"
              className="absolute inset-y-0 left-0 w-1.5 cursor-ew-resize rounded-l-md hover:bg-black/20"
            />
            <span
              data-handle="end"
              aria-hidden="true"
              className="absolute inset-y-0 right-0 w-1.5 cursor-ew-resize rounded-r-md hover:bg-black/20"
            />
          </>
        ) : null}
      </button>
      {!labelInside ? (
        <span
          aria-hidden="true"
          className={cn(
            "pointer-events-none absolute z-10 whitespace-nowrap text-xs",
            dragging ? "rounded bg-white/90 px-1 font-semibold text-brand" : "text-zinc-700",
          )}
          style={{ left: outsideLeft, top: top + (ROW_HEIGHT - 16) / 2, lineHeight: "16px" }}
        >
          {dragging ? range : row.title}
        </span>
      ) : null}
    </>
  );
}
