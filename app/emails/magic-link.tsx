import { Heading, Text } from "@react-email/components";
import { ActionButton, EmailLayout, paragraph } from "./layout.tsx";

export interface MagicLinkProps {
  url: string;
}

export function MagicLinkEmail(props: MagicLinkProps) {
  return (
    <EmailLayout branding={{}} preview="Your sign-in link">
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 12px" }}>
        Sign in to Agency CRM
      </Heading>
      <Text style={paragraph}>Use the button below to sign in. The link works once and expires in 15 minutes.</Text>
      <ActionButton href={props.url}>Sign in</ActionButton>
      <Text style={{ ...paragraph, fontSize: 13, color: "#52525b" }}>
        If you did not ask to sign in, ignore this email; nobody can sign in without the link.
      </Text>
    </EmailLayout>
  );
}

export const magicLinkSubject = () => "Your sign-in link";
