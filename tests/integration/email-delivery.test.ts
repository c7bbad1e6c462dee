import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, inject, it, vi } from "vitest";
import { session, visibleText } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { expectConsoleError } from "../setup/fail-on-console.ts";
import { adminSql, http, invitationToken, signUp, uniqueEmail } from "../setup/http.ts";
import { holdOutboxWorkerLock } from "../setup/outbox-worker-lock.ts";
import { apiAs, created } from "../setup/projects.ts";
import { useTestServer } from "../setup/test-server.ts";

/*
 * The worker runs in this process and delivers every due row of the shared outbox into
 * DATA_DIR/mailbox, including rows other test files queue meanwhile; assertions here only look at
 * this file's own rows and messages.
 */
trustForwardedFor();
holdOutboxWorkerLock();
const app = useTestServer({ worker: true });
const request = asDistinctClients(http(app.url));

interface MailboxMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  sent_at: string;
  attachments?: { file: string; filename: string; size: number; content_type: string }[];
}

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  next_attempt_at: Date;
}

/** Polls `probe` until it returns a value, or fails after `ms`. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const euros = (cents: number) =>
  new Intl.NumberFormat("en", { style: "currency", currency: "EUR" }).format(cents / 100);

function mailboxFile(id: string): string {
  return path.join(inject("dataDir"), "mailbox", `${id}.json`);
}

async function readMessage(id: string): Promise<MailboxMessage | undefined> {
  const raw = await fs.readFile(mailboxFile(id), "utf8").catch(() => undefined);
  return raw === undefined ? undefined : (JSON.parse(raw) as MailboxMessage);
}

async function outboxRow(id: string): Promise<OutboxRow> {
  const [row] = await adminSql()<OutboxRow[]>`
    select id, status, attempts, last_error, provider_message_id, sent_at, next_attempt_at from private.email_outbox where id = ${id}
  `;
  return row!;
}

describe("email delivery through the outbox", () => {
  it("delivers an invitation into the dev mailbox with an absolute link and marks it sent", async () => {
    const owner = await signUp(request, "mail-owner", "Mailroom");
    const email = uniqueEmail("mail-invitee");
    const invited = await request("/api/members", {
      token: owner.access_token,
      agencyId: owner.agency.id,
      body: { email, role: "manager" },
    });
    expect(invited.status).toBe(201);
    const [queued] = await adminSql()<{ id: string }[]>`
      select id from private.email_outbox where to_email = ${email} and template = 'staff_invitation'
    `;
    expect(queued).toBeDefined();
    const token = await invitationToken(email);

    const message = await eventually(() => readMessage(queued!.id), `the mailbox file of ${email}`);
    expect(message.to).toBe(email);
    expect(message.subject).toBe(`mail-owner person invited you to ${owner.agency.name}`);
    const link = `${app.url()}/invite/${token}`;
    expect(app.url()).toMatch(/^http:\/\/localhost:\d+$/);
    expect(message.text).toContain(link);
    expect(message.html).toContain(`href="${link}"`);

    const row = await eventually(async () => {
      const current = await outboxRow(queued!.id);
      return current.status === "sent" ? current : undefined;
    }, "status sent");
    expect(row).toMatchObject({ attempts: 1, last_error: null, provider_message_id: `dev-${queued!.id}` });
    expect(row.sent_at).toBeInstanceOf(Date);

    // The mailbox page lists it and offers the link.
    const browser = session(app.url);
    const listing = await browser.get("/dev/mailbox");
    expect(listing.status).toBe(200);
    expect(visibleText(listing.html)).toContain(`To ${email}`);
    const opened = await browser.get(`/dev/mailbox?id=${queued!.id}`);
    expect(opened.status).toBe(200);
    expect(visibleText(opened.html)).toContain(message.subject);
    expect(opened.html).toContain(`href="${link}"`);

    // The link in the email works: it is the invitation page.
    const landing = await session(app.url).get(new URL(link).pathname);
    expect(landing.status).toBe(200);
    expect(visibleText(landing.html)).toContain(`Join ${owner.agency.name}`);
  });

  it("delivers a magic link that points at this site", async () => {
    const owner = await signUp(request, "mail-magic");
    const asked = await session(app.url).post("/login", { intent: "magic", email: owner.email, next: "" });
    expect(asked.status).toBe(200);
    const [queued] = await adminSql()<{ id: string; path: string }[]>`
      select id, data ->> 'link_path' as path from private.email_outbox where to_email = ${owner.email} and template = 'magic_link'
    `;
    const message = await eventually(() => readMessage(queued!.id), "the magic-link email");
    expect(message.subject).toBe("Your sign-in link");
    expect(message.text).toContain(`${app.url()}${queued!.path}`);
  });

  it("attaches the invoice's PDF when the row asks for it, and the mailbox serves it", async () => {
    const api = apiAs(request);
    const owner = await signUp(request, "mail-invoice", "Pdf Works");
    const client = await created(api(owner, "/api/clients", { body: { name: "Pdf Client", currency: "EUR" } }));
    const project = await created(
      api(owner, "/api/projects", { body: { client_id: client.id, name: "Pdf project", manager_id: owner.user.id } }),
    );
    const lines = Array.from({ length: 40 }, (_, i) => ({
      description: `Deliverable ${i + 1}`,
      quantity: 1,
      unit_price_cents: 10_000 + i,
      tax_rate_bps: 2000,
    }));
    const draft = await created(
      api(owner, "/api/invoices", { body: { project_id: project.id, include_time: false, lines } }),
    );
    // Sent as the owner through public.send_invoice, which issues the draft and queues the email.
    const email = uniqueEmail("mail-invoice-client");
    const claims = { sub: owner.user.id, email: owner.email, role: "authenticated", aud: "authenticated" };
    await adminSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      await tx`select public.send_invoice(${draft.id}, ${email}, ${"Thanks for a great month."})`;
    });
    const [issued] = await adminSql()<{ invoice_number: string; total_cents: number; pay_path: string }[]>`
      select d ->> 'invoice_number' as invoice_number, (d ->> 'total_cents')::int as total_cents, d ->> 'pay_path' as pay_path
      from private.invoice_document(${draft.id}) d`;
    expect(issued!.invoice_number).toEqual(expect.any(String));
    const [row] = await adminSql()<{ id: string }[]>`
      select id from private.email_outbox where to_email = ${email} and template = 'invoice_sent'`;
    const message = await eventually(() => readMessage(row!.id), "the invoice email");
    expect(message.subject).toBe(
      `Invoice ${issued!.invoice_number} from ${owner.agency.name} (${euros(issued!.total_cents)})`,
    );
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments!;
    expect(attachment).toMatchObject({ filename: `${issued!.invoice_number}.pdf`, content_type: "application/pdf" });
    const bytes = await fs.readFile(path.join(inject("dataDir"), "mailbox", attachment!.file));
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.length).toBe(attachment!.size);
    // 40 lines do not fit on one page.
    expect(bytes.toString("latin1").match(/\/Type \/Page\b(?!s)/g)!.length).toBeGreaterThanOrEqual(2);
    // The email's button and the PDF's link both go to the invoice's stable pay page.
    expect(issued!.pay_path).toMatch(/^\/pay\/[0-9a-f]{64}$/);
    expect(message.html).toContain(`href="${app.url()}${issued!.pay_path}"`);
    expect(message.text).toContain("Thanks for a great month.");
    expect(bytes.toString("latin1")).toContain(`/URI (${app.url()}${issued!.pay_path})`);

    // The mailbox lists the attachment and serves it inline as a PDF.
    const browser = session(app.url);
    const opened = await browser.get(`/dev/mailbox?id=${row!.id}`);
    const href = `/dev/mailbox/${row!.id}/${encodeURIComponent(attachment!.file)}`;
    expect(opened.html).toContain(`href="${href}"`);
    expect(visibleText(opened.html)).toContain(`${issued!.invoice_number}.pdf`);
    const served = await fetch(app.url() + href);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toMatch(/^inline; filename="/);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    // Only files the message lists are served.
    expect((await fetch(`${app.url()}/dev/mailbox/${row!.id}/${row!.id}.json`)).status).toBe(404);
    expect((await fetch(`${app.url()}/dev/mailbox/${row!.id}/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it("an invoice email says what its PDF says when delivered; a reminder for an invoice paid meanwhile is not sent", async () => {
    const api = apiAs(request);
    const owner = await signUp(request, "mail-now", "Now Works");
    const client = await created(api(owner, "/api/clients", { body: { name: "Now Client", currency: "EUR" } }));
    const lines = [{ description: "Design", quantity: 1, unit_price_cents: 100_000, tax_rate_bps: 0 }];
    const issue = async () => {
      const draft = await created(api(owner, "/api/invoices", { body: { client_id: client.id, lines } }));
      const issued = await api(owner, `/api/invoices/${draft.id}/issue`, { method: "POST" });
      expect(issued.status, JSON.stringify(issued.body)).toBe(200);
      return draft.id as string;
    };
    const pay = async (invoiceId: string, cents: number) => {
      const paid = await api(owner, `/api/invoices/${invoiceId}/payments`, {
        body: { amount_cents: cents, method: "bank_transfer" },
      });
      expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    };
    // Rows queued before a payment landed (as a queued email is, when the worker is busy).
    const queue = async (invoiceId: string, template: string, to: string) => {
      const [row] = await adminSql()<{ id: string }[]>`
        insert into private.email_outbox (agency_id, to_email, template, data)
        select i.agency_id, ${to}, ${template},
               private.invoice_email_data(i) || jsonb_build_object('amount_due_cents', i.total_cents, 'days_overdue', -3,
                                                                    'attach_invoice_pdf', i.id)
        from public.invoices i where i.id = ${invoiceId}
        returning id`;
      return row!.id;
    };

    const partly = await issue();
    await pay(partly, 40_000);
    const sentId = await queue(partly, "invoice_sent", uniqueEmail("mail-now-a"));
    const message = await eventually(() => readMessage(sentId), "the invoice email");
    expect(message.text).toContain(euros(60_000));
    expect(message.text).not.toContain(`${euros(100_000)} due`);

    const settled = await issue();
    await pay(settled, 100_000);
    const reminderId = await queue(settled, "invoice_reminder", uniqueEmail("mail-now-b"));
    const done = await eventually(async () => {
      const row = await outboxRow(reminderId);
      return row.status === "sent" ? row : undefined;
    }, "the reminder's outbox row to be settled");
    expect(done).toMatchObject({ provider_message_id: "skipped: invoice paid" });
    expect(await readMessage(reminderId)).toBeUndefined();
  });

  it("retries an invoice email whose invoice does not exist instead of sending it without the PDF", async () => {
    expectConsoleError(1);
    const missing = "00000000-0000-4000-8000-000000000000";
    const [row] = await adminSql()<{ id: string }[]>`
      insert into private.email_outbox (to_email, template, data) values (${uniqueEmail("mail-no-invoice")}, 'invoice_sent',
        ${adminSql().json({
          agency_name: "Nobody",
          invoice_id: missing,
          invoice_number: "INV-404",
          client_name: "Ghost",
          total_cents: 100,
          amount_due_cents: 100,
          currency: "EUR",
          due_date: "2026-12-01",
          pay_path: null,
          attach_invoice_pdf: missing,
        })})
      returning id
    `;
    const id = row!.id;
    try {
      const failed = await eventually(async () => {
        const current = await outboxRow(id);
        return current.last_error ? current : undefined;
      }, "the failed attempt");
      expect(failed).toMatchObject({ status: "pending", attempts: 1, sent_at: null });
      expect(await readMessage(id)).toBeUndefined();
      await eventually(
        async () =>
          vi.mocked(console.error).mock.calls.some((args) => String(args[0]).includes("delivery of invoice_sent"))
            ? true
            : undefined,
        "the worker's error log",
        2_000,
      );
    } finally {
      await adminSql()`update private.email_outbox set status = 'failed' where id = ${id}`;
    }
  });

  it("retries a failing email: attempts counted, error kept, never marked sent", async () => {
    expectConsoleError(1);
    const email = uniqueEmail("mail-broken");
    const [row] = await adminSql()<{ id: string }[]>`
      insert into private.email_outbox (to_email, template, data) values (${email}, 'nope', '{}') returning id
    `;
    const id = row!.id;
    try {
      const failed = await eventually(async () => {
        const current = await outboxRow(id);
        return current.last_error ? current : undefined;
      }, "the failed attempt");
      expect(failed.status).toBe("pending");
      expect(failed.attempts).toBe(1);
      expect(failed.last_error).toContain("Unknown email template: nope");
      expect(failed.sent_at).toBeNull();
      expect(failed.provider_message_id).toBeNull();
      // Backed off (about 30 s), not retried in a tight loop.
      expect(failed.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 15_000);
      // The worker says so in the log (console.error is fail-on-console's spy here).
      await eventually(
        async () =>
          vi.mocked(console.error).mock.calls.some((args) => String(args[0]).includes("delivery of nope"))
            ? true
            : undefined,
        "the worker's error log",
        2_000,
      );
      expect(await readMessage(id)).toBeUndefined();
    } finally {
      // Keep the next retry (30 s later) from landing in another test.
      await adminSql()`update private.email_outbox set status = 'failed' where id = ${id}`;
    }
  });
});
