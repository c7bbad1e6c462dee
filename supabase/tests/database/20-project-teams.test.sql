-- Projects and their teams: who creates a project and who then manages it and is on its team,
-- templates copied for direct and won-deal projects, the manager and client staying inside the
-- agency, members seeing only the projects whose team they are on; project_members command by
-- command, the rate column hidden from every signed-in role, project_member_rates for managers,
-- the rate hierarchy level by level, and what leaving a team does to one's tasks.
begin;
select plan(78);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t20.test', 'Olga Owner');
select tests.create_user('manager@t20.test', 'Mani Manager');
select tests.create_user('member@t20.test', 'Mo Member');
select tests.create_user('sales@t20.test', 'Sal Sales');
select tests.create_user('bench@t20.test', 'Ben Bench');
select tests.create_user('outsider@t20.test', 'Otto Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t20.test', 'Agency A t20')),
  ('b', tests.create_agency('outsider@t20.test', 'Agency B t20'));
select tests.add_member(tests.id('a'), 'manager@t20.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t20.test', 'member');
select tests.add_member(tests.id('a'), 'sales@t20.test', 'member');
select tests.add_member(tests.id('a'), 'bench@t20.test', 'member');

insert into tests.labels (label, id)
select 'a:' || s.key, s.id from public.pipeline_stages s where s.agency_id = tests.id('a');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

with t as (
  insert into public.project_templates (agency_id, name, billing_type) values (tests.id('a'), 'Two steps', 'fixed') returning id
)
insert into tests.labels (label, id) select 'two-steps', id from t;
insert into public.project_template_tasks (agency_id, template_id, title, position) values
  (tests.id('a'), tests.id('two-steps'), 'Ship', 2),
  (tests.id('a'), tests.id('two-steps'), 'Plan', 1);

with d as (
  insert into public.deals (agency_id, client_id, stage_id, title, value_cents, billing_type, template_id, assigned_to)
  values (tests.id('a'), tests.id('acme'), tests.id('a:lead'), 'Acme retainer', 90000, 'retainer', tests.id('two-steps'),
          tests.user_id('sales@t20.test'))
  returning id
)
insert into tests.labels (label, id) select 'deal', id from d;

-- Agency B's project, created by its owner (who thereby manages it and is on its team).
select tests.authenticate_as('outsider@t20.test');
insert into public.projects (agency_id, client_id, name, currency) values (tests.id('b'), tests.id('bravo'), 'Bravo build', 'USD');
select tests.reset_role();
insert into tests.labels (label, id) select 'bravo-build', id from public.projects where name = 'Bravo build';

-- ============================================================================================
-- Creating a project directly
-- ============================================================================================
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency, template_id) values (%L, %L, 'Acme site', 'USD', %L) $$,
         tests.id('a'), tests.id('acme'), tests.id('two-steps')),
  'a manager creates a project from a template');
select tests.reset_role();
insert into tests.labels (label, id) select 'site', id from public.projects where name = 'Acme site';

select results_eq(
  format($$ select manager_id, created_by from public.projects where id = %L $$, tests.id('site')),
  format($$ values (%1$L::uuid, %1$L::uuid) $$, tests.user_id('manager@t20.test')),
  'the manager who creates a project manages it and is recorded as its creator'
);
select results_eq(
  format($$ select user_id from public.project_members where project_id = %L $$, tests.id('site')),
  format($$ values (%L::uuid) $$, tests.user_id('manager@t20.test')),
  'and is the first member of its team'
);
select results_eq(
  format($$ select title, position, status::text, created_by from public.tasks where project_id = %L order by position $$, tests.id('site')),
  format($$ values ('Plan', 1, 'todo', %1$L::uuid), ('Ship', 2, 'todo', %1$L::uuid) $$, tests.user_id('manager@t20.test')),
  'a direct project starts with its template''s tasks, in the template''s order'
);

