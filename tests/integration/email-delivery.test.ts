import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, inject, it, vi } from "vitest";
import { session, visibleText } from "../setup/browser-like.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { expectConsoleError } from "../setup/fail-on-console.ts";
import { adminSql, http, invitationToken, signUp, uniqueEmail } from "../setup/http.ts";
import { holdOutboxWorkerLock } from "../setup/outbox-worker-lock.ts";
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
