import type postgres from "postgres";

/**
 * The benchmarks' agency: 100 people, 250 projects and 250 000 time entries over a year, loaded in
 * bulk with the per-row triggers off (the rows obey the rules anyway), and a median/p95 timer.
 */
export const PEOPLE = 100;
export const PROJECTS = 250;
export const ENTRIES = 250_000;

type Sql = postgres.Sql;

export async function seed(sql: Sql) {
  const people = await sql<{ id: string }[]>`
    insert into auth.users (email, raw_user_meta_data)
    select 'person' || n || '@bench.test', jsonb_build_object('name', 'Person ' || n)
    from generate_series(1, ${PEOPLE}) n
    returning id`;
  const ownerId = people[0]!.id;
  const claims = JSON.stringify({ sub: ownerId, role: "authenticated", aud: "authenticated" });
  const agencyId = await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
    const [row] = await tx<
      { id: string }[]
    >`select id from public.create_agency('Bench Agency', 'EUR', 'Europe/Berlin')`;
    return row!.id;
  });
  await sql`
    insert into public.agency_members (agency_id, user_id, role)
    select ${agencyId}, id, 'member' from unnest(${people.slice(1).map((p) => p.id)}::uuid[]) id`;
  const [client] = await sql<{ id: string }[]>`
    insert into public.clients (agency_id, name) values (${agencyId}, 'Bench client') returning id`;
  const projects = await sql<{ id: string }[]>`
    insert into public.projects (agency_id, client_id, name, currency, status, budget_cents, budget_hours)
    select ${agencyId}, ${client!.id}, 'Project ' || n, 'EUR', 'active', 10000000, 1000
    from generate_series(1, ${PROJECTS}) n
    returning id`;
  // Teams: the load below pairs person i with project j where i ≡ j (mod 50), five projects each.
  await sql`
    insert into public.project_members (agency_id, project_id, user_id)
    select ${agencyId}, j.id, p.id
    from unnest(${people.map((p) => p.id)}::uuid[]) with ordinality p(id, i)
    join unnest(${projects.map((p) => p.id)}::uuid[]) with ordinality j(id, k) on (p.i - 1) % 50 = (j.k - 1) % 50
    on conflict do nothing`;
  // Bulk load without the per-row triggers (rules and alerts are measured on their own below); the
  // rows are valid anyway: about seven entries of at most 2 h per person and day, no future days.
  await sql`alter table public.time_entries disable trigger time_entries_evaluate_budget`;
  await sql`alter table public.time_entries disable trigger time_entries_apply_rules`;
  await sql`alter table public.time_entries disable trigger time_entries_audit`;
  await sql`
    insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds, is_billable,
                                     billable_rate_cents, cost_rate_cents, time_zone, status)
    select ${agencyId}, p.ids[1 + (n % ${PEOPLE})], j.ids[1 + (n % ${PROJECTS})],
           current_date - ((n / ${PEOPLE}) % 365), 900 + (n % 8) * 900, n % 5 <> 0, 8000 + (n % 7) * 1000, 4000,
           'UTC', 'approved'
    from generate_series(1, ${ENTRIES}) n,
         (select array_agg(id) as ids from unnest(${people.map((p) => p.id)}::uuid[]) id) p,
         (select array_agg(id) as ids from unnest(${projects.map((p) => p.id)}::uuid[]) id) j`;
  await sql`alter table public.time_entries enable trigger time_entries_audit`;
  await sql`alter table public.time_entries enable trigger time_entries_apply_rules`;
  await sql`alter table public.time_entries enable trigger time_entries_evaluate_budget`;
  // What autovacuum does after a load: statistics and the visibility map (index-only scans).
  await sql`vacuum analyze`;
  return { agencyId, ownerId, projectIds: projects.map((p) => p.id) };
}

export async function measure(name: string, runs: number, work: () => Promise<unknown>) {
  await work(); // warm-up: plans and caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, median: times[Math.floor(runs / 2)]!, p95: times[Math.min(runs - 1, Math.floor(runs * 0.95))]! };
}
