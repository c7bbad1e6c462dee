-- Projects grow into what an agency runs: a manager, a team (each member with an optional
-- project rate), a money and/or hours budget, a project rate, milestones, and full tasks
-- (assignee on the team, priority, dates, estimate, milestone, finish-to-start dependencies,
-- comments). Members now see the projects whose team they are on, and may only move their own
-- tasks and comment on them. Every rule is a constraint or trigger, so the board, the Gantt, the
-- API and SQL typed by hand obey it alike.

-- ============================================================================================
-- Types and columns
-- ============================================================================================
create type public.task_priority as enum ('low', 'medium', 'high', 'urgent');
create type public.milestone_status as enum ('pending', 'reached', 'approved');

alter table public.projects
  add column manager_id uuid,
  add column budget_hours numeric(9, 2) check (budget_hours between 0 and 1000000),
  add column hourly_rate_cents integer check (hourly_rate_cents between 0 and 100000000),
  add foreign key (agency_id, manager_id) references public.agency_members (agency_id, user_id)
    on delete set null (manager_id);
create index projects_manager_idx on public.projects (agency_id, manager_id);
create index projects_status_idx on public.projects (agency_id, status);
comment on column public.projects.hourly_rate_cents is
  'Billable rate for everyone on the project unless their project membership sets one; overrides '
  'member and agency rates.';

