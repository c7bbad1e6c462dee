-- public.audit_log: the audit trigger records who changed what on agencies, agency_members and
-- member_rates; owners and managers read their agency's trail; nobody signed in can alter it.
begin;
select plan(32);

select tests.create_user('owner@t08.test', 'Orla Owner');
select tests.create_user('manager@t08.test', 'Mick Manager');
select tests.create_user('member@t08.test', 'May Member');
select tests.create_user('b-owner@t08.test', 'Bill Owner');
select tests.create_user('stranger@t08.test', 'Sol Stranger');

-- The newest audit row for a table row, as the superuser sees it.
create function pg_temp.last_audit(p_table text, p_row_id text) returns public.audit_log
language sql stable set search_path = '' as $$
  select l.* from public.audit_log l where l.table_name = p_table and l.row_id = p_row_id order by l.id desc limit 1
$$;

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t08.test', 'Agency A t08')),
  ('b', tests.create_agency('b-owner@t08.test', 'Agency B t08'));

-- ============================================================================================
-- Writes are recorded
-- ============================================================================================
select set_eq(
  format($$ select table_name, action, actor_id from public.audit_log where agency_id = %L $$, tests.id('a')),
  format($$ values ('agencies', 'insert', %1$L::uuid), ('agency_members', 'insert', %1$L::uuid), ('member_rates', 'insert', %1$L::uuid) $$,
         tests.user_id('owner@t08.test')),
  'creating an agency records the agency, the owner''s membership and their rates row, each with the creator as actor'
);

select tests.add_member(tests.id('a'), 'manager@t08.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t08.test', 'member');
insert into tests.labels (label, id)
select 'm:' || split_part(p.email, '@', 1), m.id
from public.agency_members m join public.profiles p on p.user_id = m.user_id
where m.agency_id = tests.id('a');

select tests.authenticate_as('owner@t08.test');
update public.agencies set name = 'Agency A t08 renamed' where id = tests.id('a');
select tests.reset_role();
select results_eq(
  format($$ select agency_id, actor_id, actor_role, action, old_values ->> 'name', new_values ->> 'name'
            from pg_temp.last_audit('agencies', %L) $$, tests.id('a')),
  format($$ values (%L::uuid, %L::uuid, 'authenticated', 'update', 'Agency A t08', 'Agency A t08 renamed') $$,
         tests.id('a'), tests.user_id('owner@t08.test')),
  'an agency update is recorded with the acting owner and the old and new values'
);

select tests.authenticate_as('manager@t08.test');
update public.agency_members set capacity_hours_weekly = 20 where id = tests.id('m:member');
select tests.reset_role();
select results_eq(
  format($$ select agency_id, actor_id, action, old_values ->> 'capacity_hours_weekly', new_values ->> 'capacity_hours_weekly'
            from pg_temp.last_audit('agency_members', %L) $$, tests.id('m:member')),
  format($$ values (%L::uuid, %L::uuid, 'update', '40.00', '20.00') $$, tests.id('a'), tests.user_id('manager@t08.test')),
  'a membership update is recorded with the acting manager and the old and new values'
);

select tests.authenticate_as('owner@t08.test');
update public.agency_members set is_active = false where id = tests.id('m:member');
select tests.reset_role();
select results_eq(
  format($$ select actor_id, old_values ->> 'is_active', new_values ->> 'is_active', new_values ->> 'deactivated_at' is not null
            from pg_temp.last_audit('agency_members', %L) $$, tests.id('m:member')),
  format($$ values (%L::uuid, 'true', 'false', true) $$, tests.user_id('owner@t08.test')),
  'a deactivation is recorded with the acting owner'
);
update public.agency_members set is_active = true where id = tests.id('m:member');

