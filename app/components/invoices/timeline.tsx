import { Card, CardHeader } from "#app/components/ui/card.tsx";
import { cn } from "#app/components/ui/cn.ts";
import type { Invoice } from "#app/models/invoices.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { paymentMethodLabel } from "./labels.tsx";

/**
 * What happened to an invoice, oldest first: its own dates (created, issued, paid, voided), the
 * activity rows SQL writes (emails sent, the client's first view, reminders, failed or unmatched
 * online payments) and its payments. Pure, so the page and tests agree on the wording.
 */
export type TimelineTone = "neutral" | "good" | "bad";
export interface TimelineEvent {
  at: string;
  label: string;
  detail?: string;
  tone: TimelineTone;
}

type TimelineInvoice = Pick<
  Invoice,
  | "created_at"
  | "sent_at"
  | "invoice_number"
  | "paid_at"
  | "voided_at"
  | "void_reason"
  | "currency"
  | "payments"
  | "activity"
>;

/** -3 → "3 days before the due date", 0 → "on the due date", 7 → "7 days after the due date". */
export function reminderStep(offset: number): string {
  if (offset === 0) return "on the due date";
  const days = Math.abs(offset) === 1 ? "1 day" : `${Math.abs(offset)} days`;
  return offset < 0 ? `${days} before the due date` : `${days} after the due date`;
}

export function timelineEvents(invoice: TimelineInvoice): TimelineEvent[] {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const by = (name: string | null) => (name ? ` by ${name}` : "");
  const events: TimelineEvent[] = [{ at: invoice.created_at, label: "Draft created", tone: "neutral" }];
  if (invoice.sent_at) {
    events.push({ at: invoice.sent_at, label: `Issued as ${invoice.invoice_number}`, tone: "neutral" });
  }
  // Sending issues and emails in one transaction, stamped by two clocks (the row's transaction
  // time, the issue's wall clock): nothing about an issued invoice comes before its issue.
  const afterIssue = (at: string) =>
    invoice.sent_at && new Date(at).getTime() < new Date(invoice.sent_at).getTime() ? invoice.sent_at : at;
  for (const raw of invoice.activity) {
    const item = { ...raw, created_at: afterIssue(raw.created_at) };
    switch (item.kind) {
      case "sent":
        events.push({
          at: item.created_at,
          label: `${item.detail === "sent again" ? "Sent again" : "Emailed"} to ${item.to_email}${by(item.actor_name)}`,
          tone: "neutral",
        });
        break;
      case "viewed":
        events.push({
          at: item.created_at,
          label: "Viewed by the client",
          detail: "First opened from the pay link",
          tone: "neutral",
        });
        break;
      case "reminded":
        events.push(
          item.reminder_offset_days === null
            ? { at: item.created_at, label: `Reminder sent to ${item.to_email}${by(item.actor_name)}`, tone: "neutral" }
            : {
                at: item.created_at,
                label: `Scheduled reminder sent to ${item.to_email}`,
                detail: `Step: ${reminderStep(item.reminder_offset_days)}`,
                tone: "neutral",
              },
        );
        break;
      case "payment_failed":
        events.push({
          at: item.created_at,
          label: "Online payment failed",
          detail: item.detail ?? undefined,
          tone: "bad",
        });
        break;
      case "payment_unmatched":
        events.push({
          at: item.created_at,
          label: "Online payment arrived for an invoice that no longer takes it",
          detail: "Refund it in Stripe or record it against another invoice.",
          tone: "bad",
        });
        break;
    }
  }
  for (const payment of invoice.payments) {
    const online = payment.method === "stripe";
    const amount = money(Math.abs(payment.amount_cents));
    events.push(
      payment.amount_cents < 0
        ? { at: payment.paid_at, label: `${online ? "Refunded online" : "Refund"}: ${amount}`, tone: "bad" }
        : {
            at: payment.paid_at,
            label: online ? `Paid online: ${amount}` : `Payment recorded: ${amount}`,
            detail: online
              ? "Card payment through Stripe"
              : `${paymentMethodLabel[payment.method]}${payment.reference ? ` · ${payment.reference}` : ""}`,
            tone: "good",
          },
    );
  }
  if (invoice.paid_at) events.push({ at: invoice.paid_at, label: "Paid in full", tone: "good" });
  if (invoice.voided_at) {
    events.push({ at: invoice.voided_at, label: "Voided", detail: invoice.void_reason ?? undefined, tone: "bad" });
  }
  // Stable: events at the same instant keep the order above (issued before emailed, paid before "in full").
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => new Date(a.event.at).getTime() - new Date(b.event.at).getTime() || a.index - b.index)
    .map(({ event }) => event);
}

/** "12 Nov 2026, 14:03" in the viewer's zone; the same on the server and in the browser. */
export function formatMoment(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(at));
}

const dot: Record<TimelineTone, string> = { neutral: "bg-brand", good: "bg-emerald-500", bad: "bg-red-500" };

export function TimelineCard({ invoice, timeZone }: { invoice: TimelineInvoice; timeZone: string }) {
  const events = timelineEvents(invoice);
  return (
    <Card>
      <CardHeader title="Timeline" />
      <ol className="space-y-3 p-5 text-sm" aria-label="Timeline">
        {events.map((event, index) => (
          <li key={`${event.label}-${index}`} className="flex gap-3">
            <span className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", dot[event.tone])} aria-hidden="true" />
            <span className="min-w-0">
              <span className="break-words text-zinc-900">{event.label}</span>
              {event.detail ? <span className="block break-words text-xs text-zinc-600">{event.detail}</span> : null}
              <span className="block text-xs text-zinc-500">
                <time dateTime={event.at}>{formatMoment(event.at, timeZone)}</time>
              </span>
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
