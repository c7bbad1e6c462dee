import { DragOverlay, type DragEndEvent, type DragOverEvent, type DragStartEvent } from "@dnd-kit/core";
import { useFetchers, useSubmit } from "@remix-run/react";
import { useRef, useState } from "react";
import { containerOf, crossInto, dropOrder, type Arrangement } from "#app/components/board/arrangement.ts";
import { BoardToasts, type BoardToast } from "#app/components/board/board-toasts.tsx";
import { SortableCard } from "#app/components/board/card.tsx";
import { isBelow } from "#app/components/board/collisions.ts";
import { BoardDndContext } from "#app/components/board/dnd-context.tsx";
import { MoveWatcher } from "#app/components/board/move-watcher.tsx";
import { isFormFailure, type FormFailure } from "#app/utils/forms.ts";
import {
  applyMoves,
  arrangementOf,
  columnTotals,
  endPosition,
  positionAt,
  type BoardColumn,
  type BoardDeal,
  type PendingMove,
} from "./board-state.ts";
import { describeDrag, screenReaderInstructions } from "./announcements.ts";
import { DealCardBody } from "./deal-card.tsx";
import { LostReasonDialog } from "./lost-reason-dialog.tsx";
import { MoveForm, type MoveRequest } from "./move-form.tsx";
import { QuickAdd, type ClientOption } from "./quick-add.tsx";
import { StageColumn } from "./stage-column.tsx";
import { useHydrated } from "./use-hydrated.ts";

/** What the board's move action answers a fetcher. */
type MoveResult = { ok: true; deal_id: string; project_id: string | null; project_created: boolean } | FormFailure;

/**
 * The kanban: columns from the server, with moves that are still in flight applied on top
 * (optimistic UI derived from the pending fetchers, so it can never drift from what was sent).
 * A drop computes a position between the new neighbours and submits intent=move through a
 * fetcher; a drop on Lost first asks for the reason. Keyboard dragging uses dnd-kit's sortable
 * coordinates, and every step is announced.
 */
