-- The deal pipeline and what a won deal becomes: per-agency stages, deals with probability and
-- forecast, project templates, and the first form of projects and tasks (the projects feature
-- extends them). Moving a deal is one UPDATE whose triggers check the move, stamp closed_at, write
-- the client timeline and, on a won stage, create the deal's project — once, whatever path the
-- update came from.
-- Role matrix: owners and managers see and change everything; members read the deals assigned to
-- them and those deals' clients, contacts, timeline and projects.

-- ============================================================================================
-- Types
-- ============================================================================================
create type public.stage_kind as enum ('open', 'won', 'lost');
create type public.billing_type as enum ('hourly', 'fixed', 'retainer');
create type public.project_status as enum ('planning', 'active', 'on_hold', 'completed', 'archived');
create type public.task_status as enum ('todo', 'in_progress', 'review', 'done');

-- ============================================================================================
-- Tables
-- ============================================================================================
create table public.pipeline_stages (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name text not null check (char_length(btrim(name)) between 1 and 60),
  position integer not null,
  default_probability integer not null check (default_probability between 0 and 100),
  kind public.stage_kind not null default 'open',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, key),
  unique (agency_id, id),
  constraint pipeline_stages_closed_probability check (
    (kind = 'won' and default_probability = 100) or (kind = 'lost' and default_probability = 0) or kind = 'open'
  )
);
create unique index pipeline_stages_one_won_idx on public.pipeline_stages (agency_id) where kind = 'won';
create unique index pipeline_stages_one_lost_idx on public.pipeline_stages (agency_id) where kind = 'lost';
create index pipeline_stages_position_idx on public.pipeline_stages (agency_id, position);
comment on table public.pipeline_stages is
  'Columns of the board. Every agency has exactly one won and one lost stage (renameable, never '
  'removed) and any number of open stages in the order of `position`.';

create table public.project_templates (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  description text check (char_length(description) <= 2000),
  billing_type public.billing_type not null default 'fixed',
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id)
);
create unique index project_templates_one_default_idx on public.project_templates (agency_id) where is_default;
comment on table public.project_templates is 'Reusable task lists a project starts from; one per agency is the default.';

create table public.project_template_tasks (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  template_id uuid not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  foreign key (agency_id, template_id) references public.project_templates (agency_id, id) on delete cascade
);
create index project_template_tasks_template_idx on public.project_template_tasks (agency_id, template_id, position);

create table public.deals (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  client_id uuid not null,
  stage_id uuid not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text check (char_length(description) <= 10000),
  value_cents bigint not null default 0 check (value_cents between 0 and 100000000000),
  currency text not null references public.currencies (code),
  probability integer not null check (probability between 0 and 100),
  expected_close_date date,
  assigned_to uuid,
  billing_type public.billing_type not null default 'fixed',
  template_id uuid,
  lost_reason text check (char_length(lost_reason) <= 1000),
  position double precision not null default 0,
  closed_at timestamptz,
  created_by uuid references public.profiles (user_id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, client_id) references public.clients (agency_id, id),
  foreign key (agency_id, stage_id) references public.pipeline_stages (agency_id, id),
  foreign key (agency_id, assigned_to) references public.agency_members (agency_id, user_id),
  foreign key (agency_id, template_id) references public.project_templates (agency_id, id) on delete set null (template_id)
);
create index deals_agency_stage_idx on public.deals (agency_id, stage_id, position);
create index deals_assigned_to_idx on public.deals (assigned_to, agency_id);
create index deals_client_idx on public.deals (agency_id, client_id);
create index deals_close_month_idx on public.deals (agency_id, expected_close_date);
comment on table public.deals is
  'Work an agency hopes to win. probability defaults from the stage; closed_at is set on entering '
  'a won or lost stage; lost deals carry a reason. Money in the currency''s minor unit.';

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  client_id uuid not null,
  source_deal_id uuid,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  description text check (char_length(description) <= 10000),
  status public.project_status not null default 'planning',
  billing_type public.billing_type not null default 'fixed',
  budget_cents bigint check (budget_cents between 0 and 100000000000),
  currency text not null references public.currencies (code),
  start_date date,
  deadline date,
  template_id uuid,
  created_by uuid references public.profiles (user_id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  unique (agency_id, source_deal_id),
  foreign key (agency_id, client_id) references public.clients (agency_id, id),
  foreign key (agency_id, source_deal_id) references public.deals (agency_id, id) on delete set null (source_deal_id),
  foreign key (agency_id, template_id) references public.project_templates (agency_id, id) on delete set null (template_id),
  constraint projects_deadline_after_start check (deadline is null or start_date is null or deadline >= start_date)
);
create index projects_client_idx on public.projects (agency_id, client_id);
comment on table public.projects is
  'Work for a client, created from a won deal (at most one per deal: unique source_deal_id) or '
  'directly. The projects feature adds teams, budgets and milestones.';

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  project_id uuid not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  status public.task_status not null default 'todo',
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete cascade
);
create index tasks_project_idx on public.tasks (agency_id, project_id, position);

