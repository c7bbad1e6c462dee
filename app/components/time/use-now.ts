import { useEffect, useState } from "react";

/** The current time, ticking every second while `ticking` (a running timer); still otherwise. */
export function useNow(ticking: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [ticking, intervalMs]);
  return now;
}
