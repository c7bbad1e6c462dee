-- Time tracking: members write their own time entries, and every rule about them lives here, in
-- triggers and constraints that hold for every path (app, API, SQL as the user, the database owner):
-- no future time, at most 12 hours per stored part and 24 per local day, automatic split at the
-- member's midnight (wall clock, real seconds), no overlaps (exclusion constraint), only on open
-- projects of the member's team, submitted/approved/invoiced entries immutable. Adds the running
-- timer, weekly timesheets with approval, and moves budget evaluation to a row-write lock.

create extension if not exists btree_gist with schema extensions;

-- ============================================================================================
-- Tables: entries gain their rule columns, timers, timesheets, locks
-- ============================================================================================
alter table public.projects add column time_billable_default boolean not null default true;
comment on column public.projects.time_billable_default is 'Whether new time on this project is billable unless the member says otherwise.';
grant insert (time_billable_default), update (time_billable_default) on table public.projects to authenticated;

alter table public.time_entries
  -- Copied from the (validated) profile; no per-row check: looking a zone up in
  -- pg_timezone_names reads the zone database and would dominate every insert.
  add column time_zone text not null default 'UTC',
  add column split_group_id uuid,
  add column invoice_id uuid,
  alter column is_billable drop default,
  alter column billable_rate_cents drop default,
  alter column cost_rate_cents drop default,
  add constraint time_entries_part_at_most_12h check (duration_seconds <= 43200),
  add constraint time_entries_duration_matches_times
    check (started_at is null or duration_seconds = extract(epoch from ended_at - started_at)),
  add constraint time_entries_no_overlap exclude using gist (
    agency_id with =, user_id with =, tstzrange(started_at, ended_at) with &&
  ) where (started_at is not null);
-- The trigger fills it from the member's profile; no default, so nothing else can pretend to.
alter table public.time_entries alter column time_zone drop default;
create index time_entries_split_group_idx on public.time_entries (split_group_id) where split_group_id is not null;
create index time_entries_invoice_idx on public.time_entries (agency_id, invoice_id) where invoice_id is not null;
comment on column public.time_entries.time_zone is 'The member''s IANA time zone when the entry was made: it defines entry_date and the midnight split.';
comment on column public.time_entries.split_group_id is 'Shared by the parts of one entry split at midnight.';
comment on column public.time_entries.invoice_id is 'Set by invoicing (its migration adds the foreign key); a linked entry is immutable.';

create table public.timers (
  agency_id uuid not null,
  user_id uuid not null,
  project_id uuid not null,
  task_id uuid,
  description text not null default '' check (char_length(description) <= 2000),
  is_billable boolean,
  started_at timestamptz not null default private.clock_now(),
  created_at timestamptz not null default now(),
  primary key (agency_id, user_id),
  foreign key (agency_id, user_id) references public.agency_members (agency_id, user_id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id) on delete cascade,
  foreign key (agency_id, project_id, task_id) references public.tasks (agency_id, project_id, id)
    on delete set null (task_id)
);
create index timers_project_idx on public.timers (agency_id, project_id);
comment on table public.timers is
  'The running timer of a member (at most one per agency: the primary key). Stopping it turns it '
  'into a time entry through the same rules as any other entry; until that succeeds it keeps running.';

create type public.timesheet_status as enum ('submitted', 'approved', 'rejected');

create table public.timesheets (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  user_id uuid not null,
  week_start date not null check (extract(isodow from week_start) = 1),
  status public.timesheet_status not null default 'submitted',
  submitted_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,
  rejection_reason text check (char_length(btrim(rejection_reason)) between 1 and 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  unique (agency_id, user_id, week_start),
  foreign key (agency_id, user_id) references public.agency_members (agency_id, user_id),
  foreign key (agency_id, decided_by) references public.agency_members (agency_id, user_id),
  constraint timesheets_rejection_has_reason check (status <> 'rejected' or rejection_reason is not null)
);
create index timesheets_pending_idx on public.timesheets (agency_id, status, week_start);
comment on table public.timesheets is
  'A member''s week (ISO, Monday first) sent for approval. Its entries carry the same status; a '
  'submitted or approved week takes no new or changed time. Written only by the submit/decide functions.';

create table private.member_time_locks (
  agency_id uuid not null,
  user_id uuid not null,
  version bigint not null default 1,
  primary key (agency_id, user_id)
);
alter table private.member_time_locks enable row level security;
comment on table private.member_time_locks is
  'One row per member, written by every entry change: serialises the 24-hours-per-day check at any '
  'isolation level (a concurrent writer waits, or fails with 40001 under repeatable read).';

create table private.pending_split_tails (
  xact_id xid8 not null,
  time_entry_id uuid not null,
  ended_at timestamptz not null,
  primary key (xact_id, time_entry_id)
);
alter table private.pending_split_tails enable row level security;
comment on table private.pending_split_tails is
  'Where a changed entry that now crosses midnight keeps its real end until its AFTER trigger '
  'inserts the tail. A table in private, not a custom setting: any session can set a setting, and '
  'a forged one makes the definer trigger insert time of the caller''s choosing.';

create table private.project_budget_locks (
  project_id uuid primary key,
  version bigint not null default 1
);
alter table private.project_budget_locks enable row level security;
comment on table private.project_budget_locks is
  'One row per project, written by every budget evaluation so two evaluations never both miss a crossing.';

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================
grant insert (agency_id, user_id, project_id, task_id, description, is_billable, started_at, ended_at,
  entry_date, duration_seconds) on table public.time_entries to authenticated;
grant update (project_id, task_id, description, is_billable, started_at, ended_at, entry_date, duration_seconds)
  on table public.time_entries to authenticated;
grant delete on table public.time_entries to authenticated;

create policy "members add their own time"
  on public.time_entries for insert to authenticated
  with check (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "members change their own time"
  on public.time_entries for update to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()))
  with check (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "members delete their own time"
  on public.time_entries for delete to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));

