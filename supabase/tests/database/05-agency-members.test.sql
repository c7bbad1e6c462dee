-- RLS, privileges and business rules on public.agency_members: who sees the team, who may change
-- roles, capacity and activity, the last-owner rule, and deactivation locking a person out.
begin;
select plan(55);

select tests.create_user('owner@t05.test', 'Otto Owner');
select tests.create_user('manager@t05.test', 'Mona Manager');
select tests.create_user('member@t05.test', 'Mel Member');
select tests.create_user('former@t05.test', 'Flo Former');
select tests.create_user('b-owner@t05.test', 'Bert Owner');
select tests.create_user('stranger@t05.test', 'Stan Stranger');

-- Runs a statement and returns the hint of the error it raises (null when it succeeds); the
-- exception block rolls the statement back either way.
create function pg_temp.error_hint(p_sql text) returns text language plpgsql set search_path = '' as $$
declare
  v_hint text;
begin
  execute p_sql;
  return null;
exception when others then
  get stacked diagnostics v_hint = pg_exception_hint;
  return v_hint;
end;
$$;

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t05.test', 'Agency A t05')),
  ('b', tests.create_agency('b-owner@t05.test', 'Agency B t05'));
select tests.add_member(tests.id('a'), 'manager@t05.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t05.test', 'member');
select tests.add_member(tests.id('a'), 'former@t05.test', 'member');
update public.agency_members set is_active = false
where agency_id = tests.id('a') and user_id = tests.user_id('former@t05.test');
insert into tests.labels (label, id)
select 'm:' || split_part(p.email, '@', 1), m.id
from public.agency_members m join public.profiles p on p.user_id = m.user_id
where m.agency_id = tests.id('a');
insert into public.clients (agency_id, name) values
  (tests.id('a'), 'Client of A t05'), (tests.id('a'), 'Unassigned client of A t05');
-- Members see the clients of the deals assigned to them: the member has one deal, for the first client.
insert into public.deals (agency_id, client_id, stage_id, title, assigned_to)
select tests.id('a'), c.id, s.id, 'Deal of A t05', tests.user_id('member@t05.test')
from public.clients c
join public.pipeline_stages s on s.agency_id = c.agency_id and s.key = 'lead'
where c.agency_id = tests.id('a') and c.name = 'Client of A t05';

-- ============================================================================================
-- Select
-- ============================================================================================
select tests.authenticate_as('owner@t05.test');
select set_eq(
  $$ select id from public.agency_members $$,
  array[tests.id('m:owner'), tests.id('m:manager'), tests.id('m:member'), tests.id('m:former')],
  'the owner sees the whole team of A, deactivated people included'
);
select tests.authenticate_as('manager@t05.test');
select set_eq(
  $$ select id from public.agency_members $$,
  array[tests.id('m:owner'), tests.id('m:manager'), tests.id('m:member'), tests.id('m:former')],
  'a manager sees the whole team of A'
);
select tests.authenticate_as('member@t05.test');
select set_eq(
  $$ select id from public.agency_members $$,
  array[tests.id('m:owner'), tests.id('m:manager'), tests.id('m:member'), tests.id('m:former')],
  'a member sees the other members'' rows of A too'
);
select tests.authenticate_as('former@t05.test');
select set_eq(
  $$ select id from public.agency_members $$,
  array[tests.id('m:former')],
  'a deactivated member sees their own membership and no one else''s'
);
select tests.authenticate_as('b-owner@t05.test');
select set_eq(
  $$ select user_id from public.agency_members $$,
  array[tests.user_id('b-owner@t05.test')],
  'the owner of B sees only the team of B'
);
select tests.authenticate_as('stranger@t05.test');
select is_empty($$ select id from public.agency_members $$, 'a signed-in user without a membership sees no memberships');
select tests.clear_authentication();
select throws_ok($$ select id from public.agency_members $$, '42501', null, 'an anonymous visitor may not read memberships');

