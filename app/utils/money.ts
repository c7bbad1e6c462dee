/**
 * Money is integer minor units (cents) everywhere; these convert at the edge of forms and screens.
 * The number of minor units comes from the currency (JPY has none, KWD three).
 */
export function minorUnits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(cents: number, currency: string, locale = "en"): string {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 10 ** digits);
}

/** "1,234.50" → 123450 for a 2-digit currency; null for empty input; NaN for anything unparseable. */
export function parseMoney(input: string, currency: string): number | null {
  const text = input.trim().replace(/[\s,]/g, "");
  if (text === "") return null;
  const digits = minorUnits(currency);
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(text)) return Number.NaN;
  const [whole, fraction = ""] = text.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
}

export function centsToInput(cents: number | null | undefined, currency: string): string {
  if (cents === null || cents === undefined) return "";
  const digits = minorUnits(currency);
  return (cents / 10 ** digits).toFixed(digits);
}
