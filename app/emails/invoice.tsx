import { Heading, Section, Text } from "@react-email/components";
import { formatDate } from "#app/utils/dates.ts";
import { formatMoney } from "#app/utils/money.ts";
import { ActionButton, EmailLayout, paragraph, type Branding } from "./layout.tsx";

/**
 * Emails to a client about an invoice: the invoice itself (PDF attached by the worker), reminders
 * before and after the due date, and the receipt of a payment. The pay link is the invoice's
 * stable /pay/<token> page, never a Stripe session URL (those expire after a day).
 */
export interface InvoiceEmailProps extends Branding {
  invoice_number: string;
  client_name: string;
  contact_name?: string | null;
  total_cents: number;
  amount_due_cents: number;
  currency: string;
  due_date: string | null;
  message?: string | null;
  /** Absolute pay link, or null when the invoice cannot be paid online. */
  pay_url: string | null;
}

export interface InvoiceReminderProps extends InvoiceEmailProps {
  /** Negative: due in that many days; 0: due today; positive: that many days late. */
  days_overdue: number;
}

export interface PaymentReceivedProps extends Branding {
  invoice_number: string;
  amount_cents: number;
  amount_due_cents: number;
  currency: string;
  paid_at: string;
  pay_url: string | null;
}

const agencyOf = (props: Branding) => props.agency_name ?? "Your supplier";
const greeting = (props: InvoiceEmailProps) => `Hello ${props.contact_name ?? props.client_name},`;

export const invoiceSentSubject = (props: InvoiceEmailProps) =>
  `Invoice ${props.invoice_number} from ${agencyOf(props)} (${formatMoney(props.total_cents, props.currency)})`;

export function InvoiceSentEmail(props: InvoiceEmailProps) {
  const due = formatMoney(props.amount_due_cents, props.currency);
  return (
    <EmailLayout branding={props} preview={invoiceSentSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        Invoice {props.invoice_number}
      </Heading>
      <Text style={paragraph}>{greeting(props)}</Text>
      <Text style={paragraph}>
        {agencyOf(props)} sent you invoice {props.invoice_number} for {formatMoney(props.total_cents, props.currency)}
        {props.due_date ? `, due on ${formatDate(props.due_date)}` : ""}. The invoice is attached as a PDF.
      </Text>
      {props.message ? <Quote text={props.message} /> : null}
      <Summary rows={[["Amount due", due], ...dueRow(props)]} />
      <PayButton {...props} label={`Pay ${due} online`} />
    </EmailLayout>
  );
}

/** "due in 3 days" / "due today" / "5 days overdue", as the reminder's subject and heading say it. */
export function reminderTiming(daysOverdue: number): string {
  if (daysOverdue === 0) return "due today";
  const days = Math.abs(daysOverdue);
  const unit = days === 1 ? "day" : "days";
  return daysOverdue < 0 ? `due in ${days} ${unit}` : `${days} ${unit} overdue`;
}

export const invoiceReminderSubject = (props: InvoiceReminderProps) =>
  `Reminder: invoice ${props.invoice_number} from ${agencyOf(props)} is ${reminderTiming(props.days_overdue)}`;

export function InvoiceReminderEmail(props: InvoiceReminderProps) {
  const due = formatMoney(props.amount_due_cents, props.currency);
  const when = props.due_date ? formatDate(props.due_date) : null;
  let body: string;
  if (props.days_overdue > 0) {
    body = `Invoice ${props.invoice_number} was due${when ? ` on ${when}` : ""} and is now ${reminderTiming(props.days_overdue)}. ${due} is still open. If you have already paid, thank you, and please ignore this reminder.`;
  } else if (props.days_overdue === 0) {
    body = `Invoice ${props.invoice_number} is due today. ${due} is still open.`;
  } else {
    body = `A friendly reminder that invoice ${props.invoice_number} is ${reminderTiming(props.days_overdue)}${when ? ` (on ${when})` : ""}. ${due} is still open.`;
  }
  return (
    <EmailLayout branding={props} preview={invoiceReminderSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        Invoice {props.invoice_number} is {reminderTiming(props.days_overdue)}
      </Heading>
      <Text style={paragraph}>{greeting(props)}</Text>
      <Text style={paragraph}>{body}</Text>
      {props.message ? <Quote text={props.message} /> : null}
      <Summary rows={[["Amount due", due], ...dueRow(props)]} />
      <PayButton {...props} label={`Pay ${due} online`} />
      <Text style={{ ...paragraph, color: "#71717a", fontSize: 13 }}>The invoice is attached as a PDF.</Text>
    </EmailLayout>
  );
}

export const paymentReceivedSubject = (props: PaymentReceivedProps) =>
  `Payment received for invoice ${props.invoice_number}, thank you`;

export function PaymentReceivedEmail(props: PaymentReceivedProps) {
  const paid = formatMoney(props.amount_cents, props.currency);
  const open = props.amount_due_cents > 0;
  return (
    <EmailLayout branding={props} preview={paymentReceivedSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        Thank you for your payment
      </Heading>
      <Text style={paragraph}>
        {agencyOf(props)} received {paid} for invoice {props.invoice_number} on {formatDate(props.paid_at, "UTC")}.
      </Text>
      <Summary
        rows={[
          ["Paid", paid],
          ["Remaining due", formatMoney(Math.max(props.amount_due_cents, 0), props.currency)],
        ]}
      />
      {open ? (
        <>
          <Text style={paragraph}>
            {formatMoney(props.amount_due_cents, props.currency)} of this invoice is still open.
          </Text>
          <PayButton {...props} label="Pay the rest online" />
        </>
      ) : (
        <Text style={paragraph}>The invoice is now paid in full. No further action is needed.</Text>
      )}
    </EmailLayout>
  );
}

function dueRow(props: InvoiceEmailProps): [string, string][] {
  return props.due_date ? [["Due date", formatDate(props.due_date)]] : [];
}

function PayButton({
  pay_url,
  brand_color,
  label,
}: {
  pay_url: string | null;
  brand_color?: string | null;
  label: string;
}) {
  return pay_url ? (
    <ActionButton href={pay_url} color={brand_color}>
      {label}
    </ActionButton>
  ) : null;
}

function Quote({ text }: { text: string }) {
  return (
    <Text style={{ ...paragraph, borderLeft: "3px solid #d4d4d8", paddingLeft: 12, whiteSpace: "pre-line" }}>
      {text}
    </Text>
  );
}

function Summary({ rows }: { rows: [string, string][] }) {
  return (
    <Section style={{ backgroundColor: "#f4f4f5", borderRadius: 8, padding: "12px 16px", margin: "16px 0" }}>
      {rows.map(([label, value]) => (
        <Text key={label} style={{ ...paragraph, margin: "2px 0" }}>
          {label}: <strong>{value}</strong>
        </Text>
      ))}
    </Section>
  );
}
