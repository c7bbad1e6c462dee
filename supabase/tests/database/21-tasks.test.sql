-- Tasks and their comments: RLS command by command (owner, manager, member on the team with and
-- without the task, member on another team, another agency's owner, anonymous); the assignee is
-- on the team; members change only status and position of their own tasks; closed projects take
-- no tasks; where a new task lands; completed_at; move_task's order; no reference crosses agencies.
begin;
select plan(86);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t21.test', 'Oona Owner');
select tests.create_user('manager@t21.test', 'Mads Manager');
select tests.create_user('member@t21.test', 'Mira Member');
select tests.create_user('mate@t21.test', 'Matt Mate');
select tests.create_user('bench@t21.test', 'Bea Bench');
select tests.create_user('outsider@t21.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t21.test', 'Agency A t21')),
  ('b', tests.create_agency('outsider@t21.test', 'Agency B t21'));
select tests.add_member(tests.id('a'), 'manager@t21.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t21.test', 'member');
select tests.add_member(tests.id('a'), 'mate@t21.test', 'member');
select tests.add_member(tests.id('a'), 'bench@t21.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Projects as their managers create them (each creator manages and joins the team).
select tests.authenticate_as('manager@t21.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Audit', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Board', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Lifecycle', 'USD', 'planning');
select tests.authenticate_as('outsider@t21.test');
insert into public.projects (agency_id, client_id, name, currency) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD');
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));

insert into public.project_members (agency_id, project_id, user_id)
select tests.id('a'), p.id, tests.user_id(u.email)
from (values ('site', 'member@t21.test'), ('site', 'mate@t21.test'), ('audit', 'bench@t21.test'),
             ('board', 'member@t21.test'), ('board', 'mate@t21.test')) as u (project, email)
join public.projects p on p.id = tests.id(u.project);

with m as (
  insert into public.milestones (agency_id, project_id, title) values
    (tests.id('a'), tests.id('site'), 'Beta'), (tests.id('a'), tests.id('audit'), 'Report'), (tests.id('b'), tests.id('bravo'), 'Bravo beta')
  returning 'ms:' || lower(replace(title, ' ', '-')) as label, id
)
insert into tests.labels (label, id) select label, id from m;

with t as (
  insert into public.tasks (agency_id, project_id, title, position, assignee_id) values
    (tests.id('a'), tests.id('site'), 'Design', 0, tests.user_id('member@t21.test')),
    (tests.id('a'), tests.id('site'), 'Build', 2, tests.user_id('mate@t21.test')),
    (tests.id('a'), tests.id('site'), 'Test', 4, null),
    (tests.id('a'), tests.id('audit'), 'Interview', 0, tests.user_id('bench@t21.test')),
    (tests.id('b'), tests.id('bravo'), 'Bravo task', 0, tests.user_id('outsider@t21.test'))
  returning lower(replace(title, ' ', '-')) as label, id
)
insert into tests.labels (label, id) select label, id from t;

-- ============================================================================================
-- select
-- ============================================================================================
select tests.authenticate_as('owner@t21.test');
select set_eq($$ select title from public.tasks $$, array['Design', 'Build', 'Test', 'Interview'],
  'an owner reads every task of the agency, and no other agency''s');
select tests.authenticate_as('manager@t21.test');
select set_eq($$ select title from public.tasks $$, array['Design', 'Build', 'Test', 'Interview'],
  'a manager reads every task of the agency');
select tests.authenticate_as('member@t21.test');
select set_eq($$ select title from public.tasks $$, array['Design', 'Build', 'Test'],
  'a member reads every task of their project, assigned to them or not, and none of other projects');
select tests.authenticate_as('bench@t21.test');
select set_eq($$ select title from public.tasks $$, array['Interview'], 'a member of another team reads only that team''s tasks');
select tests.authenticate_as('outsider@t21.test');
select set_eq($$ select title from public.tasks $$, array['Bravo task'], 'the owner of another agency reads only their own tasks');
select tests.clear_authentication();
select throws_ok($$ select id from public.tasks $$, '42501', null, 'an anonymous visitor cannot read tasks');