select tests.authenticate_as('owner@t20.test');
select lives_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency, manager_id) values (%L, %L, 'Acme audit', 'USD', %L) $$,
         tests.id('a'), tests.id('acme'), tests.user_id('manager@t20.test')),
  'an owner creates a project and names someone else as its manager');
select tests.reset_role();
insert into tests.labels (label, id) select 'audit', id from public.projects where name = 'Acme audit';
select results_eq(
  format($$ select p.manager_id, array_agg(pm.user_id) from public.projects p
            join public.project_members pm on pm.project_id = p.id where p.id = %L group by p.manager_id $$, tests.id('audit')),
  format($$ values (%1$L::uuid, array[%1$L::uuid]) $$, tests.user_id('manager@t20.test')),
  'the named manager manages it and is its team; the owner who created it is not added'
);
select is_empty(format($$ select from public.tasks where project_id = %L $$, tests.id('audit')),
  'a project without a template starts without tasks');

select tests.authenticate_as('manager@t20.test');
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency, manager_id) values (%L, %L, 'Foreign boss', 'USD', %L) $$,
         tests.id('a'), tests.id('acme'), tests.user_id('outsider@t20.test')),
  '23503', null, 'the manager must be a member of the project''s agency (composite foreign key)');
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency) values (%L, %L, 'Foreign client', 'USD') $$,
         tests.id('a'), tests.id('bravo')),
  '23503', null, 'a project cannot be for another agency''s client');
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency) values (%L, %L, 'Into B', 'USD') $$,
         tests.id('b'), tests.id('bravo')),
  '42501', null, 'a manager cannot create a project in another agency');
select tests.authenticate_as('member@t20.test');
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency) values (%L, %L, 'Member project', 'USD') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'a member cannot create a project');
select tests.authenticate_as('outsider@t20.test');
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency) values (%L, %L, 'Outsider project', 'USD') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'the owner of another agency cannot create a project in this one');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.projects (agency_id, client_id, name, currency) values (%L, %L, 'Anon project', 'USD') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'an anonymous visitor cannot create a project');

-- ============================================================================================
-- A won deal's project: the salesperson joins the team, the template is copied once
-- ============================================================================================
select tests.authenticate_as('manager@t20.test');
select lives_ok(format($$ select * from public.move_deal(%L, 'won') $$, tests.id('deal')), 'a manager wins the deal');
select tests.reset_role();
insert into tests.labels (label, id) select 'retainer', id from public.projects where source_deal_id = tests.id('deal');
select set_eq(
  format($$ select user_id from public.project_members where project_id = %L $$, tests.id('retainer')),
  array[tests.user_id('manager@t20.test'), tests.user_id('sales@t20.test')],
  'the won deal''s project team is the manager who won it and the deal''s salesperson'
);
select results_eq(
  format($$ select title from public.tasks where project_id = %L order by position $$, tests.id('retainer')),
  $$ values ('Plan'), ('Ship') $$,
  'the won deal''s project has its template''s tasks'
);
select tests.authenticate_as('manager@t20.test');
select * from public.move_deal(tests.id('deal'), 'negotiation');
select * from public.move_deal(tests.id('deal'), 'won');
select tests.reset_role();
select results_eq(
  format($$ select (select count(*)::int from public.projects where source_deal_id = %L),
                   (select count(*)::int from public.tasks where project_id = %L),
                   (select count(*)::int from public.project_members where project_id = %L) $$,
         tests.id('deal'), tests.id('retainer'), tests.id('retainer')),
  $$ values (1, 2, 2) $$,
  'winning the deal again adds no project, no tasks and no team members'
);

select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')),
  'a manager adds a member to a team');
select tests.authenticate_as('owner@t20.test');
select lives_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id, billable_rate_cents) values (%L, %L, %L, 9000) $$,
         tests.id('a'), tests.id('audit'), tests.user_id('owner@t20.test')),
  'an owner adds someone to a team with a project rate');

