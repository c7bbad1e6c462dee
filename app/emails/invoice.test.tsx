import { describe, expect, it } from "vitest";
import { reminderTiming } from "./invoice.tsx";
import { renderEmail } from "./render.server.tsx";

/** The outbox rows send_invoice, the reminders and record_stripe_event queue become client emails. */
const invoiceId = "0b7c3c43-5d7e-4a57-8d55-0a2f6b7f4e10";
const payPath = `/pay/${"ab12".repeat(16)}`;
const sent = {
  agency_name: "Northwind Studio",
  logo_url: null,
  brand_color: "#0f766e",
  invoice_id: invoiceId,
  invoice_number: "INV-0042",
  client_name: "Acme Corp",
  contact_name: "Jane Doe",
  total_cents: 123_450,
  amount_due_cents: 123_450,
  currency: "EUR",
  due_date: "2026-12-04",
  pay_path: payPath,
  message: null,
  attach_invoice_pdf: invoiceId,
};

describe("invoice_sent email", () => {
  it("names the invoice, amount and due date, links to the stable pay page and asks for the PDF", async () => {
    const email = await renderEmail("invoice_sent", sent, "https://crm.example.com");
    expect(email.subject).toBe("Invoice INV-0042 from Northwind Studio (€1,234.50)");
    expect(email.html).toContain(`href="https://crm.example.com${payPath}"`);
    expect(email.text).toContain("Hello Jane Doe,");
    expect(email.text).toContain("due on Dec 4, 2026");
    expect(email.text).toContain("Pay €1,234.50 online");
    expect(email.text).toContain("attached as a PDF");
    expect(email.html).toContain("#0f766e");
    expect(email.attachInvoicePdf).toBe(invoiceId);
  });

  it("carries the sender's message and greets the client when there is no contact", async () => {
    const email = await renderEmail(
      "invoice_sent",
      { ...sent, contact_name: null, message: "Thanks for a great quarter!" },
      "http://localhost:3000",
    );
    expect(email.text).toContain("Hello Acme Corp,");
    expect(email.text).toContain("Thanks for a great quarter!");
  });

  it("has no pay button when the invoice cannot be paid online", async () => {
    const email = await renderEmail("invoice_sent", { ...sent, pay_path: null }, "http://localhost:3000");
    expect(email.html).not.toContain("/pay/");
    expect(email.text).not.toContain("online");
  });

  it("refuses data without the invoice number, and a malformed attachment id", async () => {
    await expect(renderEmail("invoice_sent", { ...sent, invoice_number: undefined }, "http://x")).rejects.toThrow();
    await expect(renderEmail("invoice_sent", { ...sent, attach_invoice_pdf: "../etc" }, "http://x")).rejects.toThrow();
  });
});

describe("invoice_reminder email", () => {
  it.each([
    [-3, "due in 3 days"],
    [-1, "due in 1 day"],
    [0, "due today"],
    [1, "1 day overdue"],
    [12, "12 days overdue"],
  ])("words %i days past the due date as %s", (days, words) => {
    expect(reminderTiming(days)).toBe(words);
  });

  it("reminds before the due date, with the amount and the pay link", async () => {
    const email = await renderEmail("invoice_reminder", { ...sent, days_overdue: -3 }, "https://crm.example.com");
    expect(email.subject).toBe("Reminder: invoice INV-0042 from Northwind Studio is due in 3 days");
    expect(email.text).toContain("is due in 3 days (on Dec 4, 2026). €1,234.50 is still open.");
    expect(email.html).toContain(`href="https://crm.example.com${payPath}"`);
    expect(email.attachInvoicePdf).toBe(invoiceId);
  });

  it("says when it is due today", async () => {
    const email = await renderEmail("invoice_reminder", { ...sent, days_overdue: 0 }, "https://crm.example.com");
    expect(email.subject).toBe("Reminder: invoice INV-0042 from Northwind Studio is due today");
    expect(email.text).toContain("Invoice INV-0042 is due today.");
  });

  it("says how late an overdue invoice is and what is still open", async () => {
    const email = await renderEmail(
      "invoice_reminder",
      { ...sent, days_overdue: 5, amount_due_cents: 23_450 },
      "https://crm.example.com",
    );
    expect(email.subject).toBe("Reminder: invoice INV-0042 from Northwind Studio is 5 days overdue");
    expect(email.text).toContain("was due on Dec 4, 2026 and is now 5 days overdue. €234.50 is still open.");
    expect(email.text).toContain("If you have already paid");
    expect(email.text).toContain("Pay €234.50 online");
  });

  it("refuses a reminder without days_overdue", async () => {
    await expect(renderEmail("invoice_reminder", sent, "http://x")).rejects.toThrow();
  });
});

describe("payment_received email", () => {
  const payment = {
    agency_name: "Northwind Studio",
    logo_url: null,
    brand_color: "#0f766e",
    invoice_number: "INV-0042",
    amount_cents: 100_000,
    currency: "EUR",
    amount_due_cents: 23_450,
    paid_at: "2026-11-22T09:30:00+00:00",
    pay_path: payPath,
  };

  it("thanks the client, states the amount and what remains, with a link to pay the rest", async () => {
    const email = await renderEmail("payment_received", payment, "https://crm.example.com");
    expect(email.subject).toBe("Payment received for invoice INV-0042, thank you");
    expect(email.html).toContain("Thank you for your payment");
    expect(email.text).toContain("Remaining due: €234.50");
    expect(email.text).toContain("Northwind Studio received €1,000.00 for invoice INV-0042 on Nov 22, 2026.");
    expect(email.text).toContain("€234.50 of this invoice is still open.");
    expect(email.html).toContain(`href="https://crm.example.com${payPath}"`);
    expect(email.attachInvoicePdf).toBeUndefined();
  });

  it("says the invoice is settled when nothing remains", async () => {
    const email = await renderEmail(
      "payment_received",
      { ...payment, amount_due_cents: 0, pay_path: null },
      "https://crm.example.com",
    );
    expect(email.text).toContain("paid in full");
    expect(email.text).not.toContain("still open");
    expect(email.html).not.toContain("/pay/");
  });
});
