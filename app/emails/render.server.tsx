import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { z } from "zod";
import { BudgetAlertEmail, budgetAlertSubject } from "./budget-alert.tsx";
import {
  InvoiceReminderEmail,
  invoiceReminderSubject,
  InvoiceSentEmail,
  invoiceSentSubject,
  PaymentReceivedEmail,
  paymentReceivedSubject,
} from "./invoice.tsx";
import { MagicLinkEmail, magicLinkSubject } from "./magic-link.tsx";
import { PortalInvitationEmail, portalInvitationSubject } from "./portal-invitation.tsx";
import { StaffInvitationEmail, staffInvitationSubject } from "./staff-invitation.tsx";
import {
  TimesheetRejectedEmail,
  timesheetRejectedSubject,
  TimesheetSubmittedEmail,
  timesheetSubmittedSubject,
} from "./timesheet.tsx";

/**
 * Turns an outbox row (template name + data written by SQL) into subject, HTML and text. Links are
 * stored as paths and made absolute here, so the database never needs to know the site's URL.
 */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /**
   * The invoice whose PDF goes with this email (the row's data.attach_invoice_pdf). Rendering the
   * PDF needs the database, so the worker does it; templates only say which invoice.
   */
  attachInvoicePdf?: string;
}

const branding = {
  agency_name: z.string().nullish(),
  logo_url: z.string().nullish(),
  brand_color: z.string().nullish(),
};

// What invoice_sent and invoice_reminder share (written by public.send_invoice / reminders).
const invoiceEmail = z.object({
  ...branding,
  invoice_id: z.string(),
  invoice_number: z.string(),
  client_name: z.string(),
  contact_name: z.string().nullish(),
  total_cents: z.number().int(),
  amount_due_cents: z.number().int(),
  currency: z.string().length(3),
  due_date: z.iso.date().nullish(),
  pay_path: z.string().nullish(),
  message: z.string().nullish(),
});
type InvoiceEmailData = z.infer<typeof invoiceEmail>;
const invoiceProps = (d: InvoiceEmailData, site: string) => ({
  ...d,
  due_date: d.due_date ?? null,
  pay_url: d.pay_path ? site + d.pay_path : null,
});

const templates = {
  staff_invitation: {
    data: z.object({
      ...branding,
      inviter_name: z.string().nullable(),
      invitee_name: z.string().nullable(),
      role: z.string(),
      accept_path: z.string(),
    }),
    build: (d: { accept_path: string } & Record<string, unknown>, site: string) => {
      const props = { ...(d as never as Parameters<typeof StaffInvitationEmail>[0]), url: site + d.accept_path };
      return { subject: staffInvitationSubject(props), element: <StaffInvitationEmail {...props} /> };
    },
  },
  portal_invitation: {
    data: z.object({
      ...branding,
      inviter_name: z.string().nullable(),
      invitee_name: z.string().nullable(),
      accept_path: z.string(),
    }),
    build: (d: { accept_path: string } & Record<string, unknown>, site: string) => {
      const props = { ...(d as never as Parameters<typeof PortalInvitationEmail>[0]), url: site + d.accept_path };
      return { subject: portalInvitationSubject(props), element: <PortalInvitationEmail {...props} /> };
    },
  },
  budget_alert: {
    data: z.object({
      ...branding,
      project_name: z.string(),
      metric: z.enum(["money", "hours"]),
      threshold: z.number(),
      percent_used: z.number(),
      project_path: z.string(),
    }),
    build: (d: { project_path: string } & Record<string, unknown>, site: string) => {
      const props = { ...(d as never as Parameters<typeof BudgetAlertEmail>[0]), url: site + d.project_path };
      return { subject: budgetAlertSubject(props), element: <BudgetAlertEmail {...props} /> };
    },
  },
  timesheet_submitted: {
    data: z.object({ ...branding, member_name: z.string(), week_start: z.iso.date(), approvals_path: z.string() }),
    build: (d: { approvals_path: string } & Record<string, unknown>, site: string) => {
      const props = { ...(d as never as Parameters<typeof TimesheetSubmittedEmail>[0]), url: site + d.approvals_path };
      return { subject: timesheetSubmittedSubject(props), element: <TimesheetSubmittedEmail {...props} /> };
    },
  },
  timesheet_rejected: {
    data: z.object({ ...branding, week_start: z.iso.date(), reason: z.string(), timesheet_path: z.string() }),
    build: (d: { timesheet_path: string } & Record<string, unknown>, site: string) => {
      const props = { ...(d as never as Parameters<typeof TimesheetRejectedEmail>[0]), url: site + d.timesheet_path };
      return { subject: timesheetRejectedSubject(props), element: <TimesheetRejectedEmail {...props} /> };
    },
  },
  invoice_sent: {
    data: invoiceEmail,
    build: (d: InvoiceEmailData, site: string) => {
      const props = invoiceProps(d, site);
      return { subject: invoiceSentSubject(props), element: <InvoiceSentEmail {...props} /> };
    },
  },
  invoice_reminder: {
    data: invoiceEmail.extend({ days_overdue: z.number().int() }),
    build: (d: InvoiceEmailData & { days_overdue: number }, site: string) => {
      const props = { ...invoiceProps(d, site), days_overdue: d.days_overdue };
      return { subject: invoiceReminderSubject(props), element: <InvoiceReminderEmail {...props} /> };
    },
  },
  payment_received: {
    data: z.object({
      ...branding,
      invoice_number: z.string(),
      amount_cents: z.number().int(),
      amount_due_cents: z.number().int(),
      currency: z.string().length(3),
      paid_at: z.string(),
      pay_path: z.string().nullish(),
    }),
    build: (d: { pay_path?: string | null } & Record<string, unknown>, site: string) => {
      const props = {
        ...(d as never as Parameters<typeof PaymentReceivedEmail>[0]),
        pay_url: d.pay_path ? site + d.pay_path : null,
      };
      return { subject: paymentReceivedSubject(props), element: <PaymentReceivedEmail {...props} /> };
    },
  },
  magic_link: {
    data: z.object({ link_path: z.string() }),
    build: (d: { link_path: string } & Record<string, unknown>, site: string) => ({
      subject: magicLinkSubject(),
      element: <MagicLinkEmail url={site + d.link_path} />,
    }),
  },
} satisfies Record<
  string,
  { data: z.ZodType; build: (d: never, site: string) => { subject: string; element: ReactElement } }
>;

export type TemplateName = keyof typeof templates;

// Any template's data may ask for an invoice's PDF; a malformed id is refused, not ignored.
const attachmentSchema = z.object({ attach_invoice_pdf: z.uuid().nullish() });

export async function renderEmail(template: string, data: unknown, siteUrl: string): Promise<RenderedEmail> {
  const entry = templates[template as TemplateName];
  if (!entry) throw new Error(`Unknown email template: ${template}`);
  const parsed = entry.data.parse(data) as never;
  const { subject, element } = entry.build(parsed, siteUrl);
  const rendered: RenderedEmail = {
    subject,
    html: await render(element),
    text: await render(element, { plainText: true }),
  };
  const { attach_invoice_pdf } = attachmentSchema.parse(data);
  if (attach_invoice_pdf) rendered.attachInvoicePdf = attach_invoice_pdf;
  return rendered;
}
