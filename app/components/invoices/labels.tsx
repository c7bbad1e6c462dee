import { formatDate } from "#app/components/pipeline/format.ts";
import { Badge } from "#app/components/ui/card.tsx";
import type { InvoiceLineKind, InvoiceStatus, PaymentMethod } from "#app/models/invoices.server.ts";

/**
 * Words for invoice states. The database calls an issued invoice "sent"; the screens say "Open"
 * (issued, waiting for payment), because it may have been issued without emailing: the timeline
 * says whether and to whom it was emailed.
 */
export const invoiceStatusLabel: Record<InvoiceStatus, string> = {
  draft: "Draft",
  sent: "Open",
  partially_paid: "Partially paid",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

const tone: Record<InvoiceStatus, "zinc" | "green" | "amber" | "red" | "brand"> = {
  draft: "zinc",
  sent: "brand",
  partially_paid: "amber",
  paid: "green",
  overdue: "red",
  void: "zinc",
};

export const invoiceStatuses = Object.keys(invoiceStatusLabel) as InvoiceStatus[];

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={tone[status]}>{invoiceStatusLabel[status]}</Badge>;
}

export const lineKindLabel: Record<InvoiceLineKind, string> = {
  time: "Time",
  milestone: "Milestone",
  manual: "Item",
  discount: "Discount",
  expense: "Expense",
};

export const paymentMethodLabel: Record<PaymentMethod, string> = {
  bank_transfer: "Bank transfer",
  cash: "Cash",
  card: "Card",
  other: "Other",
  stripe: "Online (Stripe)",
};

export const groupingLabel = {
  task: "One line per task",
  person: "One line per person",
  date: "One line per day",
  single: "A single line",
} as const;

/** Basis points as a percentage: 2000 → "20 %", 750 → "7.5 %". */
export function formatRate(bps: number): string {
  return `${(bps / 100).toLocaleString("en", { maximumFractionDigits: 2 })} %`;
}

/** Hours with up to two decimals ("1.5"), as quantities on time lines read. */
export function formatQuantity(quantity: number): string {
  return quantity.toLocaleString("en", { maximumFractionDigits: 4 });
}

/** An invoice's period in words: "1 Nov 2026 – 15 Nov 2026", "Up to 15 Nov 2026", "From 1 Nov 2026". */
export function periodLabel(from?: string | null, to?: string | null): string | null {
  if (from && to) return `${formatDate(from)} – ${formatDate(to)}`;
  if (to) return `Up to ${formatDate(to)}`;
  if (from) return `From ${formatDate(from)}`;
  return null;
}
