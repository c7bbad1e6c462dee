import { describe, expect, it } from "vitest";
import type { InvoiceActivity, InvoicePayment } from "#app/models/invoices.server.ts";
import { reminderStep, timelineEvents } from "./timeline.tsx";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
const activity = (over: Partial<InvoiceActivity>): InvoiceActivity => ({
  id: Math.random().toString(36),
  kind: "sent",
  to_email: "ap@client.test",
  reminder_offset_days: null,
  detail: null,
  actor_name: "Ann Owner",
  created_at: at(0),
  ...over,
});
const payment = (over: Partial<InvoicePayment>): InvoicePayment => ({
  id: Math.random().toString(36),
  amount_cents: 10_000,
  method: "stripe",
  paid_at: at(30),
  reference: null,
  stripe_event_id: null,
  created_at: at(30),
  ...over,
});
const base = {
  created_at: at(0),
  sent_at: at(5),
  invoice_number: "INV-2026-0007",
  paid_at: null,
  voided_at: null,
  void_reason: null,
  currency: "EUR",
  payments: [] as InvoicePayment[],
  activity: [] as InvoiceActivity[],
};

describe("the invoice timeline", () => {
  it("puts the email after the issue it came with, even when its stamp is a moment earlier", () => {
    const events = timelineEvents({ ...base, activity: [activity({ created_at: at(4) })] });
    expect(events.map((e) => e.label)).toEqual([
      "Draft created",
      "Issued as INV-2026-0007",
      "Emailed to ap@client.test by Ann Owner",
    ]);
  });

  it("tells scheduled reminders from manual ones, and online payments and refunds from manual payments", () => {
    const events = timelineEvents({
      ...base,
      activity: [
        activity({ kind: "sent", detail: "sent again", created_at: at(6) }),
        activity({ kind: "viewed", to_email: null, actor_name: null, created_at: at(7) }),
        activity({ kind: "reminded", reminder_offset_days: -3, actor_name: null, created_at: at(8) }),
        activity({ kind: "reminded", created_at: at(9) }),
        activity({ kind: "payment_failed", detail: "the bank said no", created_at: at(10) }),
      ],
      payments: [
        payment({ paid_at: at(20) }),
        payment({ method: "bank_transfer", reference: "TRX-9", paid_at: at(21) }),
        payment({ amount_cents: -2500, paid_at: at(22) }),
      ],
    });
    expect(events.slice(2).map((e) => [e.label, e.detail ?? null, e.tone])).toEqual([
      ["Sent again to ap@client.test by Ann Owner", null, "neutral"],
      ["Viewed by the client", "First opened from the pay link", "neutral"],
      ["Scheduled reminder sent to ap@client.test", "Step: 3 days before the due date", "neutral"],
      ["Reminder sent to ap@client.test by Ann Owner", null, "neutral"],
      ["Online payment failed", "the bank said no", "bad"],
      ["Paid online: €100.00", "Card payment through Stripe", "good"],
      ["Payment recorded: €100.00", "Bank transfer · TRX-9", "good"],
      ["Refunded online: €25.00", null, "bad"],
    ]);
  });

  it("words the reminder steps", () => {
    expect([-1, 0, 7].map(reminderStep)).toEqual([
      "1 day before the due date",
      "on the due date",
      "7 days after the due date",
    ]);
  });
});