create table public.project_members (
  agency_id uuid not null,
  project_id uuid not null,
  user_id uuid not null,
  billable_rate_cents integer check (billable_rate_cents between 0 and 100000000),
  created_at timestamptz not null default now(),
  primary key (agency_id, project_id, user_id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete cascade,
  foreign key (agency_id, user_id) references public.agency_members (agency_id, user_id) on delete cascade
);
create index project_members_user_idx on public.project_members (user_id, agency_id);
comment on table public.project_members is
  'A project''s team. Members see and log time on the projects they are on; tasks may only be '
  'assigned to the team. billable_rate_cents (optional) beats every other rate for this person here '
  'and is hidden from members by column grants.';

create table public.milestones (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  project_id uuid not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text check (char_length(description) <= 10000),
  due_date date,
  amount_cents bigint check (amount_cents between 0 and 100000000000),
  status public.milestone_status not null default 'pending',
  reached_at timestamptz,
  approved_at timestamptz,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  unique (agency_id, project_id, id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete cascade
);
create index milestones_project_idx on public.milestones (agency_id, project_id, due_date);
comment on table public.milestones is
  'A dated deliverable of a project, optionally worth an amount (milestone billing). Reaching one '
  'writes a client timeline event; approved is final.';

alter table public.tasks
  alter column position drop default,
  add column description text check (char_length(description) <= 20000),
  add column priority public.task_priority not null default 'medium',
  add column assignee_id uuid,
  add column start_date date,
  add column due_date date,
  add column estimated_hours numeric(7, 2) check (estimated_hours between 0 and 10000),
  add column milestone_id uuid,
  add column completed_at timestamptz,
  add column created_by uuid references public.profiles (user_id),
  add constraint tasks_due_after_start check (due_date is null or start_date is null or due_date >= start_date),
  add constraint tasks_in_project_key unique (agency_id, project_id, id),
  add constraint tasks_assignee_on_team_fkey foreign key (agency_id, project_id, assignee_id)
    references public.project_members (agency_id, project_id, user_id) on delete set null (assignee_id),
  add constraint tasks_milestone_in_project_fkey foreign key (agency_id, project_id, milestone_id)
    references public.milestones (agency_id, project_id, id) on delete set null (milestone_id);
create index tasks_assignee_idx on public.tasks (assignee_id, agency_id) where assignee_id is not null;
create index tasks_milestone_idx on public.tasks (milestone_id) where milestone_id is not null;

create table public.task_dependencies (
  agency_id uuid not null,
  project_id uuid not null,
  task_id uuid not null,
  depends_on_task_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (task_id, depends_on_task_id),
  check (task_id <> depends_on_task_id),
  foreign key (agency_id, project_id, task_id) references public.tasks (agency_id, project_id, id) on delete cascade,
  foreign key (agency_id, project_id, depends_on_task_id)
    references public.tasks (agency_id, project_id, id) on delete cascade
);
create index task_dependencies_depends_on_idx on public.task_dependencies (depends_on_task_id);
create index task_dependencies_project_idx on public.task_dependencies (agency_id, project_id);
comment on table public.task_dependencies is
  'Finish-to-start: task_id may not start before depends_on_task_id is done. Both tasks belong to '
  'the same project (composite keys); cycles are rejected by a trigger.';

create table public.task_comments (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  task_id uuid not null,
  author_id uuid not null default auth.uid() references public.profiles (user_id),
  body text not null check (char_length(btrim(body)) between 1 and 10000),
  created_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, task_id) references public.tasks (agency_id, id) on delete cascade
);
create index task_comments_task_idx on public.task_comments (agency_id, task_id, created_at);
comment on table public.task_comments is 'Notes on a task; the one thing members may add to their assigned tasks.';

-- ============================================================================================
-- Who sees which project: the team (and the salesperson of the deal, who joins the team)
-- ============================================================================================
create or replace function private.member_project_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select pm.project_id
  from public.project_members pm
  where pm.user_id = (select auth.uid()) and pm.agency_id in (select private.member_agency_ids());
$$;
comment on function private.member_project_ids() is 'Projects whose team the caller is on (active memberships only).';

create or replace function private.member_client_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select d.client_id
  from public.deals d
  where d.assigned_to = (select auth.uid()) and d.agency_id in (select private.member_agency_ids())
  union
  select p.client_id
  from public.projects p
  where p.id in (select private.member_project_ids());
$$;
comment on function private.member_client_ids() is
  'Clients a member works with: those of their assigned deals and of the projects they are on.';

create function private.manages_project(p_project_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.projects p
    where p.id = p_project_id and p.agency_id in (select private.manager_agency_ids())
  );
$$;
comment on function private.manages_project(uuid) is
  'True when the caller is an owner or manager of the project''s agency (they manage every project).';

create function private.can_see_project(p_project_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.manages_project(p_project_id)
      or p_project_id in (select private.member_project_ids());
$$;
comment on function private.can_see_project(uuid) is
  'The projects RLS in one call, for security definer report functions that must check access first.';

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================
grant insert (manager_id, budget_hours, hourly_rate_cents) on table public.projects to authenticated;
grant update (manager_id, budget_hours, hourly_rate_cents) on table public.projects to authenticated;
drop policy "members read the projects of their deals" on public.projects;
create policy "members read the projects they are on"
  on public.projects for select to authenticated
  using (id in (select private.member_project_ids()));

revoke all on table public.project_members from anon, authenticated;
grant select (agency_id, project_id, user_id, created_at) on table public.project_members to authenticated;
grant insert (agency_id, project_id, user_id, billable_rate_cents) on table public.project_members to authenticated;
grant update (billable_rate_cents) on table public.project_members to authenticated;
grant delete on table public.project_members to authenticated;
alter table public.project_members enable row level security;

create policy "owners and managers read every team"
  on public.project_members for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the teams they are on"
  on public.project_members for select to authenticated
  using (project_id in (select private.member_project_ids()));
create policy "owners and managers add team members"
  on public.project_members for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change team rates"
  on public.project_members for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove team members"
  on public.project_members for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

revoke all on table public.milestones from anon, authenticated;
grant select on table public.milestones to authenticated;
grant insert (agency_id, project_id, title, description, due_date, amount_cents, status, position)
  on table public.milestones to authenticated;
grant update (title, description, due_date, amount_cents, status, position) on table public.milestones to authenticated;
grant delete on table public.milestones to authenticated;
alter table public.milestones enable row level security;

create policy "owners and managers read every milestone"
  on public.milestones for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the milestones of their projects"
  on public.milestones for select to authenticated
  using (project_id in (select private.member_project_ids()));
create policy "owners and managers add milestones"
  on public.milestones for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change milestones"
  on public.milestones for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove milestones"
  on public.milestones for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- Tasks: managers as before; members now read every task of their projects (the board needs the
-- context) and update only the tasks assigned to them — which columns, a trigger decides.
grant insert (description, priority, assignee_id, start_date, due_date, estimated_hours, milestone_id)
  on table public.tasks to authenticated;
grant update (description, priority, assignee_id, start_date, due_date, estimated_hours, milestone_id)
  on table public.tasks to authenticated;
drop policy "members read the tasks of their projects" on public.tasks;
create policy "members read the tasks of their projects"
  on public.tasks for select to authenticated
  using (project_id in (select private.member_project_ids()));
create policy "members change their assigned tasks"
  on public.tasks for update to authenticated
  using (assignee_id = (select auth.uid()) and project_id in (select private.member_project_ids()))
  with check (assignee_id = (select auth.uid()) and project_id in (select private.member_project_ids()));

revoke all on table public.task_dependencies from anon, authenticated;
grant select on table public.task_dependencies to authenticated;
grant insert (agency_id, project_id, task_id, depends_on_task_id) on table public.task_dependencies to authenticated;
grant delete on table public.task_dependencies to authenticated;
alter table public.task_dependencies enable row level security;

create policy "owners and managers read every dependency"
  on public.task_dependencies for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the dependencies of their projects"
  on public.task_dependencies for select to authenticated
  using (project_id in (select private.member_project_ids()));
create policy "owners and managers add dependencies"
  on public.task_dependencies for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove dependencies"
  on public.task_dependencies for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

revoke all on table public.task_comments from anon, authenticated;
grant select on table public.task_comments to authenticated;
grant insert (agency_id, task_id, body) on table public.task_comments to authenticated;
grant delete on table public.task_comments to authenticated;
alter table public.task_comments enable row level security;

create policy "owners and managers read every comment"
  on public.task_comments for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the comments of their projects"
  on public.task_comments for select to authenticated
  using (task_id in (select t.id from public.tasks t where t.project_id in (select private.member_project_ids())));
create policy "owners and managers comment on any task"
  on public.task_comments for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()) and author_id = (select auth.uid()));
