import { useFetchers, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FormFailure } from "#app/utils/forms.ts";
import type { TaskDates } from "./types.ts";

/** A bar or diamond whose dates are being changed. */
export interface DatedItem {
  kind: "task" | "milestone";
  id: string;
  title: string;
}

export type SaveResult = { ok: true } | FormFailure;

export interface Watch {
  key: string;
  item: DatedItem;
  dates: TaskDates;
}

const KEY_PREFIX = "gantt-dates-";
/** Keyboard steps are saved once the keys rest, so five presses are one request, not five. */
export const KEYBOARD_SAVE_DELAY_MS = 700;

/**
 * Saving dates with optimistic display. What the chart shows is the server's dates, overlaid by
 * the dates of saves in flight (read from the fetchers, so the display cannot drift from what was
 * sent) and by keyboard steps not sent yet. One save per item at a time: a change made while one
 * is in flight waits for it, so two saves can never land out of order. A refused save simply
 * drops out of the overlay, and the bar is back at the server's dates.
 */
export function useDateSaves(action: string) {
  const submit = useSubmit();
  const fetchers = useFetchers();
  // State for rendering; refs so handlers and timers read the latest without waiting for a render.
  const [drafts, setDrafts] = useState<Map<string, { item: DatedItem; dates: TaskDates }>>(() => new Map());
  const [watching, setWatching] = useState<Watch[]>([]);
  const draftsRef = useRef(drafts);
  const watchingRef = useRef(watching);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const count = useRef(0);

  const putDrafts = useCallback((next: Map<string, { item: DatedItem; dates: TaskDates }>) => {
    draftsRef.current = next;
    setDrafts(next);
  }, []);
  const putWatching = useCallback((next: Watch[]) => {
    watchingRef.current = next;
    setWatching(next);
  }, []);

  const changes = new Map<string, TaskDates>();
  for (const fetcher of fetchers) {
    if (!fetcher.key.startsWith(KEY_PREFIX) || !fetcher.formData) continue;
    const id = String(fetcher.formData.get("task_id") ?? fetcher.formData.get("milestone_id") ?? "");
    changes.set(id, {
      start_date: nullable(fetcher.formData.get("start_date")),
      due_date: nullable(fetcher.formData.get("due_date")),
    });
  }
  for (const [id, draft] of drafts) changes.set(id, draft.dates);

  const send = useCallback(
    (item: DatedItem, dates: TaskDates) => {
      count.current += 1;
      const key = `${KEY_PREFIX}${item.id}-${count.current}`;
      const data = new FormData();
      if (item.kind === "task") {
        data.set("intent", "task_dates");
        data.set("task_id", item.id);
        data.set("start_date", dates.start_date ?? "");
      } else {
        data.set("intent", "milestone_date");
        data.set("milestone_id", item.id);
      }
      data.set("due_date", dates.due_date ?? "");
      data.set("respond", "json");
      submit(data, { method: "post", action, navigate: false, fetcherKey: key });
      putWatching([...watchingRef.current, { key, item, dates }]);
    },
    [action, submit, putWatching],
  );

  const clearTimer = (id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  };

  /** Sends the item's waiting change now, unless a save of it is still in flight. */
  const flush = useCallback(
    (id: string) => {
      clearTimer(id);
      const draft = draftsRef.current.get(id);
      if (!draft || watchingRef.current.some((watch) => watch.item.id === id)) return;
      putDrafts(without(draftsRef.current, id));
      send(draft.item, draft.dates);
    },
    [send, putDrafts],
  );

  /** Shows new dates at once; saves them after a pause (keyboard) or immediately (drop, form). */
  const change = useCallback(
    (item: DatedItem, dates: TaskDates, { delay = 0 }: { delay?: number } = {}) => {
      putDrafts(new Map(draftsRef.current).set(item.id, { item, dates }));
      clearTimer(item.id);
      if (delay > 0)
        timers.current.set(
          item.id,
          setTimeout(() => flush(item.id), delay),
        );
      else flush(item.id);
    },
    [flush, putDrafts],
  );

  /** Escape: forget a keyboard change that has not been sent. */
  const discard = useCallback(
    (id: string) => {
      clearTimer(id);
      if (!draftsRef.current.has(id)) return false;
      putDrafts(without(draftsRef.current, id));
      return true;
    },
    [putDrafts],
  );

  /** A save answered: stop watching it and send whatever was waiting behind it. */
  const settle = useCallback(
    (key: string) => {
      const watch = watchingRef.current.find((w) => w.key === key);
      putWatching(watchingRef.current.filter((w) => w.key !== key));
      if (watch && !timers.current.has(watch.item.id)) flush(watch.item.id);
    },
    [flush, putWatching],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return { changes, watching, change, discard, settle, flush };
}

function nullable(value: FormDataEntryValue | null): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function without<V>(map: Map<string, V>, id: string): Map<string, V> {
  const next = new Map(map);
  next.delete(id);
  return next;
}
