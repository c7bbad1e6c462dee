import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminSql } from "../setup/http.ts";

/**
 * Invoicing under two real sessions, which pgTAP cannot open. Each test holds one transaction open
 * at the interesting point, starts the competing one in a second session, waits until Postgres
 * reports it blocked on a lock, then lets the first finish:
 * - two drafts of the same time (read committed): the second finds the entries taken and bills
 *   none of them; under repeatable read it fails with 40001 instead;
 * - two issues at once: numbers in commit order, and a rolled-back issue's number goes to the
 *   waiting one (no gap);
 * - a line added while its invoice is being issued waits, then is refused (the total of an issued
 *   invoice never moves);
 * - the same Stripe event delivered twice at once is one payment.
 * Data is arranged directly as the database owner (the invoicing API comes later).
 */
const sessions: postgres.Sql[] = [];
let pids: number[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i += 1) sessions.push(postgres(inject("adminUrl"), { max: 1, onnotice: () => {} }));
  pids = await Promise.all(
    sessions.map(async (s) => (await s<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid),
  );
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.end()));
});

interface Arranged {
  agencyId: string;
  ownerClaims: string;
  projectId: string;
  clientId: string;
  entryIds: string[];
}

/** An agency (owner + member), a client, a project with the member on it, and `entries` hours of past time. */
async function arrange(prefix: string, entries = 4): Promise<Arranged> {
  const sql = adminSql();
  return sql.begin(async (tx) => {
    const [owner] = await tx<{ id: string }[]>`
      insert into auth.users (id, email, raw_user_meta_data, email_confirmed_at)
      values (${randomUUID()}, ${`${prefix}-owner-${randomUUID()}@race.test`}, '{"name": "Owner"}', now()) returning id`;
    const [member] = await tx<{ id: string }[]>`
      insert into auth.users (id, email, raw_user_meta_data, email_confirmed_at)
      values (${randomUUID()}, ${`${prefix}-member-${randomUUID()}@race.test`}, '{"name": "Member"}', now()) returning id`;
    const ownerClaims = JSON.stringify({ sub: owner!.id, role: "authenticated", aud: "authenticated" });
    await tx`select set_config('request.jwt.claims', ${ownerClaims}, true)`;
    const [agency] = await tx<{ id: string }[]>`select (public.create_agency(${`${prefix} race agency`})).id as id`;
    await tx`select set_config('request.jwt.claims', '', true)`;
    const agencyId = agency!.id;
    await tx`insert into public.agency_members (agency_id, user_id, role) values (${agencyId}, ${member!.id}, 'member')`;
    await tx`update public.agencies set default_hourly_rate_cents = 10000 where id = ${agencyId}`;
    const [client] = await tx<{ id: string }[]>`
      insert into public.clients (agency_id, name) values (${agencyId}, 'Acme') returning id`;
    const [project] = await tx<{ id: string }[]>`
      insert into public.projects (agency_id, client_id, name, currency, status)
      values (${agencyId}, ${client!.id}, 'Site', 'USD', 'active') returning id`;
    await tx`insert into public.project_members (agency_id, project_id, user_id) values (${agencyId}, ${project!.id}, ${member!.id})`;
    const entryIds: string[] = [];
    for (let i = 1; i <= entries; i += 1) {
      const [entry] = await tx<{ id: string }[]>`
        insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
        values (${agencyId}, ${member!.id}, ${project!.id}, ${`day ${i}`}, current_date - ${i}::int, 3600) returning id`;
      entryIds.push(entry!.id);
    }
    return { agencyId, ownerClaims, projectId: project!.id, clientId: client!.id, entryIds };
  });
}

