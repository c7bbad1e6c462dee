/** IANA time zones for pickers: UTC first, then the runtime's list (the database checks the choice). */
export function timezoneOptions(): { value: string; label: string }[] {
  const zones = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
  return zones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
}