-- ============================================================================================
-- insert, and who can be assigned
-- ============================================================================================
select tests.authenticate_as('manager@t21.test');
select lives_ok(
  format($$ insert into public.tasks (agency_id, project_id, title, description, priority, assignee_id, start_date, due_date,
                                      estimated_hours, milestone_id)
            values (%L, %L, 'Deploy', 'Ship **it**', 'high', %L, '2026-12-01', '2026-12-05', 6.5, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('member@t21.test'), tests.id('ms:beta')),
  'a manager adds a full task: description, priority, assignee on the team, dates, estimate, milestone');
select tests.authenticate_as('owner@t21.test');
select lives_ok(
  format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Owner task') $$, tests.id('a'), tests.id('site')),
  'an owner adds a task');
select tests.reset_role();
select results_eq(
  $$ select priority::text, created_by, position from public.tasks where title = 'Owner task' $$,
  format($$ values ('medium', %L::uuid, 8) $$, tests.user_id('owner@t21.test')),
  'a new task is medium priority, records its creator, and without a position goes to the end of its column'
);
select tests.authenticate_as('member@t21.test');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title, assignee_id) values (%L, %L, 'Mine', %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('member@t21.test')),
  '42501', null, 'a member cannot add tasks, not even to their own project');
select tests.authenticate_as('outsider@t21.test');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Outsider task') $$, tests.id('a'), tests.id('site')),
  '42501', null, 'the owner of another agency cannot add a task to this agency''s project');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Anon task') $$, tests.id('a'), tests.id('site')),
  '42501', null, 'an anonymous visitor cannot add tasks');

select tests.authenticate_as('manager@t21.test');
select is(
  tests.error_of(format($$ insert into public.tasks (agency_id, project_id, title, assignee_id) values (%L, %L, 'Off team', %L) $$,
                        tests.id('a'), tests.id('site'), tests.user_id('bench@t21.test'))),
  'P0001 assignee_not_on_team',
  'a task cannot be assigned to a member of the agency who is not on the project''s team');
select is(
  tests.error_of(format($$ update public.tasks set assignee_id = %L where id = %L $$, tests.user_id('bench@t21.test'), tests.id('test'))),
  'P0001 assignee_not_on_team',
  'nor reassigned to one');
select is(
  tests.error_of(format($$ insert into public.tasks (agency_id, project_id, title, assignee_id) values (%L, %L, 'Foreign', %L) $$,
                        tests.id('a'), tests.id('site'), tests.user_id('outsider@t21.test'))),
  'P0001 assignee_not_on_team',
  'nor to someone from another agency');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title, start_date, due_date) values (%L, %L, 'Backwards', '2026-12-05', '2026-12-01') $$,
         tests.id('a'), tests.id('site')),
  '23514', null, 'a task cannot be due before it starts');
-- The trigger only words the refusal; the composite foreign key is what guarantees it.
select tests.reset_role();
alter table public.tasks disable trigger tasks_check_write;
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title, position, assignee_id) values (%L, %L, 'Off team', 0, %L) $$,
         tests.id('a'), tests.id('site'), tests.user_id('bench@t21.test')),
  '23503', 'insert or update on table "tasks" violates foreign key constraint "tasks_assignee_on_team_fkey"',
  'without the trigger, the team foreign key still refuses an assignee off the team');
alter table public.tasks enable trigger tasks_check_write;

-- ============================================================================================
-- update: members move their own tasks, nothing else
-- ============================================================================================
select tests.authenticate_as('member@t21.test');
select lives_ok(
  format($$ update public.tasks set status = 'in_progress', position = 0 where id = %L $$, tests.id('design')),
  'a member moves their assigned task to another column');
select is(tests.error_of(format($$ update public.tasks set title = 'Redesign' where id = %L $$, tests.id('design'))),
  '42501 member_status_only', 'a member cannot rename their task');
select is(tests.error_of(format($$ update public.tasks set priority = 'urgent' where id = %L $$, tests.id('design'))),
  '42501 member_status_only', 'nor change its priority');
