import postgres from "postgres";
import { expect, inject, it } from "vitest";
import { asDistinctClients, trustForwardedFor } from "../setup/client-ip.ts";
import { adminSql, http } from "../setup/http.ts";
import { addDays, pastMonday, timeAgency } from "../setup/time.ts";
import { useTestServer } from "../setup/test-server.ts";

/**
 * A member logs time into a week while, in another session, the same week is being submitted
 * (read committed, the default): the entry must either be part of the submission or be refused as
 * locked — never a draft left behind in a submitted week. Needs two real sessions, which pgTAP
 * cannot open. Fails when the rules trigger reads the week before taking the member's lock row.
 */
trustForwardedFor();
const app = useTestServer();
const request = asDistinctClients(http(app.url));

it("an entry written while its week is being submitted is refused, not left as a draft", async () => {
  const a = await timeAgency(request, "race", "UTC");
  const week = pastMonday("UTC", 2);
  const claims = JSON.stringify({ sub: a.member.user_id, role: "authenticated", aud: "authenticated" });
  const agencyId = a.owner.agency.id;
  const sessions = [0, 1].map(() => postgres(inject("adminUrl"), { max: 1, onnotice: () => {} }));
  const asMember = <T>(sql: postgres.Sql, work: (tx: postgres.TransactionSql) => Promise<T>) =>
    sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
      return work(tx);
    });
  await asMember(
    sessions[0]!,
    (tx) =>
      tx`select public.log_time(${agencyId}, ${a.project.id}, null, 'Monday', null, null, null, ${week}::date, 3600)`,
  );
  try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const submit = asMember(sessions[0]!, async (tx) => {
      await tx`select public.submit_timesheet(${agencyId}, ${week}::date)`;
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sneak = asMember(
      sessions[1]!,
      (tx) =>
        tx`select public.log_time(${agencyId}, ${a.project.id}, null, 'Wednesday', null, null, null, ${addDays(week, 2)}::date, 3600)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const [submitted, sneaked] = await Promise.allSettled([submit, sneak]);
    expect(submitted.status).toBe("fulfilled");
    expect(sneaked.status).toBe("rejected");
    expect((sneaked as PromiseRejectedResult).reason).toMatchObject({ code: "P0001", hint: "entry_locked" });
    const rows = await adminSql()`
      select description, status from public.time_entries where agency_id = ${agencyId} and user_id = ${a.member.user_id}
      order by entry_date`;
    expect(rows.map((r) => [r.description, r.status])).toEqual([["Monday", "submitted"]]);
  } finally {
    await Promise.all(sessions.map((s) => s.end()));
  }
});
