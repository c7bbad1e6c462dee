import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { z } from "zod";
import { BudgetAlertEmail, budgetAlertSubject } from "./budget-alert.tsx";
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
}

const branding = {
  agency_name: z.string().nullish(),
  logo_url: z.string().nullish(),
  brand_color: z.string().nullish(),
};

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

export async function renderEmail(template: string, data: unknown, siteUrl: string): Promise<RenderedEmail> {
  const entry = templates[template as TemplateName];
  if (!entry) throw new Error(`Unknown email template: ${template}`);
  const parsed = entry.data.parse(data) as never;
  const { subject, element } = entry.build(parsed, siteUrl);
  return { subject, html: await render(element), text: await render(element, { plainText: true }) };
}