create policy "members comment on their assigned tasks"
  on public.task_comments for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and task_id in (
      select t.id from public.tasks t
      where t.assignee_id = (select auth.uid()) and t.project_id in (select private.member_project_ids())
    )
  );
create policy "authors remove their comments"
  on public.task_comments for delete to authenticated
  using (author_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "owners and managers remove any comment"
  on public.task_comments for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));
-- No update: a comment is a record of what was said.

-- ============================================================================================
-- Functions: rates
-- ============================================================================================
create function private.billable_rate_cents(p_agency_id uuid, p_project_id uuid, p_user_id uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(pm.billable_rate_cents, p.hourly_rate_cents, mr.hourly_rate_cents, a.default_hourly_rate_cents)
  from public.agencies a
  left join public.projects p on p.agency_id = a.id and p.id = p_project_id
  left join public.project_members pm
    on pm.agency_id = a.id and pm.project_id = p_project_id and pm.user_id = p_user_id
  left join public.member_rates mr on mr.agency_id = a.id and mr.user_id = p_user_id
  where a.id = p_agency_id;
$$;
comment on function private.billable_rate_cents(uuid, uuid, uuid) is
  'The rate hierarchy in one place: member-on-project → project → member → agency default. Time '
  'entries snapshot it; security definer because members may not read the rates it combines.';

create function public.project_member_rates(p_project_id uuid)
returns table (user_id uuid, billable_rate_cents integer, effective_rate_cents integer)
language sql
stable
security definer
set search_path = ''
as $$
  select pm.user_id, pm.billable_rate_cents,
         private.billable_rate_cents(pm.agency_id, pm.project_id, pm.user_id)
  from public.project_members pm
  where pm.project_id = p_project_id and private.manages_project(p_project_id);
$$;
comment on function public.project_member_rates(uuid) is
  'Project rates of a team for owners and managers (members get no rows): the column is hidden from '
  'members by grants, so managers read it here along with the rate that would apply.';

-- ============================================================================================
-- Triggers: projects (manager, team, template)
-- ============================================================================================
create function private.projects_before_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- created_by is not granted to users: the database records who created the project.
  new.created_by := coalesce(new.created_by, (select auth.uid()));
  -- Whoever creates a project as a manager manages it unless someone else was named.
  if new.manager_id is null and (select auth.uid()) is not null and exists (
    select 1 from public.agency_members m
    where m.agency_id = new.agency_id and m.user_id = (select auth.uid()) and m.is_active
      and m.role in ('owner', 'manager')
  ) then
    new.manager_id := (select auth.uid());
  end if;
  return new;
end;
$$;
comment on function private.projects_before_insert() is
  'Records the creator and defaults the project manager to the owner/manager creating it. Security '
  'definer so the check sees the membership whoever inserts (a won deal may be moved by a member).';
create trigger projects_default_manager before insert on public.projects
  for each row execute function private.projects_before_insert();

create function private.require_active_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- One function for both tables: the column is named by the trigger.
  v_user_id uuid := (to_jsonb(new) ->> tg_argv[0])::uuid;
begin
  -- Outside the caller's agencies the row-level policies answer (42501), not this message.
  if (select auth.uid()) is not null and new.agency_id not in (select private.member_agency_ids()) then
    return new;
  end if;
  -- Never members are left to the foreign key (23503); former members get a readable refusal.
  if v_user_id is not null and exists (
    select 1 from public.agency_members m
    where m.agency_id = new.agency_id and m.user_id = v_user_id and not m.is_active
  ) then
    raise exception 'that person no longer works in this agency'
      using errcode = 'P0001', hint = 'member_inactive', column = tg_argv[0];
  end if;
  return new;
end;
$$;
comment on function private.require_active_member() is
  'Project managers and team members are active agency members (the foreign keys only prove they '
  'were members once). Security definer: the check must see every membership.';
create trigger projects_manager_is_active before insert or update of manager_id on public.projects
  for each row when (new.manager_id is not null) execute function private.require_active_member('manager_id');
create trigger project_members_are_active before insert on public.project_members
  for each row execute function private.require_active_member('user_id');

create function private.projects_after_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- The team starts with the manager and the deal's salesperson (who could see the deal's project).
  insert into public.project_members (agency_id, project_id, user_id)
  select new.agency_id, new.id, u.user_id
  from (
    select new.manager_id as user_id
    union
    select d.assigned_to from public.deals d where d.agency_id = new.agency_id and d.id = new.source_deal_id
  ) u
  join public.agency_members m on m.agency_id = new.agency_id and m.user_id = u.user_id and m.is_active
  on conflict do nothing;

  if new.template_id is not null then
    insert into public.tasks (agency_id, project_id, title, position, created_by)
    select new.agency_id, new.id, tt.title, tt.position, new.created_by
    from public.project_template_tasks tt
    where tt.agency_id = new.agency_id and tt.template_id = new.template_id;
  end if;
  return null;
