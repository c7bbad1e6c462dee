import { Document, Font, Image, Link, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import { formatDate } from "#app/utils/dates.ts";
import { formatMoney } from "#app/utils/money.ts";
import type { InvoiceDocument, InvoiceLine } from "./types.ts";

/**
 * The invoice as a PDF page tree (@react-pdf/renderer). Only the PDF standard fonts (Helvetica)
 * are used: nothing is downloaded or embedded, which keeps rendering offline and files small. The
 * price is that those fonts only know the Windows-1252 characters, so text is folded to them.
 */
export interface InvoicePdfProps {
  doc: InvoiceDocument;
  /** Absolute pay link (site URL + pay_path), or null when there is nothing to pay online. */
  payUrl: string | null;
  /** PNG or JPEG bytes of the agency's logo, already loaded; null shows the agency's name. */
  logo: { data: Buffer; format: "png" | "jpg" } | null;
  /** The file's creation date; also seeds the file id, so the same date gives the same bytes. */
  createdAt: Date;
}

// Descriptions wrap at spaces only: hyphenated English ("includ-ing") reads badly on an invoice.
Font.registerHyphenationCallback((word) => [word]);

const DEFAULT_COLOR = "#4f46e5";
const INK = "#18181b";
const MUTED = "#71717a";
const RULE = "#e4e4e7";

export function InvoicePdf({ doc, payUrl, logo, createdAt }: InvoicePdfProps) {
  const color = brandColor(doc.agency.brand_color);
  const onColor = readableOn(color);
  const money = (cents: number) => winAnsi(formatMoney(cents, doc.currency));
  const title = doc.invoice_number ? `Invoice ${doc.invoice_number}` : "Draft invoice";
  const mark = statusMark(doc.status);
  // Across every page, so no single page of a draft or a voided invoice passes for a bill.
  const watermark = doc.status === "draft" ? "DRAFT" : doc.status === "void" ? "VOID" : null;

  return (
    <Document
      title={winAnsi(`${title} - ${doc.agency.name}`)}
      author={winAnsi(doc.agency.name)}
      creator="Agency CRM"
      producer="Agency CRM"
      creationDate={createdAt}
    >
      <Page size="A4" style={styles.page}>
        <View fixed style={styles.footer}>
          <Text>{winAnsi(`${doc.agency.name} - ${doc.invoice_number ?? "Draft"}`)}</Text>
          <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
        </View>
        <View fixed style={[styles.topBar, { backgroundColor: color }]} />
        {watermark ? (
          <Text fixed style={styles.watermark}>
            {watermark}
          </Text>
        ) : null}

        <View style={styles.header}>
          <View style={styles.brand}>
            {logo ? (
              <Image src={logo} style={styles.logo} />
            ) : (
              <Text style={[styles.agencyName, { color }]}>{winAnsi(doc.agency.name)}</Text>
            )}
          </View>
          <View style={styles.titleBlock}>
            <Text style={[styles.title, { color }]}>INVOICE</Text>
            <Text style={styles.number}>{doc.invoice_number ? winAnsi(doc.invoice_number) : "Draft"}</Text>
            {mark ? (
              <Text style={[styles.stamp, { color: mark.color, borderColor: mark.color }]}>{mark.label}</Text>
            ) : null}
          </View>
        </View>

        <View style={styles.parties}>
          <View style={styles.party}>
            <Text style={styles.label}>From</Text>
            <Text style={styles.partyName}>{winAnsi(doc.agency.name)}</Text>
            {doc.agency.address ? <Text style={styles.address}>{winAnsi(doc.agency.address)}</Text> : null}
          </View>
          <View style={styles.party}>
            <Text style={styles.label}>Bill to</Text>
            <Text style={styles.partyName}>{winAnsi(doc.client.name)}</Text>
            {doc.client.contact_name ? <Text style={styles.address}>{winAnsi(doc.client.contact_name)}</Text> : null}
            {doc.client.address ? <Text style={styles.address}>{winAnsi(doc.client.address)}</Text> : null}
            {doc.client.contact_email ? <Text style={styles.address}>{winAnsi(doc.client.contact_email)}</Text> : null}
          </View>
          <View style={styles.facts}>
            <Fact label="Invoice number" value={doc.invoice_number ?? "Draft"} />
            <Fact label="Issue date" value={doc.issue_date ? formatDate(doc.issue_date) : "Not issued"} />
            <Fact label="Due date" value={doc.due_date ? formatDate(doc.due_date) : "-"} />
            {doc.period_from && doc.period_to ? (
              <Fact label="Period" value={`${formatDate(doc.period_from)} - ${formatDate(doc.period_to)}`} />
            ) : null}
          </View>
        </View>

        <View style={styles.table}>
          {/* `fixed` inside the table repeats the header on every page the table continues on. */}
          <View fixed style={[styles.row, styles.headRow, { backgroundColor: color }]}>
            <Text style={[styles.description, styles.headCell, { color: onColor }]}>Description</Text>
            <Text style={[styles.quantity, styles.headCell, { color: onColor }]}>Qty</Text>
            <Text style={[styles.price, styles.headCell, { color: onColor }]}>Unit price</Text>
            <Text style={[styles.tax, styles.headCell, { color: onColor }]}>Tax</Text>
            <Text style={[styles.amount, styles.headCell, { color: onColor }]}>Amount</Text>
          </View>
          {doc.lines.length === 0 ? <Text style={styles.empty}>This invoice has no lines yet.</Text> : null}
          {doc.lines.map((line) => (
            <LineRow key={line.position} line={line} money={money} />
          ))}
        </View>

        <View wrap={false} style={styles.totals}>
          <Total label="Subtotal" value={money(doc.subtotal_cents)} />
          <Total label="Tax" value={money(doc.tax_cents)} />
          <Total label="Total" value={money(doc.total_cents)} strong />
          {doc.amount_paid_cents !== 0 ? <Total label="Paid" value={money(-doc.amount_paid_cents)} /> : null}
          {doc.status !== "draft" && doc.status !== "void" ? (
            <View style={[styles.dueRow, { borderColor: color }]}>
              <Text style={styles.dueLabel}>Amount due</Text>
              <Text style={styles.dueValue}>{money(doc.amount_due_cents)}</Text>
            </View>
          ) : null}
        </View>

        {payUrl ? (
          <View wrap={false} style={[styles.pay, { borderColor: color }]}>
            <Text style={styles.payTitle}>Pay online</Text>
            <Link src={payUrl} style={[styles.payLink, { color }]}>
              {payUrl}
            </Link>
          </View>
        ) : null}

        {doc.notes ? <Paragraph label="Notes" text={doc.notes} /> : null}
        {doc.terms ? <Paragraph label="Terms" text={doc.terms} /> : null}
      </Page>
    </Document>
  );
}

function LineRow({ line, money }: { line: InvoiceLine; money: (cents: number) => string }) {
  return (
    // A row never splits across pages; a long description moves the whole row to the next page.
    <View wrap={false} style={[styles.row, styles.bodyRow]}>
      <Text style={styles.description}>{winAnsi(line.description)}</Text>
      <Text style={styles.quantity}>{quantityText(line.quantity)}</Text>
      <Text style={styles.price}>{money(line.unit_price_cents)}</Text>
      <Text style={styles.tax}>{percentText(line.tax_rate_bps)}</Text>
      <Text style={styles.amount}>{money(line.amount_cents)}</Text>
    </View>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.fact}>
      <Text style={styles.label}>{label}</Text>
      <Text style={styles.factValue}>{winAnsi(value)}</Text>
    </View>
  );
}

