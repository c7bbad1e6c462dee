import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useHydrated } from "#app/components/pipeline/use-hydrated.ts";
import { Button, Spinner } from "#app/components/ui/button.tsx";
import { FormError, InputField } from "#app/components/ui/field.tsx";
import type { TrackableProject } from "#app/models/time-entries.server.ts";
import type { RunningTimer } from "#app/models/timer.server.ts";
import type { TimerResult } from "#app/routes/timer.tsx";
import { generalMessage, timerFormFields } from "./forms.ts";
import { Modal } from "./modal.tsx";
import { billableValue, TargetFields } from "./target-fields.tsx";
import { localDateTimeInput, localTime } from "./zoned.ts";

/**
 * The timer's actions, each a form posting to /timer. With JavaScript they go through fetchers
 * (respond=json: the page stays, the layout's loader brings the new timer); without it they are
 * plain posts that come back to the page (redirect_to) with a toast.
 */
/** Fetcher keys of the actions that end the timer (the bar watches them: their controls unmount). */
export const STOP_AT_KEY = "timer-stop-at";
export const DISCARD_KEY = "timer-discard";

export type TimerPayload = { timer: RunningTimer | null; projects: TrackableProject[] };
type Failure = Extract<TimerResult, { ok: false }>;
export type Settled =
  { kind: "done"; message: string; date: string | null } | { kind: "error"; message: string; code: string };

/** Calls back once per answer of a fetcher (not on every render while the answer stays). */
export function useSettled(
  fetcher: { state: string; data: TimerResult | undefined },
  onSettled: (data: TimerResult) => void,
) {
  const seen = useRef(fetcher.data);
  const callback = useRef(onSettled);
  useEffect(() => {
    callback.current = onSettled;
  });
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && fetcher.data !== seen.current) {
      seen.current = fetcher.data;
      callback.current(fetcher.data);
    }
  }, [fetcher.state, fetcher.data]);
}

/** Hidden fields every timer form carries. */
export function TimerHidden({ intent, back }: { intent: string; back: string }) {
  const hydrated = useHydrated();
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="redirect_to" value={back} />
      {hydrated ? <input type="hidden" name="respond" value="json" /> : null}
    </>
  );
}

/**
 * Start a timer, or change the running one (intent=update), in a dialog. The projects the person
 * can track time on load when it opens (GET /timer), so no page pays for them up front.
 */
export function TimerFormDialog({
  mode,
  running,
  timeZone,
  back,
  trigger,
  onDone,
}: {
  mode: "start" | "update";
  running: RunningTimer | null;
  timeZone: string;
  back: string;
  trigger: ReactNode;
  onDone: (result: Settled) => void;
}) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<Failure>();
  const [session, setSession] = useState(0);
  const projects = useFetcher<TimerPayload>();
  const submit = useFetcher<TimerResult>();
  const load = projects.load;

  useEffect(() => {
    if (open) load("/timer");
  }, [open, load]);
  // The first time, the form appears after the dialog took focus: give it to the first field.
  const loaded = Boolean(projects.data);
  useEffect(() => {
    if (open && loaded && document.activeElement?.closest("form") === null) {
      document.getElementById(`timer-${mode}-project`)?.focus();
    }
  }, [open, loaded, mode]);
  useSettled(submit, (data) => {
    if (data.ok) {
      setOpen(false);
      onDone({ kind: "done", message: data.message, date: data.date });
    } else {
      setFailure(data);
    }
  });

  const editing = mode === "update" && running;
  const shownFields = timerFormFields.filter((field) => field !== "ended_at" && (editing || field !== "started_at"));
  const values = failure?.values ?? {
    project_id: editing ? running.project_id : "",
    task_id: editing ? (running.task_id ?? "") : "",
    description: editing ? running.description : "",
    is_billable: editing ? billableValue(running.is_billable) : "",
  };
  const busy = submit.state !== "idle";
  const list = projects.data?.projects;
  // The running timer's project stays choosable in its own edit form even if it left the list.
  const choosable =
    list && editing && !list.some((p) => p.id === running.project_id)
      ? [...list, { id: running.project_id, name: running.project_name, client_name: null, tasks: [] }]
      : list;

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setFailure(undefined);
          setSession((n) => n + 1);
        }
      }}
      trigger={trigger}
      title={mode === "start" ? "Start a timer" : "Change the running timer"}
      description={
        mode === "update"
          ? "Correct what the time is for, or when it started."
          : running
            ? `The timer on ${running.project_name} stops when this one starts; its time is saved as an entry.`
            : "The timer runs until you stop it, on every device you are signed in on."
      }
    >
      {!choosable ? (
        <p className="flex items-center gap-2 py-6 text-sm text-zinc-600" role="status">
          <Spinner /> Loading your projects…
        </p>
      ) : choosable.length === 0 ? (
        <p className="py-4 text-sm text-zinc-700">
          You are not on the team of an open project yet. A manager adds you to a project&apos;s team; then you can
          track time on it.
        </p>
      ) : (
        <submit.Form key={session} method="post" action="/timer" className="grid gap-4 sm:grid-cols-2" noValidate>
          <TimerHidden intent={mode} back={back} />
          {generalMessage(failure, shownFields) ? (
            <div className="sm:col-span-2">
              <FormError message={generalMessage(failure, shownFields)} />
            </div>
          ) : null}
          <TargetFields
            projects={choosable}
            values={values}
            errors={failure?.fieldErrors ?? {}}
            idPrefix={`timer-${mode}`}
          />
          {editing ? (
            <InputField
              id="timer-update-started"
              label="Started at"
              type="datetime-local"
              name="started_at"
              step={60}
              defaultValue={failure?.values.started_at ?? localDateTimeInput(running.started_at, timeZone)}
              hint={`Your time zone: ${timeZone.replaceAll("_", " ")}.`}
              errors={failure?.fieldErrors.started_at}
            />
          ) : null}
          <div className="flex justify-end gap-2 sm:col-span-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" pending={busy}>
              {mode === "start" ? (running ? "Stop and start new" : "Start timer") : "Save"}
            </Button>
          </div>
        </submit.Form>
      )}
    </Modal>
  );
}