select is(tests.error_of(format($$ update public.tasks set due_date = '2027-01-01' where id = %L $$, tests.id('design'))),
  '42501 member_status_only', 'nor its due date');
select is(
  tests.error_of(format($$ update public.tasks set assignee_id = %L where id = %L $$, tests.user_id('mate@t21.test'), tests.id('design'))),
  '42501 member_status_only', 'nor hand it to a teammate');
select is(tests.error_of(format($$ update public.tasks set milestone_id = null, status = 'review' where id = %L $$, tests.id('design'))),
  'ok', 'setting a column to the value it already has is no change');
update public.tasks set status = 'done' where id in (tests.id('build'), tests.id('test'));
update public.tasks set assignee_id = tests.user_id('member@t21.test') where id = tests.id('test');
select tests.authenticate_as('bench@t21.test');
update public.tasks set status = 'done' where id = tests.id('design');
select tests.authenticate_as('outsider@t21.test');
update public.tasks set status = 'done', title = 'Outsider' where id = tests.id('design');
select tests.reset_role();
select results_eq(
  $$ select title, status::text, assignee_id from public.tasks where title in ('Design', 'Build', 'Test') order by title $$,
  format($$ values ('Build', 'todo', %L::uuid), ('Design', 'review', %L::uuid), ('Test', 'todo', null::uuid) $$,
         tests.user_id('mate@t21.test'), tests.user_id('member@t21.test')),
  'a member''s changes to a teammate''s or an unassigned task, a member of another team''s and the other agency''s owner''s change nothing'
);
select tests.clear_authentication();
select throws_ok($$ update public.tasks set status = 'done' $$, '42501', null, 'an anonymous visitor cannot change tasks');

select tests.authenticate_as('manager@t21.test');
select lives_ok(
  format($$ update public.tasks set title = 'Test plan', priority = 'urgent', assignee_id = %L, estimated_hours = 3 where id = %L $$,
         tests.user_id('mate@t21.test'), tests.id('test')),
  'a manager changes any column of a task, including its assignee within the team');

-- ============================================================================================
-- completed_at follows done
-- ============================================================================================
select tests.authenticate_as('manager@t21.test');
update public.tasks set status = 'done' where id = tests.id('build');
select tests.reset_role();
select isnt((select completed_at from public.tasks where id = tests.id('build')), null, 'a task marked done gets completed_at');
select tests.authenticate_as('mate@t21.test');
update public.tasks set status = 'review' where id = tests.id('build');
select tests.reset_role();
select results_eq($$ select status::text, completed_at from public.tasks where title = 'Build' $$,
  $$ values ('review', null::timestamptz) $$, 'reopened by its assignee, the task loses completed_at');
select tests.authenticate_as('manager@t21.test');
insert into public.tasks (agency_id, project_id, title, status) values (tests.id('a'), tests.id('site'), 'Already done', 'done');
select tests.reset_role();
select isnt((select completed_at from public.tasks where title = 'Already done'), null, 'a task added as done has completed_at');
select tests.authenticate_as('manager@t21.test');
update public.tasks set status = 'done' where id = tests.id('test');
select tests.reset_role();
select results_eq(
  format($$ select title from public.tasks where project_id = %L and status = 'done' order by position desc limit 1 $$, tests.id('site')),
  $$ values ('Test plan') $$,
  'a status change that names no position puts the task at the end of its new column');

-- ============================================================================================
-- delete
-- ============================================================================================
select tests.authenticate_as('member@t21.test');
delete from public.tasks where id = tests.id('design');
select tests.authenticate_as('bench@t21.test');
delete from public.tasks where id = tests.id('design');
select tests.authenticate_as('outsider@t21.test');
delete from public.tasks where id = tests.id('design');
select tests.reset_role();
select isnt_empty(format($$ select from public.tasks where id = %L $$, tests.id('design')),
  'neither its assignee, a member of another team nor the other agency''s owner deletes a task');
