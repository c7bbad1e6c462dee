import type { ReactNode } from "react";
import { BoardCard, CardTitle } from "#app/components/board/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import type { BoardDeal, StageKind } from "./board-state.ts";
import { initials } from "../ui/card.tsx";
import { formatDate, formatWhole, isOverdue } from "./format.ts";

/** A deal on the board: title and client, owner, value, probability, expected close, lost reason. */
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
    <BoardCard
      label={deal.title}
      handle={handle}
      footer={footer}
      className={className}
      heading={
        <>
          <CardTitle to={`/pipeline/deals/${deal.id}`}>{deal.title}</CardTitle>
          <p className="truncate text-xs text-zinc-500">{deal.client_name}</p>
        </>
      }
      aside={
        deal.assigned_name ? (
          <span
            title={deal.assigned_name}
            className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-brand/15 text-[10px] font-semibold text-brand"
          >
            <span aria-hidden="true">{initials(deal.assigned_name)}</span>
            <span className="sr-only">Owner: {deal.assigned_name}</span>
          </span>
        ) : null
      }
    >
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
    </BoardCard>
  );
}