/** A transaction in session `n`, acting as the user of `claims` (or the service role), like a request. */
function inSession<T>(
  n: number,
  claims: string,
  work: (tx: postgres.TransactionSql) => Promise<T>,
  isolation = "read committed",
): Promise<T> {
  const role = JSON.parse(claims).role as string;
  return sessions[n]!.begin(`isolation level ${isolation}`, async (tx) => {
    await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${claims}, true)`;
    return work(tx);
  }) as Promise<T>;
}

/** Resolves once session `n` is waiting for a lock (fails after 10 s). */
async function blocked(n: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    const [row] = await adminSql()<{ waiting: boolean }[]>`
      select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = ${pids[n]!}`;
    if (row?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`session ${n} never blocked`);
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * Runs `holder` in session 0 up to its hold, then `contender` in session 1 until it waits for a
 * lock, then lets the holder finish; both outcomes are returned. The hold is always released, so a
 * failed expectation never leaves a session stuck for the next test.
 */
async function race<A, B>(
  holder: (hold: Promise<void>, reached: () => void) => Promise<A>,
  contender: () => Promise<B>,
): Promise<[PromiseSettledResult<A>, PromiseSettledResult<B>]> {
  const hold = gate();
  const reached = gate();
  const first = holder(hold.wait, reached.open);
  first.catch(() => reached.open());
  let second: Promise<B> | undefined;
  try {
    await reached.wait;
    second = contender();
    second.catch(() => {});
    await Promise.race([
      blocked(1),
      second.then(
        () => {},
        () => {},
      ),
    ]);
  } finally {
    hold.open();
  }
  return Promise.allSettled([first, second ?? Promise.reject(new Error("the contender never started"))]) as Promise<
    [PromiseSettledResult<A>, PromiseSettledResult<B>]
  >;
}

function value<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

async function draft(
  a: Arranged,
  lines: unknown[] = [{ description: "Hosting", quantity: 1, unit_price_cents: 5000 }],
) {
  return inSession(0, a.ownerClaims, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      select (public.create_invoice(${a.agencyId}, ${a.projectId}, p_include_time => false, p_lines => ${tx.json(lines as never)})).id as id`;
    return row!.id;
  });
}

describe("drafting the same time twice at once", () => {
  it("read committed: the second draft waits, then bills none of the entries the first took", async () => {
    const a = await arrange("rc");
    const [first, second] = await race(
      (hold, reached) =>
        inSession(0, a.ownerClaims, async (tx) => {
          const [row] = await tx<
            { id: string }[]
          >`select (public.create_invoice(${a.agencyId}, ${a.projectId})).id as id`;
          reached();
          await hold;
          return row!.id;
        }),
      // The second also asks for a manual line, so it succeeds and shows what it took.
      () =>
        inSession(1, a.ownerClaims, async (tx) => {
          const [row] = await tx<{ id: string }[]>`
            select (public.create_invoice(${a.agencyId}, ${a.projectId},
                    p_lines => ${tx.json([{ description: "Hosting", quantity: 1, unit_price_cents: 5000 }])})).id as id`;
          return row!.id;
        }),
    );
    const [firstId, secondId] = [value(first), value(second)];
    const links = await adminSql()<{ invoice_id: string; n: number }[]>`
      select invoice_id, count(*)::int as n from public.time_entries where id in ${adminSql()(a.entryIds)} group by 1`;
    expect(links).toEqual([{ invoice_id: firstId, n: 4 }]);
    const lines = await adminSql()<{ invoice_id: string; kind: string; quantity: string }[]>`
      select invoice_id, kind::text, quantity::text from public.invoice_lines
      where invoice_id in (${firstId}, ${secondId}) order by invoice_id = ${firstId} desc, kind`;
    expect(lines).toEqual([
      { invoice_id: firstId, kind: "time", quantity: "4.0000" },
      { invoice_id: secondId, kind: "manual", quantity: "1.0000" },
    ]);
  });

  it("repeatable read: the second draft fails with a serialization error and leaves nothing", async () => {
    const a = await arrange("rr");
    const [first, second] = await race(
      (hold, reached) =>
        inSession(0, a.ownerClaims, async (tx) => {
          await tx`select public.create_invoice(${a.agencyId}, ${a.projectId})`;
          reached();
          await hold;
        }),
      () =>
        inSession(
          1,
          a.ownerClaims,
          (tx) => tx`select public.create_invoice(${a.agencyId}, ${a.projectId})`,
          "repeatable read",
        ),
    );
    expect(first.status).toBe("fulfilled");
    expect(second.status).toBe("rejected");
    expect((second as PromiseRejectedResult).reason).toMatchObject({ code: "40001" });
    const [count] = await adminSql()<{ n: number }[]>`
      select count(*)::int as n from public.invoices where agency_id = ${a.agencyId}`;
    expect(count!.n).toBe(1);
  });
});