select tests.clear_authentication();
select throws_ok($$ delete from public.tasks $$, '42501', null, 'an anonymous visitor cannot delete tasks');
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ delete from public.tasks where title = 'Already done' $$), 'a manager deletes a task');
select tests.reset_role();
select is_empty($$ select from public.tasks where title = 'Already done' $$, 'and it is gone');

-- ============================================================================================
-- Closed projects take no new tasks
-- ============================================================================================
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'While planning') $$,
  tests.id('a'), tests.id('lifecycle')), 'a planning project takes new tasks');
update public.projects set status = 'active' where id = tests.id('lifecycle');
select lives_ok(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'While active') $$,
  tests.id('a'), tests.id('lifecycle')), 'an active project takes new tasks');
update public.projects set status = 'on_hold' where id = tests.id('lifecycle');
select lives_ok(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'While on hold') $$,
  tests.id('a'), tests.id('lifecycle')), 'a project on hold takes new tasks');
update public.projects set status = 'completed' where id = tests.id('lifecycle');
select is(tests.error_of(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Too late') $$,
  tests.id('a'), tests.id('lifecycle'))), 'P0001 project_closed', 'a completed project takes no new task');
update public.projects set status = 'archived' where id = tests.id('lifecycle');
select is(tests.error_of(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Far too late') $$,
  tests.id('a'), tests.id('lifecycle'))), 'P0001 project_closed', 'an archived project takes no new task');
select tests.reset_role();
select results_eq(format($$ select title, position from public.tasks where project_id = %L order by position $$, tests.id('lifecycle')),
  $$ values ('While planning', 0), ('While active', 2), ('While on hold', 4) $$,
  'tasks added without a position line up at the end of their column: 0, 2, 4');
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ insert into public.tasks (agency_id, project_id, title, status) values (%L, %L, 'Second in review', 'review') $$,
  tests.id('a'), tests.id('site')), 'a task is added straight into the review column');
select tests.reset_role();
select results_eq(format($$ select title from public.tasks where project_id = %L and status = 'review' order by position $$, tests.id('site')),
  $$ values ('Design'), ('Build'), ('Second in review') $$,
  'and goes to the end of that column, whatever the other columns hold');

-- ============================================================================================
-- move_task: the kanban drop
-- ============================================================================================
with t as (
  insert into public.tasks (agency_id, project_id, title, position, assignee_id) values
    (tests.id('a'), tests.id('board'), 'A', 0, tests.user_id('member@t21.test')),
    (tests.id('a'), tests.id('board'), 'B', 2, tests.user_id('mate@t21.test')),
    (tests.id('a'), tests.id('board'), 'C', 4, tests.user_id('member@t21.test')),
    (tests.id('a'), tests.id('board'), 'D', 6, null)
  returning 'board:' || title as label, id
)
insert into tests.labels (label, id) select label, id from t;
create temp view board as
select status::text, title, position from public.tasks where project_id = tests.id('board');

select tests.authenticate_as('manager@t21.test');
select results_eq(format($$ select title, status::text, position from public.move_task(%L, 'todo', 0) $$, tests.id('board:D')),
  $$ values ('D', 'todo', 0) $$, 'move_task returns the moved task at its new place');
select tests.reset_role();
select results_eq($$ select title, position from board where status = 'todo' order by position $$,
  $$ values ('D', 0), ('A', 2), ('B', 4), ('C', 6) $$,
  'dropping the last task of a column first renumbers the column around it: D, A, B, C');
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ select public.move_task(%L, 'in_progress', 0) $$, tests.id('board:A')), 'a manager moves a task to another column');
select tests.authenticate_as('member@t21.test');
select lives_ok(format($$ select public.move_task(%L, 'in_progress', 0) $$, tests.id('board:C')),
  'a member moves their own task to the top of another column');
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ select public.move_task(%L, 'in_progress', 99) $$, tests.id('board:D')),
  'an index past the end of a column drops the task at the end');
select tests.reset_role();
select results_eq($$ select title, position from board where status = 'in_progress' order by position $$,
  $$ values ('C', 0), ('A', 2), ('D', 4) $$, 'the in-progress column reads C, A, D');
