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

-- The SQLSTATE and hint a statement fails with ('ok' when it succeeds), e.g. '42501 manager_required':
-- one assertion checks the stable code the app maps to a message. With p_role the statement runs as
-- that database role (for roles that cannot reach pgTAP in `extensions`, such as supabase_auth_admin)
-- and the caller's role is back afterwards. Security invoker and no pinned search_path on purpose:
-- the statement must run with the caller's rights and resolve names as the caller's own would.
create or replace function tests.error_of(p_sql text, p_role text default null)
returns text
language plpgsql
as $$
declare
  v_role text := current_setting('role');
  v_state text;
  v_hint text;
begin
  if p_role is not null then
    perform set_config('role', p_role, true);
  end if;
  execute p_sql;
  if p_role is not null then
    perform set_config('role', v_role, true);
  end if;
  return 'ok';
exception when others then
  get stacked diagnostics v_state = returned_sqlstate, v_hint = pg_exception_hint;
  return v_state || ' ' || coalesce(nullif(v_hint, ''), '-');
end;
$$;

-- Ids a file arranges, under labels of its choosing ('a', 'acme', 'm:owner'), so that the statements
-- under test can name them literally and only RLS, not a failed lookup, can stop them. Committed
-- empty here; each file's rows go with its rollback. Files run one after another: two running at
-- once would wait on each other's labels. No role but the owner may touch these tables (the catalog
-- test allows anon no table privilege in a schema it can reach), so their readers are definers.
create table if not exists tests.labels (label text primary key, id uuid not null);
comment on table tests.labels is 'pgTAP: ids under labels, one file''s (transaction''s) worth at a time.';

-- Raw invitation tokens exist only in the emails (the database keeps a hash); files capture them here.
create table if not exists tests.captured_tokens (label text primary key, token text not null unique);
comment on table tests.captured_tokens is 'pgTAP: invitation tokens read from the outbox, under labels.';

revoke all on table tests.labels, tests.captured_tokens from public, anon, authenticated, service_role;

-- The id labelled p_label (null when there is none); callable while acting as any role.
create or replace function tests.id(p_label text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select l.id from tests.labels l where l.label = p_label;
$$;

-- Stores under p_label, and returns, the token of the one invitation email to p_email not captured
-- yet. A definer, because private.email_outbox is closed to every role a test may be acting as.
create or replace function tests.capture_invitation_token(p_label text, p_email text)
returns text
language sql
security definer
set search_path = ''
as $$
  insert into tests.captured_tokens (label, token)
  select p_label, substr(o.data ->> 'accept_path', length('/invite/') + 1)
  from private.email_outbox o
  where o.to_email = p_email
    and substr(o.data ->> 'accept_path', length('/invite/') + 1) not in (select t.token from tests.captured_tokens t)
  returning token;
$$;

-- The token captured under p_label; callable while acting as any role.
create or replace function tests.invitation_token(p_label text)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select t.token from tests.captured_tokens t where t.label = p_label;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(1);
select has_schema('tests', 'the tests helper schema is installed');
select * from finish();

commit;