revoke all on table public.timers from anon, authenticated;
grant select, delete on table public.timers to authenticated;
grant insert (agency_id, user_id, project_id, task_id, description, is_billable, started_at)
  on table public.timers to authenticated;
grant update (project_id, task_id, description, is_billable, started_at) on table public.timers to authenticated;
alter table public.timers enable row level security;
create policy "members read their own timer"
  on public.timers for select to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "managers read running timers"
  on public.timers for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members start their own timer"
  on public.timers for insert to authenticated
  with check (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "members change their own timer"
  on public.timers for update to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()))
  with check (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "members discard their own timer"
  on public.timers for delete to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));

revoke all on table public.timesheets from anon, authenticated;
grant select on table public.timesheets to authenticated;
alter table public.timesheets enable row level security;
create policy "members read their own timesheets"
  on public.timesheets for select to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "owners and managers read every timesheet"
  on public.timesheets for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Functions: the rules
-- ============================================================================================
create function private.week_start(p_date date)
returns date
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (p_date - (extract(isodow from p_date)::integer - 1));
$$;
comment on function private.week_start(date) is 'Monday of the ISO week of a date: timesheets are per ISO week.';
grant execute on function private.week_start(date) to authenticated;

create function private.check_time_target(p_agency_id uuid, p_project_id uuid, p_task_id uuid, p_user_id uuid)
returns public.projects
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
begin
  select * into v_project from public.projects p where p.agency_id = p_agency_id and p.id = p_project_id;
  if v_project.id is null or not exists (
    select 1 from public.project_members pm
    where pm.agency_id = p_agency_id and pm.project_id = p_project_id and pm.user_id = p_user_id
  ) then
    raise exception 'only members of the project''s team can track time on it'
      using errcode = 'P0001', hint = 'not_on_project_team', column = 'project_id';
  end if;
  if v_project.status not in ('planning', 'active') then
    raise exception 'this project is %; it takes no time until it is reopened', replace(v_project.status::text, '_', ' ')
      using errcode = 'P0001', hint = 'project_not_open', column = 'project_id';
  end if;
  if p_task_id is not null and not exists (
    select 1 from public.tasks t where t.agency_id = p_agency_id and t.project_id = p_project_id and t.id = p_task_id
  ) then
    raise exception 'that task is not part of this project'
      using errcode = 'P0001', hint = 'task_not_in_project', column = 'task_id';
  end if;
  return v_project;
end;
$$;
comment on function private.check_time_target(uuid, uuid, uuid, uuid) is
  'Rule 5 for entries and timers: the person is on the project''s team, the project is open (planning '
  'or active) and the task belongs to it. A project outside the agency reads as "not on the team", '
  'so nothing about it leaks. Security definer: members cannot read every team.';

create function private.time_entries_apply_rules()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
  v_local_date date;
  v_midnight timestamptz;
  v_day_seconds bigint;
  v_other record;
  v_week public.timesheets;