end;
$$;
comment on function private.projects_after_insert() is
  'Seeds a new project: its team (manager, deal salesperson) and the tasks of its template. One '
  'place for both paths (won deal, created directly). Security definer: seeding is part of creating.';
create trigger projects_seed after insert on public.projects
  for each row execute function private.projects_after_insert();

create function private.projects_manager_joins_team()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.project_members (agency_id, project_id, user_id)
  select new.agency_id, new.id, m.user_id
  from public.agency_members m
  where m.agency_id = new.agency_id and m.user_id = new.manager_id and m.is_active
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.projects_manager_joins_team() is
  'A newly named project manager joins the team (keeping any project rate they had), so they see '
  'the project whatever their agency role.';
create trigger projects_manager_joins_team after update of manager_id on public.projects
  for each row when (new.manager_id is not null and new.manager_id is distinct from old.manager_id)
  execute function private.projects_manager_joins_team();

-- A won deal's project now gets its tasks from projects_seed, so the deal step only inserts.
create or replace function private.create_project_from_deal(p_deal public.deals)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project_id uuid;
begin
  insert into public.projects (agency_id, client_id, source_deal_id, name, description, status, billing_type,
                               budget_cents, currency, template_id, created_by)
  values (p_deal.agency_id, p_deal.client_id, p_deal.id, p_deal.title, p_deal.description, 'planning',
          p_deal.billing_type, p_deal.value_cents, p_deal.currency,
          coalesce(p_deal.template_id,
                   (select t.id from public.project_templates t where t.agency_id = p_deal.agency_id and t.is_default)),
          (select auth.uid()))
  on conflict (agency_id, source_deal_id) do nothing
  returning id into v_project_id;
  return v_project_id; -- null: the deal was won before and its project exists already
end;
$$;

-- Projects that existed before teams: their deal's salesperson was the one member who saw them.
insert into public.project_members (agency_id, project_id, user_id)
select p.agency_id, p.id, d.assigned_to
from public.projects p
join public.deals d on d.agency_id = p.agency_id and d.id = p.source_deal_id
join public.agency_members m on m.agency_id = p.agency_id and m.user_id = d.assigned_to
on conflict do nothing;

