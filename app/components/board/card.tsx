import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Link } from "@remix-run/react";
import { GripVertical } from "lucide-react";
import { useEffect, useRef, type ComponentProps, type ReactNode } from "react";
import { cn } from "#app/components/ui/cn.ts";

/**
 * A card on either board: an article named by its title, a top row (drag handle, heading, an
 * avatar or the like), the board's own details, and the "Move to" form as `footer` — which does
 * the handle's job without JavaScript.
 */
export function BoardCard({
  label,
  handle,
  heading,
  aside,
  footer,
  className,
  children,
}: {
  label: string;
  handle?: ReactNode;
  heading: ReactNode;
  aside?: ReactNode;
  footer?: ReactNode;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <article
      aria-label={label}
      className={cn("rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-sm", className)}
    >
      <div className="flex items-start gap-1.5">
        {handle}
        <div className="min-w-0 flex-1">{heading}</div>
        {aside}
      </div>
      {children}
      {footer}
    </article>
  );
}

/** The card's title: a link to its page. */
export function CardTitle({ className, ...props }: ComponentProps<typeof Link>) {
  return (
    <h3 className="font-medium leading-snug text-zinc-900">
      <Link
        {...props}
        className={cn(
          "rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand/40",
          className,
        )}
      />
    </h3>
  );
}

/**
 * A card as a sortable item: drag state, transform, and the grip button wired to dnd-kit as the
 * handle for keyboards (Space picks up) and pointers. The grip only renders when the card may be
 * dragged (JavaScript running, and the viewer allowed to move it). Cards that may not be dragged
 * still take part in sorting, so others can be dropped around them. `children` renders the card
 * with the handle and the class the drag state gives it.
 */
export function SortableCard({
  id,
  title,
  draggable,
  focusOnMount,
  children,
}: {
  id: string;
  title: string;
  draggable: boolean;
  /** After a move the card remounts in its new column; keyboard users keep their place. */
  focusOnMount: boolean;
  children: (card: { handle: ReactNode; className?: string }) => ReactNode;
}) {
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, transform, transition, isDragging } = useSortable({
    id,
    disabled: { draggable: !draggable, droppable: false },
  });
  const handleRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (focusOnMount) handleRef.current?.focus();
  }, [focusOnMount]);

  const handle = draggable ? (
    <button
      type="button"
      ref={(element) => {
        handleRef.current = element;
        setActivatorNodeRef(element);
      }}
      data-drag-handle
      {...attributes}
      aria-label={`Drag ${title}`}
      className="-ml-1 mt-0.5 shrink-0 cursor-grab rounded p-0.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-1 active:cursor-grabbing"
    >
      <GripVertical className="h-4 w-4" aria-hidden="true" />
    </button>
  ) : null;

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("touch-manipulation", isDragging && "opacity-40")}
      {...(draggable ? listeners : {})}
    >
      {children({ handle, className: cn(draggable && "cursor-grab") })}
    </li>
  );
}
