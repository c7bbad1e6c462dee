-- Finish-to-start dependencies: RLS command by command; both tasks in one project; no task waits
-- for itself, directly or around a loop; a task does not leave todo while what it waits for is
-- unfinished, unless a manager overrides with a reason that lands in the audit log.
begin;
select plan(47);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t22.test', 'Odile Owner');
select tests.create_user('manager@t22.test', 'Milo Manager');
select tests.create_user('member@t22.test', 'Meri Member');
select tests.create_user('bench@t22.test', 'Bart Bench');
select tests.create_user('outsider@t22.test', 'Orson Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t22.test', 'Agency A t22')),
  ('b', tests.create_agency('outsider@t22.test', 'Agency B t22'));
select tests.add_member(tests.id('a'), 'manager@t22.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t22.test', 'member');
select tests.add_member(tests.id('a'), 'bench@t22.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

select tests.authenticate_as('manager@t22.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Plan', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Other', 'USD', 'active');
select tests.authenticate_as('outsider@t22.test');
insert into public.projects (agency_id, client_id, name, currency) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD');
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));
insert into public.project_members (agency_id, project_id, user_id)
values (tests.id('a'), tests.id('plan'), tests.user_id('member@t22.test'));

with t as (
  insert into public.tasks (agency_id, project_id, title, assignee_id)
  select tests.id('a'), tests.id('plan'), x, tests.user_id('member@t22.test') from unnest(array['A', 'B', 'C', 'D', 'E', 'F', 'G']) as x
  union all select tests.id('a'), tests.id('other'), 'X', null
  union all select tests.id('b'), tests.id('bravo'), y, null from unnest(array['Y1', 'Y2']) as y
  returning title as label, id
)
insert into tests.labels (label, id) select label, id from t;
insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id)
values (tests.id('b'), tests.id('bravo'), tests.id('Y2'), tests.id('Y1'));

-- ============================================================================================
-- insert, and what a dependency may join
-- ============================================================================================
select tests.authenticate_as('manager@t22.test');
select lives_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('B'), tests.id('A')), 'a manager makes B wait for A');
select tests.authenticate_as('owner@t22.test');
select lives_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('C'), tests.id('B')), 'an owner makes C wait for B');
select tests.authenticate_as('member@t22.test');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('D')), '42501', null, 'a member cannot add dependencies, even between their own tasks');
select tests.authenticate_as('outsider@t22.test');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('D')), '42501', null, 'the owner of another agency cannot add dependencies here');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('b'), tests.id('bravo'), tests.id('Y1'), tests.id('E')), '23503', null, 'nor make their task wait for this agency''s task');
select tests.clear_authentication();
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('D')), '42501', null, 'an anonymous visitor cannot add dependencies');

select tests.authenticate_as('manager@t22.test');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('X')), '23503', null, 'a task cannot wait for a task of another project');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('other'), tests.id('X'), tests.id('E')), '23503', null, 'whichever project the row names');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('Y1')), '23503', null, 'nor for a task of another agency');
select throws_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('E'), tests.id('E')), '23514', null, 'a task cannot wait for itself');
select is(tests.error_of(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('A'), tests.id('B'))), 'P0001 dependency_cycle', 'A cannot wait for B, which waits for A');
select is(tests.error_of(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values (%L, %L, %L, %L) $$,
  tests.id('a'), tests.id('plan'), tests.id('A'), tests.id('C'))), 'P0001 dependency_cycle', 'nor for C, which waits for B, which waits for A');
select lives_ok(format($$ insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values
  (%1$L, %2$L, %3$L, %4$L), (%1$L, %2$L, %3$L, %5$L), (%1$L, %2$L, %5$L, %6$L) $$,
  tests.id('a'), tests.id('plan'), tests.id('D'), tests.id('B'), tests.id('C'), tests.id('A')),
  'a diamond is no cycle: D waits for B and C, and C also for A');

