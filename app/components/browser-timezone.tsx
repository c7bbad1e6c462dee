import { useEffect } from "react";

/**
 * Preselects the browser's time zone in a select the person has not touched yet. Without
 * JavaScript the server's default stays selected, which is fine too.
 */
export function useBrowserTimezone(selectId: string, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const select = document.getElementById(selectId) as HTMLSelectElement | null;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (select && zone && [...select.options].some((o) => o.value === zone)) select.value = zone;
  }, [selectId, enabled]);
}