insert into public.tasks (agency_id, project_id, title, position) values (tests.id('a'), tests.id('board'), 'E', 9);
select tests.authenticate_as('member@t21.test');
select is(tests.error_of(format($$ select public.move_task(%L, 'todo', 0) $$, tests.id('board:B'))),
  '42501 forbidden', 'a member cannot move a teammate''s task');
select tests.reset_role();
select results_eq($$ select title, position from board where status = 'todo' order by position $$,
  $$ values ('B', 4), ('E', 9) $$, 'and the refused move renumbered nothing');
select tests.authenticate_as('bench@t21.test');
select is(tests.error_of(format($$ select public.move_task(%L, 'todo', 0) $$, tests.id('board:C'))),
  'P0002 task_not_found', 'a member of another team cannot move (or even find) the task');
select tests.authenticate_as('outsider@t21.test');
select is(tests.error_of(format($$ select public.move_task(%L, 'todo', 0) $$, tests.id('board:C'))),
  'P0002 task_not_found', 'nor can the owner of another agency');
select is(tests.error_of(format($$ select private.renumber_task_column(%L, %L, 'todo', null) $$, tests.id('a'), tests.id('board'))),
  'ok', 'calling the renumbering helper directly on another agency''s column is not an error …');
select tests.reset_role();
select results_eq($$ select title, position from board where status = 'todo' order by position $$,
  $$ values ('B', 4), ('E', 9) $$, '… but changes nothing in it');
select tests.clear_authentication();
select throws_ok(format($$ select public.move_task(%L, 'todo', 0) $$, tests.id('board:C')), '42501', null,
  'an anonymous visitor cannot move tasks');

-- ============================================================================================
-- No reference crosses agencies (or projects)
-- ============================================================================================
select tests.authenticate_as('manager@t21.test');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'On their project') $$, tests.id('a'), tests.id('bravo')),
  '23503', null, 'a task cannot point to another agency''s project');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title, milestone_id) values (%L, %L, 'Their milestone', %L) $$,
         tests.id('a'), tests.id('site'), tests.id('ms:bravo-beta')),
  '23503', null, 'nor to another agency''s milestone');
select throws_ok(
  format($$ update public.tasks set milestone_id = %L where id = %L $$, tests.id('ms:report'), tests.id('design')),
  '23503', null, 'nor to a milestone of another project of the same agency');
select tests.authenticate_as('outsider@t21.test');
select throws_ok(
  format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Smuggled') $$, tests.id('b'), tests.id('site')),
  '23503', null, 'another agency''s owner cannot attach a task of their agency to this agency''s project');
select throws_ok(
  format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Smuggled note') $$, tests.id('b'), tests.id('design')),
  '23503', null, 'nor a comment of their agency to this agency''s task');

-- ============================================================================================
-- task_comments
-- ============================================================================================
select tests.authenticate_as('member@t21.test');
select lives_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Started on it') $$,
  tests.id('a'), tests.id('design')), 'a member comments on their assigned task');
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Drive-by') $$,
  tests.id('a'), tests.id('build')), '42501', null, 'a member cannot comment on a teammate''s task');
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Elsewhere') $$,
  tests.id('a'), tests.id('interview')), '42501', null, 'nor on a task of another project');
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body, author_id) values (%L, %L, 'As the boss', %L) $$,
  tests.id('a'), tests.id('design'), tests.user_id('manager@t21.test')), '42501', null, 'nor in someone else''s name');
select tests.authenticate_as('mate@t21.test');
select lives_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Build notes') $$,
  tests.id('a'), tests.id('build')), 'a teammate comments on their own task');
select tests.authenticate_as('manager@t21.test');
select lives_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Looks good') $$,
  tests.id('a'), tests.id('build')), 'a manager comments on any task');
select tests.authenticate_as('bench@t21.test');
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Bench note') $$,
  tests.id('a'), tests.id('design')), '42501', null, 'a member of another team cannot comment on the task');
select tests.authenticate_as('outsider@t21.test');
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Outsider note') $$,
  tests.id('a'), tests.id('design')), '42501', null, 'the owner of another agency cannot comment on it');