-- ============================================================================================
-- projects: select
-- ============================================================================================
select tests.authenticate_as('owner@t20.test');
select set_eq($$ select name from public.projects $$, array['Acme site', 'Acme audit', 'Acme retainer'],
  'an owner reads every project of the agency, and no other agency''s');
select tests.authenticate_as('manager@t20.test');
select set_eq($$ select name from public.projects $$, array['Acme site', 'Acme audit', 'Acme retainer'],
  'a manager reads every project of the agency');
select tests.authenticate_as('member@t20.test');
select results_eq($$ select name from public.projects $$, $$ values ('Acme site') $$,
  'a member reads only the project whose team they are on');
select tests.authenticate_as('sales@t20.test');
select results_eq($$ select name from public.projects $$, $$ values ('Acme retainer') $$,
  'the salesperson reads the won deal''s project, whose team they joined');
select tests.authenticate_as('bench@t20.test');
select is_empty($$ select id from public.projects $$, 'a member on no team reads no project');
select tests.authenticate_as('outsider@t20.test');
select results_eq($$ select name from public.projects $$, $$ values ('Bravo build') $$,
  'the owner of another agency reads only their own agency''s projects');
select tests.clear_authentication();
select throws_ok($$ select id from public.projects $$, '42501', null, 'an anonymous visitor cannot read projects');

-- Off the team, the deal no longer opens the project.
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ delete from public.project_members where project_id = %L and user_id = %L $$,
         tests.id('retainer'), tests.user_id('sales@t20.test')),
  'a manager takes the salesperson off the won deal''s team');
select tests.authenticate_as('sales@t20.test');
select is_empty($$ select id from public.projects $$,
  'off the team, the salesperson no longer reads the project of their deal');
select results_eq($$ select title from public.deals $$, $$ values ('Acme retainer') $$,
  'though they still read the deal itself');

-- ============================================================================================
-- projects: update and delete
-- ============================================================================================
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ update public.projects set budget_hours = 120, hourly_rate_cents = 15000, status = 'active' where id = %L $$, tests.id('site')),
  'a manager sets a project''s budgeted hours, project rate and status');
select throws_ok(
  format($$ update public.projects set manager_id = %L where id = %L $$, tests.user_id('outsider@t20.test'), tests.id('site')),
  '23503', null, 'a project''s manager cannot become someone outside its agency');
select tests.authenticate_as('owner@t20.test');
select lives_ok(
  format($$ update public.projects set manager_id = %L where id = %L $$, tests.user_id('member@t20.test'), tests.id('audit')),
  'an owner hands a project to another member of the agency');
select ok(
  exists (select 1 from public.project_members where project_id = tests.id('audit') and user_id = tests.user_id('member@t20.test')),
  'the new project manager joins the team, so they see the project they manage');
-- Back to how it was, for the team tests below.
delete from public.project_members where project_id = tests.id('audit') and user_id = tests.user_id('member@t20.test');
select tests.authenticate_as('member@t20.test');
update public.projects set name = 'Renamed by member', hourly_rate_cents = 1 where id = tests.id('site');
select tests.authenticate_as('bench@t20.test');
update public.projects set name = 'Renamed by bench' where id = tests.id('site');
select tests.authenticate_as('outsider@t20.test');
update public.projects set name = 'Renamed by outsider' where id = tests.id('site');
select tests.reset_role();
select results_eq(
  format($$ select name, budget_hours, hourly_rate_cents, status::text from public.projects where id = %L $$, tests.id('site')),
  $$ values ('Acme site', 120.00::numeric(9, 2), 15000, 'active') $$,
  'the manager''s changes stuck; the team member, a member off the team and the other agency''s owner changed nothing'
);
select tests.clear_authentication();
select throws_ok($$ update public.projects set name = 'Anon' $$, '42501', null, 'an anonymous visitor cannot change projects');
select tests.authenticate_as('manager@t20.test');
select throws_ok(format($$ delete from public.projects where id = %L $$, tests.id('audit')),
  '42501', null, 'nobody deletes a project, not even a manager (it is archived instead)');
