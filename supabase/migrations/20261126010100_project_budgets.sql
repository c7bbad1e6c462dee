-- Budgets are derived, never typed: spent money is the billable-rate value of tracked time and
-- spent hours are tracked hours, both summed from time entries by SQL. This migration adds the
-- time entry table in its first form (read-only for users: the time-tracking feature adds the
-- write paths with their rules), the budget view and reports, in-app notifications, and budget
-- alerts at 80 % and 100 % that fire exactly once per crossing (a partial unique index says so).

-- ============================================================================================
-- Time entries (first form)
-- ============================================================================================
create type public.time_entry_status as enum ('draft', 'submitted', 'approved', 'rejected');

create table public.time_entries (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  user_id uuid not null,
  project_id uuid not null,
  task_id uuid,
  description text not null default '' check (char_length(description) <= 2000),
  is_billable boolean not null default true,
  started_at timestamptz,
  ended_at timestamptz,
  entry_date date not null,
  duration_seconds integer not null check (duration_seconds > 0),
  status public.time_entry_status not null default 'draft',
  billable_rate_cents integer not null default 0 check (billable_rate_cents between 0 and 100000000),
  cost_rate_cents integer not null default 0 check (cost_rate_cents between 0 and 100000000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id),
  foreign key (agency_id, project_id, task_id) references public.tasks (agency_id, project_id, id)
    on delete set null (task_id),
  foreign key (agency_id, user_id) references public.agency_members (agency_id, user_id),
  constraint time_entries_times_together check ((started_at is null) = (ended_at is null)),
  constraint time_entries_end_after_start check (ended_at > started_at)
);
-- Covering: budgets, burn and hours by person read these columns from the index alone.
create index time_entries_project_idx on public.time_entries (agency_id, project_id, entry_date)
  include (duration_seconds, billable_rate_cents, is_billable, user_id);
create index time_entries_user_idx on public.time_entries (user_id, agency_id, entry_date);
comment on table public.time_entries is
  'Tracked time: one row per stored part (entries are split at the member''s midnight). Rates are '
  'snapshots taken when the entry is made. First form: users read; the time-tracking feature adds '
  'writes with their rules.';

revoke all on table public.time_entries from anon, authenticated;
grant select on table public.time_entries to authenticated;
alter table public.time_entries enable row level security;

create policy "owners and managers read every time entry"
  on public.time_entries for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read their own time entries"
  on public.time_entries for select to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));

create trigger time_entries_touch_updated_at before update on public.time_entries
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Budget figures
-- ============================================================================================
create function private.entry_value_cents(p_duration_seconds integer, p_rate_cents integer)
returns bigint
language sql
immutable
parallel safe
as $$
  -- Half-up in integers (both factors are never negative): exact, and far cheaper than numeric.
  select (p_duration_seconds::bigint * p_rate_cents + 1800) / 3600;
$$;
comment on function private.entry_value_cents(integer, integer) is
  'Value of one entry at its rate, rounded half-up to the cent per entry (as an invoice line would). '
  'No SET search_path on purpose: a function with one is never inlined, and summing 250 000 entries '
  'through a real call costs a second (npm run bench); the body uses operators only.';

create function public.project_budgets(p_project_ids uuid[] default null)
returns table (
  agency_id uuid,
  project_id uuid,
  budget_cents bigint,
  spent_cents bigint,
  remaining_cents bigint,
  percent_used numeric,
  budget_hours numeric,
  spent_hours numeric,
  remaining_hours numeric,
  percent_hours_used numeric
)
language sql
stable
security definer
set search_path = ''
as $$
  select
    p.agency_id,
    p.id,
    case when m.manages then p.budget_cents end,
    case when m.manages then coalesce(s.spent_cents, 0) end,
    case when m.manages and p.budget_cents is not null then p.budget_cents - coalesce(s.spent_cents, 0) end,
    case when m.manages and p.budget_cents > 0 then round(coalesce(s.spent_cents, 0) * 100.0 / p.budget_cents, 1) end,
    p.budget_hours,
    round(coalesce(s.spent_seconds, 0) / 3600.0, 2),
    case when p.budget_hours is not null then round(p.budget_hours - coalesce(s.spent_seconds, 0) / 3600.0, 2) end,
    case when p.budget_hours > 0 then round(coalesce(s.spent_seconds, 0) / 36.0 / p.budget_hours, 1) end
  from public.projects p
  cross join lateral (select p.agency_id in (select private.manager_agency_ids()) as manages) m
  left join lateral (
    select sum(e.duration_seconds) as spent_seconds,
           sum(private.entry_value_cents(e.duration_seconds, e.billable_rate_cents)) filter (where e.is_billable)
             as spent_cents
    from public.time_entries e
    where e.agency_id = p.agency_id and e.project_id = p.id
  ) s on true
  where (p_project_ids is null or p.id = any (p_project_ids))
    and (m.manages or p.id in (select private.member_project_ids()));
