import { DragOverlay, type DragEndEvent, type DragOverEvent, type DragStartEvent } from "@dnd-kit/core";
import { useFetchers, useSubmit } from "@remix-run/react";
import { useRef, useState } from "react";
import { containerOf, crossInto, dropOrder } from "#app/components/board/arrangement.ts";
import { BoardToasts, type BoardToast } from "#app/components/board/board-toasts.tsx";
import { SortableCard } from "#app/components/board/card.tsx";
import { isBelow } from "#app/components/board/collisions.ts";
import { BoardDndContext } from "#app/components/board/dnd-context.tsx";
import { MoveWatcher } from "#app/components/board/move-watcher.tsx";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import type { FormFailure } from "#app/utils/forms.ts";
import { describeTaskDrag, screenReaderInstructions } from "./announcements.ts";
import {
  applyMoves,
  arrangementOf,
  columnsOf,
  indexInColumn,
  matchesFilters,
  openDependencies,
  type Arrangement,
  type BoardTask,
  type PendingMove,
  type TaskFilters,
} from "./board-state.ts";
import { isTaskStatus, taskStatuses, type TaskStatus } from "./labels.ts";
import { MoveForm } from "./move-form.tsx";
import { OverrideDialog, type OverrideRequest } from "./override-dialog.tsx";
import { QuickAdd, type PersonOption } from "./quick-add.tsx";
import { StatusColumn } from "./status-column.tsx";
import { TaskCardBody, type CardContext } from "./task-card.tsx";

/** What the board's move and override actions answer a fetcher. */
type MoveResult = { ok: true } | { ok: false; code: string; message: string };

export interface TeamPerson {
  user_id: string;
  name: string;
  avatar_url: string | null;
}

/** A failed no-JavaScript submission, with the database's rule code when there was one. */
export type BoardFailure = FormFailure & { code?: string };

interface LiveDrag {
  arrangement: Arrangement | null;
  lastPlace: string | undefined;
}

interface Watch {
  key: string;
  task: BoardTask;
  status: TaskStatus;
  index: number;
}

/**
 * The project's kanban: columns from the server with the moves still in flight applied on top
 * (optimistic UI derived from pending fetchers, so it cannot drift from what was sent, and a
 * refused move snaps back by itself). A drop sends the column and index to public.move_task; a
 * manager whose start was refused for unfinished dependencies may start it anyway with a reason.
 */
