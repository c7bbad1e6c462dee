import { Body, Container, Head, Hr, Html, Img, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/** Every email wears the agency's logo and colour when it has them (the product's otherwise). */
export interface Branding {
  agency_name?: string | null;
  logo_url?: string | null;
  brand_color?: string | null;
}

export const defaultColor = "#4f46e5";

export function EmailLayout({
  branding,
  preview,
  children,
}: {
  branding: Branding;
  preview: string;
  children: ReactNode;
}) {
  const color = branding.brand_color ?? defaultColor;
  const name = branding.agency_name ?? "Agency CRM";
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{ backgroundColor: "#f4f4f5", fontFamily: "Inter, Segoe UI, Helvetica, Arial, sans-serif", margin: 0 }}
      >
        <Container
          style={{
            maxWidth: 520,
            margin: "32px auto",
            backgroundColor: "#ffffff",
            borderRadius: 12,
            overflow: "hidden",
          }}
        >
          <Section style={{ backgroundColor: color, padding: "20px 32px" }}>
            {branding.logo_url ? (
              <Img src={branding.logo_url} alt={name} height="36" style={{ maxHeight: 36 }} />
            ) : (
              <Text style={{ color: "#ffffff", fontSize: 18, fontWeight: 700, margin: 0 }}>{name}</Text>
            )}
          </Section>
          <Section style={{ padding: "24px 32px 8px" }}>{children}</Section>
          <Hr style={{ borderColor: "#e4e4e7", margin: "16px 32px" }} />
          <Text style={{ color: "#71717a", fontSize: 12, padding: "0 32px 24px", margin: 0 }}>
            Sent by {name} with Agency CRM. If you did not expect this email, you can ignore it.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function ActionButton({ href, color, children }: { href: string; color?: string | null; children: ReactNode }) {
  return (
    <Section style={{ margin: "24px 0" }}>
      <a
        href={href}
        style={{
          backgroundColor: color ?? defaultColor,
          borderRadius: 8,
          color: "#ffffff",
          display: "inline-block",
          fontSize: 15,
          fontWeight: 600,
          padding: "12px 20px",
          textDecoration: "none",
        }}
      >
        {children}
      </a>
    </Section>
  );
}

export const paragraph = { color: "#27272a", fontSize: 15, lineHeight: "24px" } as const;
