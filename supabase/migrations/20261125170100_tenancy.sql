-- Tenancy: agencies, the people in them and their roles, member rates, profiles, the audit log,
-- and the helper functions every tenant policy uses. Each later tenant table carries agency_id
-- and filters on `agency_id in (select private.member_agency_ids())` or a narrower helper.

-- ============================================================================================
-- Types
-- ============================================================================================
create type public.agency_role as enum ('owner', 'manager', 'member');
comment on type public.agency_role is
  'owner: everything incl. roles and deactivation; manager: runs clients, projects, invoices and '
  'rates; member: works on assigned projects and never sees other people''s rates.';

-- ============================================================================================
-- Tables
-- ============================================================================================
create table public.agencies (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$'),
  logo_url text check (char_length(logo_url) <= 2048),
  brand_color text not null default '#4f46e5' check (brand_color ~ '^#[0-9a-f]{6}$'),
  currency text not null default 'USD' references public.currencies (code),
  timezone text not null default 'UTC' check (private.is_iana_timezone(timezone)),
  default_tax_rate_bp integer not null default 0 check (default_tax_rate_bp between 0 and 10000),
  default_hourly_rate_cents integer not null default 0 check (default_hourly_rate_cents between 0 and 100000000),
  invoice_prefix text not null default 'INV-' check (invoice_prefix ~ '^[A-Za-z0-9/_.-]{0,20}$'),
  payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
  subscription_plan text not null default 'free' check (subscription_plan in ('free', 'studio', 'agency')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.agencies is
  'The tenant. Settings are typed columns (not a JSON bag) so the database can check them. '
  'Tax rates are basis points (2000 = 20 %); money is integer minor units.';

create table public.profiles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null check (private.is_email(email)),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  avatar_url text check (char_length(avatar_url) <= 2048),
  timezone text not null default 'UTC' check (private.is_iana_timezone(timezone)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'A person, across agencies: the name, avatar and IANA time zone they choose for themselves. '
  'Kept in sync with auth.users by trigger; readable by people who share an agency.';

create table public.agency_members (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  user_id uuid not null references public.profiles (user_id),
  role public.agency_role not null default 'member',
  capacity_hours_weekly numeric(5, 2) not null default 40 check (capacity_hours_weekly between 0 and 168),
  is_active boolean not null default true,
  deactivated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, user_id)
);
create index agency_members_user_id_idx on public.agency_members (user_id, agency_id) where is_active;
comment on table public.agency_members is
  'Membership of a person in an agency with a role. Never deleted: deactivation keeps history '
  '(time, invoices) attached while the person loses all access.';

create table public.member_rates (
  agency_id uuid not null,
  user_id uuid not null,
  hourly_rate_cents integer check (hourly_rate_cents between 0 and 100000000),
  cost_rate_cents integer check (cost_rate_cents between 0 and 100000000),
  updated_at timestamptz not null default now(),
  primary key (agency_id, user_id),
  foreign key (agency_id, user_id) references public.agency_members (agency_id, user_id) on delete cascade
);
comment on table public.member_rates is
  'Billable and cost rates per member, apart from agency_members so RLS can hide them from '
  'members (who see their own only). Null means "use the agency default".';

create table public.audit_log (
  id bigint generated always as identity primary key,
  agency_id uuid not null,
  actor_id uuid,
  actor_role text not null,
  table_name text not null,
  row_id text not null,
  action text not null check (action in ('insert', 'update', 'delete')),
  old_values jsonb,
  new_values jsonb,
  reason text,
  created_at timestamptz not null default clock_timestamp()
);
create index audit_log_agency_id_created_at_idx on public.audit_log (agency_id, created_at desc);
create index audit_log_row_idx on public.audit_log (table_name, row_id);
comment on table public.audit_log is
  'Who changed what and when, written only by private.audit_row_change(). No foreign key to '
  'agencies on purpose: the trail must outlive what it describes. Rows are never changed.';

-- ============================================================================================
-- Helper functions for policies (private, security definer, computed once per statement)
-- ============================================================================================
create function private.member_agency_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.agency_id
  from public.agency_members m
  where m.user_id = (select auth.uid()) and m.is_active;
$$;
comment on function private.member_agency_ids() is
  'Agencies the caller may act in. Deactivated memberships are excluded, which is what locks a '
  'deactivated member out of everything at once. Security definer: agency_members is itself RLS-protected.';

create function private.manager_agency_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.agency_id
  from public.agency_members m
  where m.user_id = (select auth.uid()) and m.is_active and m.role in ('owner', 'manager');
$$;
comment on function private.manager_agency_ids() is 'Agencies where the caller is an active owner or manager.';

create function private.owner_agency_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.agency_id
  from public.agency_members m
  where m.user_id = (select auth.uid()) and m.is_active and m.role = 'owner';
$$;
comment on function private.owner_agency_ids() is 'Agencies where the caller is an active owner.';

create function private.coworker_user_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct other.user_id
  from public.agency_members other
  where other.agency_id in (select private.member_agency_ids());
$$;
comment on function private.coworker_user_ids() is
  'People who share an active agency with the caller (deactivated colleagues included, so '
  'history still shows their names).';

grant execute on function private.member_agency_ids(), private.manager_agency_ids(),
  private.owner_agency_ids(), private.coworker_user_ids() to authenticated;
-- The membership guard trigger names owner_agency_ids() for every writer, service role included.
grant execute on function private.owner_agency_ids() to service_role;

-- ============================================================================================
-- Grants and RLS: agencies
-- ============================================================================================
revoke all on table public.agencies from anon, authenticated;
grant select on table public.agencies to authenticated;
-- slug and subscription_plan are not in the list: users cannot change them.
grant update (name, logo_url, brand_color, currency, timezone, default_tax_rate_bp,
  default_hourly_rate_cents, invoice_prefix, payment_terms_days) on table public.agencies to authenticated;
alter table public.agencies enable row level security;

create policy "members read their agencies"
  on public.agencies for select to authenticated
  using (id in (select private.member_agency_ids()));
create policy "owners and managers update agency settings"
  on public.agencies for update to authenticated
  using (id in (select private.manager_agency_ids()))
  with check (id in (select private.manager_agency_ids()));
-- No insert policy: agencies are created through public.create_agency(). No delete policy.

-- ============================================================================================
-- Grants and RLS: profiles
-- ============================================================================================
revoke all on table public.profiles from anon, authenticated;
grant select on table public.profiles to authenticated;
grant update (name, avatar_url, timezone) on table public.profiles to authenticated;
alter table public.profiles enable row level security;

create policy "people read their own profile"
  on public.profiles for select to authenticated
  using (user_id = (select auth.uid()));
create policy "people read the profiles of colleagues"
  on public.profiles for select to authenticated
  using (user_id in (select private.coworker_user_ids()));
create policy "people update their own profile"
  on public.profiles for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
-- Inserted by the auth.users trigger; deleted with the auth user.

-- ============================================================================================
-- Grants and RLS: agency_members
-- ============================================================================================
revoke all on table public.agency_members from anon, authenticated;
grant select on table public.agency_members to authenticated;
grant update (role, capacity_hours_weekly, is_active) on table public.agency_members to authenticated;
alter table public.agency_members enable row level security;

create policy "members read the team of their agencies"
  on public.agency_members for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "people read their own memberships, active or not"
  on public.agency_members for select to authenticated
  using (user_id = (select auth.uid()));
create policy "owners and managers update memberships"
  on public.agency_members for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
-- Rows are created by create_agency() and accept_invitation(); never deleted (deactivate instead).

-- ============================================================================================
-- Grants and RLS: member_rates
-- ============================================================================================
revoke all on table public.member_rates from anon, authenticated;
grant select on table public.member_rates to authenticated;
grant update (hourly_rate_cents, cost_rate_cents) on table public.member_rates to authenticated;
alter table public.member_rates enable row level security;

create policy "owners and managers read all rates"
  on public.member_rates for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "members read their own rates"
  on public.member_rates for select to authenticated
  using (user_id = (select auth.uid()) and agency_id in (select private.member_agency_ids()));
create policy "owners and managers set rates"
  on public.member_rates for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
-- Rows are created with the membership by trigger.

-- ============================================================================================
-- Grants and RLS: audit_log
-- ============================================================================================
revoke all on table public.audit_log from anon, authenticated;
revoke all on sequence public.audit_log_id_seq from anon, authenticated;
grant select on table public.audit_log to authenticated;
alter table public.audit_log enable row level security;

create policy "owners and managers read their agency's audit trail"
  on public.audit_log for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
-- Written only by the audit trigger (security definer); nobody may change or delete a row.

-- ============================================================================================
-- Functions
-- ============================================================================================
create function private.slugify(p_value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(
    nullif(left(trim(both '-' from regexp_replace(lower(p_value), '[^a-z0-9]+', '-', 'g')), 40), ''),
    'agency'
  );
$$;

create function public.create_agency(
  p_name text,
  p_currency text default 'USD',
  p_timezone text default null
)
returns public.agencies
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
  v_base text := trim(both '-' from private.slugify(p_name));
  v_slug text;
  v_agency public.agencies;
  v_attempt integer := 1;
begin
  if v_user_id is null then
    raise exception using errcode = '42501', message = 'sign in to create an agency', hint = 'not_authenticated';
  end if;
  loop
    v_slug := case when v_attempt = 1 then v_base else v_base || '-' || v_attempt end;
    begin
      insert into public.agencies (name, slug, currency, timezone)
      values (
        btrim(p_name),
        v_slug,
        coalesce(p_currency, 'USD'),
        coalesce(p_timezone, (select p.timezone from public.profiles p where p.user_id = v_user_id), 'UTC')
      )
      returning * into v_agency;
      exit;
    exception when unique_violation then
      -- Another agency has this slug: try the next suffix.
      v_attempt := v_attempt + 1;
    end;
  end loop;
  insert into public.agency_members (agency_id, user_id, role) values (v_agency.id, v_user_id, 'owner');
  return v_agency;
end;
$$;
comment on function public.create_agency(text, text, text) is
  'Creates an agency and makes the caller its owner in one transaction. Security definer because '
  'no one may insert agencies or memberships directly; the caller only ever gets their own.';
revoke execute on function public.create_agency(text, text, text) from public, anon;
grant execute on function public.create_agency(text, text, text) to authenticated;

-- ============================================================================================
-- Triggers
-- ============================================================================================
create trigger agencies_touch_updated_at before update on public.agencies
  for each row execute function private.touch_updated_at();
create trigger profiles_touch_updated_at before update on public.profiles
  for each row execute function private.touch_updated_at();
create trigger agency_members_touch_updated_at before update on public.agency_members
  for each row execute function private.touch_updated_at();
create trigger member_rates_touch_updated_at before update on public.member_rates
  for each row execute function private.touch_updated_at();

-- Profiles follow auth.users: one per person, created when the account is.
create function private.sync_profile_from_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_timezone text := new.raw_user_meta_data ->> 'timezone';
  v_name text := nullif(btrim(coalesce(new.raw_user_meta_data ->> 'name', new.raw_user_meta_data ->> 'full_name', '')), '');
begin
  if new.email is null then
    return new;
  end if;
  if v_timezone is null or not private.is_iana_timezone(v_timezone) then
    v_timezone := 'UTC';
  end if;
  insert into public.profiles (user_id, email, name, timezone)
  values (new.id, lower(new.email), left(coalesce(v_name, split_part(new.email, '@', 1)), 120), v_timezone)
  on conflict (user_id) do update set email = excluded.email;
  return new;
end;
$$;
comment on function private.sync_profile_from_auth_user() is
  'Creates the profile when Supabase Auth (or the local issuer) creates a user, and follows email '
  'changes. Security definer: the auth server''s role may not write public tables.';

create trigger on_auth_user_saved_sync_profile
  after insert or update of email on auth.users
  for each row execute function private.sync_profile_from_auth_user();

-- Every membership has a rates row, so rates can be set with a plain update.
create function private.create_member_rates()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.member_rates (agency_id, user_id) values (new.agency_id, new.user_id)
  on conflict do nothing;
  return null;
end;
$$;
create trigger agency_members_create_rates after insert on public.agency_members
  for each row execute function private.create_member_rates();

-- Only owners change roles or (de)activate people; managers may only change capacity.
create function private.guard_membership_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.role is distinct from old.role or new.is_active is distinct from old.is_active)
     and (select auth.uid()) is not null
     and not exists (select from private.owner_agency_ids() as owned(id) where owned.id = new.agency_id) then
    raise exception using
      errcode = '42501',
      message = 'only an owner can change roles or deactivate members',
      hint = 'owner_required';
  end if;
  if new.is_active is distinct from old.is_active then
    new.deactivated_at := case when new.is_active then null else now() end;
  end if;
  return new;
end;
$$;
create trigger agency_members_guard_changes before update on public.agency_members
  for each row execute function private.guard_membership_changes();

-- An agency always keeps at least one active owner.
create function private.keep_an_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role = 'owner' and old.is_active
     and (tg_op = 'DELETE' or new.role <> 'owner' or not new.is_active) then
    -- Lock the agency so two owners demoting each other at once cannot both succeed.
    perform from public.agencies where id = old.agency_id for update;
    if not exists (
      select from public.agency_members m
      where m.agency_id = old.agency_id and m.role = 'owner' and m.is_active and m.id <> old.id
    ) and exists (select from public.agencies where id = old.agency_id) then
      raise exception using
        errcode = 'P0001',
        message = 'an agency needs at least one active owner; make someone else owner first',
        hint = 'last_owner';
    end if;
  end if;
  return null;
end;
$$;
comment on function private.keep_an_owner() is
  'Rejects demoting, deactivating or removing the last active owner. Security definer so it sees '
  'every membership of the agency regardless of who asks.';
create trigger agency_members_keep_an_owner after update or delete on public.agency_members
  for each row execute function private.keep_an_owner();

-- ============================================================================================
-- Audit trail
-- ============================================================================================
create function private.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_agency_column text := coalesce(tg_argv[0], 'agency_id');
  v_id_column text := coalesce(tg_argv[1], 'id');
  v_hidden text[] := coalesce(string_to_array(tg_argv[2], ','), '{}');
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := to_jsonb(old) - v_hidden;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := to_jsonb(new) - v_hidden;
  end if;
  if tg_op = 'UPDATE' and (v_old - 'updated_at') = (v_new - 'updated_at') then
    return null;
  end if;
  v_row := coalesce(v_new, v_old);
  insert into public.audit_log (agency_id, actor_id, actor_role, table_name, row_id, action, old_values, new_values, reason)
  values (
    (v_row ->> v_agency_column)::uuid,
    (select auth.uid()),
    coalesce((select auth.role()), session_user::text),
    tg_table_name,
    v_row ->> v_id_column,
    lower(tg_op),
    v_old,
    v_new,
    nullif(current_setting('app.audit_reason', true), '')
  );
  return null;
end;
$$;
comment on function private.audit_row_change() is
  'Generic audit trigger. Arguments: agency id column, row id column, comma-separated columns '
  'never to copy (secrets such as token hashes). A reason can be passed for one transaction with '
  'set_config(''app.audit_reason'', …, true). Security definer: users cannot write audit_log.';

create trigger agencies_audit after insert or update or delete on public.agencies
  for each row execute function private.audit_row_change('id', 'id');
create trigger agency_members_audit after insert or update or delete on public.agency_members
  for each row execute function private.audit_row_change('agency_id', 'id');
create trigger member_rates_audit after insert or update or delete on public.member_rates
  for each row execute function private.audit_row_change('agency_id', 'user_id');

-- Accounts that existed before this migration (an existing Supabase project) get profiles too.
insert into public.profiles (user_id, email, name)
select u.id, lower(u.email), left(coalesce(nullif(btrim(u.raw_user_meta_data ->> 'name'), ''), split_part(u.email, '@', 1)), 120)
from auth.users u
where u.email is not null
on conflict (user_id) do nothing;

-- Functions in `private` are for the grants above only (see the foundation migration).
revoke execute on all functions in schema private from public;