alter table public.client_activities
  add column deal_id uuid,
  add column project_id uuid,
  add foreign key (agency_id, deal_id) references public.deals (agency_id, id) on delete set null (deal_id),
  add foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete set null (project_id);
create index client_activities_deal_idx on public.client_activities (deal_id) where deal_id is not null;
create index client_activities_project_idx on public.client_activities (project_id) where project_id is not null;

-- ============================================================================================
-- Helper functions for policies
-- ============================================================================================
create function private.member_client_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct d.client_id
  from public.deals d
  where d.assigned_to = (select auth.uid()) and d.agency_id in (select private.member_agency_ids());
$$;
comment on function private.member_client_ids() is
  'Clients a member works with: those of the deals assigned to them (projects add more later).';

create function private.member_project_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id
  from public.projects p
  join public.deals d on d.id = p.source_deal_id and d.agency_id = p.agency_id
  where d.assigned_to = (select auth.uid()) and p.agency_id in (select private.member_agency_ids());
$$;
comment on function private.member_project_ids() is 'Projects that came from deals assigned to the caller.';

grant execute on function private.member_client_ids(), private.member_project_ids() to authenticated;

-- ============================================================================================
-- Grants and RLS: clients, contacts, timeline (the role matrix)
-- ============================================================================================
drop policy "members read their agency's clients" on public.clients;
create policy "owners and managers read every client"
  on public.clients for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the clients of their deals"
  on public.clients for select to authenticated
  using (id in (select private.member_client_ids()));

drop policy "members read their agency's contacts" on public.client_contacts;
create policy "owners and managers read every contact"
  on public.client_contacts for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the contacts of their clients"
  on public.client_contacts for select to authenticated
  using (client_id in (select private.member_client_ids()));

create policy "owners and managers read every timeline"
  on public.client_activities for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the timelines of their clients"
  on public.client_activities for select to authenticated
  using (
    client_id in (select private.member_client_ids())
    -- Events of deals not assigned to them stay hidden (the subquery sees only their deals).
    and (deal_id is null or deal_id in (select d.id from public.deals d))
  );
create policy "owners and managers log activities"
  on public.client_activities for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers edit logged activities"
  on public.client_activities for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove logged activities"
  on public.client_activities for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Grants and RLS: pipeline_stages
-- ============================================================================================
revoke all on table public.pipeline_stages from anon, authenticated;
grant select on table public.pipeline_stages to authenticated;
grant insert (agency_id, key, name, position, default_probability) on table public.pipeline_stages to authenticated;
grant update (name, position, default_probability) on table public.pipeline_stages to authenticated;
grant delete on table public.pipeline_stages to authenticated;
alter table public.pipeline_stages enable row level security;

create policy "members read their agency's stages"
  on public.pipeline_stages for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "owners and managers add open stages"
  on public.pipeline_stages for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()) and kind = 'open');
create policy "owners and managers change stages"
  on public.pipeline_stages for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove open stages"
  on public.pipeline_stages for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()) and kind = 'open');

-- ============================================================================================
-- Grants and RLS: project templates
-- ============================================================================================
revoke all on table public.project_templates from anon, authenticated;
grant select on table public.project_templates to authenticated;
grant insert (agency_id, name, description, billing_type, is_default) on table public.project_templates to authenticated;
grant update (name, description, billing_type, is_default) on table public.project_templates to authenticated;
grant delete on table public.project_templates to authenticated;
alter table public.project_templates enable row level security;

create policy "members read their agency's templates"
  on public.project_templates for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "owners and managers add templates"
  on public.project_templates for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change templates"
  on public.project_templates for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove templates"
  on public.project_templates for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()) and not is_default);

revoke all on table public.project_template_tasks from anon, authenticated;
grant select on table public.project_template_tasks to authenticated;
grant insert (agency_id, template_id, title, position) on table public.project_template_tasks to authenticated;
grant update (title, position) on table public.project_template_tasks to authenticated;
grant delete on table public.project_template_tasks to authenticated;
alter table public.project_template_tasks enable row level security;

create policy "members read their agency's template tasks"
  on public.project_template_tasks for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "owners and managers add template tasks"
  on public.project_template_tasks for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change template tasks"
  on public.project_template_tasks for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove template tasks"
  on public.project_template_tasks for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Grants and RLS: deals
-- ============================================================================================
revoke all on table public.deals from anon, authenticated;
grant select on table public.deals to authenticated;
grant insert (agency_id, client_id, stage_id, title, description, value_cents, currency, probability,
  expected_close_date, assigned_to, billing_type, template_id, lost_reason, position) on table public.deals to authenticated;
grant update (client_id, stage_id, title, description, value_cents, currency, probability,
  expected_close_date, assigned_to, billing_type, template_id, lost_reason, position) on table public.deals to authenticated;
