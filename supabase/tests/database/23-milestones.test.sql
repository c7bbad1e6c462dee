-- Milestones: RLS command by command; reaching one writes a client timeline event for the project;
-- reached_at and approved_at follow the status and approved is final; closed projects take no new
-- milestones; a milestone stays inside its project's agency; changes are audited.
begin;
select plan(42);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t23.test', 'Ottilie Owner');
select tests.create_user('manager@t23.test', 'Marek Manager');
select tests.create_user('member@t23.test', 'Minna Member');
select tests.create_user('bench@t23.test', 'Boris Bench');
select tests.create_user('outsider@t23.test', 'Orla Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t23.test', 'Agency A t23')),
  ('b', tests.create_agency('outsider@t23.test', 'Agency B t23'));
select tests.add_member(tests.id('a'), 'manager@t23.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t23.test', 'member');
select tests.add_member(tests.id('a'), 'bench@t23.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

select tests.authenticate_as('manager@t23.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Launch', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Lifecycle', 'USD', 'on_hold');
select tests.authenticate_as('outsider@t23.test');
insert into public.projects (agency_id, client_id, name, currency) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD');
insert into public.milestones (agency_id, project_id, title)
select tests.id('b'), id, 'Bravo beta' from public.projects where name = 'Bravo';
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));
insert into public.project_members (agency_id, project_id, user_id)
values (tests.id('a'), tests.id('launch'), tests.user_id('member@t23.test'));

-- ============================================================================================
-- insert
-- ============================================================================================
select tests.authenticate_as('manager@t23.test');
select lives_ok(
  format($$ insert into public.milestones (agency_id, project_id, title, due_date, amount_cents) values (%L, %L, 'Beta', '2026-12-15', 250000) $$,
         tests.id('a'), tests.id('launch')),
  'a manager adds a milestone with a due date and an amount');
select tests.authenticate_as('owner@t23.test');
select lives_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Go-live') $$, tests.id('a'), tests.id('launch')),
  'an owner adds a milestone');
select tests.reset_role();
insert into tests.labels (label, id) select lower(title), id from public.milestones where agency_id = tests.id('a');
select results_eq(
  format($$ select status::text, reached_at, approved_at from public.milestones where id = %L $$, tests.id('beta')),
  $$ values ('pending', null::timestamptz, null::timestamptz) $$,
  'a new milestone is pending, neither reached nor approved');

select tests.authenticate_as('manager@t23.test');
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title, reached_at) values (%L, %L, 'Backdated', '2020-01-01') $$,
         tests.id('a'), tests.id('launch')),
  '42501', null, 'reached_at cannot be typed in: the status sets it');
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'On their project') $$, tests.id('a'), tests.id('bravo')),
  '23503', null, 'a milestone cannot point to another agency''s project');
select tests.authenticate_as('member@t23.test');
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Member milestone') $$, tests.id('a'), tests.id('launch')),
  '42501', null, 'a member cannot add milestones, even to their own project');
select tests.authenticate_as('outsider@t23.test');
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Outsider milestone') $$, tests.id('a'), tests.id('launch')),
  '42501', null, 'the owner of another agency cannot add a milestone to this agency''s project');
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Smuggled milestone') $$, tests.id('b'), tests.id('launch')),
  '23503', null, 'nor by naming their own agency');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Anon milestone') $$, tests.id('a'), tests.id('launch')),
  '42501', null, 'an anonymous visitor cannot add milestones');

-- ============================================================================================
-- select
-- ============================================================================================
select tests.authenticate_as('owner@t23.test');
select set_eq($$ select title from public.milestones $$, array['Beta', 'Go-live'], 'an owner reads every milestone of the agency, and no other agency''s');
select tests.authenticate_as('manager@t23.test');
select set_eq($$ select title from public.milestones $$, array['Beta', 'Go-live'], 'a manager reads every milestone of the agency');
select tests.authenticate_as('member@t23.test');
select set_eq($$ select title from public.milestones $$, array['Beta', 'Go-live'], 'a member reads the milestones of their project');
select tests.authenticate_as('bench@t23.test');
select is_empty($$ select id from public.milestones $$, 'a member off the team reads none');
select tests.authenticate_as('outsider@t23.test');
select set_eq($$ select title from public.milestones $$, array['Bravo beta'], 'the owner of another agency reads only their own');
select tests.clear_authentication();
select throws_ok($$ select id from public.milestones $$, '42501', null, 'an anonymous visitor cannot read milestones');

