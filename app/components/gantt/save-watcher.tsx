import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { SaveResult } from "./use-date-saves.ts";

/**
 * Holds on to one save's fetcher until its answer arrives, then reports it once (a fetcher
 * submitted with useSubmit is dropped when idle unless a component still reads it).
 */
export function SaveWatcher({
  fetcherKey,
  onSettled,
}: {
  fetcherKey: string;
  onSettled: (key: string, result: SaveResult) => void;
}) {
  const fetcher = useFetcher<SaveResult>({ key: fetcherKey });
  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || fetcher.state !== "idle" || fetcher.data === undefined) return;
    reported.current = true;
    onSettled(fetcherKey, fetcher.data);
  }, [fetcher.state, fetcher.data, fetcherKey, onSettled]);
  return null;
}