export function TaskBoard({
  projectId,
  tasks,
  viewerId,
  canManage,
  acceptsWork,
  team,
  filters,
  today,
  back,
  failure,
}: {
  projectId: string;
  tasks: BoardTask[];
  viewerId: string;
  canManage: boolean;
  /** False for completed or archived projects, which take no new tasks. */
  acceptsWork: boolean;
  team: TeamPerson[];
  filters: TaskFilters;
  today: string;
  /** The board's query string (filters), kept by links and no-JavaScript forms. */
  back: string;
  failure?: BoardFailure;
}) {
  const hydrated = useHydrated();
  const submit = useSubmit();
  const columns = applyMoves(columnsOf(tasks), pendingMoves(useFetchers()));
  const [drag, setDrag] = useState<{ activeId: string; arrangement: Arrangement } | null>(null);
  // The drag as of the latest event, for the announcements: dnd-kit asks for them in the same tick
  // as it calls the handlers below, before the state they set has rendered.
  const live = useRef<LiveDrag>({ arrangement: null, lastPlace: undefined });
  const [override, setOverride] = useState<OverrideRequest | null>(null);
  const [watching, setWatching] = useState<Watch[]>([]);
  const [toasts, setToasts] = useState<BoardToast[]>([]);
  const [focusTaskId, setFocusTaskId] = useState<string | null>(null);
  const moveCount = useRef(0);

  const byId = new Map(taskStatuses.flatMap((status) => columns[status].map((task) => [task.id, task] as const)));
  const visible = (task: BoardTask) => matchesFilters(task, filters, viewerId);
  const arrangement = drag?.arrangement ?? arrangementOf(columns, visible);
  const mayMove = (task: BoardTask) => canManage || task.assignee_id === viewerId;
  const avatars = new Map(team.map((person) => [person.user_id, person.avatar_url]));
  const people: PersonOption[] = team.map((person) => ({ value: person.user_id, label: person.name }));
  const titleOf = (id: string) => byId.get(id)?.title ?? "The task";
  const waitingFor = (task: BoardTask) => openDependencies(task, byId).map((id) => byId.get(id)?.title ?? "a task");

  function contextFor(task: BoardTask): CardContext {
    return {
      href: `/projects/${projectId}/tasks/${task.id}${back}`,
      today,
      waitingFor: waitingFor(task),
      dependencyCount: task.depends_on.length,
      assigneeAvatar: task.assignee_id ? (avatars.get(task.assignee_id) ?? null) : null,
    };
  }

  function submitMove(task: BoardTask, status: TaskStatus, index: number, reason?: string) {
    moveCount.current += 1;
    const key = `task-move-${task.id}-${moveCount.current}`;
    const data = new FormData();
    data.set("intent", reason ? "override" : "move");
    data.set("task_id", task.id);
    data.set("status", status);
    data.set("index", String(index));
    if (reason) data.set("reason", reason);
    data.set("respond", "json");
    submit(data, { method: "post", action: `/projects/${projectId}/tasks`, navigate: false, fetcherKey: key });
    setWatching((current) => [...current, { key, task, status, index }]);
    setFocusTaskId(task.id);
  }

  function moveToEnd(task: BoardTask, status: TaskStatus) {
    submitMove(task, status, columns[status].filter((other) => other.id !== task.id).length);
  }

  function handleDragStart({ active }: DragStartEvent) {
    setFocusTaskId(null);
    const start = arrangementOf(columns, visible);
    live.current.arrangement = start;
    setDrag({ activeId: String(active.id), arrangement: start });
  }

  // Crossing into another column moves the card there now, so that list makes room for it.
  function handleDragOver({ active, over }: DragOverEvent) {
    const current = live.current.arrangement;
    if (!over || !current) return;
    const next = crossInto(current, String(active.id), String(over.id), isBelow(active, over));
    if (next === current) return;
    live.current.arrangement = next;
    setDrag({ activeId: String(active.id), arrangement: next });
  }

  function handleDragEnd({ active, over }: DragEndEvent) {
    // The ref keeps the final arrangement: the drop announcement, made right after this, reads it.
    const current = live.current.arrangement;
    setDrag(null);
    if (!current || !over) return;
    const activeId = String(active.id);
    const task = byId.get(activeId);
    const order = dropOrder(current, activeId, String(over.id));
    if (!task || !order) return;
    const before = arrangementOf(columns, visible)[order.column];
    if (task.status === order.column && order.ids.join() === before.join()) return;
    const columnIds = columns[order.column].map((t) => t.id);
    submitMove(task, order.column, indexInColumn(order.ids, activeId, columnIds));
  }

  // A plain function: MoveWatcher reports once whatever the identity of its callback.
  function onSettled(watch: Watch, data: unknown) {
    setWatching((current) => current.filter((w) => w.key !== watch.key));
    const result: MoveResult = isMoveResult(data) ? data : { ok: false, code: "unknown", message: "Please try again." };
    if (result.ok) {
      setFocusTaskId(null);
      return;
    }
    if (result.code === "dependency_not_done" && canManage) {
      const task = byId.get(watch.task.id) ?? watch.task;
      setOverride({
        taskId: task.id,
        title: task.title,
        status: watch.status,
        index: watch.index,
        message: result.message,
        waitingFor: waitingFor(task),
      });
      return;
    }
    const hint = result.code === "dependency_not_done" ? " A manager can start it anyway." : "";
    setToasts((current) => [
      ...current,
      {
        id: watch.key,
        kind: "error",
        message: `“${watch.task.title}” was not moved. ${sentence(result.message)}${hint}`,
      },
    ]);
  }

  // The ref is read only when dnd-kit announces a drag event, never while rendering.
  // eslint-disable-next-line react-hooks/refs
  const announcements = describeTaskDrag(live, () => arrangementOf(columns, visible), titleOf);
  const activeTask = drag ? byId.get(drag.activeId) : undefined;
  const activeStatus = drag ? containerOf(drag.arrangement, drag.activeId) : undefined;

  return (
    <>
      <BoardDndContext
        id={`task-board-${projectId}`}
        onDragStart={handleDragStart}
        onDragOver={handleDragOver}
        onDragEnd={handleDragEnd}
        onDragCancel={() => setDrag(null)}
        accessibility={{ announcements, screenReaderInstructions }}
      >
        {/* Relative: the sr-only texts of off-screen columns are positioned inside it, not the page. */}
        <div className="relative -mx-4 snap-x scroll-px-4 overflow-x-auto px-4 pb-4 sm:-mx-6 sm:scroll-px-6 sm:px-6 lg:mx-0 lg:px-0">
          <div className="flex items-stretch gap-3">
            {taskStatuses.map((status) => {
              const ids = arrangement[status];
              return (
                <StatusColumn
                  key={status}
                  status={status}
                  itemIds={ids}
                  total={columns[status].length}
                  highlight={activeStatus === status}
                  quickAdd={
                    canManage && acceptsWork ? (
                      <QuickAdd
                        status={status}
                        team={people}
                        back={back}
                        failure={
                          failure?.values.intent === "create" && failure.values.status === status ? failure : undefined
                        }
                        defaultAssignee={
                          filters.assignee === "mine"
                            ? viewerId
                            : filters.assignee === "none"
                              ? undefined
                              : filters.assignee
                        }
                      />
                    ) : undefined
                  }
                >
                  {ids.map((id) => {
                    const task = byId.get(id);
                    if (!task) return null;
                    const movable = mayMove(task);
                    const failed = failureFor(failure, task.id);
                    return (
                      <SortableCard
                        key={id}
                        id={id}
                        title={task.title}
                        draggable={hydrated && movable}
                        focusOnMount={focusTaskId === id}
                      >
                        {(card) => (
                          <TaskCardBody
                            {...card}
                            task={task}
                            context={contextFor(task)}
                            footer={
                              movable ? (
                                <MoveForm
                                  taskId={task.id}
                                  taskTitle={task.title}
                                  status={task.status}
                                  back={back}
                                  error={failed?.message}
                                  overrideStatus={
                                    canManage && failed?.code === "dependency_not_done" ? failed.status : undefined
                                  }
                                  onMove={hydrated ? (next) => moveToEnd(task, next) : undefined}
                                />
                              ) : undefined
                            }
                          />
                        )}
                      </SortableCard>
                    );
                  })}
                </StatusColumn>
              );
            })}
          </div>
        </div>
        <DragOverlay>
          {activeTask ? (
            <TaskCardBody
              task={activeTask}
              context={contextFor(activeTask)}
              // No rotation: the keyboard coordinates compare this box's edges with the cards' edges.
              className="cursor-grabbing shadow-lg ring-2 ring-brand/40"
            />
          ) : null}
        </DragOverlay>
      </BoardDndContext>

      <OverrideDialog
        request={override}
        onCancel={() => {
          setFocusTaskId(override?.taskId ?? null);
          setOverride(null);
        }}
        onConfirm={(reason) => {
          const task = override ? byId.get(override.taskId) : undefined;
          if (override && task) submitMove(task, override.status, override.index, reason);
          setOverride(null);
        }}
      />
      {watching.map((watch) => (
        <MoveWatcher key={watch.key} fetcherKey={watch.key} onSettled={(result) => onSettled(watch, result)} />
      ))}
      <BoardToasts
        label="Task board notification"
        toasts={toasts}
        onDismiss={(id) => setToasts((current) => current.filter((toast) => toast.id !== id))}
      />
    </>
  );
}

function isMoveResult(value: unknown): value is MoveResult {
  return Boolean(value && typeof value === "object" && "ok" in value);
}

/** The database's messages have no full stop; a toast reads as sentences. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function pendingMoves(fetchers: ReturnType<typeof useFetchers>): PendingMove[] {
  return fetchers.flatMap((fetcher) => {
    const data = fetcher.formData;
    if (fetcher.state === "idle" || !data) return [];
    const intent = data.get("intent");
    if (intent !== "move" && intent !== "override") return [];
    const status = data.get("status");
    const index = Number(data.get("index"));
    if (!isTaskStatus(status) || !Number.isInteger(index)) return [];
    return [{ taskId: String(data.get("task_id")), status, index }];
  });
}

/** A refused no-JavaScript move of this task: the message and the status it was meant for. */
function failureFor(failure: BoardFailure | undefined, taskId: string) {
  const intent = failure?.values.intent;
  if (!failure || (intent !== "move" && intent !== "override") || failure.values.task_id !== taskId) return undefined;
  const message = failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ");
  const status = failure.values.status;
  return { message, code: failure.code, status: isTaskStatus(status) ? status : undefined };
}
