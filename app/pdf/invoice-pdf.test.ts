import zlib from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { loadLogo, logoFromBytes, renderInvoicePdf } from "./render.server.ts";
import { resetEnvCache } from "#app/utils/env.server.ts";
import { formatMoney } from "#app/utils/money.ts";
import { winAnsi } from "./invoice-document.tsx";
import { invoiceDocumentSchema, type InvoiceDocument } from "./types.ts";

/**
 * The invoice PDF, read back without a PDF library: page objects are counted in the file, and the
 * text is what the content streams draw (inflated, TJ strings decoded as Windows-1252, the
 * standard fonts' encoding). One entry per text run, in drawing order.
 */
function pdfPages(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

function pdfTextRuns(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const runs: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf("endstream", start);
    let content: string;
    try {
      content = zlib.inflateSync(pdf.subarray(start, end)).toString("latin1");
    } catch {
      continue; // not a deflated content stream
    }
    for (const array of content.matchAll(/\[((?:<[0-9a-f]*>|[\s\d.-])*)\] TJ/g)) {
      const hex = [...array[1]!.matchAll(/<([0-9a-f]*)>/g)].map((m) => m[1]).join("");
      runs.push(fromWindows1252(Buffer.from(hex, "hex")));
    }
  }
  return runs;
}

// Windows-1252's 0x80–0x9f; the rest is Latin-1. (Node's TextDecoder may treat the label as Latin-1.)
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
function fromWindows1252(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b))).join("");
}

