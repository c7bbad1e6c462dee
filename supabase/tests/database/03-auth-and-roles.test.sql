-- The auth.* claim readers, the Supabase roles, and the request login role crm_request: it must
-- be nothing more than a door to anon and authenticated. The behavioural checks use
-- `set local session authorization crm_request` rather than `set role`: pg_prove connects as a
-- superuser, and `set role` is checked against the session user, so only a session that really
-- is crm_request shows what a crm_request login can do. Each runs inside throws_ok, whose
-- subtransaction rolls the identity change back.
begin;
select plan(33);

select tests.create_user('alice@t03.test', 'Alice');
select tests.create_user('bob@t03.test', 'Bob');
select tests.create_agency('alice@t03.test', 'Alice Agency t03');
select tests.create_agency('bob@t03.test', 'Bob Agency t03');

-- ============================================================================================
-- auth.uid() / auth.jwt() / auth.role() / auth.email() read request.jwt.claims
-- ============================================================================================
select tests.authenticate_as('alice@t03.test');
select is(auth.uid(), tests.user_id('alice@t03.test'), 'auth.uid() is the sub claim of request.jwt.claims');
select is(auth.email(), 'alice@t03.test', 'auth.email() is the email claim');
select is(auth.role(), 'authenticated', 'auth.role() is the role claim');
select is(auth.jwt() ->> 'sub', tests.user_id('alice@t03.test')::text, 'auth.jwt() returns the whole claims object');
select is(auth.jwt() ->> 'aud', 'authenticated', 'auth.jwt() carries claims that have no reader of their own');

select tests.clear_authentication();
select is(auth.uid(), null, 'an anonymous visitor has no auth.uid()');
select is(auth.role(), 'anon', 'an anonymous visitor''s auth.role() is anon');

select tests.reset_role();
select is(auth.uid(), null, 'with empty claims auth.uid() is null rather than an error');
select is(auth.jwt(), null, 'with empty claims auth.jwt() is null rather than an error');

-- ============================================================================================
-- Supabase roles
-- ============================================================================================
select has_role('anon', 'the anon role exists');
select has_role('authenticated', 'the authenticated role exists');
select has_role('service_role', 'the service_role role exists');
select is((select rolbypassrls from pg_roles where rolname = 'service_role'), true, 'service_role is marked bypassrls');

select tests.authenticate_as_service_role();
select is(auth.role(), 'service_role', 'the service role''s auth.role() is service_role');
select is(
  (select count(*)::int from public.agencies where name in ('Alice Agency t03', 'Bob Agency t03')),
  2,
  'service_role reads every agency: row level security does not apply to it'
);
select tests.authenticate_as('alice@t03.test');
select is(
  (select count(*)::int from public.agencies where name in ('Alice Agency t03', 'Bob Agency t03')),
  1,
  'the same query as a user is filtered by row level security'
);
select tests.reset_role();

-- ============================================================================================
-- crm_request: the request-path login
-- ============================================================================================
select is((select rolsuper from pg_roles where rolname = 'crm_request'), false, 'crm_request is not a superuser');
select is((select rolbypassrls from pg_roles where rolname = 'crm_request'), false, 'crm_request cannot bypass row level security');
select is((select rolcreaterole from pg_roles where rolname = 'crm_request'), false, 'crm_request cannot create roles');
select is((select rolinherit from pg_roles where rolname = 'crm_request'), false, 'crm_request is noinherit: it holds no rights until it switches role');
select set_eq(
  $$ select m.roleid::regrole::text from pg_auth_members m where m.member = 'crm_request'::regrole $$,
  $$ values ('anon'), ('authenticated') $$,
  'crm_request is a member of exactly anon and authenticated'
);
select is_empty(
  $$ select 'table ' || c.oid::regclass::text from pg_class c where c.relowner = 'crm_request'::regrole
     union all select 'function ' || p.oid::regprocedure::text from pg_proc p where p.proowner = 'crm_request'::regrole
     union all select 'schema ' || n.nspname from pg_namespace n where n.nspowner = 'crm_request'::regrole
     union all select 'type ' || t.oid::regtype::text from pg_type t where t.typowner = 'crm_request'::regrole $$,
  'crm_request owns no tables, functions, schemas or types (an owner is exempt from its own RLS)'
);
select is_empty(
  $$ select c.oid::regclass::text from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and (has_any_column_privilege('crm_request', c.oid, 'SELECT')
         or has_any_column_privilege('crm_request', c.oid, 'INSERT')
         or has_any_column_privilege('crm_request', c.oid, 'UPDATE')
         or has_table_privilege('crm_request', c.oid, 'DELETE')
         or has_table_privilege('crm_request', c.oid, 'TRUNCATE')) $$,
  'crm_request holds no privilege of its own on any public table'
);

select throws_ok(
  $$ set local session authorization crm_request; select * from public.agencies $$,
  '42501', null,
  'as itself, crm_request cannot read agencies'
);
select throws_ok(
  $$ set local session authorization crm_request; select * from public.profiles $$,
  '42501', null,
  'as itself, crm_request cannot read profiles'
);
select throws_ok(
  $$ set local session authorization crm_request; select * from public.currencies $$,
  '42501', null,
  'as itself, crm_request cannot even read currencies: noinherit keeps anon''s rights away until it becomes anon'
);
select throws_ok(
  $$ set local session authorization crm_request; set local role postgres $$,
  '42501', null,
  'crm_request cannot become postgres'
);
select throws_ok(
  $$ set local session authorization crm_request; set local role service_role $$,
  '42501', null,
  'crm_request cannot become service_role'
);
-- The allowed switches; the raised message proves which role the statement ran as.
select throws_ok(
  $$ set local session authorization crm_request; set local role authenticated;
     do $do$ begin raise exception using errcode = 'P0042', message = current_user; end $do$ $$,
  'P0042', 'authenticated',
  'crm_request can become authenticated for a request'
);
select throws_ok(
  $$ set local session authorization crm_request; set local role anon;
     do $do$ begin raise exception using errcode = 'P0042', message = current_user; end $do$ $$,
  'P0042', 'anon',
  'crm_request can become anon for a request'
);

-- ============================================================================================
-- Legacy per-claim settings (older PostgREST). Last in the file: once a custom setting has been
-- defined, the session keeps it (as '') until it ends, exactly like a pooled connection would.
-- ============================================================================================
select set_config('request.jwt.claims', '', true);
select set_config('request.jwt.claim.sub', tests.user_id('bob@t03.test')::text, true);
select is(auth.uid(), tests.user_id('bob@t03.test'), 'auth.uid() falls back to the legacy request.jwt.claim.sub');

select set_config('request.jwt.claim.sub', '', true);
select set_config('request.jwt.claims', jsonb_build_object('sub', tests.user_id('alice@t03.test'), 'role', 'authenticated')::text, true);
select is(
  auth.uid(),
  tests.user_id('alice@t03.test'),
  'an empty legacy request.jwt.claim.sub (left behind on a pooled connection) does not hide the sub in request.jwt.claims'
);

select set_config('request.jwt.claim.role', '', true);
select is(
  auth.role(),
  'authenticated',
  'an empty legacy request.jwt.claim.role does not hide the role in request.jwt.claims'
);

select * from finish();
rollback;