-- ============================================================================================
-- Triggers: tasks
-- ============================================================================================
create function private.project_accepts_work(p_agency_id uuid, p_project_id uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_status public.project_status;
begin
  -- Only about projects the caller may see (or the database itself): for anything else the
  -- row-level policies answer, so this never tells whether another agency's project exists.
  if (select auth.uid()) is not null and not private.can_see_project(p_project_id) then
    return;
  end if;
  select p.status into v_status from public.projects p where p.agency_id = p_agency_id and p.id = p_project_id;
  if v_status in ('completed', 'archived') then
    raise exception 'this project is %; reopen it to add work', v_status
      using errcode = 'P0001', hint = 'project_closed';
  end if;
end;
$$;
comment on function private.project_accepts_work(uuid, uuid) is
  'Raises project_closed for completed or archived projects, which accept no new tasks or milestones.';

create function private.tasks_check_write()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_is_manager boolean := new.agency_id in (select private.manager_agency_ids());
begin
  if tg_op = 'INSERT' then
    perform private.project_accepts_work(new.agency_id, new.project_id);
    new.created_by := coalesce(new.created_by, (select auth.uid()));
    -- Without a position a new task goes to the end of its column.
    if new.position is null then
      select coalesce(max(t.position), -2) + 2 into new.position
      from public.tasks t
      where t.agency_id = new.agency_id and t.project_id = new.project_id and t.status = new.status;
    end if;
  end if;

  -- Members (RLS already limits them to their assigned tasks) may move them, nothing else.
  if tg_op = 'UPDATE' and not v_is_manager and (select auth.role()) = 'authenticated' and (
    (to_jsonb(new) - '{status,position,updated_at,completed_at}'::text[])
      <> (to_jsonb(old) - '{status,position,updated_at,completed_at}'::text[])
  ) then
    raise exception 'members may only change the status of their tasks and comment on them'
      using errcode = '42501', hint = 'member_status_only';
  end if;

  if new.assignee_id is not null and (tg_op = 'INSERT' or new.assignee_id is distinct from old.assignee_id)
     and not exists (
       select 1 from public.project_members pm
       where pm.agency_id = new.agency_id and pm.project_id = new.project_id and pm.user_id = new.assignee_id
     ) then
    raise exception 'the assignee is not on this project''s team; add them to the team first'
      using errcode = 'P0001', hint = 'assignee_not_on_team';
  end if;

  if new.status is distinct from (case when tg_op = 'UPDATE' then old.status end) then
    if new.status <> 'todo' and exists (
      select 1 from public.task_dependencies td
      join public.tasks dep on dep.id = td.depends_on_task_id
      where td.task_id = new.id and dep.status <> 'done'
    ) then
      -- The switch is a setting anyone can flip, so it only counts with a reason for the audit log.
      if coalesce(current_setting('app.dependency_override', true), '') <> 'on'
         or coalesce(current_setting('app.audit_reason', true), '') = '' or not v_is_manager then
        raise exception 'this task waits for % unfinished task(s) it depends on',
          (select count(*) from public.task_dependencies td join public.tasks dep on dep.id = td.depends_on_task_id
           where td.task_id = new.id and dep.status <> 'done')
          using errcode = 'P0001', hint = 'dependency_not_done';
      end if;
    end if;
    new.completed_at := case when new.status = 'done' then coalesce(new.completed_at, clock_timestamp()) end;
    -- A status change that does not say where (an API PATCH, a "My tasks" select) goes to the end
    -- of its new column; move_task always gives a new position.
    if tg_op = 'UPDATE' and new.position = old.position then
      select coalesce(max(t.position), -2) + 2 into new.position
      from public.tasks t
      where t.agency_id = new.agency_id and t.project_id = new.project_id and t.status = new.status and t.id <> new.id;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.tasks_check_write() is
  'Task rules: no new tasks on closed projects; members change only status/position; the assignee '
  'is on the team (clear message; the composite foreign key is the guarantee); a task does not leave '
  'todo while a dependency is unfinished unless a manager overrides (set_task_status_with_override).';
create trigger tasks_check_write before insert or update on public.tasks
  for each row execute function private.tasks_check_write();

create table private.project_dependency_locks (
  project_id uuid primary key,
  version bigint not null default 1
);
alter table private.project_dependency_locks enable row level security;
comment on table private.project_dependency_locks is
  'One row per project, written by every dependency insert: serialises cycle checks at any isolation '
  'level. Only the security definer cycle trigger touches it (RLS on, no policies).';

create function private.task_dependencies_reject_cycle()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null and new.agency_id not in (select private.member_agency_ids()) then
    return new; -- another agency's tasks: the row-level policies refuse it, without a hint
  end if;
  -- Serialise dependency changes per project so two concurrent inserts cannot close a cycle
  -- together. A row write rather than an advisory lock: under repeatable read the walk below sees
  -- the snapshot taken before the lock, but a concurrent update of this row fails (40001) instead.
  insert into private.project_dependency_locks (project_id) values (new.project_id)
  on conflict (project_id) do update set version = private.project_dependency_locks.version + 1;
  if exists (
    with recursive reachable (task_id) as (
      select td.depends_on_task_id from public.task_dependencies td where td.task_id = new.depends_on_task_id
      union
      select td.depends_on_task_id
      from public.task_dependencies td join reachable r on td.task_id = r.task_id
    )
    select 1 from reachable where task_id = new.task_id
  ) then
    raise exception 'that dependency would make a cycle: the other task already waits for this one'
      using errcode = 'P0001', hint = 'dependency_cycle';
  end if;
  return new;
end;
$$;
comment on function private.task_dependencies_reject_cycle() is
  'Rejects a dependency whose prerequisite already (transitively) depends on the task. Security '
  'definer so the walk sees every dependency of the project.';
create trigger task_dependencies_reject_cycle before insert on public.task_dependencies
  for each row execute function private.task_dependencies_reject_cycle();

create function public.set_task_status_with_override(p_task_id uuid, p_status public.task_status, p_reason text)
returns public.tasks
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_task public.tasks;
begin
  if char_length(btrim(coalesce(p_reason, ''))) < 3 then
    raise exception 'say why the dependencies are overridden'
      using errcode = 'P0001', hint = 'override_reason_required';
  end if;
  if not exists (select 1 from public.tasks t where t.id = p_task_id) then
    raise exception 'task not found' using errcode = 'P0002', hint = 'task_not_found';
  end if;
  if not private.manages_project((select t.project_id from public.tasks t where t.id = p_task_id)) then
    raise exception 'only owners and managers may override dependencies'
      using errcode = '42501', hint = 'manager_required';
  end if;
  perform set_config('app.dependency_override', 'on', true);
  perform set_config('app.audit_reason', 'dependency override: ' || btrim(p_reason), true);
  update public.tasks set status = p_status where id = p_task_id returning * into v_task;
  perform set_config('app.dependency_override', '', true);
  perform set_config('app.audit_reason', '', true);
  if v_task.id is null then
    raise exception 'task not found' using errcode = 'P0002', hint = 'task_not_found';
  end if;
  return v_task;
end;
$$;
comment on function public.set_task_status_with_override(uuid, public.task_status, text) is
  'A manager starts (or finishes) a task whose dependencies are unfinished; the reason is written to '
  'the audit log with the change.';

create function public.move_task(p_task_id uuid, p_status public.task_status, p_index integer)
returns public.tasks
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_task public.tasks;
begin
  select * into v_task from public.tasks where id = p_task_id;
  if v_task.id is null then
    raise exception 'task not found' using errcode = 'P0002', hint = 'task_not_found';
  end if;
  -- The target column is numbered 0, 2, 4 … without the task, which then lands at 2·index − 1,
  -- between its new neighbours. The task's own change goes through RLS and the task rules as the
  -- caller (a refusal rolls the renumbering back with it) …
  perform private.renumber_task_column(v_task.agency_id, v_task.project_id, p_status, p_task_id);
  update public.tasks set status = p_status, position = greatest(p_index, 0) * 2 - 1
  where id = p_task_id returning * into v_task;
  if v_task.id is null then
    raise exception 'you may only move tasks assigned to you' using errcode = '42501', hint = 'forbidden';
  end if;
  -- … and the column is renumbered with it (positions only, which every viewer may reorder).
  perform private.renumber_task_column(v_task.agency_id, v_task.project_id, p_status, null);
  select * into v_task from public.tasks where id = p_task_id;
  return v_task;
end;
$$;
comment on function public.move_task(uuid, public.task_status, integer) is
  'Kanban drop: puts a task at index p_index of a status column. The task''s own change is checked '
  'as the caller (members: assigned tasks, dependency rule); neighbours are renumbered.';

create function private.renumber_task_column(
  p_agency_id uuid, p_project_id uuid, p_status public.task_status, p_except_task_id uuid
)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.tasks t set position = r.new_position
  from (
    select id, (row_number() over (order by position, updated_at desc, created_at) - 1) * 2 as new_position
    from public.tasks
    where agency_id = p_agency_id and project_id = p_project_id and status = p_status
      and id is distinct from p_except_task_id
      -- Callable directly by any signed-in role (move_task is invoker): only on a visible project.
      and (private.can_see_project(p_project_id) or (select auth.uid()) is null)
  ) r
  where t.id = r.id and t.position <> r.new_position;
$$;
comment on function private.renumber_task_column(uuid, uuid, public.task_status, uuid) is
  'Even positions 0, 2, 4 … for a column (optionally leaving one task out), so a drop at index i '
  '(position 2i − 1) lands between neighbours. Security definer: only positions change, only on a '
  'project the caller can see (or with no user, as the service does).';

-- ============================================================================================
-- Triggers: milestones, dependencies, comments
-- ============================================================================================
create function private.milestones_apply_rules()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.project_accepts_work(new.agency_id, new.project_id);
  end if;
  if tg_op = 'UPDATE' and old.status = 'approved' and new.status <> 'approved' then
    raise exception 'an approved milestone stays approved' using errcode = 'P0001', hint = 'milestone_approved';
  end if;
  if new.status is distinct from (case when tg_op = 'UPDATE' then old.status end) then
    new.reached_at := case when new.status = 'pending' then null else coalesce(new.reached_at, clock_timestamp()) end;
    new.approved_at := case when new.status = 'approved' then clock_timestamp() end;
  end if;
  return new;
end;
$$;
comment on function private.milestones_apply_rules() is
  'No milestones on closed projects; approved is final; reached_at/approved_at follow the status.';
create trigger milestones_apply_rules before insert or update on public.milestones
  for each row execute function private.milestones_apply_rules();
create trigger milestones_touch_updated_at before update on public.milestones
  for each row execute function private.touch_updated_at();

create function private.milestones_log_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_client_id uuid;
begin
  if new.status in ('reached', 'approved') and (tg_op = 'INSERT' or new.status is distinct from old.status) then
    select p.client_id into v_client_id from public.projects p where p.agency_id = new.agency_id and p.id = new.project_id;
    perform private.log_client_event(new.agency_id, v_client_id, 'milestone_' || new.status::text,
      format('Milestone "%s" %s', new.title, new.status::text),
      -- No amount: members read their clients' timelines, and milestone money is for managers.
      jsonb_build_object('milestone_id', new.id), null, new.project_id);
  end if;
  return null;
end;
$$;
comment on function private.milestones_log_status() is 'Reaching or approving a milestone writes a client timeline event.';
create trigger milestones_log_status after insert or update of status on public.milestones
  for each row execute function private.milestones_log_status();

create trigger projects_audit after insert or update or delete on public.projects
  for each row execute function private.audit_row_change('agency_id', 'id');
create trigger project_members_audit after insert or update or delete on public.project_members
  for each row execute function private.audit_row_change('agency_id', 'user_id');
create trigger milestones_audit after insert or update or delete on public.milestones
  for each row execute function private.audit_row_change('agency_id', 'id');
create trigger tasks_audit after insert or update or delete on public.tasks
  for each row execute function private.audit_row_change('agency_id', 'id', 'position');
create trigger task_dependencies_audit after insert or delete on public.task_dependencies
  for each row execute function private.audit_row_change('agency_id', 'task_id');

revoke execute on all functions in schema private from public;
grant execute on function private.member_project_ids(), private.member_client_ids(),
  private.manages_project(uuid), private.can_see_project(uuid), private.project_accepts_work(uuid, uuid)
  to authenticated;
revoke execute on function public.project_member_rates(uuid) from public, anon;
revoke execute on function public.set_task_status_with_override(uuid, public.task_status, text) from public, anon;
revoke execute on function public.move_task(uuid, public.task_status, integer) from public, anon;
grant execute on function public.project_member_rates(uuid),
  public.set_task_status_with_override(uuid, public.task_status, text),
  public.move_task(uuid, public.task_status, integer) to authenticated;
grant execute on function private.renumber_task_column(uuid, uuid, public.task_status, uuid) to authenticated;