-- ============================================================================================
-- Insert: memberships come from create_agency() and accept_invitation() only
-- ============================================================================================
select tests.authenticate_as('owner@t05.test');
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'member') $$,
         tests.id('a'), tests.user_id('stranger@t05.test')),
  '42501', null, 'the owner cannot add a member directly (invitations do that)'
);
select tests.authenticate_as('manager@t05.test');
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'member') $$,
         tests.id('a'), tests.user_id('stranger@t05.test')),
  '42501', null, 'a manager cannot add a member directly'
);
select tests.authenticate_as('member@t05.test');
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'owner') $$,
         tests.id('a'), tests.user_id('stranger@t05.test')),
  '42501', null, 'a member cannot add anyone'
);
select tests.authenticate_as('stranger@t05.test');
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'owner') $$,
         tests.id('a'), tests.user_id('stranger@t05.test')),
  '42501', null, 'an outsider cannot make themself owner of an agency'
);
select tests.authenticate_as('former@t05.test');
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'member') $$,
         tests.id('b'), tests.user_id('former@t05.test')),
  '42501', null, 'a deactivated member cannot join another agency directly'
);
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.agency_members (agency_id, user_id, role) values (%L, %L, 'member') $$,
         tests.id('a'), tests.user_id('stranger@t05.test')),
  '42501', null, 'an anonymous visitor cannot add members'
);

-- ============================================================================================
-- Delete: memberships are deactivated, never deleted
-- ============================================================================================
select tests.authenticate_as('owner@t05.test');
select throws_ok(
  format($$ delete from public.agency_members where id = %L $$, tests.id('m:member')),
  '42501', null, 'the owner cannot delete a membership'
);
select tests.authenticate_as('manager@t05.test');
select throws_ok(
  format($$ delete from public.agency_members where id = %L $$, tests.id('m:member')),
  '42501', null, 'a manager cannot delete a membership'
);
select tests.authenticate_as('member@t05.test');
select throws_ok(
  format($$ delete from public.agency_members where id = %L $$, tests.id('m:member')),
  '42501', null, 'a member cannot delete their own membership'
);
select tests.clear_authentication();
select throws_ok(
  format($$ delete from public.agency_members where id = %L $$, tests.id('m:member')),
  '42501', null, 'an anonymous visitor cannot delete memberships'
);

-- ============================================================================================
-- Update: capacity (owners and managers), role and activity (owners only)
-- ============================================================================================
select tests.authenticate_as('manager@t05.test');
select lives_ok(
  format($$ update public.agency_members set capacity_hours_weekly = 32.5 where id = %L $$, tests.id('m:member')),
  'a manager changes a member''s weekly capacity'
);
select tests.reset_role();
select is(
  (select capacity_hours_weekly from public.agency_members where id = tests.id('m:member')),
  32.5::numeric,
  'the new capacity is stored'
);

