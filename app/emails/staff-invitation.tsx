import { Heading, Text } from "@react-email/components";
import { ActionButton, EmailLayout, paragraph, type Branding } from "./layout.tsx";

export interface StaffInvitationProps extends Branding {
  inviter_name: string | null;
  invitee_name: string | null;
  role: string;
  url: string;
}

const roleWords: Record<string, string> = {
  owner: "an owner",
  manager: "a manager",
  member: "a team member",
};

export function StaffInvitationEmail(props: StaffInvitationProps) {
  const agency = props.agency_name ?? "an agency";
  return (
    <EmailLayout branding={props} preview={`Join ${agency} on Agency CRM`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        {props.invitee_name ? `${props.invitee_name}, you're invited` : "You're invited"}
      </Heading>
      <Text style={paragraph}>
        {props.inviter_name ?? "Someone"} invited you to join <strong>{agency}</strong> as{" "}
        {roleWords[props.role] ?? props.role}.
      </Text>
      <ActionButton href={props.url} color={props.brand_color}>
        Accept the invitation
      </ActionButton>
      <Text style={{ ...paragraph, fontSize: 13, color: "#52525b" }}>
        The link works once and expires in 7 days. Or paste it into your browser: {props.url}
      </Text>
    </EmailLayout>
  );
}

export const staffInvitationSubject = (props: StaffInvitationProps) =>
  `${props.inviter_name ?? "Someone"} invited you to ${props.agency_name ?? "their agency"}`;