select tests.authenticate_as('member@t20.test');
select throws_ok(format($$ delete from public.projects where id = %L $$, tests.id('site')),
  '42501', null, 'a team member cannot delete the project');

-- ============================================================================================
-- project_members: select, and the hidden rate column
-- ============================================================================================
select tests.authenticate_as('owner@t20.test');
select set_eq($$ select project_id, user_id from public.project_members $$,
  format($$ values (%1$L::uuid, %3$L::uuid), (%1$L::uuid, %4$L::uuid), (%2$L::uuid, %3$L::uuid), (%2$L::uuid, %5$L::uuid),
                   (%6$L::uuid, %3$L::uuid) $$,
         tests.id('site'), tests.id('audit'), tests.user_id('manager@t20.test'), tests.user_id('member@t20.test'),
         tests.user_id('owner@t20.test'), tests.id('retainer')),
  'an owner reads every team of the agency');
select tests.authenticate_as('manager@t20.test');
select is((select count(*)::int from public.project_members), 5, 'a manager reads every team of the agency');
select tests.authenticate_as('member@t20.test');
select set_eq($$ select project_id, user_id from public.project_members $$,
  format($$ values (%1$L::uuid, %2$L::uuid), (%1$L::uuid, %3$L::uuid) $$,
         tests.id('site'), tests.user_id('manager@t20.test'), tests.user_id('member@t20.test')),
  'a member reads the team of their project, and no other team');
select tests.authenticate_as('bench@t20.test');
select is_empty($$ select user_id from public.project_members $$, 'a member on no team reads no team');
select tests.authenticate_as('outsider@t20.test');
select results_eq($$ select project_id from public.project_members $$, format($$ values (%L::uuid) $$, tests.id('bravo-build')),
  'the owner of another agency reads only their own agency''s teams');
select tests.clear_authentication();
select throws_ok($$ select user_id from public.project_members $$, '42501', null, 'an anonymous visitor cannot read teams');

select tests.authenticate_as('manager@t20.test');
select throws_ok($$ select billable_rate_cents from public.project_members $$, '42501', null,
  'even a manager cannot select the project rate column (it is read through project_member_rates)');
select tests.authenticate_as('member@t20.test');
select throws_ok($$ select billable_rate_cents from public.project_members $$, '42501', null,
  'a member cannot select the project rate column');
select throws_ok($$ select * from public.project_members $$, '42501', null,
  'nor reach it through select *');

-- ============================================================================================
-- project_members: insert
-- ============================================================================================
select tests.authenticate_as('member@t20.test');
select throws_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('bench@t20.test')),
  '42501', null, 'a member cannot add people to their team');
select tests.authenticate_as('outsider@t20.test');
select throws_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('outsider@t20.test')),
  '42501', null, 'the owner of another agency cannot join this agency''s team');
select throws_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('b'), tests.id('site'), tests.user_id('outsider@t20.test')),
  '23503', null, 'nor by naming their own agency on another agency''s project');
select tests.authenticate_as('manager@t20.test');
select throws_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('outsider@t20.test')),
  '23503', null, 'a manager cannot put someone from another agency on a team');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('bench@t20.test')),
  '42501', null, 'an anonymous visitor cannot add team members');

-- Adding or re-rating in one statement works when the new rate is given as a value: reading
-- excluded.billable_rate_cents would need select on the hidden column.
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ insert into public.project_members (agency_id, project_id, user_id, billable_rate_cents) values (%L, %L, %L, 11000)
            on conflict (agency_id, project_id, user_id) do update set billable_rate_cents = 11000 $$,
         tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')),
  'a manager upserts a team member with a project rate');

-- ============================================================================================
-- project_members: update and delete
-- ============================================================================================
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ update public.project_members set billable_rate_cents = 12000 where project_id = %L and user_id = %L $$,
         tests.id('site'), tests.user_id('member@t20.test')),
  'a manager changes a team member''s project rate');
