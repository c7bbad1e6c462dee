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
  attachments?: EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
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
      {
        from: this.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        // The SDK sends Buffer content as base64, which is what Resend's API takes.
        ...(email.attachments?.length && {
          attachments: email.attachments.map(({ filename, content, contentType }) => ({
            filename,
            content,
            contentType,
          })),
        }),
      },
      { idempotencyKey: `outbox-${email.id}` },
    );
    if (error || !data) throw new Error(`Resend refused the email: ${error?.message ?? "no response"}`);
    return data.id;
  }
}

/** An attachment as the mailbox records it; its bytes sit in a file beside the message's JSON. */
export interface MailboxAttachment {
  /** The file name under the mailbox folder: `<message id>.<n>-<safe name>`. */
  file: string;
  filename: string;
  size: number;
  content_type: string;
}

export interface MailboxMessage extends Omit<OutgoingEmail, "attachments"> {
  from: string;
  sent_at: string;
  attachments?: MailboxAttachment[];
}

export class DevMailbox implements Mailer {
  readonly kind = "dev-mailbox" as const;
  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    const { attachments = [], ...content } = email;
    const stored: MailboxAttachment[] = [];
    for (const [index, attachment] of attachments.entries()) {
      const file = `${email.id}.${index + 1}-${safeFileName(attachment.filename)}`;
      await fs.writeFile(path.join(this.dir, file), attachment.content);
      stored.push({
        file,
        filename: attachment.filename,
        size: attachment.content.length,
        content_type: attachment.contentType,
      });
    }
    const message: MailboxMessage = {
      ...content,
      ...(stored.length > 0 && { attachments: stored }),
      from: this.from,
      sent_at: new Date().toISOString(),
    };
    // The JSON last: list() only shows messages whose attachments are already in place.
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

  /** An attachment's bytes and type, only when the message lists that file. */
  async attachment(id: string, file: string): Promise<{ attachment: MailboxAttachment; content: Buffer } | undefined> {
    const attachment = (await this.get(id))?.attachments?.find((a) => a.file === file);
    if (!attachment) return undefined;
    const content = await fs.readFile(path.join(this.dir, attachment.file)).catch(() => undefined);
    return content ? { attachment, content } : undefined;
  }
}

/**
 * A name that is safe as one path segment on any disk and in a URL: letters, digits, dot, dash
 * and underscore only, no leading dot, bounded length.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(-100);
  return cleaned || "attachment";
}

export function devMailbox(): DevMailbox {
  return new DevMailbox(path.resolve(env().DATA_DIR, "mailbox"), env().EMAIL_FROM);
}

export function configuredMailer(): Mailer {
  const config = env();
  return config.RESEND_API_KEY ? new ResendMailer(config.RESEND_API_KEY, config.EMAIL_FROM) : devMailbox();
}