/**
 * "Stop at…": the real end of a forgotten timer, wall clock in the profile's zone. Without
 * JavaScript a disclosure holds the form (open by itself once the timer is past 12 hours).
 */
export function StopAtControl({
  timer,
  timeZone,
  back,
  overLimit,
  open,
  onOpenChange,
}: {
  timer: RunningTimer;
  timeZone: string;
  back: string;
  overLimit: boolean;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const hydrated = useHydrated();
  // Keyed: the bar (which outlives this control once the timer stops) reports the result.
  const fetcher = useFetcher<TimerResult>({ key: STOP_AT_KEY });
  // A failure stays in the fetcher; reopening the dialog starts clean.
  const [dismissed, setDismissed] = useState<TimerResult | undefined>();
  const failure = fetcher.data && !fetcher.data.ok && fetcher.data !== dismissed ? fetcher.data : undefined;
  const started = new Date(timer.started_at);
  const nowLocal = localDateTimeInput(new Date(), timeZone);
  const fields = (
    <>
      <TimerHidden intent="stop_at" back={back} />
      <FormError message={generalMessage(failure, ["ended_at"])} />
      <InputField
        id="timer-stop-at"
        label="Stopped working at"
        type="datetime-local"
        name="ended_at"
        required
        step={60}
        min={localDateTimeInput(started, timeZone)}
        max={nowLocal}
        // Past 12 hours "now" is the one answer that is surely wrong: start from the start instead.
        defaultValue={failure?.values.ended_at ?? (overLimit ? localDateTimeInput(started, timeZone) : nowLocal)}
        hint={`Started ${localTime(started, timeZone)} on ${started.toLocaleDateString("en-GB", { timeZone, day: "numeric", month: "short" })}. Your time zone: ${timeZone.replaceAll("_", " ")}. Entries over midnight are split into days.`}
        errors={failure?.fieldErrors.ended_at}
      />
    </>
  );

  if (!hydrated) {
    return (
      <details open={overLimit} className="group relative">
        <summary className="inline-flex h-8 cursor-pointer list-none items-center rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50">
          Stop at…
        </summary>
        <fetcher.Form
          method="post"
          action="/timer"
          className="absolute right-0 z-40 mt-2 w-80 max-w-[calc(100vw-2rem)] space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg"
        >
          {fields}
          <Button type="submit" size="sm">
            Stop at this time
          </Button>
        </fetcher.Form>
      </details>
    );
  }
  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (next) setDismissed(fetcher.data);
      }}
      title="When did you stop working?"
      description={
        overLimit
          ? "This timer has run for more than 12 hours, longer than one entry may be. Give the time you really stopped; until then it keeps running and nothing is lost."
          : "The entry ends at this time instead of now."
      }
      trigger={
        <Button type="button" size="sm" variant="secondary">
          Stop at…
        </Button>
      }
    >
      <fetcher.Form method="post" action="/timer" className="space-y-4" noValidate>
        {fields}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={fetcher.state !== "idle"}>
            Stop the timer
          </Button>
        </div>
      </fetcher.Form>
    </Modal>
  );
}

/** Throws the running time away, after asking (without JavaScript the click is the decision). */
export function DiscardControl({ timer, back, icon }: { timer: RunningTimer; back: string; icon: ReactNode }) {
  const hydrated = useHydrated();
  const fetcher = useFetcher<TimerResult>({ key: DISCARD_KEY });
  const [open, setOpen] = useState(false);
  const button = (type: "button" | "submit") => (
    <Button type={type} size="sm" variant="ghost" aria-label="Discard the timer" title="Discard the timer">
      {icon}
    </Button>
  );
  if (!hydrated) {
    return (
      <fetcher.Form method="post" action="/timer">
        <TimerHidden intent="discard" back={back} />
        {button("submit")}
      </fetcher.Form>
    );
  }
  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      trigger={button("button")}
      title="Discard the timer?"
      description={`The time running on ${timer.project_name} is thrown away; no entry is logged.`}
    >
      <fetcher.Form method="post" action="/timer" className="flex justify-end gap-2" onSubmit={() => setOpen(false)}>
        <TimerHidden intent="discard" back={back} />
        <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
          Keep it running
        </Button>
        <Button type="submit" variant="danger" pending={fetcher.state !== "idle"}>
          Discard
        </Button>
      </fetcher.Form>
    </Modal>
  );
}