select tests.authenticate_as('manager@t08.test');
update public.member_rates set hourly_rate_cents = 12000
where agency_id = tests.id('a') and user_id = tests.user_id('member@t08.test');
select tests.reset_role();
select results_eq(
  format($$ select agency_id, actor_id, action, old_values ->> 'hourly_rate_cents', new_values ->> 'hourly_rate_cents'
            from pg_temp.last_audit('member_rates', %L) $$, tests.user_id('member@t08.test')),
  format($$ values (%L::uuid, %L::uuid, 'update', null, '12000') $$, tests.id('a'), tests.user_id('manager@t08.test')),
  'a rate change is recorded under the member''s user id with the acting manager and the old and new rate'
);

select tests.authenticate_as_service_role();
select lives_ok(
  format($$ update public.member_rates set cost_rate_cents = 4000 where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t08.test')),
  'service_role changes a rate'
);
select tests.reset_role();
select results_eq(
  format($$ select actor_id, actor_role, new_values ->> 'cost_rate_cents' from pg_temp.last_audit('member_rates', %L) $$,
         tests.user_id('member@t08.test')),
  $$ values (null::uuid, 'service_role', '4000') $$,
  'a change by service_role is recorded with no actor and the service_role role'
);

-- An update that changes nothing but updated_at. Age updated_at first (triggers off, so the
-- arrangement itself is not audited), so the touch trigger really changes it.
set local session_replication_role = replica;
update public.agencies set updated_at = now() - interval '1 day' where id = tests.id('a');
update public.member_rates set updated_at = now() - interval '1 day' where agency_id = tests.id('a');
set local session_replication_role = origin;
create temp table audit_count_before as select count(*) as n from public.audit_log where agency_id = tests.id('a');

select tests.authenticate_as('owner@t08.test');
update public.agencies set name = name, brand_color = brand_color where id = tests.id('a');
update public.member_rates set hourly_rate_cents = hourly_rate_cents where agency_id = tests.id('a');
select tests.reset_role();
select is(
  (select updated_at from public.agencies where id = tests.id('a')),
  now(),
  'the no-op update did touch updated_at'
);
select is(
  (select count(*) from public.audit_log where agency_id = tests.id('a')),
  (select n from audit_count_before),
  'an update that changes nothing but updated_at writes no audit row'
);

select tests.authenticate_as('owner@t08.test');
select set_config('app.audit_reason', 'client asked for a new name', true);
update public.agencies set name = 'Agency A t08 with reason' where id = tests.id('a');
select set_config('app.audit_reason', '', true);
update public.agencies set name = 'Agency A t08 without reason' where id = tests.id('a');
select tests.reset_role();
select results_eq(
  format($$ select new_values ->> 'name', reason from public.audit_log
            where table_name = 'agencies' and row_id = %L and new_values ->> 'name' like 'Agency A t08 with%%reason'
            order by id $$, tests.id('a')),
  $$ values ('Agency A t08 with reason', 'client asked for a new name'), ('Agency A t08 without reason', null) $$,
  'app.audit_reason set for the transaction ends up in reason; an empty one is stored as null'
);

-- ============================================================================================
-- Select
-- ============================================================================================
select tests.authenticate_as('owner@t08.test');
select isnt_empty($$ select id from public.audit_log $$, 'the owner reads the audit trail');
select set_eq($$ select distinct agency_id from public.audit_log $$, array[tests.id('a')], 'the owner reads only their own agency''s trail');
select tests.authenticate_as('manager@t08.test');
select set_eq(
  $$ select table_name from public.audit_log $$,
  $$ values ('agencies'), ('agency_members'), ('member_rates') $$,
  'a manager reads the trail of every audited table of their agency'
);
select set_eq($$ select distinct agency_id from public.audit_log $$, array[tests.id('a')], 'a manager reads only their own agency''s trail');
select tests.authenticate_as('member@t08.test');
select is_empty($$ select id from public.audit_log $$, 'a member reads no audit rows, not even about their own changes');
select tests.authenticate_as('b-owner@t08.test');
select set_eq($$ select distinct agency_id from public.audit_log $$, array[tests.id('b')], 'the owner of B reads B''s trail and not A''s');
select tests.authenticate_as('stranger@t08.test');
select is_empty($$ select id from public.audit_log $$, 'a signed-in user without a membership reads no audit rows');
select tests.clear_authentication();
select throws_ok($$ select id from public.audit_log $$, '42501', null, 'an anonymous visitor may not read the audit trail');

select tests.reset_role();
select tests.authenticate_as('owner@t08.test');
update public.agency_members set role = 'owner' where id = tests.id('m:manager');
update public.agency_members set is_active = false where id = tests.id('m:owner');
select is_empty($$ select id from public.audit_log $$, 'an owner who deactivated themself (another owner remains) no longer reads the trail');
select tests.reset_role();
update public.agency_members set is_active = true where id = tests.id('m:owner');
update public.agency_members set role = 'manager' where id = tests.id('m:manager');

-- ============================================================================================
-- Nobody signed in writes, changes or deletes audit rows
-- ============================================================================================
select tests.authenticate_as('owner@t08.test');
select throws_ok(
  format($$ insert into public.audit_log (agency_id, actor_role, table_name, row_id, action)
            values (%L, 'authenticated', 'agencies', 'x', 'update') $$, tests.id('a')),
  '42501', null, 'the owner cannot write an audit row'
);
select throws_ok(
  format($$ update public.audit_log set reason = 'rewritten' where agency_id = %L $$, tests.id('a')),
  '42501', null, 'the owner cannot rewrite audit rows'
);
select throws_ok(
  format($$ delete from public.audit_log where agency_id = %L $$, tests.id('a')),
  '42501', null, 'the owner cannot delete audit rows'
);
select tests.authenticate_as('manager@t08.test');
select throws_ok(
  format($$ insert into public.audit_log (agency_id, actor_role, table_name, row_id, action)
            values (%L, 'authenticated', 'agencies', 'x', 'update') $$, tests.id('a')),
  '42501', null, 'a manager cannot write an audit row'
);
select throws_ok(
  format($$ update public.audit_log set reason = 'rewritten' where agency_id = %L $$, tests.id('a')),
  '42501', null, 'a manager cannot rewrite audit rows'
);
select throws_ok(
  format($$ delete from public.audit_log where agency_id = %L $$, tests.id('a')),
  '42501', null, 'a manager cannot delete audit rows'
);
select tests.authenticate_as('member@t08.test');
select throws_ok(
  format($$ insert into public.audit_log (agency_id, actor_role, table_name, row_id, action)
            values (%L, 'authenticated', 'agencies', 'x', 'update') $$, tests.id('a')),
  '42501', null, 'a member cannot write an audit row'
);
select throws_ok(
  format($$ update public.audit_log set reason = 'rewritten' where agency_id = %L $$, tests.id('a')),
  '42501', null, 'a member cannot rewrite audit rows'
);
select throws_ok(
  format($$ delete from public.audit_log where agency_id = %L $$, tests.id('a')),
  '42501', null, 'a member cannot delete audit rows'
);
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.audit_log (agency_id, actor_role, table_name, row_id, action)
            values (%L, 'anon', 'agencies', 'x', 'update') $$, tests.id('a')),
  '42501', null, 'an anonymous visitor cannot write an audit row'
);
select throws_ok(
  format($$ update public.audit_log set reason = 'rewritten' where agency_id = %L $$, tests.id('a')),
  '42501', null, 'an anonymous visitor cannot rewrite audit rows'
);
select throws_ok(
  format($$ delete from public.audit_log where agency_id = %L $$, tests.id('a')),
  '42501', null, 'an anonymous visitor cannot delete audit rows'
);
select tests.reset_role();
select is_empty(
  $$ select id from public.audit_log where reason = 'rewritten' or row_id = 'x' $$,
  'the trail is unchanged'
);

select * from finish();
rollback;
