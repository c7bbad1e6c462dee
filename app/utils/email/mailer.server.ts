import fs from "node:fs/promises";
import path from "node:path";
import { Resend } from "resend";
import { env } from "../env.server.ts";

/**
 * Where emails go: Resend when RESEND_API_KEY is set, otherwise the dev mailbox — files under
 * DATA_DIR/mailbox that /dev/mailbox shows, plus a console line with the first link.
 */
export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  readonly kind: "resend" | "dev-mailbox";
  /** Returns the provider's message id. Throws on failure; the outbox retries. */
  send(email: OutgoingEmail): Promise<string>;
}

export class ResendMailer implements Mailer {
  readonly kind = "resend" as const;
  private readonly client: Resend;
  constructor(
    apiKey: string,
    private readonly from: string,
  ) {
    this.client = new Resend(apiKey);
  }

  async send(email: OutgoingEmail): Promise<string> {
    // The outbox id as idempotency key: a retry after a lost response does not send twice.
    const { data, error } = await this.client.emails.send(
      { from: this.from, to: email.to, subject: email.subject, html: email.html, text: email.text },
      { idempotencyKey: `outbox-${email.id}` },
    );
    if (error || !data) throw new Error(`Resend refused the email: ${error?.message ?? "no response"}`);
    return data.id;
  }
}

export interface MailboxMessage extends OutgoingEmail {
  from: string;
  sent_at: string;
}

export class DevMailbox implements Mailer {
  readonly kind = "dev-mailbox" as const;
  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    const message: MailboxMessage = { ...email, from: this.from, sent_at: new Date().toISOString() };
    await fs.writeFile(path.join(this.dir, `${email.id}.json`), JSON.stringify(message, null, 2));
    const link = /https?:\/\/[^\s)]+/.exec(email.text)?.[0];
    console.log(`[mail] to ${email.to}: ${email.subject}${link ? ` — ${link}` : ""}`);
    return `dev-${email.id}`;
  }

  async list(): Promise<MailboxMessage[]> {
    const files = await fs.readdir(this.dir).catch(() => [] as string[]);
    const messages = await Promise.all(
      files
        .filter((f) => /^[0-9a-f-]{36}\.json$/.test(f))
        .map(async (f) => JSON.parse(await fs.readFile(path.join(this.dir, f), "utf8")) as MailboxMessage),
    );
    return messages.sort((a, b) => b.sent_at.localeCompare(a.sent_at));
  }

  async get(id: string): Promise<MailboxMessage | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const raw = await fs.readFile(path.join(this.dir, `${id}.json`), "utf8").catch(() => undefined);
    return raw ? (JSON.parse(raw) as MailboxMessage) : undefined;
  }
}

export function devMailbox(): DevMailbox {
  return new DevMailbox(path.resolve(env().DATA_DIR, "mailbox"), env().EMAIL_FROM);
}

export function configuredMailer(): Mailer {
  const config = env();
  return config.RESEND_API_KEY ? new ResendMailer(config.RESEND_API_KEY, config.EMAIL_FROM) : devMailbox();
}
