import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Link } from "@remix-run/react";
import { GripVertical } from "lucide-react";
import { useEffect, useRef, type ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";
import type { BoardDeal, StageKind } from "./board-state.ts";
import { initials } from "../ui/card.tsx";
import { formatDate, formatWhole, isOverdue } from "./format.ts";

/**
 * A deal on the board. The card is a list item; the grip button is the drag handle for keyboards
 * (Space to pick up) and pointers, and it only renders once JavaScript runs — without it, the
 * card's "Move to" form (passed in as `footer`) does the same job.
 */
export function DealCardBody({
  deal,
  kind,
  handle,
  footer,
  className,
}: {
  deal: BoardDeal;
  kind: StageKind;
  handle?: ReactNode;
  footer?: ReactNode;
  className?: string;
}) {
  const overdue = kind === "open" && isOverdue(deal.expected_close_date);
  return (
    <article
      aria-label={deal.title}
      className={cn("rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-sm", className)}
    >
      <div className="flex items-start gap-1.5">
        {handle}
        <div className="min-w-0 flex-1">
          <h3 className="font-medium leading-snug text-zinc-900">
            <Link
              to={`/pipeline/deals/${deal.id}`}
              className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40"
            >
              {deal.title}
            </Link>
          </h3>
          <p className="truncate text-xs text-zinc-500">{deal.client_name}</p>
        </div>
        {deal.assigned_name ? (
          <span
            title={deal.assigned_name}
            className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-brand/15 text-[10px] font-semibold text-brand"
          >
            <span aria-hidden="true">{initials(deal.assigned_name)}</span>
            <span className="sr-only">Owner: {deal.assigned_name}</span>
          </span>
        ) : null}
      </div>
      <dl className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600">
        <div>
          <dt className="sr-only">Value</dt>
          <dd className="font-semibold text-zinc-900">{formatWhole(deal.value_cents, deal.currency)}</dd>
        </div>
        <div>
          <dt className="sr-only">Probability</dt>
          <dd>{deal.probability} %</dd>
        </div>
        {deal.expected_close_date ? (
          <div>
            <dt className="sr-only">Expected close</dt>
            <dd className={cn(overdue && "font-medium text-amber-700")}>
              {formatDate(deal.expected_close_date)}
              {overdue ? <span className="sr-only"> (overdue)</span> : null}
            </dd>
          </div>
        ) : null}
      </dl>
      {kind === "lost" && deal.lost_reason ? (
        <p className="mt-2 line-clamp-2 text-xs text-zinc-600">
          <span className="font-medium text-red-700">Lost:</span> {deal.lost_reason}
        </p>
      ) : null}
      {footer}
    </article>
  );
}

/** The card as a sortable item: drag state, transform, and the handle wired to dnd-kit. */
export function SortableDealCard({
  deal,
  kind,
  draggable,
  focusOnMount,
  footer,
}: {
  deal: BoardDeal;
  kind: StageKind;
  draggable: boolean;
  /** After a move the card remounts in its new column; keyboard users keep their place. */
  focusOnMount: boolean;
  footer?: ReactNode;
}) {
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, transform, transition, isDragging } = useSortable({
    id: deal.id,
    disabled: !draggable,
  });
  const handleRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (focusOnMount) handleRef.current?.focus();
  }, [focusOnMount]);

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("touch-manipulation", isDragging && "opacity-40")}
      {...(draggable ? listeners : {})}
    >
      <DealCardBody
        deal={deal}
        kind={kind}
        footer={footer}
        className={cn(draggable && "cursor-grab")}
        handle={
          draggable ? (
            <button
              type="button"
              ref={(element) => {
                handleRef.current = element;
                setActivatorNodeRef(element);
              }}
              data-drag-handle
              {...attributes}
              aria-label={`Drag ${deal.title}`}
              className="-ml-1 mt-0.5 shrink-0 cursor-grab rounded p-0.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-1 active:cursor-grabbing"
            >
              <GripVertical className="h-4 w-4" aria-hidden="true" />
            </button>
          ) : null
        }
      />
    </li>
  );
}
