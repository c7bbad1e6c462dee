import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ResendMailer } from "#app/utils/email/mailer.server.ts";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { expectConsoleError } from "../setup/fail-on-console.ts";
import { useFakeResend, type ResendRequest } from "../setup/fake-resend.ts";
import { adminSql, http, invitationToken, signUp, uniqueEmail } from "../setup/http.ts";
import { holdOutboxWorkerLock } from "../setup/outbox-worker-lock.ts";
import { useTestServer } from "../setup/test-server.ts";

/*
 * Email delivery through the real `resend` SDK against a local stand-in of Resend's API
 * (RESEND_BASE_URL). The worker runs in this process and delivers every due row of the shared
 * outbox, so assertions only look at this file's own rows; holdOutboxWorkerLock keeps the other
 * worker-running file (email-delivery, dev mailbox) from running at the same time.
 */
const FROM = "Pixel Agency <crm@mail.agency.example>";
trustForwardedFor();
process.env.EMAIL_FROM = FROM;
holdOutboxWorkerLock();
const resend = useFakeResend();
const app = useTestServer({ worker: true });
const request = asDistinctClients(http(app.url));

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
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function outboxRow(id: string): Promise<OutboxRow> {
  const [row] = await adminSql()<OutboxRow[]>`
    select id, status, attempts, last_error, provider_message_id, sent_at, next_attempt_at
    from private.email_outbox where id = ${id}
  `;
  return row!;
}

/** A new agency invites `email`; returns the outbox row queued for it. */
async function inviteSomeone(prefix: string) {
  const owner = await signUp(request, `${prefix}-owner`, "Resend");
  const email = uniqueEmail(`${prefix}-invitee`);
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
  return { owner, email, outboxId: queued!.id };
}

function sendsOf(outboxId: string): ResendRequest[] {
  return resend().requests.filter((r) => r.idempotencyKey === `outbox-${outboxId}`);
}

// Rows this file left pending must not be retried into another file's worker later.
const leftPending: string[] = [];
afterAll(async () => {
  if (leftPending.length > 0) {
    await adminSql()`update private.email_outbox set status = 'failed' where id in ${adminSql()(leftPending)}`;
  }
});

describe("email delivery through Resend", () => {
  it("sends an invitation through Resend's API and marks the outbox row sent with Resend's id", async () => {
    const { owner, email, outboxId } = await inviteSomeone("rs-sent");
    const token = await invitationToken(email);

    const sent = await eventually(
      () => sendsOf(outboxId).find((r) => r.status === 200),
      `the Resend request for outbox row ${outboxId}`,
    );
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/emails");
    expect(sent.authorization).toBe(`Bearer ${resend().apiKey}`);
    expect(sent.userAgent).toMatch(/^resend-node:/);
    const link = `${app.url()}/invite/${token}`;
    expect(app.url()).toMatch(/^http:\/\/localhost:\d+$/);
    expect(sent.body).toMatchObject({
      from: FROM,
      to: email,
      subject: `rs-sent-owner person invited you to ${owner.agency.name}`,
    });
    expect(sent.body.html).toContain(`href="${link}"`);
    expect(sent.body.text).toContain(link);

    const row = await eventually(async () => {
      const current = await outboxRow(outboxId);
      return current.status === "sent" ? current : undefined;
    }, "status sent");
    expect(row).toMatchObject({
      attempts: 1,
      last_error: null,
      provider_message_id: (sent.response as { id: string }).id,
    });
    expect(row.provider_message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(resend().delivered.filter((e) => e.idempotencyKey === `outbox-${outboxId}`)).toHaveLength(1);
  });

  it("does not send twice when a row is delivered again (the idempotency key is the outbox id)", async () => {
    const { outboxId } = await inviteSomeone("rs-again");
    const firstId = await eventually(async () => (await outboxRow(outboxId)).provider_message_id ?? undefined, "sent");
    // As if the worker had died after Resend accepted the email but before the row was marked.
    await adminSql()`
      update private.email_outbox set status = 'pending', sent_at = null, provider_message_id = null,
        next_attempt_at = now() where id = ${outboxId}
    `;
    await adminSql()`select pg_notify('email_outbox', ${outboxId})`;
    const row = await eventually(async () => {
      const current = await outboxRow(outboxId);
      return current.status === "sent" && current.attempts === 2 ? current : undefined;
    }, "the second delivery");
    expect(sendsOf(outboxId)).toHaveLength(2);
    expect(row.provider_message_id).toBe(firstId);
    expect(resend().delivered.filter((e) => e.idempotencyKey === `outbox-${outboxId}`)).toHaveLength(1);
  });

  it("hands attachments to Resend as base64 with their names and types (the invoice PDF)", async () => {
    const id = randomUUID();
    const to = uniqueEmail("rs-attach");
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.from("\n%%EOF")]);
    const mailer = new ResendMailer(resend().apiKey, FROM);
    const providerId = await mailer.send({
      id,
      to,
      subject: "Invoice INV-0007",
      html: "<p>Attached.</p>",
      text: "Attached.",
      attachments: [{ filename: "INV-0007.pdf", content: pdf, contentType: "application/pdf" }],
    });

    const [sent] = sendsOf(id);
    expect(sent).toMatchObject({ status: 200, path: "/emails" });
    expect(providerId).toBe((sent!.response as { id: string }).id);
    expect(sent!.body.attachments).toEqual([
      { filename: "INV-0007.pdf", content: pdf.toString("base64"), content_type: "application/pdf" },
    ]);
    expect(Buffer.from(sent!.body.attachments[0].content, "base64").equals(pdf)).toBe(true);
    // An email without attachments sends none (not an empty list).
    const plainId = randomUUID();
    await mailer.send({ id: plainId, to, subject: "Plain", html: "<p>x</p>", text: "x", attachments: [] });
    expect(sendsOf(plainId)[0]!.body).not.toHaveProperty("attachments");
  });

  it("keeps the row pending with the error when Resend answers 500", async () => {
    expectConsoleError(1);
    const failing = new Set<string>();
    resend().failWhen((email) => failing.has(String(email.to)));
    try {
      const email = uniqueEmail("rs-broken-invitee");
      failing.add(email);
      const owner = await signUp(request, "rs-broken-owner", "Resend");
      const invited = await request("/api/members", {
        token: owner.access_token,
        agencyId: owner.agency.id,
        body: { email, role: "member" },
      });
      expect(invited.status).toBe(201);
      const [queued] = await adminSql()<{ id: string }[]>`
        select id from private.email_outbox where to_email = ${email} and template = 'staff_invitation'
      `;
      const outboxId = queued!.id;
      leftPending.push(outboxId);

      const failed = await eventually(async () => {
        const current = await outboxRow(outboxId);
        return current.last_error ? current : undefined;
      }, "the failed attempt");
      expect(failed).toMatchObject({ status: "pending", attempts: 1, provider_message_id: null, sent_at: null });
      expect(failed.last_error).toContain("Resend refused the email: An unexpected error occurred.");
      // Backed off (about 30 s), not retried in a tight loop.
      expect(failed.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 15_000);
      expect(sendsOf(outboxId).map((r) => r.status)).toEqual([500]);
      expect(resend().delivered.some((e) => e.idempotencyKey === `outbox-${outboxId}`)).toBe(false);
      await eventually(
        () =>
          vi
            .mocked(console.error)
            .mock.calls.some((args) => String(args[0]).includes("delivery of staff_invitation (attempt 1) failed"))
            ? true
            : undefined,
        "the worker's error log",
        2_000,
      );
    } finally {
      resend().failWhen(null);
    }
  });
});