$$;
comment on function public.project_budgets(uuid[]) is
  'Budget against tracked time for the projects the caller may see (all, or those listed). Security '
  'definer with the projects rule as its filter, so a team member''s figures include everyone''s '
  'hours; money (budget included) is null for members, who may not infer rates. Spent money counts billable entries '
  '(value per entry rounded half-up); spent hours count all entries.';

create function public.project_weekly_burn(p_project_id uuid, p_weeks integer default 12)
returns table (week_start date, hours numeric, spent_cents bigint)
language sql
stable
security definer
set search_path = ''
as $$
  -- Weeks of the agency's calendar: entry dates are local dates, so "this week" must be too (the
  -- session's zone would start an Auckland agency's Monday at lunchtime).
  select w.week_start,
         round(coalesce(sum(e.duration_seconds), 0) / 3600.0, 2),
         case when private.manages_project(p_project_id)
           then coalesce(sum(private.entry_value_cents(e.duration_seconds, e.billable_rate_cents))
                           filter (where e.is_billable), 0)::bigint end
  from (
    select (l.today - (extract(isodow from l.today)::integer - 1)) - 7 * s.i as week_start, l.agency_id
    from (
      select (private.clock_now() at time zone a.timezone)::date as today, p.agency_id
      from public.projects p
      join public.agencies a on a.id = p.agency_id
      where p.id = p_project_id and private.can_see_project(p_project_id)
    ) l
    cross join generate_series(0, least(greatest(p_weeks, 1), 104) - 1) as s(i)
  ) w
  left join public.time_entries e
    on e.agency_id = w.agency_id and e.project_id = p_project_id
   and e.entry_date >= w.week_start and e.entry_date < w.week_start + 7
  group by w.week_start
  order by w.week_start;
$$;
comment on function public.project_weekly_burn(uuid, integer) is
  'Hours and money per week (Monday, in the agency''s time zone) for the last p_weeks weeks, '
  'zero-filled, for the burn chart. Money only for owners and managers. Security definer with an '
  'explicit access check: a member''s RLS shows only their own entries.';

create function public.project_hours_by_member(p_project_id uuid)
returns table (user_id uuid, name text, hours numeric, billable_hours numeric, spent_cents bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select e.user_id, pr.name,
         round(sum(e.duration_seconds) / 3600.0, 2),
         round(coalesce(sum(e.duration_seconds) filter (where e.is_billable), 0) / 3600.0, 2),
         case when private.manages_project(p_project_id)
           then coalesce(sum(private.entry_value_cents(e.duration_seconds, e.billable_rate_cents))
                           filter (where e.is_billable), 0)::bigint end
  from public.time_entries e
  join public.profiles pr on pr.user_id = e.user_id
  where e.agency_id = (select p.agency_id from public.projects p where p.id = p_project_id)
    and e.project_id = p_project_id and private.can_see_project(p_project_id)
  group by e.user_id, pr.name
  order by 3 desc, pr.name;
$$;
comment on function public.project_hours_by_member(uuid) is
  'Tracked hours per person on a project (money for owners and managers only).';

-- ============================================================================================
-- Notifications
-- ============================================================================================
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  user_id uuid not null references public.profiles (user_id) on delete cascade,
  kind text not null check (kind ~ '^[a-z_]{1,40}$'),
  title text not null check (char_length(title) <= 300),
  body text check (char_length(body) <= 2000),
  link_path text check (link_path ~ '^/[^/]'),
  data jsonb not null default '{}'::jsonb,
  read_at timestamptz,
  created_at timestamptz not null default clock_timestamp()
);
create index notifications_user_idx on public.notifications (user_id, agency_id, created_at desc);
create index notifications_unread_idx on public.notifications (user_id, agency_id) where read_at is null;
comment on table public.notifications is
  'In-app notifications. Written only by SQL functions (budget alerts, later approvals and payments); '
  'a person reads and marks their own.';

