import postgres from "postgres";
import { startTestCluster } from "../setup/test-database.ts";
import { ENTRIES, measure, PEOPLE, PROJECTS, seed } from "./load.ts";

/**
 * `npm run bench`: how the derived budget figures (ADR 008) behave at the size of a large agency's
 * year — 100 people, 250 projects, 250 000 time entries — on a throwaway embedded PostgreSQL 15.
 * Budgets are summed from entries on every read and alerts are evaluated on every entry write, so
 * these are the numbers to watch. Prints medians; asserts nothing (speed is measured, not tested).
 */
async function main(): Promise<void> {
  const cluster = await startTestCluster("bench");
  const database = await cluster.database("crm_bench");
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const { agencyId, ownerId, projectIds } = await seed(sql);
    const claims = JSON.stringify({ sub: ownerId, role: "authenticated", aud: "authenticated" });
    const asOwner = <T>(work: (tx: postgres.TransactionSql) => Promise<T>) =>
      sql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
        return work(tx);
      }) as Promise<T>;
    const one = projectIds[0]!;
    let day = 0;
    const results = [
      await measure("project_budgets() — every project (the list page)", 15, () =>
        asOwner((tx) => tx`select * from public.project_budgets()`),
      ),
      await measure("project_budgets(one) — a project page", 50, () =>
        asOwner((tx) => tx`select * from public.project_budgets(array[${one}]::uuid[])`),
      ),
      await measure("project_weekly_burn(one, 12)", 50, () =>
        asOwner((tx) => tx`select * from public.project_weekly_burn(${one}, 12)`),
      ),
      await measure("project_hours_by_member(one)", 50, () =>
        asOwner((tx) => tx`select * from public.project_hours_by_member(${one})`),
      ),
      await measure("log_time as the member: one timed entry, every rule and the budget alert check", 50, () => {
        // Each run on its own empty day (before the loaded year), so no run collides with another.
        day += 1;
        return asOwner(
          (tx) => tx`select id from public.log_time(${agencyId}, ${one}, null, 'bench', null,
                       (current_date - 400 - ${day}::int) + time '09:00', (current_date - 400 - ${day}::int) + time '10:30')`,
        );
      }),
      await measure("one person's week (the timesheet grid's entries)", 50, () =>
        asOwner(
          (tx) => tx`select e.* from public.time_entries e
                     where e.agency_id = ${agencyId} and e.user_id = ${ownerId}
                       and e.entry_date between date_trunc('week', current_date)::date - 7 and date_trunc('week', current_date)::date - 1`,
        ),
      ),
    ];
    console.log(
      `\nDerived budgets: ${PEOPLE} people, ${PROJECTS} projects, ${ENTRIES.toLocaleString("en")} time entries\n`,
    );
    for (const r of results)
      console.log(`  ${r.median.toFixed(1).padStart(8)} ms median  (p95 ${r.p95.toFixed(1)} ms)  ${r.name}`);
  } finally {
    await sql.end();
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