describe("issuing at once", () => {
  it("numbers follow the commits, and a rolled-back issue's number goes to the one that waited", async () => {
    const a = await arrange("num", 0);
    const [d1, d2, d3] = [await draft(a), await draft(a), await draft(a)];
    const issue = (n: number, id: string) =>
      inSession(n, a.ownerClaims, async (tx) => {
        const [row] = await tx<{ n: string }[]>`select (public.issue_invoice(${id})).invoice_number as n`;
        return row!.n;
      });
    const year = new Date().getUTCFullYear();

    // d1 takes number 1, then its transaction fails; d2 was waiting for the counter.
    const [failed, issued] = await race(
      (hold, reached) =>
        inSession(0, a.ownerClaims, async (tx) => {
          await tx`select public.issue_invoice(${d1})`;
          reached();
          await hold;
          throw new Error("the email could not be queued");
        }),
      () => issue(1, d2),
    );
    expect(failed.status).toBe("rejected");
    expect(value(issued)).toBe(`INV-${year}-0001`);

    // d3 and d1 at once, both committing: 2 and 3, in the order the counter was taken.
    const [one, two] = await race(
      (hold, reached) =>
        inSession(0, a.ownerClaims, async (tx) => {
          const [row] = await tx<{ n: string }[]>`select (public.issue_invoice(${d3})).invoice_number as n`;
          reached();
          await hold;
          return row!.n;
        }),
      () => issue(1, d1),
    );
    expect([value(one), value(two)]).toEqual([`INV-${year}-0002`, `INV-${year}-0003`]);
    const rows = await adminSql()<{ sequence_number: number }[]>`
      select sequence_number from public.invoices where agency_id = ${a.agencyId} order by 1`;
    expect(rows.map((r) => r.sequence_number)).toEqual([1, 2, 3]);
  });

  it("a line added while the invoice is being issued waits, then is refused", async () => {
    const a = await arrange("line", 0);
    const d = await draft(a);
    const [issued, added] = await race(
      (hold, reached) =>
        inSession(0, a.ownerClaims, async (tx) => {
          await tx`select public.issue_invoice(${d})`;
          reached();
          await hold;
        }),
      () =>
        inSession(
          1,
          a.ownerClaims,
          (tx) => tx`
            insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents)
            values (${a.agencyId}, ${d}, 'Slipped in', 1, 99900)`,
        ),
    );
    expect(issued.status).toBe("fulfilled");
    expect(added.status).toBe("rejected");
    expect((added as PromiseRejectedResult).reason).toMatchObject({ code: "P0001", hint: "invoice_not_draft" });
    const [invoice] = await adminSql()<{ status: string; total_cents: string; lines: number }[]>`
      select i.status::text, i.total_cents::text, (select count(*)::int from public.invoice_lines l where l.invoice_id = i.id) as lines
      from public.invoices i where i.id = ${d}`;
    expect(invoice).toEqual({ status: "sent", total_cents: "5000", lines: 1 });
  });
});

it("the same Stripe event delivered twice at once is one payment", async () => {
  const a = await arrange("evt", 0);
  const d = await draft(a);
  await inSession(0, a.ownerClaims, (tx) => tx`select public.issue_invoice(${d})`);
  const service = JSON.stringify({ role: "service_role" });
  const eventId = `evt_${randomUUID()}`;
  const deliver = (tx: postgres.TransactionSql) =>
    tx<{ id: string }[]>`select (public.record_payment(${d}, 5000, 'stripe', now(), 'pi_race', ${eventId})).id as id`;
  const [first, second] = await race(
    (hold, reached) =>
      inSession(0, service, async (tx) => {
        const [row] = await deliver(tx);
        reached();
        await hold;
        return row!.id;
      }),
    () => inSession(1, service, async (tx) => (await deliver(tx))[0]!.id),
  );
  expect(value(second)).toBe(value(first));
  const [state] = await adminSql()<{ payments: number; paid: string; status: string }[]>`
    select (select count(*)::int from public.invoice_payments p where p.invoice_id = i.id) as payments,
           i.amount_paid_cents::text as paid, i.status::text
    from public.invoices i where i.id = ${d}`;
  expect(state).toEqual({ payments: 1, paid: "5000", status: "paid" });
});