begin
  -- Another person's new time is refused before any rule speaks: a rule message would tell the
  -- caller about that person's team, day or entries (the overlap names their entry). The policy
  -- refuses it too; saying so here also holds inside functions that bypass it.
  if tg_op = 'INSERT' and (select auth.uid()) is not null and new.user_id is distinct from (select auth.uid()) then
    raise exception 'people add only their own time' using errcode = '42501';
  end if;
  -- Outside the caller's agencies the row-level policies answer (42501), not a rule message.
  if (select auth.uid()) is not null and new.agency_id not in (select private.member_agency_ids()) then
    return new;
  end if;

  if tg_op = 'UPDATE' then
    -- Status moves only along the approval path, for every role (the service role and the owner
    -- included): an approved entry never becomes a draft again, so it can never be edited.
    if new.status is distinct from old.status
       and old.status::text || '>' || new.status::text
           not in ('draft>submitted', 'rejected>submitted', 'submitted>approved', 'submitted>rejected') then
      raise exception 'an entry goes from % to % only by submitting or deciding its week', old.status, new.status
        using errcode = 'P0001', hint = 'entry_locked';
    end if;
    if (old.invoice_id is not null or old.status in ('submitted', 'approved'))
       and (new.project_id, new.task_id, new.description, new.is_billable, new.started_at, new.ended_at,
            new.entry_date, new.duration_seconds, new.user_id, new.agency_id, new.time_zone, new.split_group_id)
           is distinct from
           (old.project_id, old.task_id, old.description, old.is_billable, old.started_at, old.ended_at,
            old.entry_date, old.duration_seconds, old.user_id, old.agency_id, old.time_zone, old.split_group_id)
    then
      raise exception 'this entry is % and cannot change', case when old.invoice_id is not null then 'invoiced' else old.status::text end
        using errcode = 'P0001', hint = 'entry_locked';
    end if;
    -- Invoiced rates are what was billed; only invoicing itself may release the link.
    if old.invoice_id is not null and new.invoice_id is not null
       and (new.billable_rate_cents, new.cost_rate_cents, new.invoice_id)
           is distinct from (old.billable_rate_cents, old.cost_rate_cents, old.invoice_id) then
      raise exception 'this entry is invoiced and cannot change' using errcode = 'P0001', hint = 'entry_locked';
    end if;
    -- Status, rate and invoice-link changes come from the approval, rate and invoicing functions;
    -- they touch no time, so the time rules have nothing to say about them.
    if (new.project_id, new.task_id, new.started_at, new.ended_at, new.entry_date, new.duration_seconds)
       is not distinct from (old.project_id, old.task_id, old.started_at, old.ended_at, old.entry_date, old.duration_seconds)
    then
      if (new.description, new.is_billable) is distinct from (old.description, old.is_billable) and new.status = 'rejected' then
        new.status := 'draft';
      end if;
      return new;
    end if;
    -- A rejected entry that is corrected goes back to being a draft of its (returned) week.
    if new.status = 'rejected' then
      new.status := 'draft';
    end if;
  end if;

  -- One writer of this member's time at a time, and no submit_timesheet in between (it takes the
  -- same row): taken before anything is read, so under read committed every read below (team,
  -- project status, the week's timesheet, the day's total, overlaps) sees what committed while
  -- this writer waited, and under repeatable read a concurrent writer fails with 40001.
  insert into private.member_time_locks (agency_id, user_id) values (new.agency_id, new.user_id)
  on conflict (agency_id, user_id) do update set version = private.member_time_locks.version + 1;

  v_project := private.check_time_target(new.agency_id, new.project_id, new.task_id, new.user_id);

  -- Infinite times would split forever (each tail starts at "midnight" of -infinity) and an
  -- infinite date belongs to no week; neither is time anyone worked.
  if not isfinite(coalesce(new.started_at, 'epoch')) or not isfinite(coalesce(new.ended_at, 'epoch'))
     or not isfinite(coalesce(new.entry_date, 'epoch')) then
    raise exception 'times and dates must be real ones' using errcode = 'P0001', hint = 'invalid_range',
      column = case when new.started_at is null then 'entry_date' else 'started_at' end;
  end if;

  if tg_op = 'INSERT' then
    new.time_zone := coalesce(new.time_zone,
      (select p.timezone from public.profiles p where p.user_id = new.user_id), 'UTC');
    new.is_billable := coalesce(new.is_billable, v_project.time_billable_default);
    -- Users cannot name the rates (no column grant); imports by the database owner may.
    new.billable_rate_cents := coalesce(new.billable_rate_cents,
      private.billable_rate_cents(new.agency_id, new.project_id, new.user_id));
    new.cost_rate_cents := coalesce(new.cost_rate_cents,
      (select mr.cost_rate_cents from public.member_rates mr where mr.agency_id = new.agency_id and mr.user_id = new.user_id), 0);
  elsif new.project_id <> old.project_id then
    new.billable_rate_cents := private.billable_rate_cents(new.agency_id, new.project_id, new.user_id);
  end if;

  if new.started_at is not null then
    -- Whole seconds: durations are integers and must equal end minus start exactly.
    new.started_at := date_trunc('second', new.started_at);
    new.ended_at := date_trunc('second', new.ended_at);
    if new.ended_at is null or new.ended_at <= new.started_at then
      raise exception 'the end must be after the start' using errcode = 'P0001', hint = 'invalid_range', column = 'ended_at';
    end if;
    if new.ended_at > private.clock_now() + interval '1 minute' then
      raise exception 'an entry cannot end in the future' using errcode = 'P0001', hint = 'future_entry', column = 'ended_at';
    end if;
    -- Rule 3: split at the member's wall-clock midnight. The tail becomes its own row, which this
    -- trigger splits again if it crosses another midnight; each part is measured in real seconds.
    v_local_date := (new.started_at at time zone new.time_zone)::date;
    v_midnight := (v_local_date + 1)::timestamp at time zone new.time_zone;
    if new.ended_at > v_midnight then
      new.split_group_id := coalesce(new.split_group_id, gen_random_uuid());
      if tg_op = 'INSERT' then
        -- The tail shares the head's rate snapshot (an import's explicit rates, or those of the
        -- entry being changed), not today's rates.
        insert into public.time_entries (agency_id, user_id, project_id, task_id, description, is_billable,
                                         started_at, ended_at, entry_date, duration_seconds, time_zone, split_group_id,
                                         billable_rate_cents, cost_rate_cents)
        values (new.agency_id, new.user_id, new.project_id, new.task_id, new.description, new.is_billable,
                v_midnight, new.ended_at, v_local_date + 1, 1, new.time_zone, new.split_group_id,
                new.billable_rate_cents, new.cost_rate_cents);
      else
        -- The row's old time is still in the table and would collide with its own tail: the tail
        -- is inserted once the row is updated (time_entries_insert_deferred_tail).
        insert into private.pending_split_tails (xact_id, time_entry_id, ended_at)
        values (pg_current_xact_id(), new.id, new.ended_at)
        on conflict (xact_id, time_entry_id) do update set ended_at = excluded.ended_at;
      end if;
      new.ended_at := v_midnight;
    end if;
    new.entry_date := v_local_date;
    new.duration_seconds := extract(epoch from new.ended_at - new.started_at)::integer;
  elsif new.ended_at is not null then
    raise exception 'an entry with an end needs a start' using errcode = 'P0001', hint = 'invalid_range', column = 'started_at';
  elsif new.entry_date is null or new.duration_seconds is null then
    raise exception 'give a start and end, or a date and a duration'
      using errcode = 'P0001', hint = 'invalid_range', column = case when new.entry_date is null then 'entry_date' else 'duration_seconds' end;
  elsif new.duration_seconds <= 0 then
    raise exception 'the duration must be positive' using errcode = 'P0001', hint = 'invalid_range', column = 'duration_seconds';
  end if;

  if new.entry_date > (private.clock_now() at time zone new.time_zone)::date then
    raise exception 'an entry cannot be on a day after today' using errcode = 'P0001', hint = 'future_entry', column = 'entry_date';
  end if;
  if new.duration_seconds > 43200 then
    raise exception 'an entry can be at most 12 hours (this one is % h % min); split it or fix the times',
      new.duration_seconds / 3600, lpad(((new.duration_seconds % 3600) / 60)::text, 2, '0')
      using errcode = 'P0001', hint = 'entry_too_long', column = case when new.started_at is null then 'duration_seconds' else 'ended_at' end;
  end if;

  select * into v_week from public.timesheets ts
  where ts.agency_id = new.agency_id and ts.user_id = new.user_id and ts.week_start = private.week_start(new.entry_date);
  if v_week.status in ('submitted', 'approved') then
    raise exception 'the week of % is % and takes no changes', to_char(v_week.week_start, 'FMDD Mon YYYY'), v_week.status
      using errcode = 'P0001', hint = 'entry_locked', column = 'entry_date';
  end if;

  -- Rule 2 (per day): the member's lock row was taken above.
  select coalesce(sum(e.duration_seconds), 0) into v_day_seconds
  from public.time_entries e
  where e.user_id = new.user_id and e.agency_id = new.agency_id and e.entry_date = new.entry_date
    and e.id <> new.id;
  if v_day_seconds + new.duration_seconds > 86400 then
    raise exception 'this would make % h % min on %, more than 24 hours in a day',
      (v_day_seconds + new.duration_seconds) / 3600, lpad((((v_day_seconds + new.duration_seconds) % 3600) / 60)::text, 2, '0'),
      to_char(new.entry_date, 'FMDD Mon YYYY')
      using errcode = 'P0001', hint = 'day_over_24h', column = 'duration_seconds';
  end if;

  -- Rule 4: name the entry in the way (the exclusion constraint stays the guarantee under races).
  if new.started_at is not null then
    select e.id, e.started_at, e.ended_at, p.name as project_name into v_other
    from public.time_entries e
    join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
    where e.agency_id = new.agency_id and e.user_id = new.user_id and e.id <> new.id
      and e.started_at is not null
      and tstzrange(e.started_at, e.ended_at) && tstzrange(new.started_at, new.ended_at)
    order by e.started_at
    limit 1;
    if v_other.id is not null then
      raise exception 'this overlaps your entry on % from % to %', v_other.project_name,
        to_char(v_other.started_at at time zone new.time_zone, 'FMDD Mon HH24:MI'),
        to_char(v_other.ended_at at time zone new.time_zone, 'FMDD Mon HH24:MI')
        using errcode = 'P0001', hint = 'overlap', column = 'started_at',
              detail = jsonb_build_object('conflicting_entry_id', v_other.id)::text;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.time_entries_apply_rules() is
  'Rules 1–6 for every insert and every change of time: target open and on the team, no future time, '
  'split at local midnight, at most 12 h per part and 24 h per day, no overlap, nothing changes in a '
  'submitted/approved week or on a submitted/approved/invoiced entry. Security definer: it must see '
  'the member''s whole day, profile and team, and write the per-member lock row.';