select throws_ok(
  format($$ update public.project_members set user_id = %L where project_id = %L and user_id = %L $$,
         tests.user_id('bench@t20.test'), tests.id('site'), tests.user_id('member@t20.test')),
  '42501', null, 'a membership cannot be turned into someone else''s');
select tests.authenticate_as('member@t20.test');
update public.project_members set billable_rate_cents = 99999 where project_id = tests.id('site');
select tests.authenticate_as('outsider@t20.test');
update public.project_members set billable_rate_cents = 1 where project_id = tests.id('site');
select tests.reset_role();
select results_eq(
  format($$ select user_id, billable_rate_cents from public.project_members where project_id = %L order by billable_rate_cents nulls first $$,
         tests.id('site')),
  format($$ values (%L::uuid, null::integer), (%L::uuid, 12000) $$, tests.user_id('manager@t20.test'), tests.user_id('member@t20.test')),
  'the manager''s rate stuck; a team member and the other agency''s owner changed no rate'
);
select tests.clear_authentication();
select throws_ok($$ update public.project_members set billable_rate_cents = 1 $$, '42501', null,
  'an anonymous visitor cannot change rates');

select tests.authenticate_as('member@t20.test');
delete from public.project_members where project_id = tests.id('site') and user_id = tests.user_id('manager@t20.test');
select tests.authenticate_as('outsider@t20.test');
delete from public.project_members where project_id = tests.id('site');
select tests.reset_role();
select is((select count(*)::int from public.project_members where project_id = tests.id('site')), 2,
  'a team member and the other agency''s owner remove nobody from the team');
select tests.clear_authentication();
select throws_ok($$ delete from public.project_members $$, '42501', null, 'an anonymous visitor cannot remove team members');

-- ============================================================================================
-- project_member_rates: managers only
-- ============================================================================================
select tests.reset_role();
update public.agencies set default_hourly_rate_cents = 5000 where id = tests.id('a');
update public.member_rates set hourly_rate_cents = 7000
where agency_id = tests.id('a') and user_id = tests.user_id('manager@t20.test');
select tests.authenticate_as('manager@t20.test');
select set_eq(
  format($$ select user_id, billable_rate_cents, effective_rate_cents from public.project_member_rates(%L) $$, tests.id('site')),
  format($$ values (%L::uuid, null::integer, 15000), (%L::uuid, 12000, 12000) $$,
         tests.user_id('manager@t20.test'), tests.user_id('member@t20.test')),
  'a manager reads the team''s project rates and the rate that applies to each (project rate beats member rate)'
);
select tests.authenticate_as('owner@t20.test');
select is((select count(*)::int from public.project_member_rates(tests.id('site'))), 2, 'an owner reads them too');
select tests.authenticate_as('member@t20.test');
select is_empty(format($$ select * from public.project_member_rates(%L) $$, tests.id('site')),
  'a member of the team gets no rates');
select tests.authenticate_as('outsider@t20.test');
select is_empty(format($$ select * from public.project_member_rates(%L) $$, tests.id('site')),
  'the owner of another agency gets no rates');
select tests.clear_authentication();
select throws_ok(format($$ select * from public.project_member_rates(%L) $$, tests.id('site')),
  '42501', null, 'an anonymous visitor cannot call project_member_rates');
select tests.authenticate_as('member@t20.test');
select throws_ok(
  format($$ select private.billable_rate_cents(%L, %L, %L) $$, tests.id('a'), tests.id('site'), tests.user_id('manager@t20.test')),
  '42501', null, 'a member cannot call the rate hierarchy to learn a colleague''s rate');

