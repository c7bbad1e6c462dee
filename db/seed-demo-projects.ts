import type postgres from "postgres";

/**
 * The demo's projects: the won "Brand refresh" deal's project made active with a team, dated and
 * linked tasks, milestones and a few weeks of tracked time (enough to trip its 80 % budget alert), and
 * a directly created "Website relaunch". Projects, tasks and milestones are written as the manager
 * through RLS and the task rules; the weeks of time are inserted with admin rights (so past weeks
 * can be approved) and pass the same time-entry triggers, which take rates from the hierarchy.
 */
type Sql = postgres.Sql;
type AsUser = <T>(
  sql: Sql,
  userId: string,
  email: string,
  work: (tx: postgres.TransactionSql) => Promise<T>,
) => Promise<T>;

interface SeedContext {
  sql: Sql;
  asUser: AsUser;
  agencyId: string;
  ids: Record<string, string>;
}

const brandTasks = [
  { title: "Kickoff and discovery", start: -34, due: -30, status: "done", assignee: "max", priority: "high" },
  { title: "Brand audit", start: -29, due: -22, status: "done", assignee: "mia", priority: "medium" },
  { title: "Moodboards", start: -21, due: -14, status: "done", assignee: "mia", priority: "medium" },
  { title: "Logo concepts", start: -13, due: -2, status: "in_progress", assignee: "mia", priority: "high" },
  { title: "Client review round 1", start: -1, due: 3, status: "todo", assignee: "max", priority: "urgent" },
  { title: "Brand guidelines", start: 4, due: 18, status: "todo", assignee: "mia", priority: "medium" },
  { title: "Asset handover", start: 19, due: 22, status: "todo", assignee: "max", priority: "low" },
] as const;

const websiteTasks = [
  { title: "Sitemap and content plan", start: 2, due: 9, assignee: "max", priority: "high" },
  { title: "Wireframes", start: 10, due: 20, assignee: "mia", priority: "medium" },
  { title: "Visual design", start: 21, due: 35, assignee: "mia", priority: "medium" },
  { title: "Build and CMS", start: 36, due: 60, assignee: "max", priority: "high" },
] as const;