select tests.authenticate_as('manager@t05.test');
select throws_ok(
  format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:member')),
  '42501', null,
  'a manager cannot change a member''s role'
);
select is(
  pg_temp.error_hint(format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:member'))),
  'owner_required',
  'the role change is refused with the hint owner_required'
);
select throws_ok(
  format($$ update public.agency_members set role = 'owner' where id = %L $$, tests.id('m:manager')),
  '42501', null,
  'a manager cannot promote themself to owner'
);
select throws_ok(
  format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:member')),
  '42501', null,
  'a manager cannot deactivate a member'
);
select is(
  pg_temp.error_hint(format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:member'))),
  'owner_required',
  'the deactivation is refused with the hint owner_required'
);
select throws_ok(
  format($$ update public.agency_members set is_active = true where id = %L $$, tests.id('m:former')),
  '42501', null,
  'a manager cannot reactivate a deactivated member'
);

select tests.authenticate_as('member@t05.test');
select lives_ok(
  format($$ update public.agency_members set capacity_hours_weekly = 10 where id in (%L, %L) $$,
         tests.id('m:member'), tests.id('m:owner')),
  'a member''s update of memberships is not an error (row level security filters it)'
);
select lives_ok(
  format($$ update public.agency_members set role = 'owner' where id = %L $$, tests.id('m:member')),
  'a member''s attempt to make themself owner is filtered too'
);
select tests.authenticate_as('b-owner@t05.test');
select lives_ok(
  format($$ update public.agency_members set role = 'member', capacity_hours_weekly = 1 where id = %L $$, tests.id('m:owner')),
  'the owner of B updating a membership of A is not an error'
);
select tests.reset_role();
select set_eq(
  format($$ select role::text, capacity_hours_weekly from public.agency_members where id in (%L, %L) $$,
         tests.id('m:owner'), tests.id('m:member')),
  $$ values ('owner', 40.00::numeric(5, 2)), ('member', 32.50::numeric(5, 2)) $$,
  'neither the member nor the owner of B changed a role or capacity in A'
);

select tests.authenticate_as('owner@t05.test');
select lives_ok(
  format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:member')),
  'the owner changes a member''s role'
);
select tests.reset_role();
select is((select role::text from public.agency_members where id = tests.id('m:member')), 'manager', 'the new role is stored');
select tests.authenticate_as('owner@t05.test');
select lives_ok(
  format($$ update public.agency_members set role = 'member' where id = %L $$, tests.id('m:member')),
  'the owner changes the role back'
);
select throws_ok(
  format($$ update public.agency_members set capacity_hours_weekly = 169 where id = %L $$, tests.id('m:member')),
  '23514', null,
  'a weekly capacity above 168 hours is rejected'
);

-- Trusted server code has no user: the guard lets it through (auth.uid() is null) and RLS does
-- not apply to it.
select tests.authenticate_as_service_role();
select lives_ok(
  format($$ update public.agency_members set capacity_hours_weekly = 24 where id = %L $$, tests.id('m:member')),
  'service_role changes a membership'
);
select tests.reset_role();
select is(
  (select capacity_hours_weekly from public.agency_members where id = tests.id('m:member')),
  24::numeric,
  'the change by service_role is stored'
);

-- ============================================================================================
-- Deactivation locks a person out at once; reactivation lets them back in
-- ============================================================================================
select tests.authenticate_as('member@t05.test');
select results_eq(
  $$ select name from public.clients $$,
  $$ values ('Client of A t05') $$,
  'before deactivation the member sees the client of the deal assigned to them, and no other client'
);
select isnt_empty($$ select user_id from public.member_rates $$, 'before deactivation the member sees their own rates');

select tests.authenticate_as('owner@t05.test');
select lives_ok(
  format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:member')),
  'the owner deactivates a member'
);
select tests.reset_role();
select results_eq(
  format($$ select is_active, deactivated_at from public.agency_members where id = %L $$, tests.id('m:member')),
  $$ values (false, now()) $$,
  'deactivating sets deactivated_at'
);

select tests.authenticate_as('member@t05.test');
select is_empty($$ select id from public.agencies $$, 'the deactivated member no longer sees the agency');
select is_empty(
  format($$ select id from public.agency_members where id <> %L $$, tests.id('m:member')),
  'the deactivated member no longer sees the team'
);
select is_empty($$ select id from public.clients $$, 'the deactivated member no longer sees clients');
select is_empty($$ select user_id from public.member_rates $$, 'the deactivated member no longer sees even their own rates');

select tests.authenticate_as('owner@t05.test');
select lives_ok(
  format($$ update public.agency_members set is_active = true where id = %L $$, tests.id('m:member')),
  'the owner reactivates the member'
);
select tests.reset_role();
select results_eq(
  format($$ select is_active, deactivated_at from public.agency_members where id = %L $$, tests.id('m:member')),
  $$ values (true, null::timestamptz) $$,
  'reactivating clears deactivated_at'
);
select tests.authenticate_as('member@t05.test');
select set_eq($$ select id from public.agencies $$, array[tests.id('a')], 'the reactivated member sees the agency again');
select results_eq(
  $$ select name from public.clients $$,
  $$ values ('Client of A t05') $$,
  'the reactivated member sees the client of their deal again'
);

-- ============================================================================================
-- The last active owner
-- ============================================================================================
select tests.authenticate_as('owner@t05.test');
select throws_ok(
  format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:owner')),
  'P0001', null,
  'the only owner cannot demote themself'
);
select throws_like(
  format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:owner')),
  '%owner%',
  'the refusal says an owner is needed'
);
select throws_ok(
  format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:owner')),
  'P0001', null,
  'the only owner cannot deactivate themself'
);
select is(
  pg_temp.error_hint(format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:owner'))),
  'last_owner',
  'the refusal carries the hint last_owner'
);

select lives_ok(
  format($$ update public.agency_members set role = 'owner' where id = %L $$, tests.id('m:manager')),
  'the owner makes the manager a second owner'
);
select lives_ok(
  format($$ update public.agency_members set role = 'manager' where id = %L $$, tests.id('m:owner')),
  'with a second owner in place, the first owner steps down to manager'
);
select tests.reset_role();
select set_eq(
  format($$ select id, role::text from public.agency_members where id in (%L, %L) $$,
         tests.id('m:owner'), tests.id('m:manager')),
  format($$ values (%L::uuid, 'owner'), (%L::uuid, 'manager') $$, tests.id('m:manager'), tests.id('m:owner')),
  'the roles have swapped'
);

select tests.authenticate_as('manager@t05.test');
select throws_ok(
  format($$ update public.agency_members set is_active = false where id = %L $$, tests.id('m:manager')),
  'P0001', null,
  'the new sole owner cannot deactivate themself either'
);

select * from finish();
rollback;