revoke all on table public.notifications from anon, authenticated;
grant select on table public.notifications to authenticated;
grant update (read_at) on table public.notifications to authenticated;
alter table public.notifications enable row level security;

create policy "people read their notifications"
  on public.notifications for select to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "people mark their notifications read"
  on public.notifications for update to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()))
  with check (user_id = (select auth.uid()));

-- ============================================================================================
-- Budget alerts
-- ============================================================================================
create table public.project_budget_alerts (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  project_id uuid not null,
  metric text not null check (metric in ('money', 'hours')),
  threshold smallint not null check (threshold in (80, 100)),
  percent_used numeric(8, 1) not null,
  crossed_at timestamptz not null default clock_timestamp(),
  cleared_at timestamptz,
  foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete cascade
);
create unique index project_budget_alerts_one_open_idx
  on public.project_budget_alerts (project_id, metric, threshold) where cleared_at is null;
-- For the read policy (agency_id), the project's alert list and the cascade from projects.
create index project_budget_alerts_project_idx on public.project_budget_alerts (agency_id, project_id, crossed_at desc);
comment on table public.project_budget_alerts is
  'One row per crossing of 80 % or 100 % of a money or hours budget. At most one open (uncleared) '
  'row per project, metric and threshold: that index is what makes an alert fire once per crossing. '
  'Falling back below clears it, so the next crossing alerts again.';

revoke all on table public.project_budget_alerts from anon, authenticated;
grant select on table public.project_budget_alerts to authenticated;
alter table public.project_budget_alerts enable row level security;
create policy "owners and managers read budget alerts"
  on public.project_budget_alerts for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));