-- ============================================================================================
-- update
-- ============================================================================================
select tests.authenticate_as('manager@t23.test');
select lives_ok(format($$ update public.milestones set title = 'Public beta', amount_cents = 300000 where id = %L $$, tests.id('beta')),
  'a manager changes a milestone');
select tests.authenticate_as('member@t23.test');
update public.milestones set title = 'Member beta', status = 'reached' where id = tests.id('beta');
select tests.authenticate_as('bench@t23.test');
update public.milestones set title = 'Bench beta' where id = tests.id('beta');
select tests.authenticate_as('outsider@t23.test');
update public.milestones set title = 'Outsider beta' where id = tests.id('beta');
select tests.reset_role();
select results_eq(format($$ select title, amount_cents, status::text from public.milestones where id = %L $$, tests.id('beta')),
  $$ values ('Public beta', 300000::bigint, 'pending') $$,
  'the manager''s change stuck; a team member, a member off the team and the other agency''s owner changed nothing');
select tests.clear_authentication();
select throws_ok($$ update public.milestones set title = 'Anon' $$, '42501', null, 'an anonymous visitor cannot change milestones');
select tests.authenticate_as('manager@t23.test');
select throws_ok(format($$ update public.milestones set approved_at = now() where id = %L $$, tests.id('beta')),
  '42501', null, 'approved_at cannot be typed in either');

-- ============================================================================================
-- Reaching, approving, and the timeline
-- ============================================================================================
select tests.authenticate_as('manager@t23.test');
select lives_ok(format($$ update public.milestones set status = 'reached' where id = %L $$, tests.id('beta')), 'a manager marks a milestone reached');
select tests.reset_role();
select results_eq(format($$ select reached_at is not null, approved_at is null from public.milestones where id = %L $$, tests.id('beta')),
  $$ values (true, true) $$, 'a reached milestone has reached_at and no approved_at');
create temp table beta_reached as select reached_at from public.milestones where id = tests.id('beta');
select results_eq(
  format($$ select client_id, project_id, event, body, (data ->> 'milestone_id')::uuid, data ? 'amount_cents', created_by
            from public.client_activities where event like 'milestone%%' $$),
  format($$ values (%L::uuid, %L::uuid, 'milestone_reached', 'Milestone "Public beta" reached', %L::uuid, false, %L::uuid) $$,
         tests.id('client:acme'), tests.id('launch'), tests.id('beta'), tests.user_id('manager@t23.test')),
  'reaching it writes one milestone_reached event on the client''s timeline, for the project, by the manager, without the amount (members read timelines)'
);
select tests.authenticate_as('member@t23.test');
select isnt_empty($$ select from public.client_activities where event = 'milestone_reached' $$,
  'a member of the project''s team sees the event');
select tests.authenticate_as('bench@t23.test');
select is_empty($$ select from public.client_activities where event = 'milestone_reached' $$,
  'a member off the team does not');

select tests.authenticate_as('manager@t23.test');
update public.milestones set title = 'Public beta 2' where id = tests.id('beta');
select tests.reset_role();
select is((select count(*)::int from public.client_activities where event like 'milestone%'), 1,
  'changing a reached milestone''s title writes no second event');

select tests.authenticate_as('manager@t23.test');
select lives_ok(format($$ update public.milestones set status = 'approved' where id = %L $$, tests.id('beta')), 'a manager approves it');
select tests.reset_role();
select results_eq(format($$ select reached_at = (select reached_at from beta_reached), approved_at >= reached_at
                            from public.milestones where id = %L $$, tests.id('beta')),
  $$ values (true, true) $$, 'approving keeps reached_at and sets approved_at');
