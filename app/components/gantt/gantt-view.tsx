import { Link } from "@remix-run/react";
import { ChartGantt, X } from "lucide-react";
import { useCallback, useMemo, useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { cn } from "#app/components/ui/cn.ts";
import { EmptyState } from "#app/components/ui/empty-state.tsx";
import type { FormFailure } from "#app/utils/forms.ts";
import { GanttChart } from "./gantt-chart.tsx";
import { GanttTable, type RowError } from "./gantt-table.tsx";
import { planRows, withDates } from "./rows.ts";
import { SaveWatcher } from "./save-watcher.tsx";
import { GanttToolbar, useDefaultView, type View } from "./toolbar.tsx";
import type { GanttMilestone, GanttTask, TaskDates, Zoom } from "./types.ts";
import { Unscheduled } from "./unscheduled.tsx";
import { useDateSaves, type DatedItem, type SaveResult } from "./use-date-saves.ts";

export interface RefusedForm {
  id: string;
  message: string;
  values: Partial<TaskDates>;
}

export function failureText(failure: FormFailure): string {
  return failure.formError ?? (Object.values(failure.fieldErrors).flat().join(" ") || "It could not be saved.");
}

/**
 * The Gantt tab: toolbar, chart (+ unscheduled work) or table, and the saving machinery they
 * share. Saves are optimistic; a refused one puts the bar back and says why, visibly and to
 * screen readers.
 */
export function GanttView({
  projectId,
  tasks,
  milestones,
  zoom,
  view,
  today,
  canManage,
  back,
  refused,
}: {
  projectId: string;
  tasks: GanttTask[];
  milestones: GanttMilestone[];
  zoom: Zoom;
  view: View | undefined;
  today: string;
  canManage: boolean;
  back: string;
  /** A form posted without JavaScript and refused by the action. */
  refused?: RefusedForm;
}) {
  const hydrated = useHydrated();
  const action = `/projects/${projectId}/gantt`;
  // Forms posted without JavaScript keep ?view and ?zoom, so a refusal shows on the same view.
  const formAction = `${action}${back}`;
  const saves = useDateSaves(action);
  const settled = useMemo(() => ({ tasks, milestones }), [tasks, milestones]);
  const current = {
    tasks: withDates(tasks, saves.changes),
    milestones: withDates(milestones, saves.changes),
  };
  const [announcement, setAnnouncement] = useState({ text: "", n: 0 });
  const [errors, setErrors] = useState<ReadonlyMap<string, RowError>>(() => new Map());
  const [alert, setAlert] = useState<string | null>(null);
  const [dismissedRefusal, setDismissedRefusal] = useState(false);
  const defaultView = useDefaultView();
  const shown = view ?? defaultView;

  const announce = useCallback((text: string) => setAnnouncement((a) => ({ text, n: a.n + 1 })), []);
  const setError = (id: string, error: RowError | null) =>
    setErrors((current) => {
      const next = new Map(current);
      if (error) next.set(id, error);
      else next.delete(id);
      return next;
    });

  function change(item: DatedItem, dates: TaskDates, options?: { delay?: number }) {
    setError(item.id, null);
    setAlert(null);
    saves.change(item, dates, options);
  }

  function onSettled(key: string, result: SaveResult) {
    const watch = saves.watching.find((w) => w.key === key);
    saves.settle(key);
    if (!watch) return;
    if ("ok" in result) {
      announce(`${watch.item.title} saved.`);
      return;
    }
    const message = failureText(result);
    setError(watch.item.id, { message });
    setAlert(`“${watch.item.title}” was not changed: ${message} It is back at its saved dates.`);
    announce(`${watch.item.title} was not changed: ${message}`);
  }

  const allErrors = refused
    ? new Map(errors).set(refused.id, { message: refused.message, values: refused.values })
    : errors;
  const editable = canManage;
  const onSave = hydrated
    ? (item: DatedItem, dates: TaskDates) => {
        change(item, dates);
        announce(`Saving ${item.title}…`);
      }
    : undefined;

  if (tasks.length + milestones.length === 0) {
    return (
      <EmptyState
        icon={<ChartGantt className="h-6 w-6" />}
        title="Nothing to plan yet"
        action={
          <Button asChild variant="secondary">
            <Link to={`/projects/${projectId}/tasks`}>Go to the tasks</Link>
          </Button>
        }
      >
        Tasks and milestones with dates appear here as a timeline.
      </EmptyState>
    );
  }

  const plan = planRows(current.tasks, current.milestones, settled);
  const refusedTitle = refused ? [...tasks, ...milestones].find((entry) => entry.id === refused.id)?.title : undefined;
  const shownAlert =
    alert ??
    (refused && refusedTitle && !dismissedRefusal ? `“${refusedTitle}” was not changed: ${refused.message}` : null);

  return (
    <>
      <GanttToolbar view={view} zoom={zoom} shown={shown} />
      {shownAlert ? (
        <div
          role="alert"
          className="mb-4 flex items-start gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          <p className="flex-1">{shownAlert}</p>
          <button
            type="button"
            onClick={() => {
              setAlert(null);
              setDismissedRefusal(true);
            }}
            className="rounded p-0.5 hover:bg-red-100"
            aria-label="Dismiss"
          >
            <X className="h-4 w-4" aria-hidden="true" />
          </button>
        </div>
      ) : null}

      {/* Without ?view= both are rendered and CSS picks one by screen width; with it, only that one. */}
      {view !== "table" ? (
        <div className={cn(view === undefined && "hidden md:block")}>
          <GanttChart
            // A chart that was hidden opens at today when shown.
            key={view ?? "auto"}
            projectId={projectId}
            tasks={current.tasks}
            milestones={current.milestones}
            settled={settled}
            zoom={zoom}
            today={today}
            editable={editable && hydrated}
            onChange={change}
            onDiscard={saves.discard}
            announce={announce}
          />
          {editable && hydrated ? (
            <p className="mt-2 text-xs text-zinc-500">
              Drag a bar to move it, or its edges to change the start or due date. Arrow keys move a focused bar by a
              day; Shift with the arrows changes its due date.
            </p>
          ) : null}
          <Unscheduled
            projectId={projectId}
            tasks={plan.unscheduledTasks}
            milestones={plan.unscheduledMilestones}
            editable={editable}
            back={back}
            action={formAction}
            errors={allErrors}
            onSave={onSave}
          />
        </div>
      ) : null}

      {view !== "chart" ? (
        <div className={cn(view === undefined && "md:hidden")}>
          <GanttTable
            projectId={projectId}
            tasks={current.tasks}
            milestones={current.milestones}
            settled={settled}
            editable={editable}
            back={back}
            action={formAction}
            errors={allErrors}
            onSave={onSave}
          />
        </div>
      ) : null}

      <div role="status" className="sr-only">
        {announcement.text ? <span key={announcement.n}>{announcement.text}</span> : null}
      </div>
      {saves.watching.map((watch) => (
        <SaveWatcher key={watch.key} fetcherKey={watch.key} onSettled={onSettled} />
      ))}
    </>
  );
}