create trigger time_entries_apply_rules before insert or update on public.time_entries
  for each row execute function private.time_entries_apply_rules();

create function private.time_entries_insert_deferred_tail()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_end timestamptz;
begin
  delete from private.pending_split_tails t
  where t.xact_id = pg_current_xact_id() and t.time_entry_id = new.id
  returning t.ended_at into v_end;
  if v_end is null then
    return null;
  end if;
  insert into public.time_entries (agency_id, user_id, project_id, task_id, description, is_billable,
                                   started_at, ended_at, entry_date, duration_seconds, time_zone, split_group_id,
                                   billable_rate_cents, cost_rate_cents)
  values (new.agency_id, new.user_id, new.project_id, new.task_id, new.description, new.is_billable,
          new.ended_at, v_end, new.entry_date + 1, 1, new.time_zone,
          new.split_group_id, new.billable_rate_cents, new.cost_rate_cents);
  return null;
end;
$$;
comment on function private.time_entries_insert_deferred_tail() is
  'Second half of splitting a changed entry: inserts the part after midnight once the row no longer '
  'holds its old time (the rules trigger noted the tail''s end in private.pending_split_tails).';
create trigger time_entries_insert_deferred_tail after update on public.time_entries
  for each row when (new.split_group_id is not null) execute function private.time_entries_insert_deferred_tail();

