import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Holds on to one move's fetcher until its answer arrives, then reports it once. Fetchers
 * submitted with useSubmit are dropped when idle unless a component still reads them; this is
 * that component, so the board can say why a move was refused (or what it created).
 */
export function MoveWatcher<Result>({
  fetcherKey,
  onSettled,
}: {
  fetcherKey: string;
  onSettled: (result: Result) => void;
}) {
  const fetcher = useFetcher<Result>({ key: fetcherKey });
  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || fetcher.state !== "idle" || fetcher.data === undefined) return;
    reported.current = true;
    onSettled(fetcher.data as Result);
  }, [fetcher.state, fetcher.data, onSettled]);
  return null;
}
