import type postgres from "postgres";
import { renderEmail } from "#app/emails/render.server.tsx";
import type { Mailer } from "#app/utils/email/mailer.server.ts";

/**
 * Sends what is due in the outbox. Claiming, retry scheduling and giving up are SQL
 * (private.claim_due_emails / complete_email / fail_email); this only renders and hands over.
 */
interface OutboxRow {
  id: string;
  to_email: string;
  template: string;
  data: unknown;
  attempts: number;
}

const BATCH = 20;
const LEASE = "5 minutes";

export async function deliverDueEmails({
  admin,
  mailer,
  siteUrl,
  log = console,
}: {
  admin: postgres.Sql;
  mailer: Mailer;
  siteUrl: string;
  log?: Pick<Console, "error">;
}): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const batch = await admin<OutboxRow[]>`select * from private.claim_due_emails(${BATCH}, ${LEASE}::interval)`;
    if (batch.length === 0) return { sent, failed };
    for (const row of batch) {
      try {
        const rendered = await renderEmail(row.template, row.data, siteUrl);
        const providerId = await mailer.send({ id: row.id, to: row.to_email, ...rendered });
        await admin`select private.complete_email(${row.id}, ${providerId})`;
        sent += 1;
      } catch (error) {
        failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        await admin`select private.fail_email(${row.id}, ${message})`;
        log.error(`[mail] delivery of ${row.template} (attempt ${row.attempts}) failed: ${message}`);
      }
    }
  }
}