function Total({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <View style={styles.totalRow}>
      <Text style={strong ? styles.totalStrong : styles.totalLabel}>{label}</Text>
      <Text style={strong ? styles.totalStrong : styles.totalValue}>{value}</Text>
    </View>
  );
}

function Paragraph({ label, text }: { label: string; text: string }) {
  return (
    <View style={styles.paragraph}>
      <Text style={styles.label}>{label}</Text>
      <Text style={styles.paragraphText}>{winAnsi(text)}</Text>
    </View>
  );
}

function statusMark(status: string): { label: string; color: string } | null {
  if (status === "paid") return { label: "PAID", color: "#15803d" };
  if (status === "void") return { label: "VOID", color: "#b91c1c" };
  return null;
}

/** The agency's colour when it is a hex colour the renderer understands, the product's otherwise. */
export function brandColor(value: string | null | undefined): string {
  return value && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : DEFAULT_COLOR;
}

/** White or ink, whichever reads better on `hex` (relative luminance, WCAG's formula). */
export function readableOn(hex: string): string {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const channel = (i: number) => {
    const v = parseInt(full.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? INK : "#ffffff";
}

export function quantityText(quantity: number): string {
  return new Intl.NumberFormat("en", { maximumFractionDigits: 4 }).format(quantity);
}

export function percentText(bps: number): string {
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(bps / 100)}%`;
}

// The characters Windows-1252 has above Latin-1's range; the standard fonts can draw these.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/**
 * Folds text to what Helvetica (a standard PDF font, Windows-1252) can draw: typographic spaces
 * and minus become ASCII, accents are kept where Latin-1 has them, anything else becomes "?"
 * instead of an invisible or wrong glyph.
 */
export function winAnsi(text: string): string {
  let out = "";
  for (const char of text
    .normalize("NFC")
    .replace(/[\u2000-\u200a\u202f\u205f]/g, " ")
    .replace(/\u2212/g, "-")) {
    const code = char.codePointAt(0)!;
    const drawable =
      char === "\n" || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
    out += drawable ? char : "?";
  }
  return out;
}

// Line height is resolved against the element's own font size, not an inherited one, so texts
// that wrap carry both (a page-level lineHeight also hid the page-number footer).
const BODY_TEXT = { fontSize: 9.5, lineHeight: 1.35 } as const;

const styles = StyleSheet.create({
  page: {
    fontFamily: "Helvetica",
    fontSize: 9.5,
    color: INK,
    paddingTop: 44,
    paddingBottom: 56,
    paddingHorizontal: 40,
  },
  topBar: { position: "absolute", top: 0, left: 0, right: 0, height: 6 },
  watermark: {
    position: "absolute",
    top: 330,
    left: 0,
    right: 0,
    textAlign: "center",
    fontFamily: "Helvetica-Bold",
    fontSize: 120,
    color: "#a1a1aa",
    opacity: 0.18,
    transform: "rotate(-30deg)",
  },
  header: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start", marginBottom: 28 },
  brand: { maxWidth: 260 },
  logo: { maxHeight: 48, maxWidth: 200, objectFit: "contain" },
  agencyName: { fontFamily: "Helvetica-Bold", fontSize: 18 },
  titleBlock: { alignItems: "flex-end" },
  title: { fontFamily: "Helvetica-Bold", fontSize: 24, letterSpacing: 2, marginBottom: 4 },
  number: { fontSize: 11, color: MUTED, marginTop: 2 },
  stamp: {
    marginTop: 8,
    borderWidth: 2,
    borderRadius: 4,
    paddingVertical: 3,
    paddingHorizontal: 10,
    fontFamily: "Helvetica-Bold",
    fontSize: 16,
    letterSpacing: 3,
  },
  parties: { flexDirection: "row", marginBottom: 24 },
  party: { flex: 1, paddingRight: 16 },
  partyName: { fontFamily: "Helvetica-Bold", fontSize: 10.5, marginBottom: 2 },
  address: { color: "#3f3f46", ...BODY_TEXT },
  facts: { width: 150 },
  fact: { marginBottom: 6 },
  factValue: { fontSize: 10 },
  label: { fontSize: 7.5, color: MUTED, textTransform: "uppercase", letterSpacing: 0.8, marginBottom: 3 },
  table: { marginBottom: 12 },
  row: { flexDirection: "row", paddingVertical: 6, paddingHorizontal: 6 },
  headRow: { borderRadius: 3 },
  headCell: { fontFamily: "Helvetica-Bold", fontSize: 8.5 },
  bodyRow: { borderBottomWidth: 1, borderBottomColor: RULE },
  description: { flex: 1, paddingRight: 8, ...BODY_TEXT },
  quantity: { width: 50, textAlign: "right" },
  price: { width: 80, textAlign: "right" },
  tax: { width: 45, textAlign: "right" },
  amount: { width: 85, textAlign: "right" },
  empty: { paddingVertical: 10, paddingHorizontal: 6, color: MUTED },
  totals: { marginLeft: "auto", width: 240, marginBottom: 18 },
  totalRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 3, paddingHorizontal: 6 },
  totalLabel: { color: "#3f3f46" },
  totalValue: {},
  totalStrong: { fontFamily: "Helvetica-Bold" },
  dueRow: {
    flexDirection: "row",
    justifyContent: "space-between",
    marginTop: 6,
    paddingTop: 8,
    paddingHorizontal: 6,
    borderTopWidth: 2,
  },
  dueLabel: { fontFamily: "Helvetica-Bold", fontSize: 12 },
  dueValue: { fontFamily: "Helvetica-Bold", fontSize: 12 },
  pay: { borderWidth: 1, borderRadius: 4, padding: 10, marginBottom: 18 },
  payTitle: { fontFamily: "Helvetica-Bold", marginBottom: 3 },
  payLink: { textDecoration: "underline" },
  paragraph: { marginBottom: 14 },
  paragraphText: { color: "#3f3f46", ...BODY_TEXT },
  footer: {
    position: "absolute",
    bottom: 24,
    left: 40,
    right: 40,
    flexDirection: "row",
    justifyContent: "space-between",
    fontSize: 8,
    color: MUTED,
    borderTopWidth: 1,
    borderTopColor: RULE,
    paddingTop: 6,
  },
});
