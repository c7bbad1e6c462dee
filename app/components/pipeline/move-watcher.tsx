import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { FormFailure } from "#app/utils/forms.ts";

/** What the board's move action answers a fetcher. */
export type MoveResult =
  { ok: true; deal_id: string; project_id: string | null; project_created: boolean } | FormFailure;

/**
 * Holds on to one move's fetcher until its answer arrives, then reports it once. Fetchers
 * submitted with useSubmit are dropped when idle unless a component still reads them; this is
 * that component, so the board can toast "Project created" or a refusal.
 */
export function MoveWatcher({
  fetcherKey,
  onSettled,
}: {
  fetcherKey: string;
  onSettled: (result: MoveResult) => void;
}) {
  const fetcher = useFetcher<MoveResult>({ key: fetcherKey });
  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || fetcher.state !== "idle" || fetcher.data === undefined) return;
    reported.current = true;
    onSettled(fetcher.data);
  }, [fetcher.state, fetcher.data, onSettled]);
  return null;
}
