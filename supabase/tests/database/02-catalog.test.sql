-- Catalog guard rails. Every check reads pg_catalog, so a table, policy or function added by a
-- later migration is checked without touching this file. Each check is a temporary view listing
-- the offenders (empty = pass); the probes at the end plant one offender of each kind and prove
-- the views would catch it, so a broken filter cannot make the suite pass vacuously.
begin;
select plan(23);

-- Schemas PostgREST exposes as the API (Supabase's default `db-schemas`).
create temp view exposed_schemas as
select n.oid, n.nspname from pg_catalog.pg_namespace n where n.nspname in ('public');

-- Schemas the app's own policies and functions live in.
create temp view app_schemas as
select n.oid, n.nspname from pg_catalog.pg_namespace n where n.nspname in ('public', 'private');

create temp view exposed_tables as
select c.oid, format('%I.%I', s.nspname, c.relname) as table_name, c.relrowsecurity
from pg_catalog.pg_class c
join exposed_schemas s on s.oid = c.relnamespace
where c.relkind in ('r', 'p');

create temp view tables_without_rls as
select t.table_name from exposed_tables t where not t.relrowsecurity;

create temp view tables_without_policies as
select t.table_name from exposed_tables t
where not exists (select from pg_catalog.pg_policy p where p.polrelid = t.oid);

-- Views are API endpoints too; without security_invoker they run as their owner and skip RLS.
create temp view views_without_security_invoker as
select format('%I.%I', s.nspname, c.relname) as view_name
from pg_catalog.pg_class c
join exposed_schemas s on s.oid = c.relnamespace
where c.relkind in ('v', 'm')
  and not coalesce('security_invoker=true' = any (c.reloptions), false)
  and not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e');

create temp view policies_for_all as
select format('%I.%I: %s', p.schemaname, p.tablename, p.policyname) as policy
from pg_catalog.pg_policies p
where p.schemaname not in ('pg_catalog', 'information_schema') and p.cmd = 'ALL';

create temp view policies_for_public as
select format('%I.%I: %s', n.nspname, c.relname, p.polname) as policy
from pg_catalog.pg_policy p
join pg_catalog.pg_class c on c.oid = p.polrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname not in ('pg_catalog', 'information_schema') and 0::oid = any (p.polroles);

create temp view definer_functions_without_search_path as
select format('%s.%I(%s)', s.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as function
from pg_catalog.pg_proc p
join app_schemas s on s.oid = p.pronamespace
where p.prosecdef
  and not exists (select from unnest(p.proconfig) as setting where setting like 'search_path=%');

-- New functions are executable by PUBLIC, and a per-schema default privilege cannot take that
-- back; private helpers must be granted to the roles that need them, one by one.
create temp view private_functions_for_public as
select format('private.%I(%s)', p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as function
from pg_catalog.pg_proc p
where p.pronamespace = 'private'::regnamespace
  and exists (
    select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) as a
    where a.grantee = 0 and a.privilege_type = 'EXECUTE'
  );

-- A check constraint runs its functions as the role that writes the row, so every role allowed to
-- insert or update an exposed table must be able to execute them, or its writes fail with 42501.
create temp view check_functions_not_executable as
select format('%s: %s.%I(%s) (%s)', t.table_name, p.pronamespace::regnamespace, p.proname,
              pg_catalog.pg_get_function_identity_arguments(p.oid), r.rolname) as problem
from exposed_tables t
join pg_catalog.pg_constraint con on con.conrelid = t.oid and con.contype = 'c'
join pg_catalog.pg_depend d
  on d.classid = 'pg_catalog.pg_constraint'::regclass and d.objid = con.oid
 and d.refclassid = 'pg_catalog.pg_proc'::regclass
join pg_catalog.pg_proc p on p.oid = d.refobjid
cross join (values ('authenticated'), ('service_role')) as r (rolname)
where (pg_catalog.has_any_column_privilege(r.rolname, t.oid, 'INSERT')
       or pg_catalog.has_any_column_privilege(r.rolname, t.oid, 'UPDATE'))
  and not pg_catalog.has_function_privilege(r.rolname, p.oid, 'EXECUTE');

-- Every privilege anon holds on any relation in any schema it can reach, directly, through
-- PUBLIC or through a column grant (has_any_column_privilege covers both table and column ACLs).
-- Objects that belong to an extension (pgTAP's views) are the extension's business, not the app's.
create temp view anon_table_privileges as
select format('%I.%I', n.nspname, c.relname) as table_name, priv.name as privilege
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) as priv (name)
where c.relkind in ('r', 'p', 'v', 'm', 'f')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_'
  and pg_catalog.has_schema_privilege('anon', n.oid, 'USAGE')
  and not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  and case
        when priv.name in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
          then pg_catalog.has_any_column_privilege('anon', c.oid, priv.name)
        else pg_catalog.has_table_privilege('anon', c.oid, priv.name)
      end;

-- Functions in an exposed schema are API endpoints (RPC), and Supabase's default privileges let
-- anon execute every new one; each function meant for visitors is named here on purpose.
create temp view anon_functions as
select format('%s.%I(%s)', s.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as function
from pg_catalog.pg_proc p
join exposed_schemas s on s.oid = p.pronamespace
where pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE')
  and not exists (select from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e');

-- TRUNCATE, REFERENCES and TRIGGER are not governed by RLS at all.
create temp view authenticated_non_rls_privileges as
select t.table_name, priv.name as privilege
from exposed_tables t
cross join (values ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) as priv (name)
where pg_catalog.has_table_privilege('authenticated', t.oid, priv.name)
   or (priv.name = 'REFERENCES' and pg_catalog.has_any_column_privilege('authenticated', t.oid, priv.name));

-- ============================================================================================
-- The real checks
-- ============================================================================================
select set_has(
  $$ select table_name from exposed_tables $$,
  $$ values ('public.currencies'), ('public.agencies'), ('public.profiles'), ('public.agency_members'),
            ('public.member_rates'), ('public.audit_log') $$,
  'the checks below see the tables of the exposed schema'
);
select is_empty($$ select * from tables_without_rls $$, 'every table in an exposed schema has row level security enabled');
select is_empty($$ select * from tables_without_policies $$, 'every table in an exposed schema has at least one policy');
select is_empty($$ select * from views_without_security_invoker $$, 'every view in an exposed schema runs with the caller''s rights (security_invoker)');
select is_empty($$ select * from policies_for_all $$, 'no policy is a `for all` policy: one policy per command');
select is_empty($$ select * from policies_for_public $$, 'no policy applies to PUBLIC: each names the role it is meant for');
select is_empty($$ select * from definer_functions_without_search_path $$, 'every security definer function in public and private pins its search_path');
select is_empty($$ select * from private_functions_for_public $$, 'no function in private is executable by PUBLIC: each is granted to the roles that need it');
select is_empty(
  $$ select * from check_functions_not_executable $$,
  'every role that may write an exposed table can execute the functions its check constraints call'
);
select is_empty(
  $$ select * from anon_table_privileges where (table_name, privilege) <> ('public.currencies', 'SELECT') $$,
  'anonymous visitors hold no table privilege except reading currencies'
);
select set_eq(
  $$ select table_name || ' ' || privilege from anon_table_privileges $$,
  $$ values ('public.currencies SELECT') $$,
  'anonymous visitors may read currencies (the sign-up form lists them)'
);
select is_empty(
  $$ select * from anon_functions where function not in ('public.invitation_preview(p_token text)',
    'public.invoice_for_token(p_token text)', 'public.attach_checkout_session(p_token text, p_session_id text, p_url text)') $$,
  'anonymous visitors can call no API function except the token-holder ones (invitation preview, pay link)'
);
select is_empty($$ select * from authenticated_non_rls_privileges $$, 'signed-in users hold no privilege that row level security does not govern (truncate, references, trigger)');

-- ============================================================================================
-- Probes: plant one offender of each kind and check the views catch exactly it
-- ============================================================================================
create function private.catalog_probe_check(p_value text) returns boolean language sql immutable set search_path = ''
  as $$ select p_value <> '' $$;
select set_eq(
  $$ select * from private_functions_for_public where function like 'private.catalog_probe%' $$,
  $$ values ('private.catalog_probe_check(p_value text)') $$,
  'a new private function left executable by PUBLIC is caught'
);
revoke execute on function private.catalog_probe_check(text) from public;
create table public.catalog_probe (id int primary key, label text check (private.catalog_probe_check(label)));
select set_eq(
  $$ select * from check_functions_not_executable where problem like 'public.catalog_probe:%' $$,
  $$ values ('public.catalog_probe: private.catalog_probe_check(p_value text) (authenticated)'),
            ('public.catalog_probe: private.catalog_probe_check(p_value text) (service_role)') $$,
  'a check constraint calling a function the table''s writers cannot execute is caught'
);
select set_eq(
  $$ select * from tables_without_rls $$,
  $$ values ('public.catalog_probe') $$,
  'a new public table without row level security is caught'
);
select set_eq(
  $$ select * from tables_without_policies $$,
  $$ values ('public.catalog_probe') $$,
  'a new public table without policies is caught'
);
select set_has(
  $$ select table_name || ' ' || privilege from anon_table_privileges $$,
  $$ values ('public.catalog_probe SELECT'), ('public.catalog_probe DELETE') $$,
  'a new public table that keeps the default grants to anon is caught'
);

alter table public.catalog_probe enable row level security;
create policy "probe for all" on public.catalog_probe for all to authenticated using (true);
create policy "probe for public" on public.catalog_probe for select using (true);
select set_eq(
  $$ select * from policies_for_all $$,
  $$ values ('public.catalog_probe: probe for all') $$,
  'a `for all` policy is caught'
);
select set_eq(
  $$ select * from policies_for_public $$,
  $$ values ('public.catalog_probe: probe for public') $$,
  'a policy without a `to` role (PUBLIC) is caught'
);

create function private.catalog_probe() returns int language sql security definer as $$ select 1 $$;
select set_eq(
  $$ select * from definer_functions_without_search_path $$,
  $$ values ('private.catalog_probe()') $$,
  'a security definer function without a fixed search_path is caught'
);

create function public.catalog_probe_rpc() returns int language sql stable set search_path = '' as $$ select 1 $$;
select set_eq(
  $$ select * from anon_functions where function not in ('public.invitation_preview(p_token text)',
    'public.invoice_for_token(p_token text)', 'public.attach_checkout_session(p_token text, p_session_id text, p_url text)') $$,
  $$ values ('public.catalog_probe_rpc()') $$,
  'a new API function that anon may call by default is caught'
);

create view public.catalog_probe_view as select id from public.catalog_probe;
select set_eq(
  $$ select * from views_without_security_invoker $$,
  $$ values ('public.catalog_probe_view') $$,
  'a public view that runs with its owner''s rights is caught'
);

select * from finish();
rollback;
