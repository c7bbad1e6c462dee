import { Link, useFetcher, useLocation } from "@remix-run/react";
import { AlertTriangle, Pencil, Play, Plus, Square, Trash2, X } from "lucide-react";
import { useEffect, useState } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button } from "#app/components/ui/button.tsx";
import { cn } from "#app/components/ui/cn.ts";
import type { RunningTimer } from "#app/models/timer.server.ts";
import type { TimerResult } from "#app/routes/timer.tsx";
import { formatElapsed } from "#app/utils/durations.ts";
import {
  DISCARD_KEY,
  DiscardControl,
  STOP_AT_KEY,
  StopAtControl,
  TimerFormDialog,
  TimerHidden,
  useSettled,
  type Settled,
} from "./timer-controls.tsx";
import { useNow } from "./use-now.ts";
import { localTime } from "./zoned.ts";

/** One stored entry may be at most 12 hours (the database's rule); past that, Stop asks when. */
const LIMIT_SECONDS = 12 * 3600;

/**
 * The running timer above every staff page: what it runs on, the elapsed time (ticking, but not
 * read out every second — only starting and stopping are announced), Stop, Stop at…, change,
 * discard, and Start when nothing runs. The timer lives in the database, so it survives reloads
 * and shows on every device.
 */
export function TimerBar({ timer, timeZone }: { timer: RunningTimer | null; timeZone: string }) {
  const hydrated = useHydrated();
  const location = useLocation();
  // Back to this page after a post without JavaScript (Remix's ?index marker is not needed).
  const params = new URLSearchParams(location.search);
  params.delete("index");
  const back = `${location.pathname}${params.size > 0 ? `?${params}` : ""}`;
  const now = useNow(Boolean(timer));
  const elapsed = timer ? Math.max(0, Math.floor((now - Date.parse(timer.started_at)) / 1000)) : 0;
  const overLimit = elapsed > LIMIT_SECONDS;
  const [settled, setSettled] = useState<Settled | null>(null);
  const [stopAtOpen, setStopAtOpen] = useState(false);
  const stopper = useFetcher<TimerResult>();

  const stopAt = useFetcher<TimerResult>({ key: STOP_AT_KEY });
  const discard = useFetcher<TimerResult>({ key: DISCARD_KEY });

  const onDone = (result: Settled) => setSettled(result);
  const failed = (data: Extract<TimerResult, { ok: false }>) =>
    onDone({ kind: "error", message: data.formError ?? "That did not work.", code: data.code });
  useSettled(stopAt, (data) => {
    // A refusal is shown in the dialog, at the field; the dialog stays open.
    if (!data.ok) return;
    setStopAtOpen(false);
    onDone({ kind: "done", message: data.message, date: data.date });
  });
  useSettled(discard, (data) => (data.ok ? onDone({ kind: "done", message: data.message, date: null }) : failed(data)));
  useSettled(stopper, (data) => {
    if (data.ok) return onDone({ kind: "done", message: data.message, date: data.date });
    onDone({ kind: "error", message: data.formError ?? "The timer could not be stopped.", code: data.code });
    // The database refused an entry over 12 hours: ask for the real end, the timer keeps running.
    if (data.code === "entry_too_long") setStopAtOpen(true);
  });
  // A confirmation fades after a while; an error stays until the next action.
  useEffect(() => {
    if (settled?.kind !== "done") return;
    const id = window.setTimeout(() => setSettled(null), 12_000);
    return () => window.clearTimeout(id);
  }, [settled]);

  const stopping = stopper.state !== "idle";
  const startTrigger = (running: boolean) =>
    running ? (
      <Button type="button" size="sm" variant="secondary" aria-label="Start another timer" title="Start another timer">
        <Plus className="h-4 w-4" aria-hidden="true" />
        <span className="hidden lg:inline">New timer</span>
      </Button>
    ) : (
      <Button type="button" size="sm">
        <Play className="h-4 w-4" aria-hidden="true" /> Start timer
      </Button>
    );
  const startControl = (running: RunningTimer | null) =>
    hydrated ? (
      <TimerFormDialog
        mode="start"
        running={running}
        timeZone={timeZone}
        back={back}
        onDone={onDone}
        trigger={startTrigger(Boolean(running))}
      />
    ) : (
      // Without JavaScript the Start form lives on the day page, which has the projects at hand.
      <Button asChild size="sm" variant={running ? "secondary" : "primary"}>
        <Link to="/time/day?timer=start#timer-form">
          <Play className="h-4 w-4" aria-hidden="true" /> {running ? "Start another" : "Start timer"}
        </Link>
      </Button>
    );

  return (
    <section aria-label="Timer" className="text-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        {timer ? (
          <>
            <span className="relative flex h-2.5 w-2.5 shrink-0" aria-hidden="true">
              <span
                className={cn(
                  "absolute inline-flex h-full w-full animate-ping rounded-full opacity-60 motion-reduce:animate-none",
                  overLimit ? "bg-amber-400" : "bg-emerald-400",
                )}
              />
              <span
                className={cn(
                  "relative inline-flex h-2.5 w-2.5 rounded-full",
                  overLimit ? "bg-amber-500" : "bg-emerald-500",
                )}
              />
            </span>
            <div className="min-w-0 flex-1 basis-40">
              <p className="truncate font-medium text-zinc-900">
                <span className="sr-only">Timer running on </span>
                {timer.project_name}
                {timer.task_title ? <span className="text-zinc-600"> · {timer.task_title}</span> : null}
              </p>
              <p className="truncate text-xs text-zinc-500">
                {timer.description ? `${timer.description} · ` : ""}since {localTime(timer.started_at, timeZone)}
              </p>
            </div>
            <span className="sr-only">Elapsed time</span>
            <span
              role="timer"
              className={cn(
                "font-mono text-base font-semibold tabular-nums",
                overLimit ? "text-amber-700" : "text-zinc-900",
              )}
              suppressHydrationWarning
            >
              {formatElapsed(elapsed)}
            </span>
            <div className="flex items-center gap-1">
              {overLimit ? (
                hydrated ? (
                  <Button type="button" size="sm" onClick={() => setStopAtOpen(true)}>
                    <Square className="h-3.5 w-3.5 fill-current" aria-hidden="true" /> Stop
                  </Button>
                ) : null
              ) : (
                <stopper.Form method="post" action="/timer">
                  <TimerHidden intent="stop" back={back} />
                  <Button type="submit" size="sm" pending={stopping}>
                    {stopping ? null : <Square className="h-3.5 w-3.5 fill-current" aria-hidden="true" />} Stop
                  </Button>
                </stopper.Form>
              )}
              <StopAtControl
                timer={timer}
                timeZone={timeZone}
                back={back}
                overLimit={overLimit}
                open={stopAtOpen}
                onOpenChange={setStopAtOpen}
              />
              {hydrated ? (
                <TimerFormDialog
                  mode="update"
                  running={timer}
                  timeZone={timeZone}
                  back={back}
                  onDone={onDone}
                  trigger={
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      aria-label="Change the timer"
                      title="Change the timer"
                    >
                      <Pencil className="h-4 w-4" aria-hidden="true" />
                    </Button>
                  }
                />
              ) : (
                <Button asChild size="sm" variant="ghost">
                  <Link to="/time/day?timer=edit#timer-form" aria-label="Change the timer">
                    <Pencil className="h-4 w-4" aria-hidden="true" />
                  </Link>
                </Button>
              )}
              <DiscardControl timer={timer} back={back} icon={<Trash2 className="h-4 w-4" aria-hidden="true" />} />
            </div>
          </>
        ) : (
          <>
            <p className="min-w-0 flex-1 text-zinc-500">No timer running.</p>
            <Link to="/time/day" className="hidden font-medium text-brand hover:underline sm:inline">
              Today&apos;s time
            </Link>
          </>
        )}
        {/* One place in the tree whether or not a timer runs: the Start dialog outlives the start. */}
        {startControl(timer)}
      </div>

      {timer && overLimit ? (
        <p className="mt-2 flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-amber-900">
          <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" />
          <span>
            This timer has run for more than 12 hours. Stop it at the time you really stopped working: an entry can be
            at most 12 hours. It keeps running until then, so nothing is lost.
          </span>
        </p>
      ) : null}

      {/* Announced politely when a timer starts or stops; the ticking clock itself is not (role=timer). */}
      <div role="status" aria-live="polite">
        {settled?.kind === "done" ? (
          <p className="mt-2 flex items-center gap-2 text-emerald-800">
            <span>{settled.message}</span>
            {settled.date ? (
              <Link to={`/time/day?date=${settled.date}`} className="font-medium text-brand hover:underline">
                See the day
              </Link>
            ) : null}
          </p>
        ) : null}
      </div>
      {settled?.kind === "error" ? (
        <p role="alert" className="mt-2 flex items-start gap-2 rounded-md bg-red-50 px-3 py-2 text-red-800">
          <span className="flex-1">{settled.message}</span>
          <button
            type="button"
            onClick={() => setSettled(null)}
            className="rounded p-0.5 text-red-700 hover:bg-red-100"
            aria-label="Dismiss"
          >
            <X className="h-4 w-4" aria-hidden="true" />
          </button>
        </p>
      ) : null}
    </section>
  );
}