-- ============================================================================================
-- The rate hierarchy: member on project → project → member → agency default
-- ============================================================================================
select tests.reset_role();
update public.member_rates set hourly_rate_cents = 8000
where agency_id = tests.id('a') and user_id = tests.user_id('member@t20.test');
select is(private.billable_rate_cents(tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')), 12000,
  'the member''s rate on the project beats every other rate');
update public.project_members set billable_rate_cents = null
where project_id = tests.id('site') and user_id = tests.user_id('member@t20.test');
select is(private.billable_rate_cents(tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')), 15000,
  'without it, the project rate applies');
update public.projects set hourly_rate_cents = null where id = tests.id('site');
select is(private.billable_rate_cents(tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')), 8000,
  'without a project rate, the member''s own rate applies');
update public.member_rates set hourly_rate_cents = null
where agency_id = tests.id('a') and user_id = tests.user_id('member@t20.test');
select is(private.billable_rate_cents(tests.id('a'), tests.id('site'), tests.user_id('member@t20.test')), 5000,
  'without a member rate, the agency default applies');
select is(private.billable_rate_cents(tests.id('a'), tests.id('site'), tests.user_id('bench@t20.test')), 5000,
  'someone off the team gets the agency default too');
select is(private.billable_rate_cents(tests.id('b'), tests.id('site'), tests.user_id('member@t20.test')), 0,
  'a project of another agency lends no rate: only that agency''s own default applies');

-- ============================================================================================
-- Leaving the team unassigns one's tasks
-- ============================================================================================
insert into public.tasks (agency_id, project_id, title, assignee_id)
values (tests.id('a'), tests.id('site'), 'Member''s task', tests.user_id('member@t20.test'));
select tests.authenticate_as('manager@t20.test');
select lives_ok(
  format($$ delete from public.project_members where project_id = %L and user_id = %L $$,
         tests.id('site'), tests.user_id('member@t20.test')),
  'a manager takes a member off the team');
select tests.reset_role();
select results_eq(
  format($$ select title, assignee_id from public.tasks where project_id = %L and title = 'Member''s task' $$, tests.id('site')),
  $$ values ('Member''s task', null::uuid) $$,
  'the member''s task stays on the project, unassigned'
);
select tests.authenticate_as('member@t20.test');
select is_empty($$ select id from public.projects $$, 'and the former team member no longer reads the project');

-- ============================================================================================
-- Audit
-- ============================================================================================
select tests.reset_role();
select results_eq(
  format($$ select action, actor_id, new_values ->> 'name' from public.audit_log
            where table_name = 'projects' and row_id = %L order by id limit 1 $$, tests.id('site')),
  format($$ values ('insert', %L::uuid, 'Acme site') $$, tests.user_id('manager@t20.test')),
  'creating a project is in the audit log, with its creator'
);
select results_eq(
  format($$ select old_values ->> 'budget_hours', new_values ->> 'budget_hours' from public.audit_log
            where table_name = 'projects' and row_id = %L and action = 'update' and actor_id = %L order by id limit 1 $$,
         tests.id('site'), tests.user_id('manager@t20.test')),
  $$ values (null::text, '120.00') $$,
  'changing a project is in the audit log with the old and new values'
);
select results_eq(
  format($$ select action, actor_id from public.audit_log
            where table_name = 'project_members' and row_id = %L and old_values ->> 'project_id' = %L $$,
         tests.user_id('sales@t20.test'), tests.id('retainer')),
  format($$ values ('delete', %L::uuid) $$, tests.user_id('manager@t20.test')),
  'taking someone off a team is in the audit log'
);

-- ============================================================================================
-- Former members: neither on a team nor managing
-- ============================================================================================
select tests.reset_role();
update public.agency_members set is_active = false where agency_id = tests.id('a') and user_id = tests.user_id('bench@t20.test');
select tests.authenticate_as('manager@t20.test');
select is(
  tests.error_of(format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
                        tests.id('a'), tests.id('site'), tests.user_id('bench@t20.test'))),
  'P0001 member_inactive', 'a deactivated member cannot be put on a team');
select is(
  tests.error_of(format($$ update public.projects set manager_id = %L where id = %L $$, tests.user_id('bench@t20.test'), tests.id('site'))),
  'P0001 member_inactive', 'nor named a project''s manager');

select * from finish();
rollback;
