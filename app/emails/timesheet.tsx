import { Heading, Text } from "@react-email/components";
import { ActionButton, EmailLayout, paragraph, type Branding } from "./layout.tsx";

/** Emails of the timesheet approval: a week submitted (to its approvers) and a week returned (to its member). */
export interface TimesheetSubmittedProps extends Branding {
  member_name: string;
  week_start: string;
  url: string;
}

export interface TimesheetRejectedProps extends Branding {
  week_start: string;
  reason: string;
  url: string;
}

/** "9 Mar 2026" from an ISO date, without time zone arithmetic (it is a calendar date). */
export function weekLabel(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${day} ${months[(month ?? 1) - 1]} ${year}`;
}

export const timesheetSubmittedSubject = (props: TimesheetSubmittedProps) =>
  `${props.member_name} submitted the week of ${weekLabel(props.week_start)} for approval`;

export function TimesheetSubmittedEmail(props: TimesheetSubmittedProps) {
  return (
    <EmailLayout branding={props} preview={timesheetSubmittedSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        A timesheet is waiting for you
      </Heading>
      <Text style={paragraph}>
        {props.member_name} submitted the week of {weekLabel(props.week_start)}. Approve it to lock the hours for
        invoicing, or return it with a reason.
      </Text>
      <ActionButton href={props.url} color={props.brand_color}>
        Review timesheets
      </ActionButton>
    </EmailLayout>
  );
}

export const timesheetRejectedSubject = (props: TimesheetRejectedProps) =>
  `Your week of ${weekLabel(props.week_start)} needs changes`;

export function TimesheetRejectedEmail(props: TimesheetRejectedProps) {
  return (
    <EmailLayout branding={props} preview={timesheetRejectedSubject(props)}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        Your timesheet was returned
      </Heading>
      <Text style={paragraph}>The week of {weekLabel(props.week_start)} came back with this note:</Text>
      <Text style={{ ...paragraph, borderLeft: "3px solid #d4d4d8", paddingLeft: 12 }}>{props.reason}</Text>
      <Text style={paragraph}>Correct the entries and submit the week again.</Text>
      <ActionButton href={props.url} color={props.brand_color}>
        Open the week
      </ActionButton>
    </EmailLayout>
  );
}