create function private.project_alert_recipients(p_agency_id uuid, p_project_id uuid)
returns table (user_id uuid, email text)
language sql
stable
security definer
set search_path = ''
as $$
  -- Only owners and managers: alerts speak of money, which members may not see (a member can be
  -- named a project's manager; they are not told).
  with managers as (
    select pr.user_id, pr.email
    from public.profiles pr
    join public.agency_members m on m.user_id = pr.user_id and m.agency_id = p_agency_id and m.is_active
    where m.role in ('owner', 'manager')
      and (pr.user_id = (select p.manager_id from public.projects p where p.id = p_project_id)
           or exists (
             select 1 from public.project_members pm
             where pm.agency_id = p_agency_id and pm.project_id = p_project_id and pm.user_id = m.user_id))
  )
  select * from managers
  union
  -- Nobody manages it: the owners hear about it.
  select pr.user_id, pr.email
  from public.profiles pr
  join public.agency_members m on m.user_id = pr.user_id and m.agency_id = p_agency_id and m.is_active
  where m.role = 'owner' and not exists (select 1 from managers);
$$;
comment on function private.project_alert_recipients(uuid, uuid) is
  'The project''s managers: its named manager and the owners/managers on its team; the agency''s '
  'owners when there are none. A named manager whose role is member is left out: the alerts '
  'carry money figures that members may not see.';

create function private.evaluate_project_budget(p_project_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
  v_spent_cents bigint;
  v_spent_hours numeric;
  v_metric text;
  v_percent numeric;
  v_threshold smallint;
  v_alert_id uuid;
  v_recipient record;
  v_title text;
begin
  -- One evaluation per project at a time, each seeing the entries committed before it.
  perform pg_advisory_xact_lock(hashtextextended('project_budget:' || p_project_id::text, 0));
  select * into v_project from public.projects where id = p_project_id;
  if v_project.id is null then
    return;
  end if;
  select coalesce(sum(private.entry_value_cents(e.duration_seconds, e.billable_rate_cents))
                    filter (where e.is_billable), 0),
         coalesce(sum(e.duration_seconds), 0) / 3600.0
    into v_spent_cents, v_spent_hours
  from public.time_entries e
  where e.agency_id = v_project.agency_id and e.project_id = p_project_id;

  foreach v_metric in array array['money', 'hours'] loop
    v_percent := case v_metric
      when 'money' then case when v_project.budget_cents > 0 then v_spent_cents * 100.0 / v_project.budget_cents end
      else case when v_project.budget_hours > 0 then v_spent_hours * 100.0 / v_project.budget_hours end
    end;
    foreach v_threshold in array array[80, 100]::smallint[] loop
      if v_percent is not null and v_percent >= v_threshold then
        insert into public.project_budget_alerts (agency_id, project_id, metric, threshold, percent_used)
        -- Capped to fit the column: a tiny budget can be overrun by billions of percent, and the
        -- time must still be recorded (the notification and email carry the true figure).
        values (v_project.agency_id, p_project_id, v_metric, v_threshold, least(round(v_percent, 1), 9999999.9))
        on conflict (project_id, metric, threshold) where cleared_at is null do nothing
        returning id into v_alert_id;
        if v_alert_id is not null then
          v_title := format('%s has used %s%% of its %s budget', v_project.name, round(v_percent),
                            case v_metric when 'money' then 'money' else 'hours' end);
          for v_recipient in select * from private.project_alert_recipients(v_project.agency_id, p_project_id) loop
            insert into public.notifications (agency_id, user_id, kind, title, body, link_path, data)
            values (v_project.agency_id, v_recipient.user_id, 'budget_alert', v_title,
                    case when v_threshold >= 100 then 'The budget is used up.' else 'The budget is running low.' end,
                    '/projects/' || p_project_id,
                    jsonb_build_object('project_id', p_project_id, 'metric', v_metric, 'threshold', v_threshold,
                                       'percent_used', round(v_percent, 1)));
            perform private.enqueue_email(v_project.agency_id, v_recipient.email, 'budget_alert',
              private.agency_branding(v_project.agency_id) || jsonb_build_object(
                'project_name', v_project.name, 'metric', v_metric, 'threshold', v_threshold,
                'percent_used', round(v_percent, 1), 'project_path', '/projects/' || p_project_id));
          end loop;
        end if;
      else
        update public.project_budget_alerts set cleared_at = clock_timestamp()
        where project_id = p_project_id and metric = v_metric and threshold = v_threshold and cleared_at is null;
      end if;
    end loop;
  end loop;
end;
$$;
comment on function private.evaluate_project_budget(uuid) is
  'Compares a project''s spend with its budgets and opens (with a notification and an email to its '
  'managers) or clears alerts at 80 % and 100 %. Called by triggers whenever time or a budget changes.';

create function private.time_entries_evaluate_budget()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.evaluate_project_budget(old.project_id);
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.project_id is distinct from old.project_id) then
    perform private.evaluate_project_budget(new.project_id);
  end if;
  return null;
end;
$$;
comment on function private.time_entries_evaluate_budget() is 'Re-evaluates budget alerts of the projects an entry change touches.';
create trigger time_entries_evaluate_budget after insert or update or delete on public.time_entries
  for each row execute function private.time_entries_evaluate_budget();

create function private.projects_evaluate_budget()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.evaluate_project_budget(new.id);
  return null;
end;
$$;
comment on function private.projects_evaluate_budget() is 'A changed budget may cross (or clear) a threshold too.';
create trigger projects_evaluate_budget after update of budget_cents, budget_hours on public.projects
  for each row when (old.budget_cents is distinct from new.budget_cents or old.budget_hours is distinct from new.budget_hours)
  execute function private.projects_evaluate_budget();

revoke execute on all functions in schema private from public;
revoke execute on function public.project_weekly_burn(uuid, integer) from public, anon;
revoke execute on function public.project_budgets(uuid[]) from public, anon;
revoke execute on function public.project_hours_by_member(uuid) from public, anon;
grant execute on function public.project_weekly_burn(uuid, integer), public.project_hours_by_member(uuid),
  public.project_budgets(uuid[]) to authenticated;
grant execute on function private.entry_value_cents(integer, integer) to authenticated;