select results_eq($$ select event from public.client_activities where event like 'milestone%' order by created_at $$,
  $$ values ('milestone_reached'), ('milestone_approved') $$, 'approving writes a milestone_approved event too');
select tests.authenticate_as('manager@t23.test');
select is(tests.error_of(format($$ update public.milestones set status = 'reached' where id = %L $$, tests.id('beta'))),
  'P0001 milestone_approved', 'an approved milestone cannot go back to reached');
select tests.authenticate_as('owner@t23.test');
select is(tests.error_of(format($$ update public.milestones set status = 'pending' where id = %L $$, tests.id('beta'))),
  'P0001 milestone_approved', 'nor, even for an owner, to pending');

select tests.authenticate_as('manager@t23.test');
update public.milestones set status = 'reached' where id = tests.id('go-live');
select lives_ok(format($$ update public.milestones set status = 'pending' where id = %L $$, tests.id('go-live')),
  'a reached milestone can be set back to pending');
select tests.reset_role();
select results_eq(format($$ select status::text, reached_at, approved_at from public.milestones where id = %L $$, tests.id('go-live')),
  $$ values ('pending', null::timestamptz, null::timestamptz) $$, 'and loses reached_at');
select tests.authenticate_as('manager@t23.test');
select lives_ok(
  format($$ insert into public.milestones (agency_id, project_id, title, status) values (%L, %L, 'Signed off', 'approved') $$,
         tests.id('a'), tests.id('launch')),
  'a milestone recorded as approved from the start');
select tests.reset_role();
select results_eq($$ select reached_at is not null, approved_at is not null from public.milestones where title = 'Signed off' $$,
  $$ values (true, true) $$, 'is reached and approved at once');

-- ============================================================================================
-- delete
-- ============================================================================================
select tests.authenticate_as('member@t23.test');
delete from public.milestones where id = tests.id('go-live');
select tests.authenticate_as('bench@t23.test');
delete from public.milestones where id = tests.id('go-live');
select tests.authenticate_as('outsider@t23.test');
delete from public.milestones where id = tests.id('go-live');
select tests.reset_role();
select isnt_empty(format($$ select from public.milestones where id = %L $$, tests.id('go-live')),
  'a team member, a member off the team and the other agency''s owner delete no milestone');
select tests.clear_authentication();
select throws_ok($$ delete from public.milestones $$, '42501', null, 'an anonymous visitor cannot delete milestones');
select tests.authenticate_as('manager@t23.test');
select lives_ok(format($$ delete from public.milestones where id = %L $$, tests.id('go-live')), 'a manager deletes a milestone');
select tests.reset_role();
select is_empty(format($$ select from public.milestones where id = %L $$, tests.id('go-live')), 'and it is gone');

-- ============================================================================================
-- Closed projects take no new milestones
-- ============================================================================================
select tests.authenticate_as('manager@t23.test');
select lives_ok(format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'While on hold') $$,
  tests.id('a'), tests.id('lifecycle')), 'a project on hold takes new milestones');
update public.projects set status = 'completed' where id = tests.id('lifecycle');
select is(tests.error_of(format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Too late') $$,
  tests.id('a'), tests.id('lifecycle'))), 'P0001 project_closed', 'a completed project takes no new milestone');
update public.projects set status = 'archived' where id = tests.id('lifecycle');
select is(tests.error_of(format($$ insert into public.milestones (agency_id, project_id, title) values (%L, %L, 'Far too late') $$,
  tests.id('a'), tests.id('lifecycle'))), 'P0001 project_closed', 'an archived project takes no new milestone');

-- ============================================================================================
-- Audit
-- ============================================================================================
select tests.reset_role();
select results_eq(
  format($$ select actor_id, old_values ->> 'status', new_values ->> 'status' from public.audit_log
            where table_name = 'milestones' and row_id = %L and action = 'update' and old_values ->> 'status' <> new_values ->> 'status'
            order by id $$, tests.id('beta')),
  format($$ values (%1$L::uuid, 'pending', 'reached'), (%1$L::uuid, 'reached', 'approved') $$, tests.user_id('manager@t23.test')),
  'every status change of a milestone is in the audit log with who made it'
);

select * from finish();
rollback;
