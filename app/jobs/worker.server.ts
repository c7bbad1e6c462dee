import { Logger, run, type Runner } from "graphile-worker";
import { adminSql } from "#app/utils/admin-db.server.ts";
import { configuredMailer } from "#app/utils/email/mailer.server.ts";
import { env, requireSetting } from "#app/utils/env.server.ts";
import { deliverDueEmails } from "./deliver-emails.server.ts";

/**
 * Background work on graphile-worker (a PostgreSQL job queue, so no extra service): email
 * delivery, overdue invoices, and schedules from later features. The outbox trigger NOTIFYs `email_outbox`; the
 * listener turns that into a deduplicated job, and a one-minute cron covers retries and anything
 * a missed notification left behind.
 */
export interface BackgroundWorker {
  stop(): Promise<void>;
}

const crontab = [
  "* * * * * deliver_emails ?jobKey=deliver_emails",
  "*/15 * * * * clean_rate_limits ?jobKey=clean_rate_limits",
  // Hourly rather than daily: each agency's day starts at its own midnight. State-based, so a
  // missed run is caught up by the next one.
  "5 * * * * mark_overdue_invoices ?jobKey=mark_overdue_invoices",
  // Same reasoning: each period and each reminder step is keyed in SQL, so a rerun or a catch-up
  // after downtime generates or sends nothing twice.
  "10 * * * * generate_recurring_invoices ?jobKey=generate_recurring_invoices",
  "15 * * * * send_invoice_reminders ?jobKey=send_invoice_reminders",
].join("\n");

/** graphile-worker logs every job at info level; keep warnings and errors. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[worker] ${message}`);
});

export async function startWorker(): Promise<BackgroundWorker> {
  const admin = adminSql();
  const mailer = configuredMailer();
  if (!env().RESEND_API_KEY && !env().devMailbox) {
    console.warn(
      "[worker] No RESEND_API_KEY: emails are written to DATA_DIR/mailbox and the dev mailbox page is off " +
        "for a non-local SITE_URL. Set RESEND_API_KEY to deliver them (or DEV_MAILBOX=on for a private demo).",
    );
  }
  const runner: Runner = await run({
    connectionString: requireSetting("DATABASE_URL"),
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    crontab,
    logger: quietLogger,
    taskList: {
      deliver_emails: async () => {
        await deliverDueEmails({ admin, mailer, siteUrl: env().siteUrl });
      },
      clean_rate_limits: async () => {
        await admin`delete from private.rate_limits where expire < now() - interval '1 hour'`;
      },
      mark_overdue_invoices: async () => {
        await admin`select public.mark_overdue_invoices()`;
      },
      generate_recurring_invoices: async () => {
        await admin`select public.generate_recurring_invoices()`;
      },
      send_invoice_reminders: async () => {
        await admin`select public.send_due_reminders()`;
      },
    },
  });
  const wake = () =>
    runner.addJob("deliver_emails", {}, { jobKey: "deliver_emails", jobKeyMode: "replace" }).catch((error: unknown) => {
      console.error("[worker] could not queue email delivery", error);
    });
  const listener = await admin.listen("email_outbox", () => void wake());
  await wake();
  return {
    async stop() {
      await listener.unlisten();
      await runner.stop();
    },
  };
}