export async function seedProjects({ sql, asUser, agencyId, ids }: SeedContext): Promise<void> {
  const max = { id: ids["max@northwind.test"]!, email: "max@northwind.test" };
  const person = (key: "max" | "mia") => ids[`${key}@northwind.test`]!;

  const brandId = await asUser(sql, max.id, max.email, async (tx) => {
    const [project] = await tx<{ id: string }[]>`
      update public.projects
      set status = 'active', manager_id = ${max.id}, budget_hours = 240, hourly_rate_cents = null,
          start_date = current_date - 34, deadline = current_date + 22
      where agency_id = ${agencyId} and name = 'Brand refresh'
      returning id`;
    const projectId = project!.id;
    for (const key of ["max", "mia"] as const) {
      await tx`insert into public.project_members (agency_id, project_id, user_id)
               values (${agencyId}, ${projectId}, ${person(key)}) on conflict do nothing`;
    }
    // The template's tasks give way to the plan the team agreed on.
    await tx`delete from public.tasks where project_id = ${projectId}`;
    const taskIds: string[] = [];
    for (const t of brandTasks) {
      const [task] = await tx<{ id: string }[]>`
        insert into public.tasks (agency_id, project_id, title, assignee_id, priority, start_date, due_date, estimated_hours)
        values (${agencyId}, ${projectId}, ${t.title}, ${person(t.assignee)}, ${t.priority},
                current_date + ${t.start}::int, current_date + ${t.due}::int, ${(t.due - t.start + 1) * 4})
        returning id`;
      taskIds.push(task!.id);
    }
    for (let i = 1; i < taskIds.length; i++) {
      await tx`insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id)
               values (${agencyId}, ${projectId}, ${taskIds[i]!}, ${taskIds[i - 1]!})`;
    }
    // Statuses in plan order, so every start respects its dependency.
    for (const [index, t] of brandTasks.entries()) {
      if (t.status !== "todo") await tx`update public.tasks set status = ${t.status} where id = ${taskIds[index]!}`;
    }
    const [concepts] = await tx<{ id: string }[]>`
      insert into public.milestones (agency_id, project_id, title, due_date, amount_cents)
      values (${agencyId}, ${projectId}, 'Discovery complete', current_date - 22, 800000),
             (${agencyId}, ${projectId}, 'Logo approved', current_date + 3, 1200000),
             (${agencyId}, ${projectId}, 'Guidelines delivered', current_date + 22, 1200000)
      returning id`;
    await tx`update public.milestones set status = 'reached' where id = ${concepts!.id}`;
    // Each task counts towards the milestone it leads to: three, two and two tasks.
    await tx`
      update public.tasks t set milestone_id = m.id
      from (select id, row_number() over (order by due_date) as n from public.milestones where project_id = ${projectId}) m
      where t.project_id = ${projectId}
        and m.n = case when t.due_date <= current_date - 14 then 1 when t.due_date <= current_date + 3 then 2 else 3 end`;
    return projectId;
  });

  await asUser(sql, max.id, max.email, async (tx) => {
    const [client] = await tx<{ id: string }[]>`
      select id from public.clients where agency_id = ${agencyId} and name = 'Globex Corporation'`;
    const [template] = await tx<{ id: string }[]>`
      select id from public.project_templates where agency_id = ${agencyId} and is_default`;
    const [project] = await tx<{ id: string }[]>`
      insert into public.projects (agency_id, client_id, name, description, status, billing_type, budget_cents,
                                   budget_hours, currency, start_date, deadline, template_id)
      values (${agencyId}, ${client!.id}, 'Website relaunch', 'New marketing site on a headless CMS.', 'planning',
              'hourly', 4800000, 400, 'EUR', current_date + 2, current_date + 60, ${template!.id})
      returning id`;
    await tx`insert into public.project_members (agency_id, project_id, user_id, billable_rate_cents)
             values (${agencyId}, ${project!.id}, ${person("mia")}, 10500)`;
    for (const t of websiteTasks) {
      await tx`
        insert into public.tasks (agency_id, project_id, title, assignee_id, priority, start_date, due_date)
        values (${agencyId}, ${project!.id}, ${t.title}, ${person(t.assignee)}, ${t.priority},
                current_date + ${t.start}::int, current_date + ${t.due}::int)`;
    }
  });

  // Five weeks of time on the brand project: about 205 of its 240 hours, past the 80 % mark. Weeks
  // before last are approved, last week is approved for Max and waits for his approval for Mia, and
  // this week's days are drafts; Mia also has a timed morning yesterday and a running timer.
  const week = sql`date_trunc('week', current_date)::date`;
  await sql`
    insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds,
                                     is_billable, status)
    select ${agencyId}, m.user_id, ${brandId}, 'Brand refresh work', d::date, 3 * 3600 + 1800 + (extract(dow from d)::int * 900),
           true,
           case when d < ${week} - 7 then 'approved'
                when d < ${week} then case when m.user_id = ${person("mia")}::uuid then 'submitted' else 'approved' end
                else 'draft' end::public.time_entry_status
    from generate_series(current_date - 34, current_date - 1, interval '1 day') d
    cross join (values (${person("max")}::uuid), (${person("mia")}::uuid)) m(user_id)
    where extract(isodow from d) < 6`;
  await sql`
    insert into public.timesheets (agency_id, user_id, week_start, status, submitted_at, decided_by, decided_at)
    select ${agencyId}, e.user_id, date_trunc('week', e.entry_date)::date, min(e.status)::text::public.timesheet_status,
           date_trunc('week', e.entry_date) + interval '4 days 17 hours',
           case when min(e.status) = 'approved' then ${ids["olivia@northwind.test"]!}::uuid end,
           case when min(e.status) = 'approved' then date_trunc('week', e.entry_date) + interval '7 days 10 hours' end
    from public.time_entries e
    where e.agency_id = ${agencyId} and e.status in ('submitted', 'approved')
    group by e.user_id, date_trunc('week', e.entry_date)`;
  const logoTask = sql`(select id from public.tasks where project_id = ${brandId} and title = 'Logo concepts')`;
  await sql`
    insert into public.time_entries (agency_id, user_id, project_id, task_id, description, started_at, ended_at)
    select ${agencyId}, ${person("mia")}, ${brandId}, ${logoTask}, 'Logo sketches, second direction',
           ((current_date - 1) + time '09:00') at time zone 'America/New_York',
           ((current_date - 1) + time '12:30') at time zone 'America/New_York'
    where date_trunc('week', current_date - 1) = date_trunc('week', current_date)`;
  await sql`
    insert into public.timers (agency_id, user_id, project_id, task_id, description, started_at)
    values (${agencyId}, ${person("mia")}, ${brandId}, ${logoTask}, 'Logo refinements', now() - interval '25 minutes')`;
}