select tests.clear_authentication();
select throws_ok(format($$ insert into public.task_comments (agency_id, task_id, body) values (%L, %L, 'Anon note') $$,
  tests.id('a'), tests.id('design')), '42501', null, 'an anonymous visitor cannot comment');
select tests.reset_role();
select results_eq($$ select author_id from public.task_comments where body = 'Started on it' $$,
  format($$ values (%L::uuid) $$, tests.user_id('member@t21.test')), 'a comment''s author is whoever wrote it');

select tests.authenticate_as('member@t21.test');
select set_eq($$ select body from public.task_comments $$, array['Started on it', 'Build notes', 'Looks good'],
  'a member reads every comment of their project');
select tests.authenticate_as('owner@t21.test');
select is((select count(*)::int from public.task_comments), 3, 'an owner reads every comment of the agency');
select tests.authenticate_as('bench@t21.test');
select is_empty($$ select id from public.task_comments $$, 'a member of another team reads none of them');
select tests.authenticate_as('outsider@t21.test');
select is_empty($$ select id from public.task_comments $$, 'the owner of another agency reads none of them');
select tests.clear_authentication();
select throws_ok($$ select id from public.task_comments $$, '42501', null, 'an anonymous visitor cannot read comments');

select tests.authenticate_as('member@t21.test');
select throws_ok($$ update public.task_comments set body = 'Edited' $$, '42501', null, 'an author cannot edit a comment');
select tests.authenticate_as('manager@t21.test');
select throws_ok($$ update public.task_comments set body = 'Edited' $$, '42501', null, 'nor can a manager');

select tests.authenticate_as('mate@t21.test');
delete from public.task_comments where body = 'Started on it';
select tests.authenticate_as('outsider@t21.test');
delete from public.task_comments where body = 'Started on it';
select tests.reset_role();
select isnt_empty($$ select from public.task_comments where body = 'Started on it' $$,
  'a teammate and the other agency''s owner cannot delete someone''s comment');
select tests.authenticate_as('member@t21.test');
select lives_ok($$ delete from public.task_comments where body = 'Started on it' $$, 'an author deletes their comment');
select tests.authenticate_as('manager@t21.test');
select lives_ok($$ delete from public.task_comments where body = 'Build notes' $$, 'a manager deletes someone else''s comment');
select tests.reset_role();
select set_eq($$ select body from public.task_comments $$, array['Looks good'], 'both comments are gone');
select tests.clear_authentication();
select throws_ok($$ delete from public.task_comments $$, '42501', null, 'an anonymous visitor cannot delete comments');

-- ============================================================================================
-- Audit
-- ============================================================================================
select tests.reset_role();
select results_eq(
  format($$ select actor_id, old_values ->> 'status', new_values ->> 'status' from public.audit_log
            where table_name = 'tasks' and row_id = %L and action = 'update' order by id limit 1 $$, tests.id('design')),
  format($$ values (%L::uuid, 'todo', 'in_progress') $$, tests.user_id('member@t21.test')),
  'a member''s status change is in the audit log'
);

-- ============================================================================================
-- Rule messages never speak about another agency's rows: the policies answer (42501)
-- ============================================================================================
select tests.reset_role();
update public.projects set status = 'completed' where id = tests.id('bravo');
select tests.authenticate_as('manager@t21.test');
select is(tests.error_of(format($$ insert into public.tasks (agency_id, project_id, title) values (%L, %L, 'Probe') $$,
                                tests.id('b'), tests.id('bravo'))),
  '42501 -', 'a task for another agency''s closed project is refused by the policies, not with project_closed');
select lives_ok(format($$ select private.project_accepts_work(%L, %L) $$, tests.id('b'), tests.id('bravo')),
  'and the closed-project check says nothing about a project the caller cannot see');
select is(tests.error_of(format($$ insert into public.project_members (agency_id, project_id, user_id) values (%L, %L, %L) $$,
                                tests.id('b'), tests.id('bravo'), tests.user_id('outsider@t21.test'))),
  '42501 -', 'joining another agency''s team is refused by the policies, without naming its people');

select * from finish();
rollback;