create function private.time_entries_guard_delete()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if old.invoice_id is not null or old.status in ('submitted', 'approved') then
    raise exception 'this entry is % and cannot be deleted', case when old.invoice_id is not null then 'invoiced' else old.status::text end
      using errcode = 'P0001', hint = 'entry_locked';
  end if;
  return old;
end;
$$;
comment on function private.time_entries_guard_delete() is 'Rule 6 for deletes: submitted, approved and invoiced time stays.';
create trigger time_entries_guard_delete before delete on public.time_entries
  for each row execute function private.time_entries_guard_delete();

create trigger time_entries_audit after insert or update or delete on public.time_entries
  for each row execute function private.audit_row_change('agency_id', 'id');

create function private.timers_apply_rules()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Another person's timer: refused before the target check could say anything about their team.
  if tg_op = 'INSERT' and (select auth.uid()) is not null and new.user_id is distinct from (select auth.uid()) then
    raise exception 'people start only their own timer' using errcode = '42501';
  end if;
  if (select auth.uid()) is not null and new.agency_id not in (select private.member_agency_ids()) then
    return new;
  end if;
  -- A task that goes away (its key sets task_id null) says nothing new about where the time goes.
  if tg_op = 'INSERT' or new.project_id <> old.project_id
     or (new.task_id is not null and new.task_id is distinct from old.task_id) then
    perform private.check_time_target(new.agency_id, new.project_id, new.task_id, new.user_id);
  end if;
  if new.started_at > private.clock_now() + interval '1 minute' then
    raise exception 'a timer cannot start in the future' using errcode = 'P0001', hint = 'future_entry', column = 'started_at';
  end if;
  return new;
end;
$$;
comment on function private.timers_apply_rules() is 'A timer runs only where its entry could be stored (rule 5), and not from the future.';
create trigger timers_apply_rules before insert or update on public.timers
  for each row execute function private.timers_apply_rules();

create function private.tasks_keep_tracked_time()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.time_entries e where e.agency_id = old.agency_id and e.task_id = old.id) then
    raise exception 'time has been tracked on this task; mark it done instead of deleting it'
      using errcode = 'P0001', hint = 'task_has_time';
  end if;
  return old;
end;
$$;
comment on function private.tasks_keep_tracked_time() is
  'Tracked time keeps its task: deleting the task would rewrite approved and invoiced entries. '
  'Security definer: a manager must see every member''s entries on the task, which RLS already allows, '
  'but the check must not depend on it.';
create trigger tasks_keep_tracked_time before delete on public.tasks
  for each row execute function private.tasks_keep_tracked_time();