grant delete on table public.deals to authenticated;
alter table public.deals enable row level security;

create policy "owners and managers read every deal"
  on public.deals for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the deals assigned to them"
  on public.deals for select to authenticated
  using (assigned_to = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "owners and managers add deals"
  on public.deals for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change deals"
  on public.deals for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove deals"
  on public.deals for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Grants and RLS: projects and tasks (first form)
-- ============================================================================================
revoke all on table public.projects from anon, authenticated;
grant select on table public.projects to authenticated;
grant insert (agency_id, client_id, name, description, status, billing_type, budget_cents, currency,
  start_date, deadline, template_id) on table public.projects to authenticated;
grant update (name, description, status, billing_type, budget_cents, currency, start_date, deadline)
  on table public.projects to authenticated;
alter table public.projects enable row level security;

create policy "owners and managers read every project"
  on public.projects for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the projects of their deals"
  on public.projects for select to authenticated
  using (id in (select private.member_project_ids()));
create policy "owners and managers add projects"
  on public.projects for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change projects"
  on public.projects for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
-- No delete: projects are archived (status).

revoke all on table public.tasks from anon, authenticated;
grant select on table public.tasks to authenticated;
grant insert (agency_id, project_id, title, status, position) on table public.tasks to authenticated;
grant update (title, status, position) on table public.tasks to authenticated;
grant delete on table public.tasks to authenticated;
alter table public.tasks enable row level security;

create policy "owners and managers read every task"
  on public.tasks for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read the tasks of their projects"
  on public.tasks for select to authenticated
  using (project_id in (select private.member_project_ids()));
create policy "owners and managers add tasks"
  on public.tasks for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change tasks"
  on public.tasks for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove tasks"
  on public.tasks for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Functions: money
-- ============================================================================================
create function private.weighted_cents(p_value_cents bigint, p_probability integer)
returns bigint
language sql
immutable
set search_path = ''
as $$
  select round(p_value_cents * p_probability / 100.0)::bigint;
$$;
comment on function private.weighted_cents(bigint, integer) is
  'Value × probability, rounded half away from zero to the cent per deal before summing, so a '
  'column total equals the sum of what its cards show.';
grant execute on function private.weighted_cents(bigint, integer) to authenticated;

-- ============================================================================================
-- Views: forecast (security invoker, so RLS on deals applies to whoever asks)
-- ============================================================================================
create view public.pipeline_forecast with (security_invoker = true) as
select
  s.agency_id,
  s.id as stage_id,
  s.key as stage_key,
  s.name as stage_name,
  s.kind as stage_kind,
  s.position,
  d.currency,
  d.assigned_to,
  date_trunc('month', d.expected_close_date)::date as close_month,
  count(d.id)::integer as deal_count,
  coalesce(sum(d.value_cents), 0)::bigint as value_cents,
  coalesce(sum(private.weighted_cents(d.value_cents, d.probability)), 0)::bigint as weighted_cents
from public.pipeline_stages s
left join public.deals d on d.stage_id = s.id and d.agency_id = s.agency_id
group by s.agency_id, s.id, s.key, s.name, s.kind, s.position, d.currency, d.assigned_to,
  date_trunc('month', d.expected_close_date);
comment on view public.pipeline_forecast is
  'The one source of pipeline numbers: deal count, value and value × probability per stage, '
  'currency, owner and expected close month. The board sums it under its filters; the two views '
  'below and the API sum it by stage and by month. A stage without deals appears once with zeros.';

create view public.pipeline_forecast_by_stage with (security_invoker = true) as
select agency_id, stage_id, stage_key, stage_name, stage_kind, position, currency,
       sum(deal_count)::integer as deal_count, sum(value_cents)::bigint as value_cents,
       sum(weighted_cents)::bigint as weighted_cents
from public.pipeline_forecast
group by agency_id, stage_id, stage_key, stage_name, stage_kind, position, currency;
comment on view public.pipeline_forecast_by_stage is 'Per stage and currency: deals, value, weighted value.';

create view public.pipeline_forecast_by_month with (security_invoker = true) as
select agency_id, close_month as month, currency,
       sum(deal_count)::integer as deal_count, sum(value_cents)::bigint as value_cents,
       sum(weighted_cents)::bigint as weighted_cents
from public.pipeline_forecast
where stage_kind = 'open' and close_month is not null
group by agency_id, close_month, currency;
comment on view public.pipeline_forecast_by_month is
  'Open deals by expected close month: the weighted pipeline an agency plans capacity with.';

revoke all on public.pipeline_forecast, public.pipeline_forecast_by_stage, public.pipeline_forecast_by_month from anon, authenticated;
grant select on public.pipeline_forecast, public.pipeline_forecast_by_stage, public.pipeline_forecast_by_month to authenticated;

-- ============================================================================================
-- Function privileges
-- ============================================================================================
revoke execute on all functions in schema private from public;
grant execute on function private.weighted_cents(bigint, integer) to authenticated;