-- ============================================================================================
-- select, update, delete
-- ============================================================================================
select tests.authenticate_as('owner@t22.test');
select is((select count(*)::int from public.task_dependencies), 5, 'an owner reads every dependency of the agency, and no other agency''s');
select tests.authenticate_as('manager@t22.test');
select is((select count(*)::int from public.task_dependencies), 5, 'a manager reads every dependency of the agency');
select tests.authenticate_as('member@t22.test');
select is((select count(*)::int from public.task_dependencies), 5, 'a member reads the dependencies of their project');
select tests.authenticate_as('bench@t22.test');
select is_empty($$ select task_id from public.task_dependencies $$, 'a member off the team reads none');
select tests.authenticate_as('outsider@t22.test');
select results_eq($$ select task_id from public.task_dependencies $$, format($$ values (%L::uuid) $$, tests.id('Y2')),
  'the owner of another agency reads only their own');
select tests.clear_authentication();
select throws_ok($$ select task_id from public.task_dependencies $$, '42501', null, 'an anonymous visitor cannot read dependencies');

select tests.authenticate_as('manager@t22.test');
select throws_ok(format($$ update public.task_dependencies set depends_on_task_id = %L where task_id = %L $$, tests.id('E'), tests.id('B')),
  '42501', null, 'a dependency cannot be changed, only removed and added (so the cycle check sees every new edge)');

select tests.authenticate_as('member@t22.test');
delete from public.task_dependencies where task_id = tests.id('D');
select tests.authenticate_as('bench@t22.test');
delete from public.task_dependencies where task_id = tests.id('D');
select tests.authenticate_as('outsider@t22.test');
delete from public.task_dependencies where task_id = tests.id('D');
select tests.reset_role();
select is((select count(*)::int from public.task_dependencies where task_id = tests.id('D')), 2,
  'a team member, a member off the team and the other agency''s owner remove no dependency');
select tests.clear_authentication();
select throws_ok($$ delete from public.task_dependencies $$, '42501', null, 'an anonymous visitor cannot remove dependencies');
select tests.authenticate_as('manager@t22.test');
select lives_ok(format($$ delete from public.task_dependencies where task_id = %L and depends_on_task_id = %L $$, tests.id('D'), tests.id('C')),
  'a manager removes a dependency');
select tests.reset_role();
select results_eq(format($$ select depends_on_task_id from public.task_dependencies where task_id = %L $$, tests.id('D')),
  format($$ values (%L::uuid) $$, tests.id('B')), 'and only that one is gone');

-- ============================================================================================
-- A task does not start before what it waits for is done
-- ============================================================================================
select tests.authenticate_as('member@t22.test');
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('B'))),
  'P0001 dependency_not_done', 'B cannot start while A is to do');
select is(tests.error_of(format($$ update public.tasks set status = 'done' where id = %L $$, tests.id('B'))),
  'P0001 dependency_not_done', 'nor skip straight to done');
select is(tests.error_of(format($$ select public.move_task(%L, 'review', 0) $$, tests.id('B'))),
  'P0001 dependency_not_done', 'nor be dropped into review on the board');
select tests.authenticate_as('manager@t22.test');
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('B'))),
  'P0001 dependency_not_done', 'a plain update by a manager is held to the rule too');
select tests.authenticate_as('member@t22.test');
select lives_ok(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('A')), 'A, which waits for nothing, starts');
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('B'))),
  'P0001 dependency_not_done', 'B still cannot start while A is in progress');
select lives_ok(format($$ update public.tasks set status = 'done' where id = %L $$, tests.id('A')), 'A is done');
select lives_ok(format($$ select public.move_task(%L, 'in_progress', 0) $$, tests.id('B')), 'now B starts');
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('C'))),
  'P0001 dependency_not_done', 'C, waiting for A (done) and B (in progress), still cannot');
select lives_ok(format($$ update public.tasks set status = 'todo' where id = %L $$, tests.id('B')), 'going back to todo is always allowed');

