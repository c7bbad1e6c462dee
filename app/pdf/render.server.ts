import fs from "node:fs/promises";
import zlib from "node:zlib";
import { renderToBuffer } from "@react-pdf/renderer";
import { env } from "#app/utils/env.server.ts";
import { localPath } from "#app/utils/storage.server.ts";
import { InvoicePdf, type InvoicePdfProps } from "./invoice-document.tsx";
import type { InvoiceDocument } from "./types.ts";

/**
 * Renders an invoice document (private.invoice_document) to PDF bytes. The logo is best effort:
 * an invoice must go out even when its logo is missing, unreadable or in a format PDF cannot
 * carry (the agency's name is shown instead).
 */
type Logo = InvoicePdfProps["logo"];

export async function renderInvoicePdf(
  doc: InvoiceDocument,
  options: {
    siteUrl: string;
    /**
     * Pass a stable date (the outbox row's) to get the same bytes on a retry: Resend refuses a
     * retried send under the same idempotency key when the payload differs.
     */
    createdAt?: Date;
    /** The logo already loaded (tests); by default it is loaded from doc.agency.logo_url. */
    logo?: Logo;
  },
): Promise<Buffer> {
  const payUrl = doc.pay_path ? options.siteUrl.replace(/\/$/, "") + doc.pay_path : null;
  const createdAt = options.createdAt ?? new Date();
  const logo = options.logo !== undefined ? options.logo : await loadLogo(doc.agency.logo_url);
  if (logo) {
    try {
      return await renderToBuffer(pdfTree({ doc, payUrl, logo, createdAt }));
    } catch {
      // A logo whose bytes look right but do not decode; fall through to the name instead.
    }
  }
  return renderToBuffer(pdfTree({ doc, payUrl, logo: null, createdAt }));
}

// Called as a function (it uses no hooks) so the renderer sees the <Document> element it expects.
const pdfTree = (props: InvoicePdfProps) => InvoicePdf(props);

const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/**
 * The logo's bytes, from where this app stored them: DATA_DIR/storage for local mode's
 * `/storage/…` URLs, or the project's own Supabase Storage. Any other URL is not fetched: the
 * logo URL is agency-editable, and the server must not request arbitrary addresses for it.
 */
export async function loadLogo(url: string | null | undefined): Promise<Logo> {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    let bytes: Buffer | undefined;
    if (parsed.pathname.startsWith("/storage/") && !parsed.pathname.startsWith("/storage/v1/")) {
      const name = decodeURIComponent(parsed.pathname.slice("/storage/".length));
      bytes = await fs.readFile(localPath(name));
    } else if (isOwnSupabaseStorage(parsed)) {
      // The parsed URL: the address checked is the one fetched.
      const response = await fetch(parsed, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) bytes = Buffer.from(await response.arrayBuffer());
    }
    return bytes ? logoFromBytes(bytes) : null;
  } catch {
    return null;
  }
}

/**
 * The project's public Storage objects only. Compared parsed, not as text: the URL parser resolves
 * "..", "%2e%2e" and backslash segments, so "<SUPABASE_URL>/storage/v1/object/public/../../x" is seen
 * as the /storage/v1/x it would fetch. Encoded slashes and backslashes, which a server may decode
 * after that, are refused outright.
 */
function isOwnSupabaseStorage(url: URL): boolean {
  const setting = env().SUPABASE_URL;
  if (!setting) return false;
  let base: URL;
  try {
    base = new URL(setting);
  } catch {
    return false;
  }
  const objects = `${base.pathname.replace(/\/$/, "")}/storage/v1/object/public/`;
  return (
    url.origin === base.origin &&
    url.username === "" &&
    url.password === "" &&
    url.pathname.startsWith(objects) &&
    url.pathname.length > objects.length &&
    !/%2f|%5c/i.test(url.pathname)
  );
}

/**
 * PDF carries PNG and JPEG; WebP and GIF logos are skipped rather than converted. The bytes are
 * checked here because the renderer draws an empty box (not an error) for an image it cannot read.
 */
export function logoFromBytes(bytes: Buffer): Logo {
  if (bytes.length === 0 || bytes.length > MAX_LOGO_BYTES) return null;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return isWholePng(bytes) ? { data: bytes, format: "png" } : null;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isWholeJpeg = isJpeg && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  return isWholeJpeg ? { data: bytes, format: "jpg" } : null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Every chunk whole with a matching CRC, IHDR first, IEND last, and image data that inflates. */
function isWholePng(bytes: Buffer): boolean {
  const types: string[] = [];
  const data: Buffer[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) return false;
    const type = bytes.toString("latin1", at + 4, at + 8);
    if (zlib.crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) return false;
    types.push(type);
    if (type === "IDAT") data.push(bytes.subarray(at + 8, at + 8 + length));
    at = end;
  }
  if (at !== bytes.length || types[0] !== "IHDR" || types.at(-1) !== "IEND" || data.length === 0) return false;
  try {
    zlib.inflateSync(Buffer.concat(data));
    return true;
  } catch {
    return false;
  }
}
