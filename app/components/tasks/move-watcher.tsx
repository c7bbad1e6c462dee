import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

/** What the board's move and override actions answer a fetcher. */
export type MoveResult = { ok: true } | { ok: false; code: string; message: string };

export function isMoveResult(value: unknown): value is MoveResult {
  return Boolean(value && typeof value === "object" && "ok" in value);
}

/**
 * Holds on to one move's fetcher until its answer arrives, then reports it once. Fetchers
 * submitted with useSubmit are dropped when idle unless a component still reads them; this is
 * that component, so the board can say why a move was refused.
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
    onSettled(isMoveResult(fetcher.data) ? fetcher.data : { ok: false, code: "unknown", message: "Please try again." });
  }, [fetcher.state, fetcher.data, onSettled]);
  return null;
}