function fixture(lineCount: number, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const lines = Array.from({ length: lineCount }, (_, i) => {
    const quantity = i + 0.5;
    const amount = Math.round(quantity * 9_500);
    return {
      position: i + 1,
      kind: "time",
      description:
        i % 6 === 5
          ? `Line ${i + 1}: workshop preparation, facilitation and a written summary of the decisions taken with the client's team`
          : `Line ${i + 1}: development`,
      quantity,
      unit_price_cents: 9_500,
      tax_rate_bps: 1_950,
      amount_cents: amount,
      tax_cents: Math.round(amount * 0.195),
    };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.amount_cents, 0);
  const tax = lines.reduce((sum, l) => sum + l.tax_cents, 0);
  return invoiceDocumentSchema.parse({
    invoice_id: "0b7c3c43-5d7e-4a57-8d55-0a2f6b7f4e10",
    agency_id: "5c4b0a9e-2f6d-4e3b-9a1c-7d8e9f0a1b2c",
    invoice_number: "INV-0042",
    status: "partially_paid",
    currency: "EUR",
    issue_date: "2026-11-20",
    due_date: "2026-12-04",
    period_from: "2026-11-01",
    period_to: "2026-11-30",
    notes: "Thank you for the good collaboration.",
    terms: "Payable within 14 days by card or bank transfer.",
    subtotal_cents: subtotal,
    tax_cents: tax,
    total_cents: subtotal + tax,
    amount_paid_cents: 100_000,
    amount_due_cents: subtotal + tax - 100_000,
    pay_path: `/pay/${"c0ffee".repeat(10)}beef`,
    agency: {
      name: "Northwind Studio",
      logo_url: null,
      brand_color: "#0f766e",
      address: "12 Harbour Street\nAmsterdam",
    },
    client: {
      name: "Acme Corp",
      address: "500 Market St\nSan Francisco",
      contact_name: "Jane Doe",
      contact_email: null,
    },
    lines,
    payments: [{ paid_at: "2026-11-22T09:00:00+00:00", amount_cents: 100_000, method: "bank_transfer" }],
    ...overrides,
  });
}

const site = "https://crm.example.com";

describe("invoice PDF", () => {
  it("renders a long invoice over several pages with every line, the totals and the pay link", async () => {
    const doc = fixture(60);
    const pdf = await renderInvoicePdf(doc, { siteUrl: site, logo: null });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-6).toString()).toContain("%%EOF");

    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    const runs = pdfTextRuns(pdf);
    const text = runs.join("\n");
    for (const line of doc.lines) expect(text).toContain(`Line ${line.position}:`);
    // The table header repeats on each page the table runs over; every page is numbered.
    expect(runs.filter((r) => r === "Description").length).toBeGreaterThanOrEqual(pages - 1);
    for (let page = 1; page <= pages; page += 1) expect(runs).toContain(`Page ${page} of ${pages}`);

    expect(text).toContain("INVOICE");
    expect(text).toContain("INV-0042");
    expect(text).toContain("Northwind Studio");
    expect(text).toContain("Acme Corp");
    expect(text).toContain("Jane Doe");
    expect(text).toContain("Nov 20, 2026");
    expect(text).toContain("Dec 4, 2026");
    expect(text).toContain("Nov 1, 2026 - Nov 30, 2026");
    expect(runs).toContain("€95.00"); // unit price
    expect(runs).toContain("19.5%");
    expect(runs).toContain("€1,662.50"); // line 18: 17.5 × €95.00
    expect(runs).toContain(formatMoney(doc.total_cents, "EUR"));
    expect(runs).toContain("-€1,000.00"); // paid
    expect(runs).toContain("Amount due");
    expect(text).toContain("Payable within 14 days by card or bank transfer.");
    expect(text).toContain("Thank you for the good collaboration.");

    // "Pay online" is a clickable link to the stable pay page, not only text.
    const payUrl = `${site}${doc.pay_path}`;
    expect(text).toContain("Pay online");
    expect(runs).toContain(payUrl);
    expect(pdf.toString("latin1")).toContain(`/URI (${payUrl})`);
    expect(text).not.toContain("DRAFT");
  });

  it("marks a draft as such on every page and offers no pay link", async () => {
    const doc = fixture(45, { status: "draft", invoice_number: null, issue_date: null, pay_path: null });
    const pdf = await renderInvoicePdf(doc, { siteUrl: site, logo: null });
    const pages = pdfPages(pdf);
    const runs = pdfTextRuns(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(runs.filter((r) => r === "DRAFT")).toHaveLength(pages);
    expect(runs).toContain("Draft");
    expect(runs).toContain("Not issued");
    expect(runs).not.toContain("Pay online");
    expect(runs).not.toContain("Amount due");
    expect(pdf.toString("latin1")).not.toContain("/URI");
  });

  it("stamps a paid invoice PAID and a voided one VOID", async () => {
    const paid = pdfTextRuns(
      await renderInvoicePdf(fixture(2, { status: "paid", amount_due_cents: 0, pay_path: null }), {
        siteUrl: site,
        logo: null,
      }),
    );
    expect(paid).toContain("PAID");
    expect(paid).not.toContain("VOID");
    const voided = pdfTextRuns(
      await renderInvoicePdf(fixture(2, { status: "void", pay_path: null }), { siteUrl: site, logo: null }),
    );
    expect(voided.filter((r) => r === "VOID").length).toBeGreaterThanOrEqual(2); // stamp and watermark
    expect(voided).not.toContain("Amount due");
  });

  it("gives the same bytes for the same document and creation date (a retried send is identical)", async () => {
    const doc = fixture(3);
    const createdAt = new Date("2026-11-20T10:00:00Z");
    const first = await renderInvoicePdf(doc, { siteUrl: site, createdAt, logo: null });
    const second = await renderInvoicePdf(doc, { siteUrl: site, createdAt, logo: null });
    expect(first.equals(second)).toBe(true);
  });

  it("draws a PNG logo, and still renders when the logo's bytes do not decode", async () => {
    const doc = fixture(2);
    const withLogo = await renderInvoicePdf(doc, { siteUrl: site, logo: logoFromBytes(tinyPng()) });
    expect(withLogo.toString("latin1")).toContain("/Subtype /Image");
    // The logo replaces the name in the header; the name stays in the From block.
    const named = (pdf: Buffer) => pdfTextRuns(pdf).filter((r) => r === "Northwind Studio").length;
    expect(named(withLogo)).toBe(1);

    // A PNG cut short (an interrupted upload, say) is not handed to the renderer.
    const truncated = tinyPng().subarray(0, 40);
    expect(logoFromBytes(truncated)).toBeNull();
    const fallback = await renderInvoicePdf(doc, { siteUrl: site, logo: logoFromBytes(truncated) });
    expect(fallback.subarray(0, 5).toString()).toBe("%PDF-");
    expect(fallback.toString("latin1")).not.toContain("/Subtype /Image");
    expect(named(fallback)).toBe(2);
  });

  it("loads only logos this app stored, and only formats PDF can carry", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    expect(await loadLogo("http://169.254.169.254/latest/meta-data.png")).toBeNull();
    expect(await loadLogo("not a url")).toBeNull();
    expect(await loadLogo(null)).toBeNull();
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
    expect(logoFromBytes(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBeNull();
    expect(logoFromBytes(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]))).toMatchObject({ format: "jpg" });
    expect(logoFromBytes(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBeNull();
    expect(logoFromBytes(tinyPng())).toMatchObject({ format: "png" });
  });

  it("fetches a Supabase logo only from the project's public objects, judged after the URL is parsed", async () => {
    const saved = process.env.SUPABASE_URL;
    process.env.SUPABASE_URL = "https://project.supabase.test";
    resetEnvCache();
    const fetchSpy = vi
      .spyOn(globalThis, "fetch")
      .mockImplementation(async () => new Response(new Uint8Array(tinyPng())));
    try {
      const objects = "https://project.supabase.test/storage/v1/object/public";
      for (const outside of [
        // Textually under the public prefix, but these resolve (and would be fetched) elsewhere.
        `${objects}/../../render/image/public/x.png`,
        `${objects}/../../../../auth/v1/admin/users`,
        `${objects}/%2e%2e/%2E%2E/render/image/x.png`,
        `${objects}/..\\..\\x.png`,
        // Left for the storage server to decode into another path.
        `${objects}/logos%2F..%2F..%2Fx.png`,
        `${objects}/logos%5c..%5cx.png`,
        // Another origin that starts with the same text, or the same host with userinfo or a port.
        "https://project.supabase.test.evil.example/storage/v1/object/public/logos/a.png",
        "https://project.supabase.test@evil.example/storage/v1/object/public/logos/a.png",
        "https://user@project.supabase.test/storage/v1/object/public/logos/a.png",
        "https://project.supabase.test:8443/storage/v1/object/public/logos/a.png",
        "http://project.supabase.test/storage/v1/object/public/logos/a.png",
        `${objects}/`,
        "https://project.supabase.test/storage/v1/object/sign/logos/a.png",
      ]) {
        expect(await loadLogo(outside), outside).toBeNull();
      }
      expect(fetchSpy).not.toHaveBeenCalled();

      expect(await loadLogo(`${objects}/logos/agency/logo.png`)).toMatchObject({ format: "png" });
      // A harmless "." or ".." that stays inside is fine; the normalised URL is what is fetched.
      expect(await loadLogo(`${objects}/logos/old/../agency/./logo.png`)).toMatchObject({ format: "png" });
      expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([
        `${objects}/logos/agency/logo.png`,
        `${objects}/logos/agency/logo.png`,
      ]);
    } finally {
      fetchSpy.mockRestore();
      if (saved === undefined) delete process.env.SUPABASE_URL;
      else process.env.SUPABASE_URL = saved;
      resetEnvCache();
    }
  });

  it("folds text to what the standard fonts can draw", () => {
    expect(winAnsi("Zoë – “Café” € 東京\u202f1")).toBe("Zoë – “Café” € ?? 1");
    expect(winAnsi("Line one\nLine two")).toBe("Line one\nLine two");
  });
});

/** A 2×2 red PNG, built by hand so the test needs no image files. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
