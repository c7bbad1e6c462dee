import { Heading, Text } from "@react-email/components";
import { ActionButton, EmailLayout, paragraph, type Branding } from "./layout.tsx";

export interface PortalInvitationProps extends Branding {
  inviter_name: string | null;
  invitee_name: string | null;
  url: string;
}

export function PortalInvitationEmail(props: PortalInvitationProps) {
  const agency = props.agency_name ?? "your agency";
  return (
    <EmailLayout branding={props} preview={`Your client portal at ${agency}`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        {props.invitee_name ? `Hello ${props.invitee_name}` : "Hello"}
      </Heading>
      <Text style={paragraph}>
        {agency} gave you access to your client portal: projects, deliverables and invoices in one place.
      </Text>
      <ActionButton href={props.url} color={props.brand_color}>
        Open the portal
      </ActionButton>
      <Text style={{ ...paragraph, fontSize: 13, color: "#52525b" }}>
        The link works once and expires in 7 days. Later you sign in with a link sent to this address.
      </Text>
    </EmailLayout>
  );
}

export const portalInvitationSubject = (props: PortalInvitationProps) =>
  `${props.agency_name ?? "Your agency"} invited you to the client portal`;
