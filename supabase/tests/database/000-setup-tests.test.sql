-- Installs pgTAP and the `tests` helper schema that every other file uses, and commits them:
-- the files run in name order (pg_prove, or `supabase test db`) and each later file rolls back
-- only its own work. Helpers act the way PostgREST does: role + request.jwt.claims, per transaction.
begin;

create extension if not exists pgtap with schema extensions;
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Creates an account the way the auth server does (the profile follows by trigger).
create or replace function tests.create_user(p_email text, p_name text default null, p_timezone text default 'UTC')
returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into auth.users (id, email, raw_user_meta_data, email_confirmed_at)
  values (gen_random_uuid(), lower(p_email),
          jsonb_build_object('name', coalesce(p_name, split_part(p_email, '@', 1)), 'timezone', p_timezone), now())
  returning id;
$$;

create or replace function tests.user_id(p_email text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select id from auth.users where email = lower(p_email);
$$;

-- Become this user for the rest of the transaction, exactly as a request would.
create or replace function tests.authenticate_as(p_email text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := tests.user_id(p_email);
begin
  if v_id is null then
    raise exception 'tests.authenticate_as: no user %', p_email;
  end if;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', v_id, 'email', lower(p_email), 'role', 'authenticated', 'aud', 'authenticated',
    'session_id', gen_random_uuid())::text, true);
end;
$$;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
end;
$$;

-- An anonymous visitor: no user, role anon.
create or replace function tests.clear_authentication()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
end;
$$;

-- Back to the test runner's own (superuser) role, to arrange data or inspect results.
create or replace function tests.reset_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
end;
$$;

-- Freeze the business-rule clock (private.clock_now) for the rest of the transaction. The
-- redefinition is DDL inside the test's transaction, so the rollback at the end undoes it.
create or replace function tests.freeze_time(p_at timestamptz)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  execute format(
    'create or replace function private.clock_now() returns timestamptz language sql stable set search_path = %L as %L',
    '', format('select %L::timestamptz', p_at));
end;
$$;

-- Creates an agency owned by p_owner_email; returns its id.
create or replace function tests.create_agency(p_owner_email text, p_name text default 'Test Agency')
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
begin
  perform tests.authenticate_as(p_owner_email);
  select (public.create_agency(p_name)).id into v_id;
  perform tests.reset_role();
  return v_id;
end;
$$;

-- Adds a user to an agency with a role, bypassing the invitation flow (arrangement only).
create or replace function tests.add_member(p_agency_id uuid, p_email text, p_role public.agency_role)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.agency_members (agency_id, user_id, role)
  values (p_agency_id, tests.user_id(p_email), p_role);
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(1);
select has_schema('tests', 'the tests helper schema is installed');
select * from finish();

commit;