-- ============================================================================================
-- Functions: logging time and the timer (security invoker: the caller's rights and the rules apply)
-- ============================================================================================
create function public.log_time(
  p_agency_id uuid,
  p_project_id uuid,
  p_task_id uuid,
  p_description text,
  p_is_billable boolean,
  p_started_at timestamptz,
  p_ended_at timestamptz,
  p_entry_date date default null,
  p_duration_seconds integer default null
)
returns setof public.time_entries
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_entry public.time_entries;
begin
  insert into public.time_entries (agency_id, user_id, project_id, task_id, description, is_billable,
                                   started_at, ended_at, entry_date, duration_seconds)
  values (p_agency_id, (select auth.uid()), p_project_id, p_task_id, coalesce(p_description, ''), p_is_billable,
          p_started_at, p_ended_at, p_entry_date, p_duration_seconds)
  returning * into v_entry;
  return query
    select e.* from public.time_entries e
    where e.id = v_entry.id or (v_entry.split_group_id is not null and e.split_group_id = v_entry.split_group_id)
    order by e.started_at nulls first, e.entry_date;
end;
$$;
comment on function public.log_time(uuid, uuid, uuid, text, boolean, timestamptz, timestamptz, date, integer) is
  'Stores one entry (start and end, or date and duration) and answers every part it became after the midnight split.';

create function public.stop_timer(p_agency_id uuid, p_ended_at timestamptz default null)
returns setof public.time_entries
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_timer public.timers;
  v_end timestamptz := coalesce(p_ended_at, private.clock_now());
begin
  select * into v_timer from public.timers t
  where t.agency_id = p_agency_id and t.user_id = (select auth.uid())
  for update;
  if v_timer.user_id is null then
    raise exception 'no timer is running' using errcode = 'P0002', hint = 'no_timer';
  end if;
  -- A timer forgotten overnight is not cut silently: the member says when they stopped.
  if p_ended_at is null and v_end - v_timer.started_at > interval '12 hours' then
    raise exception 'the timer has run for more than 12 hours; give the time you stopped working'
      using errcode = 'P0001', hint = 'entry_too_long', column = 'ended_at';
  end if;
  -- Stopped within the second it started (a second start right after the first): entries are in
  -- whole seconds, so there is no time to keep, and refusing would block the new start.
  if p_ended_at is null and date_trunc('second', v_end) <= date_trunc('second', v_timer.started_at) then
    delete from public.timers t where t.agency_id = p_agency_id and t.user_id = v_timer.user_id;
    return;
  end if;
  return query
    select * from public.log_time(v_timer.agency_id, v_timer.project_id, v_timer.task_id, v_timer.description,
                                  v_timer.is_billable, v_timer.started_at, v_end);
  delete from public.timers t where t.agency_id = p_agency_id and t.user_id = v_timer.user_id;
end;
$$;
comment on function public.stop_timer(uuid, timestamptz) is
  'Turns the running timer into an entry (split and checked like any other). If the entry is refused, '
  'the whole call is, and the timer keeps running: nothing is lost. A timer stopped within its first '
  'second leaves no entry.';

create function public.start_timer(
  p_agency_id uuid,
  p_project_id uuid,
  p_task_id uuid default null,
  p_description text default '',
  p_is_billable boolean default null
)
returns public.timers
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_timer public.timers;
begin
  if exists (select 1 from public.timers t where t.agency_id = p_agency_id and t.user_id = (select auth.uid())) then
    -- Without an explicit end, so a timer forgotten for more than 12 hours is refused, not cut.
    perform public.stop_timer(p_agency_id);
  end if;
  insert into public.timers (agency_id, user_id, project_id, task_id, description, is_billable, started_at)
  values (p_agency_id, (select auth.uid()), p_project_id, p_task_id, coalesce(p_description, ''), p_is_billable, v_now)
  returning * into v_timer;
  return v_timer;
end;
$$;
comment on function public.start_timer(uuid, uuid, uuid, text, boolean) is
  'Starts the caller''s timer; a running one is stopped first at the same instant (so the two never overlap).';

create function public.set_week_cell(
  p_agency_id uuid,
  p_project_id uuid,
  p_task_id uuid,
  p_entry_date date,
  p_duration_seconds integer
)
returns setof public.time_entries
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
  v_timed bigint;
  v_manual_id uuid;
  v_target integer;
begin
  if p_duration_seconds is null or p_duration_seconds < 0 then
    raise exception 'the duration cannot be negative' using errcode = 'P0001', hint = 'invalid_range', column = 'duration_seconds';
  end if;
  select coalesce(sum(e.duration_seconds), 0) into v_timed
  from public.time_entries e
  where e.agency_id = p_agency_id and e.user_id = v_user_id and e.project_id = p_project_id
    and e.task_id is not distinct from p_task_id and e.entry_date = p_entry_date and e.started_at is not null;
  v_target := p_duration_seconds - v_timed;
  if v_target < 0 then
    raise exception 'this day already has % min of timed entries here; change them in the day view', v_timed / 60
      using errcode = 'P0001', hint = 'cell_has_timed_entries', column = 'duration_seconds';
  end if;
  -- The cell's manual time becomes one entry: the first is kept and resized, any others go.
  select e.id into v_manual_id
  from public.time_entries e
  where e.agency_id = p_agency_id and e.user_id = v_user_id and e.project_id = p_project_id
    and e.task_id is not distinct from p_task_id and e.entry_date = p_entry_date and e.started_at is null
  order by e.created_at, e.id
  limit 1;
  delete from public.time_entries e
  where e.agency_id = p_agency_id and e.user_id = v_user_id and e.project_id = p_project_id
    and e.task_id is not distinct from p_task_id and e.entry_date = p_entry_date and e.started_at is null
    and (v_target = 0 or e.id <> v_manual_id);
  if v_target > 0 and v_manual_id is not null then
    update public.time_entries e set duration_seconds = v_target where e.id = v_manual_id;
  elsif v_target > 0 then
    insert into public.time_entries (agency_id, user_id, project_id, task_id, entry_date, duration_seconds)
    values (p_agency_id, v_user_id, p_project_id, p_task_id, p_entry_date, v_target)
    returning id into v_manual_id;
  end if;
  return query
    select e.* from public.time_entries e
    where e.agency_id = p_agency_id and e.user_id = v_user_id and e.project_id = p_project_id
      and e.task_id is not distinct from p_task_id and e.entry_date = p_entry_date
    order by e.started_at nulls last, e.created_at;
end;
$$;
comment on function public.set_week_cell(uuid, uuid, uuid, date, integer) is
  'The week grid''s edit: sets a project/task/day cell to a total. Timed entries stay as they are; '
  'the difference is the cell''s one manual (date + duration) entry, created, resized or removed.';

-- ============================================================================================
-- Functions: timesheets (security definer: users cannot write timesheets or entry status)
-- ============================================================================================
create function private.timesheet_approvers(p_agency_id uuid, p_user_id uuid, p_week_start date)
returns table (user_id uuid, email text)
language sql
stable
security definer
set search_path = ''
as $$
  with project_managers as (
    select distinct p.manager_id as user_id
    from public.time_entries e
    join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
    where e.agency_id = p_agency_id and e.user_id = p_user_id
      and e.entry_date >= p_week_start and e.entry_date < p_week_start + 7
      and p.manager_id is not null and p.manager_id <> p_user_id
  ),
  eligible as (
    select m.user_id, m.role from public.agency_members m
    where m.agency_id = p_agency_id and m.is_active and m.role in ('owner', 'manager')
  ),
  chosen as (
    select pm.user_id from project_managers pm join eligible el on el.user_id = pm.user_id
  )
  select pr.user_id, pr.email from public.profiles pr
  where pr.user_id in (
    select c.user_id from chosen c
    union
    -- Nobody manages those projects (or only the member does): the owners approve.
    select el.user_id from eligible el
    where el.role = 'owner' and not exists (select 1 from chosen)
      and (el.user_id <> p_user_id or not exists (
        select 1 from eligible o where o.role = 'owner' and o.user_id <> p_user_id))
  );
$$;
comment on function private.timesheet_approvers(uuid, uuid, date) is
  'Who is asked to approve a week: the managers of the projects it has time on, else the owners.';

create function private.can_decide_timesheet(p_agency_id uuid, p_user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.agency_members m
    where m.agency_id = p_agency_id and m.user_id = (select auth.uid()) and m.is_active
      and m.role in ('owner', 'manager')
      and (m.user_id <> p_user_id
           -- One's own week only as the agency's lone owner: nobody else could decide it.
           or (m.role = 'owner' and not exists (
                 select 1 from public.agency_members o
                 where o.agency_id = p_agency_id and o.is_active and o.role = 'owner' and o.user_id <> p_user_id)))
  );
$$;
comment on function private.can_decide_timesheet(uuid, uuid) is
  'Owners and managers decide anyone''s week but their own; a lone owner decides their own too.';

create function public.submit_timesheet(p_agency_id uuid, p_week_start date)
returns public.timesheets
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
  v_sheet public.timesheets;
  v_count integer;
  v_member_name text;
  v_approver record;
begin
  if p_agency_id not in (select private.member_agency_ids()) then
    raise exception 'not a member of this agency' using errcode = '42501';
  end if;
  if p_week_start is null or extract(isodow from p_week_start) <> 1 then
    raise exception 'a week starts on a Monday' using errcode = 'P0001', hint = 'invalid_week', column = 'week_start';
  end if;
  select * into v_sheet from public.timesheets ts
  where ts.agency_id = p_agency_id and ts.user_id = v_user_id and ts.week_start = p_week_start
  for update;
  if v_sheet.status in ('submitted', 'approved') then
    raise exception 'this week is already %', v_sheet.status using errcode = 'P0001', hint = 'entry_locked';
  end if;
  -- Serialise with entry writes of this member (they take the same row).
  insert into private.member_time_locks (agency_id, user_id) values (p_agency_id, v_user_id)
  on conflict (agency_id, user_id) do update set version = private.member_time_locks.version + 1;
  update public.time_entries e set status = 'submitted'
  where e.agency_id = p_agency_id and e.user_id = v_user_id
    and e.entry_date >= p_week_start and e.entry_date < p_week_start + 7
    and e.status in ('draft', 'rejected');
  get diagnostics v_count = row_count;
  if v_count = 0 then
    raise exception 'there is no time to submit in this week' using errcode = 'P0001', hint = 'timesheet_empty', column = 'week_start';
  end if;
  insert into public.timesheets (agency_id, user_id, week_start, status, submitted_at)
  values (p_agency_id, v_user_id, p_week_start, 'submitted', clock_timestamp())
  on conflict (agency_id, user_id, week_start) do update
    set status = 'submitted', submitted_at = clock_timestamp(), decided_by = null, decided_at = null,
        rejection_reason = null, updated_at = now()
  returning * into v_sheet;

  select coalesce(nullif(p.name, ''), p.email) into v_member_name from public.profiles p where p.user_id = v_user_id;
  for v_approver in select * from private.timesheet_approvers(p_agency_id, v_user_id, p_week_start) loop
    insert into public.notifications (agency_id, user_id, kind, title, body, link_path, data)
    values (p_agency_id, v_approver.user_id, 'timesheet_submitted',
            format('%s submitted the week of %s', v_member_name, to_char(p_week_start, 'FMDD Mon YYYY')),
            'A timesheet is waiting for your approval.', '/time/approvals',
            jsonb_build_object('timesheet_id', v_sheet.id, 'user_id', v_user_id, 'week_start', p_week_start));
    perform private.enqueue_email(p_agency_id, v_approver.email, 'timesheet_submitted',
      private.agency_branding(p_agency_id) || jsonb_build_object(
        'member_name', v_member_name, 'week_start', p_week_start, 'approvals_path', '/time/approvals'));
  end loop;
  return v_sheet;
end;
$$;
comment on function public.submit_timesheet(uuid, date) is
  'Sends the caller''s week (its draft and rejected entries) for approval and tells the approvers '
  '(in-app and by email). Security definer: entry status and timesheets are not writable by users.';

create function public.decide_timesheet(p_timesheet_id uuid, p_approve boolean, p_reason text default null)
returns public.timesheets
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sheet public.timesheets;
  v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
  v_email text;
begin
  select * into v_sheet from public.timesheets ts where ts.id = p_timesheet_id for update;
  if v_sheet.id is null or v_sheet.agency_id not in (select private.member_agency_ids()) then
    raise exception 'timesheet not found' using errcode = 'P0002', hint = 'not_found';
  end if;
  if not private.can_decide_timesheet(v_sheet.agency_id, v_sheet.user_id) then
    raise exception 'only owners and managers approve timesheets, and not their own'
      using errcode = '42501', hint = 'cannot_decide_timesheet';
  end if;
  if v_sheet.status <> 'submitted' then
    raise exception 'this week is % and waits for no decision', v_sheet.status
      using errcode = 'P0001', hint = 'timesheet_not_pending';
  end if;
  if p_approve is null then
    raise exception 'say whether the week is approved or rejected' using errcode = 'P0001', hint = 'invalid_decision';
  end if;
  if not p_approve and v_reason is null then
    raise exception 'say why the week is rejected' using errcode = 'P0001', hint = 'rejection_reason_required', column = 'reason';
  end if;
  if v_reason is not null then
    perform set_config('app.audit_reason', left(v_reason, 2000), true);
  end if;
  update public.time_entries e
    set status = case when p_approve then 'approved' else 'rejected' end::public.time_entry_status
  where e.agency_id = v_sheet.agency_id and e.user_id = v_sheet.user_id
    and e.entry_date >= v_sheet.week_start and e.entry_date < v_sheet.week_start + 7
    and e.status = 'submitted';
  update public.timesheets ts
    set status = case when p_approve then 'approved' else 'rejected' end::public.timesheet_status,
        decided_by = (select auth.uid()), decided_at = clock_timestamp(),
        rejection_reason = case when p_approve then null else left(v_reason, 2000) end
  where ts.id = v_sheet.id
  returning * into v_sheet;
  perform set_config('app.audit_reason', '', true);

  insert into public.notifications (agency_id, user_id, kind, title, body, link_path, data)
  values (v_sheet.agency_id, v_sheet.user_id,
          case when p_approve then 'timesheet_approved' else 'timesheet_rejected' end,
          format('Your week of %s was %s', to_char(v_sheet.week_start, 'FMDD Mon YYYY'),
                 case when p_approve then 'approved' else 'returned for changes' end),
          v_sheet.rejection_reason, '/time?week=' || v_sheet.week_start,
          jsonb_build_object('timesheet_id', v_sheet.id, 'week_start', v_sheet.week_start));
  if not p_approve then
    select p.email into v_email from public.profiles p where p.user_id = v_sheet.user_id;
    perform private.enqueue_email(v_sheet.agency_id, v_email, 'timesheet_rejected',
      private.agency_branding(v_sheet.agency_id) || jsonb_build_object(
        'week_start', v_sheet.week_start, 'reason', v_sheet.rejection_reason,
        'timesheet_path', '/time?week=' || v_sheet.week_start));
  end if;
  return v_sheet;
end;
$$;
comment on function public.decide_timesheet(uuid, boolean, text) is
  'Approves a submitted week (its entries become approved, for good) or returns it with a reason '
  '(entries become rejected and editable; the member gets an email). The reason is in the audit log.';

create function public.apply_current_rates(p_project_id uuid, p_from date default null, p_to date default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  if not private.manages_project(p_project_id) then
    raise exception 'only owners and managers change rates' using errcode = '42501';
  end if;
  perform set_config('app.audit_reason', 'current rates applied to unbilled time', true);
  update public.time_entries e
    set billable_rate_cents = private.billable_rate_cents(e.agency_id, e.project_id, e.user_id),
        cost_rate_cents = coalesce((select mr.cost_rate_cents from public.member_rates mr
                                    where mr.agency_id = e.agency_id and mr.user_id = e.user_id), 0)
  where e.project_id = p_project_id and e.invoice_id is null
    and (p_from is null or e.entry_date >= p_from) and (p_to is null or e.entry_date <= p_to)
    and (e.billable_rate_cents, e.cost_rate_cents) is distinct from (
      private.billable_rate_cents(e.agency_id, e.project_id, e.user_id),
      coalesce((select mr.cost_rate_cents from public.member_rates mr
                where mr.agency_id = e.agency_id and mr.user_id = e.user_id), 0));
  get diagnostics v_count = row_count;
  perform set_config('app.audit_reason', '', true);
  return v_count;
end;
$$;
comment on function public.apply_current_rates(uuid, date, date) is
  'The explicit "apply new rates to unbilled entries" of a project (optionally a date range): rate '
  'snapshots never change otherwise. Answers how many entries changed; each change is audited.';

revoke execute on function public.log_time(uuid, uuid, uuid, text, boolean, timestamptz, timestamptz, date, integer),
  public.stop_timer(uuid, timestamptz), public.start_timer(uuid, uuid, uuid, text, boolean),
  public.set_week_cell(uuid, uuid, uuid, date, integer), public.submit_timesheet(uuid, date),
  public.decide_timesheet(uuid, boolean, text), public.apply_current_rates(uuid, date, date) from public, anon;
grant execute on function public.log_time(uuid, uuid, uuid, text, boolean, timestamptz, timestamptz, date, integer),
  public.stop_timer(uuid, timestamptz), public.start_timer(uuid, uuid, uuid, text, boolean),
  public.set_week_cell(uuid, uuid, uuid, date, integer), public.submit_timesheet(uuid, date),
  public.decide_timesheet(uuid, boolean, text), public.apply_current_rates(uuid, date, date) to authenticated;

create trigger timesheets_touch_updated_at before update on public.timesheets
  for each row execute function private.touch_updated_at();
create trigger timesheets_audit after insert or update or delete on public.timesheets
  for each row execute function private.audit_row_change('agency_id', 'id');

-- ============================================================================================
-- Budget alerts: the evaluation lock becomes a row write (safe under repeatable read too)
-- ============================================================================================
create or replace function private.evaluate_project_budget(p_project_id uuid)
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
  -- One evaluation per project at a time, by a row write: under repeatable read a concurrent
  -- evaluation fails (40001) rather than deciding on a snapshot that misses the other's entries.
  insert into private.project_budget_locks (project_id) values (p_project_id)
  on conflict (project_id) do update set version = private.project_budget_locks.version + 1;
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

revoke execute on all functions in schema private from public;