export function PipelineBoard({
  columns: serverColumns,
  currency,
  canEdit,
  clients,
  back,
  actionFailure,
}: {
  columns: BoardColumn[];
  currency: string;
  canEdit: boolean;
  clients: ClientOption[];
  back: string;
  actionFailure?: FormFailure;
}) {
  const hydrated = useHydrated();
  const draggable = canEdit && hydrated;
  const submit = useSubmit();
  const { columns, touched } = applyMoves(serverColumns, pendingMoves(useFetchers()));
  const [drag, setDrag] = useState<{ activeId: string; arrangement: Arrangement } | null>(null);
  const [lostPrompt, setLostPrompt] = useState<{ deal: BoardDeal; position: number } | null>(null);
  const [watching, setWatching] = useState<{ key: string; title: string }[]>([]);
  const [toasts, setToasts] = useState<BoardToast[]>([]);
  const [focusDealId, setFocusDealId] = useState<string | null>(null);
  const moveCount = useRef(0);

  const dealsById = new Map(columns.flatMap((column) => column.deals.map((deal) => [deal.id, deal] as const)));
  const columnById = new Map(columns.map((column) => [column.id, column]));
  const arrangement = drag?.arrangement ?? arrangementOf(columns);
  const lostColumn = columns.find((column) => column.kind === "lost");

  function submitMove(deal: BoardDeal, column: BoardColumn, position: number, lostReason?: string) {
    moveCount.current += 1;
    const key = `move-${deal.id}-${moveCount.current}`;
    const data = new FormData();
    data.set("intent", "move");
    data.set("deal_id", deal.id);
    data.set("stage", column.id);
    data.set("position", String(position));
    if (lostReason) data.set("lost_reason", lostReason);
    data.set("respond", "json");
    submit(data, { method: "post", navigate: false, fetcherKey: key });
    setWatching((current) => [...current, { key, title: deal.title }]);
    setFocusDealId(deal.id);
  }

  function requestMove(deal: BoardDeal, column: BoardColumn, position: number, lostReason?: string) {
    if (column.kind === "lost" && !lostReason) setLostPrompt({ deal, position });
    else submitMove(deal, column, position, lostReason);
  }

  function handleMoveForm({ dealId, stageId, lostReason }: MoveRequest) {
    const deal = dealsById.get(dealId);
    const column = columnById.get(stageId);
    if (!deal || !column || deal.stage_id === column.id) return;
    requestMove(deal, column, endPosition(column), lostReason || undefined);
  }

  function handleDragStart({ active }: DragStartEvent) {
    setFocusDealId(null);
    setDrag({ activeId: String(active.id), arrangement: arrangementOf(columns) });
  }

  // Crossing into another column moves the card there now, so the list makes room for it.
  function handleDragOver({ active, over }: DragOverEvent) {
    if (!over) return;
    const below = isBelow(active, over);
    setDrag((current) => {
      if (!current) return current;
      const next = crossInto(current.arrangement, String(active.id), String(over.id), below);
      return next === current.arrangement ? current : { ...current, arrangement: next };
    });
  }

  function handleDragEnd({ active, over }: DragEndEvent) {
    const current = drag;
    setDrag(null);
    if (!current || !over) return;
    const activeId = String(active.id);
    const order = dropOrder(current.arrangement, activeId, String(over.id));
    const deal = dealsById.get(activeId);
    const column = order ? columnById.get(order.column) : undefined;
    if (!order || !deal || !column) return;
    const { ids } = order;
    const unchanged =
      deal.stage_id === column.id && ids.join() === column.deals.map((columnDeal) => columnDeal.id).join();
    if (unchanged) return;
    const position = positionAt(ids, ids.indexOf(activeId), (id) => dealsById.get(id)?.position ?? 0);
    requestMove(deal, column, position);
  }

  // A plain function: MoveWatcher reports once whatever the identity of its callback.
  function onSettled(key: string, title: string, result: MoveResult) {
    setWatching((current) => current.filter((watch) => watch.key !== key));
    setFocusDealId(null);
    const toast = toastFor(key, title, result);
    if (toast) setToasts((current) => [...current, toast]);
  }

  const announcements = describeDrag(arrangement, dealsById, columnById);
  const activeDeal = drag ? dealsById.get(drag.activeId) : undefined;
  const activeStage = drag ? containerOf(drag.arrangement, drag.activeId) : undefined;

  return (
    <>
      <BoardDndContext
        id="pipeline-board"
        onDragStart={handleDragStart}
        onDragOver={handleDragOver}
        onDragEnd={handleDragEnd}
        onDragCancel={() => setDrag(null)}
        accessibility={{ announcements, screenReaderInstructions }}
      >
        <div className="relative -mx-4 snap-x scroll-px-4 overflow-x-auto px-4 pb-4 sm:-mx-6 sm:scroll-px-6 sm:px-6 lg:-mx-8 lg:scroll-px-8 lg:px-8">
          <div className="flex items-stretch gap-3">
            {columns.map((column) => {
              const ids = arrangement[column.id] ?? [];
              return (
                <StageColumn
                  key={column.id}
                  column={column}
                  totals={columnTotals(column, currency, touched.has(column.id))}
                  currency={currency}
                  itemIds={ids}
                  highlight={activeStage === column.id}
                  quickAdd={
                    canEdit && column.kind === "open" ? (
                      <QuickAdd
                        stageId={column.id}
                        stageName={column.name}
                        clients={clients}
                        currency={currency}
                        back={back}
                        resetKey={serverColumns.find((c) => c.id === column.id)?.deals.length ?? 0}
                        failure={failureFor(actionFailure, "quick_add", "stage", column.id)}
                      />
                    ) : undefined
                  }
                >
                  {ids.map((id) => {
                    const deal = dealsById.get(id);
                    if (!deal) return null;
                    return (
                      <SortableCard
                        key={id}
                        id={id}
                        title={deal.title}
                        draggable={draggable}
                        focusOnMount={focusDealId === id}
                      >
                        {(card) => (
                          <DealCardBody
                            {...card}
                            deal={deal}
                            kind={column.kind}
                            footer={
                              canEdit ? (
                                <MoveForm
                                  dealId={deal.id}
                                  dealTitle={deal.title}
                                  currentStageId={deal.stage_id}
                                  columns={columns}
                                  back={back}
                                  failure={failureFor(actionFailure, "move", "deal_id", deal.id)}
                                  onMove={hydrated ? handleMoveForm : undefined}
                                />
                              ) : undefined
                            }
                          />
                        )}
                      </SortableCard>
                    );
                  })}
                </StageColumn>
              );
            })}
          </div>
        </div>
        <DragOverlay>
          {activeDeal ? (
            <DealCardBody
              deal={activeDeal}
              kind={columnById.get(activeStage ?? "")?.kind ?? "open"}
              // No rotation: the keyboard coordinates compare this box's edges with the cards' edges.
              className="cursor-grabbing shadow-lg ring-2 ring-brand/40"
            />
          ) : null}
        </DragOverlay>
      </BoardDndContext>

      <LostReasonDialog
        dealTitle={lostPrompt?.deal.title ?? null}
        stageName={lostColumn?.name ?? "Lost"}
        onCancel={() => {
          setFocusDealId(lostPrompt?.deal.id ?? null);
          setLostPrompt(null);
        }}
        onConfirm={(reason) => {
          if (lostPrompt && lostColumn) submitMove(lostPrompt.deal, lostColumn, lostPrompt.position, reason);
          setLostPrompt(null);
        }}
      />
      {watching.map((watch) => (
        <MoveWatcher<MoveResult>
          key={watch.key}
          fetcherKey={watch.key}
          onSettled={(result) => onSettled(watch.key, watch.title, result)}
        />
      ))}
      <BoardToasts
        label="Pipeline notification"
        toasts={toasts}
        onDismiss={(id) => setToasts((current) => current.filter((toast) => toast.id !== id))}
      />
    </>
  );
}

function pendingMoves(fetchers: ReturnType<typeof useFetchers>): PendingMove[] {
  return fetchers.flatMap((fetcher) => {
    const data = fetcher.formData;
    if (fetcher.state === "idle" || !data || data.get("intent") !== "move") return [];
    const position = Number(data.get("position"));
    if (!Number.isFinite(position)) return [];
    return [{ dealId: String(data.get("deal_id")), stageId: String(data.get("stage")), position }];
  });
}

/** A no-JavaScript submission's failure, for the one form it came from. */
function failureFor(failure: FormFailure | undefined, intent: string, field: string, value: string) {
  return failure && failure.values.intent === intent && failure.values[field] === value ? failure : undefined;
}

function toastFor(key: string, title: string, result: MoveResult): BoardToast | undefined {
  if (isFormFailure(result)) {
    const reason = result.formError ?? Object.values(result.fieldErrors).flat().join(" ");
    return { id: key, kind: "error", message: `“${title}” was not moved. ${reason}` };
  }
  if (result.project_created && result.project_id) {
    return {
      id: key,
      kind: "success",
      message: `Project created for “${title}”.`,
      link: { to: `/projects/${result.project_id}`, label: "Open the project" },
    };
  }
  return undefined;
}