-- ============================================================================================
-- The manager's override, with a reason in the audit log
-- ============================================================================================
select tests.reset_role();
insert into public.task_dependencies (agency_id, project_id, task_id, depends_on_task_id) values
  (tests.id('a'), tests.id('plan'), tests.id('F'), tests.id('E')),
  (tests.id('a'), tests.id('plan'), tests.id('G'), tests.id('E'));

select tests.authenticate_as('member@t22.test');
select is(tests.error_of(format($$ select public.set_task_status_with_override(%L, 'in_progress', 'Client asked') $$, tests.id('F'))),
  '42501 manager_required', 'a member cannot override dependencies, even on their own task');
select tests.authenticate_as('outsider@t22.test');
select is(tests.error_of(format($$ select public.set_task_status_with_override(%L, 'in_progress', 'Client asked') $$, tests.id('F'))),
  'P0002 task_not_found', 'nor can the owner of another agency, to whom the task does not exist');
select tests.clear_authentication();
select throws_ok(format($$ select public.set_task_status_with_override(%L, 'in_progress', 'Client asked') $$, tests.id('F')),
  '42501', null, 'nor an anonymous visitor');
select tests.authenticate_as('manager@t22.test');
select is(tests.error_of(format($$ select public.set_task_status_with_override(%L, 'in_progress', '') $$, tests.id('F'))),
  'P0001 override_reason_required', 'a manager must give a reason');
select is(tests.error_of(format($$ select public.set_task_status_with_override(%L, 'in_progress', '   ') $$, tests.id('F'))),
  'P0001 override_reason_required', 'blank is no reason');
select is(tests.error_of(format($$ select public.set_task_status_with_override(%L, 'in_progress', null) $$, tests.id('F'))),
  'P0001 override_reason_required', 'nor is null');
-- The override switch is a setting; flipping it by hand must not skip the reason.
select set_config('app.dependency_override', 'on', true);
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('F'))),
  'P0001 dependency_not_done', 'a manager who flips the override setting by hand, without a reason, still cannot start the task');
select set_config('app.dependency_override', '', true);
select results_eq(
  format($$ select title, status::text from public.set_task_status_with_override(%L, 'in_progress', ' Client asked for an early start ') $$, tests.id('F')),
  $$ values ('F', 'in_progress') $$,
  'a manager starts F with a reason although E is not done');
select is(tests.error_of(format($$ update public.tasks set status = 'in_progress' where id = %L $$, tests.id('G'))),
  'P0001 dependency_not_done', 'the override covered F only: G, in the same transaction, is still held');
select tests.reset_role();
select results_eq(
  format($$ select actor_id, old_values ->> 'status', new_values ->> 'status', reason from public.audit_log
            where table_name = 'tasks' and row_id = %L and action = 'update' $$, tests.id('F')),
  format($$ values (%L::uuid, 'todo', 'in_progress', 'dependency override: Client asked for an early start') $$,
         tests.user_id('manager@t22.test')),
  'the audit log records the manager''s change to F with the reason'
);
select is((select count(*)::int from public.audit_log where table_name = 'tasks' and reason is not null), 1,
  'and no other task change carries a reason');

-- ============================================================================================
-- Audit
-- ============================================================================================
select results_eq(
  format($$ select action, actor_id, new_values ->> 'depends_on_task_id' from public.audit_log
            where table_name = 'task_dependencies' and row_id = %L order by id $$, tests.id('B')),
  format($$ values ('insert', %L::uuid, %L) $$, tests.user_id('manager@t22.test'), tests.id('A')),
  'adding a dependency is in the audit log'
);
select results_eq(
  format($$ select action, actor_id, old_values ->> 'depends_on_task_id' from public.audit_log
            where table_name = 'task_dependencies' and row_id = %L and action = 'delete' $$, tests.id('D')),
  format($$ values ('delete', %L::uuid, %L) $$, tests.user_id('manager@t22.test'), tests.id('C')),
  'removing one is too'
);

select * from finish();
rollback;
