-- The running timer (one per member; start stops the running one at the same instant; stop makes
-- entries through every rule, split at midnight; a forgotten timer is refused, not cut, and keeps
-- running; discard; RLS), weekly timesheets (submit on Mondays, notifications and emails to the
-- right approvers, who may decide, reasons, resubmission, RLS, audit) and set_week_cell.
begin;
select plan(100);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t28.test', 'Olga Owner');
select tests.create_user('manager@t28.test', 'Mona Manager');
select tests.create_user('manager2@t28.test', 'Milo Manager');
select tests.create_user('mia@t28.test', 'Mia Member');
select tests.create_user('max@t28.test', 'Max Member');
select tests.create_user('outsider@t28.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t28.test', 'Agency A t28')),
  ('b', tests.create_agency('outsider@t28.test', 'Agency B t28'));
select tests.add_member(tests.id('a'), 'manager@t28.test', 'manager');
select tests.add_member(tests.id('a'), 'manager2@t28.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t28.test', 'member');
select tests.add_member(tests.id('a'), 'max@t28.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Site and Paused are Mona's; Lab and Other have no manager. Bravo belongs to agency B.
select tests.authenticate_as('manager@t28.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Paused', 'USD', 'active');
select tests.authenticate_as('outsider@t28.test');
insert into public.projects (agency_id, client_id, name, currency, status) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD', 'active');
select tests.reset_role();
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Lab', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Other', 'USD', 'active');
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));
insert into public.project_members (agency_id, project_id, user_id)
select tests.id('a'), tests.id(u.project), tests.user_id(u.email)
from (values ('site', 'mia@t28.test'), ('site', 'max@t28.test'), ('paused', 'mia@t28.test'), ('lab', 'mia@t28.test'),
             ('other', 'mia@t28.test')) as u (project, email);
with t as (
  insert into public.tasks (agency_id, project_id, title) values
    (tests.id('a'), tests.id('site'), 'Design'), (tests.id('a'), tests.id('other'), 'Elsewhere')
  returning 'task:' || lower(title) as label, id
)
insert into tests.labels (label, id) select label, id from t;

-- Starts the caller's timer in agency A on a project (and task) by label.
create function pg_temp.start(p_project text, p_description text, p_task text default null)
returns public.timers
language sql
as $$
  select * from public.start_timer(tests.id('a'), tests.id(p_project), tests.id(p_task), p_description);
$$;

-- The caller's entries of a description, in order.
create function pg_temp.entries(p_description text)
returns table (entry_date date, started_at timestamptz, ended_at timestamptz, duration_seconds integer)
language sql
as $$
  select e.entry_date, e.started_at, e.ended_at, e.duration_seconds from public.time_entries e
  where e.description = p_description order by e.started_at;
$$;

-- ============================================================================================
-- Timer: start, switch, stop
-- ============================================================================================
select tests.freeze_time('2031-10-06 09:00:00+00');
select tests.authenticate_as('mia@t28.test');
select results_eq(
  $$ select project_id, task_id, description, started_at, is_billable from pg_temp.start('site', 'timer one', 'task:design') $$,
  $$ values (tests.id('site'), tests.id('task:design'), 'timer one', '2031-10-06 09:00+00'::timestamptz, null::boolean) $$,
  'a member starts a timer on a project and task; it runs from now'
);
select tests.freeze_time('2031-10-06 10:30:00+00');
select results_eq($$ select description, started_at from pg_temp.start('site', 'timer two') $$,
  $$ values ('timer two', '2031-10-06 10:30+00'::timestamptz) $$, 'starting another timer replaces the running one');
select results_eq($$ select started_at, ended_at, duration_seconds from pg_temp.entries('timer one') $$,
  $$ values ('2031-10-06 09:00+00'::timestamptz, '2031-10-06 10:30+00'::timestamptz, 5400) $$,
  'the running one was stopped at the instant the new one started, into an entry with its task');
select is((select count(*)::int from public.timers), 1, 'a member has one timer at a time');
select throws_ok(
  format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-06 10:00+00') $$,
         tests.id('a'), tests.user_id('mia@t28.test'), tests.id('site')),
  '23505', null, 'a second timer cannot be stored beside the first');

select tests.freeze_time('2031-10-06 11:15:00+00');
select results_eq($$ select description, started_at, ended_at, duration_seconds, task_id from public.stop_timer(tests.id('a')) $$,
  $$ values ('timer two', '2031-10-06 10:30+00'::timestamptz, '2031-10-06 11:15+00'::timestamptz, 2700, null::uuid) $$,
  'stopping the timer answers the entry it became, ending now');
select is_empty($$ select 1 from public.timers $$, 'and the timer is gone');
select is(tests.error_of($$ select public.stop_timer(tests.id('a')) $$), 'P0002 no_timer', 'stopping without a timer says there is none');

select tests.freeze_time('2031-10-06 23:00:00+00');
select pg_temp.start('site', 'night timer');
select tests.freeze_time('2031-10-07 01:00:00+00');
select results_eq($$ select entry_date, duration_seconds from public.stop_timer(tests.id('a')) $$,
  $$ values ('2031-10-06'::date, 3600), ('2031-10-07'::date, 3600) $$,
  'a timer running past midnight stops into two entries, one per local date');
select is((select count(distinct split_group_id)::int from public.time_entries where description = 'night timer' and split_group_id is not null), 1,
  'sharing one split group');

select tests.freeze_time('2031-10-07 09:00:00+00');
select pg_temp.start('site', 'stopped later');
select tests.freeze_time('2031-10-07 12:00:00+00');
select results_eq($$ select started_at, ended_at from public.stop_timer(tests.id('a'), '2031-10-07 10:00+00') $$,
  $$ values ('2031-10-07 09:00+00'::timestamptz, '2031-10-07 10:00+00'::timestamptz) $$,
  'a timer can be stopped at a given time');

-- A second start within the same second leaves no zero-length entry and no error.
select tests.freeze_time('2031-10-07 12:30:00+00');
select pg_temp.start('site', 'double 1');
select lives_ok($$ select pg_temp.start('site', 'double 2') $$, 'starting again within the same second works');
select results_eq($$ select (select description from public.timers), (select count(*)::int from public.time_entries where description = 'double 1') $$,
  $$ values ('double 2', 0) $$, 'the second timer runs and the first left no entry');
select tests.freeze_time('2031-10-07 12:45:00+00');
select public.stop_timer(tests.id('a'));

-- ============================================================================================
-- Timer: nothing is lost
-- ============================================================================================
select tests.freeze_time('2031-10-07 13:00:00+00');
select pg_temp.start('site', 'forgotten');
select tests.freeze_time('2031-10-08 02:00:00+00');
select is(tests.error_of($$ select public.stop_timer(tests.id('a')) $$), 'P0001 entry_too_long',
  'a timer that ran for more than 12 hours is not stopped at now: the member must say when she stopped');
select is(tests.error_of($$ select pg_temp.start('site', 'next morning') $$), 'P0001 entry_too_long',
  'nor is it cut by starting another');
select results_eq($$ select description, started_at from public.timers $$,
  $$ values ('forgotten', '2031-10-07 13:00+00'::timestamptz) $$, 'the forgotten timer is still running');
select results_eq($$ select entry_date, duration_seconds from public.stop_timer(tests.id('a'), '2031-10-07 18:00+00') $$,
  $$ values ('2031-10-07'::date, 18000) $$, 'given the real end, it becomes its entry');

-- While her timer runs she logs a meeting by hand over part of it.
select tests.freeze_time('2031-10-08 09:30:00+00');
select pg_temp.start('site', 'on top of the meeting');
select tests.freeze_time('2031-10-08 10:15:00+00');
select public.log_time(tests.id('a'), tests.id('site'), null, 'meeting', null, '2031-10-08 09:45+00', '2031-10-08 10:00+00');
select is(tests.error_of($$ select public.stop_timer(tests.id('a')) $$), 'P0001 overlap',
  'a stop whose entry breaks a rule is refused');
select results_eq($$ select description from public.timers $$, $$ values ('on top of the meeting') $$,
  'and the timer keeps running');
select results_eq($$ delete from public.timers returning description $$, $$ values ('on top of the meeting') $$,
  'the member discards her timer');
select is((select count(*)::int from public.time_entries where description = 'on top of the meeting'), 0,
  'which leaves no entry');

-- ============================================================================================
-- Timer: target rules
-- ============================================================================================
select tests.reset_role();
update public.projects set status = 'on_hold' where id = tests.id('paused');
select tests.authenticate_as('mia@t28.test');
select is(tests.error_of($$ select pg_temp.start('paused', 'paused') $$), 'P0001 project_not_open', 'a timer cannot run on a project on hold');
select is(tests.error_of($$ select pg_temp.start('site', 'wrong task', 'task:elsewhere') $$), 'P0001 task_not_in_project',
  'nor on a task of another project');
select is(
  tests.error_of(format($$ select public.start_timer(%L, %L) $$, tests.id('a'), tests.id('bravo'))),
  'P0001 not_on_project_team', 'nor on another agency''s project');
select is(
  tests.error_of(format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-08 10:20+00') $$,
                        tests.id('a'), tests.user_id('mia@t28.test'), tests.id('site'))),
  'P0001 future_entry', 'nor start in the future');
select pg_temp.start('lab', 'lab timer');
select is(tests.error_of(format($$ update public.timers set project_id = %L $$, tests.id('paused'))), 'P0001 project_not_open',
  'nor be moved onto a project on hold');
select tests.authenticate_as('max@t28.test');
select is(tests.error_of($$ select pg_temp.start('lab', 'not my team') $$), 'P0001 not_on_project_team',
  'a member cannot run a timer on a project off his team');
select lives_ok($$ select pg_temp.start('site', 'max timer') $$, 'but can on his own');

-- ============================================================================================
-- Timer: RLS
-- ============================================================================================
select tests.authenticate_as('mia@t28.test');
select results_eq($$ select user_id, description from public.timers $$, $$ values (tests.user_id('mia@t28.test'), 'lab timer') $$,
  'a member reads only her own timer');
select tests.authenticate_as('manager@t28.test');
select set_eq($$ select description from public.timers $$, array['lab timer', 'max timer'], 'a manager reads every running timer of the agency');
select tests.authenticate_as('owner@t28.test');
select set_eq($$ select description from public.timers $$, array['lab timer', 'max timer'], 'so does the owner');
select tests.authenticate_as('outsider@t28.test');
select is_empty($$ select 1 from public.timers $$, 'another agency''s owner reads none');
select tests.clear_authentication();
select throws_ok($$ select 1 from public.timers $$, '42501', null, 'an anonymous visitor cannot read timers');

select tests.authenticate_as('mia@t28.test');
select is(
  tests.error_of(format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-08 10:00+00') $$,
                        tests.id('a'), tests.user_id('manager2@t28.test'), tests.id('lab'))),
  '42501 -', 'a member cannot start a timer for someone else (42501, not a word about their team)');
select is(
  tests.error_of(format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-08 10:00+00') $$,
                        tests.id('b'), tests.user_id('mia@t28.test'), tests.id('bravo'))),
  '42501 -', 'nor in another agency');
select results_eq($$ update public.timers set description = 'lab timer, renamed' returning description $$, $$ values ('lab timer, renamed') $$,
  'she changes her own timer');
select is_empty(format($$ update public.timers set description = 'mia was here' where user_id = %L returning 1 $$, tests.user_id('max@t28.test')),
  'but not another member''s');
select tests.authenticate_as('manager@t28.test');
select is(
  tests.error_of(format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-08 10:00+00') $$,
                        tests.id('a'), tests.user_id('mia@t28.test'), tests.id('site'))),
  '42501 -', 'a manager cannot start a timer for a member');
select is_empty(format($$ update public.timers set description = 'mona was here' where user_id = %L returning 1 $$, tests.user_id('max@t28.test')),
  'a manager reads timers but changes none');
select is_empty(format($$ delete from public.timers where user_id = %L returning 1 $$, tests.user_id('max@t28.test')),
  'nor discards one');
select tests.authenticate_as('max@t28.test');
select is_empty(format($$ delete from public.timers where user_id = %L returning 1 $$, tests.user_id('mia@t28.test')),
  'a member cannot discard another''s timer');
select tests.clear_authentication();
select throws_ok($$ delete from public.timers $$, '42501', null, 'nor can an anonymous visitor');
select throws_ok(
  format($$ insert into public.timers (agency_id, user_id, project_id, started_at) values (%L, %L, %L, '2031-10-08 10:00+00') $$,
         tests.id('a'), tests.user_id('mia@t28.test'), tests.id('site')),
  '42501', null, 'who cannot insert a timer');
select throws_ok($$ update public.timers set description = 'anon' $$, '42501', null, 'nor change one');
select throws_ok(format($$ select public.start_timer(%L, %L) $$, tests.id('a'), tests.id('site')), '42501', null,
  'who cannot call start_timer either');
select tests.reset_role();
select set_eq($$ select description from public.timers $$, array['lab timer, renamed', 'max timer'], 'both timers are as their owners left them');
delete from public.timers;

-- ============================================================================================
-- Timesheets: submit
-- ============================================================================================
-- Thursday 16 October. Mia's week of 6 Oct has Site time (Mona manages it); her week of 13 Oct
-- only Lab time (nobody manages it). Mona's week of 6 Oct is on her own project.
select tests.freeze_time('2031-10-16 12:00:00+00');
select tests.authenticate_as('mia@t28.test');
select public.log_time(tests.id('a'), tests.id('lab'), null, 'lab work', null, null, null, '2031-10-14', 7200);
select tests.authenticate_as('manager@t28.test');
select public.log_time(tests.id('a'), tests.id('site'), null, 'mona work', null, null, null, '2031-10-07', 3600);

select tests.authenticate_as('mia@t28.test');
select is(tests.error_of($$ select public.submit_timesheet(tests.id('a'), '2031-10-07') $$), 'P0001 invalid_week', 'a week starts on a Monday');
select is(tests.error_of($$ select public.submit_timesheet(tests.id('a'), '2031-09-29') $$), 'P0001 timesheet_empty', 'an empty week cannot be submitted');
select results_eq(
  $$ select user_id, week_start, status::text, decided_by from public.submit_timesheet(tests.id('a'), '2031-10-06') $$,
  $$ values (tests.user_id('mia@t28.test'), '2031-10-06'::date, 'submitted', null::uuid) $$,
  'a member submits her week'
);
select results_eq(
  $$ select entry_date >= '2031-10-06' and entry_date < '2031-10-13', status::text, count(*)::int from public.time_entries
     group by 1, 2 order by 1 $$,
  $$ values (false, 'draft', 1), (true, 'submitted', 8) $$,
  'every entry of that week is submitted, and none of another week'
);
select is(tests.error_of($$ select public.submit_timesheet(tests.id('a'), '2031-10-06') $$), 'P0001 entry_locked', 'a submitted week cannot be submitted again');
select tests.reset_role();
insert into tests.labels (label, id)
select 'ts:' || split_part(p.email, '@', 1) || ':' || ts.week_start, ts.id
from public.timesheets ts join public.profiles p on p.user_id = ts.user_id;
select results_eq(
  $$ select user_id, kind, title, link_path, data ->> 'timesheet_id', read_at from public.notifications where kind = 'timesheet_submitted' $$,
  $$ values (tests.user_id('manager@t28.test'), 'timesheet_submitted', 'Mia Member submitted the week of 6 Oct 2031', '/time/approvals',
             tests.id('ts:mia:2031-10-06')::text, null::timestamptz) $$,
  'the manager of the week''s project is told in the app, and nobody else'
);
select results_eq(
  $$ select to_email, agency_id, data ->> 'member_name', data ->> 'week_start', data ->> 'approvals_path', data ->> 'agency_name'
     from private.email_outbox where template = 'timesheet_submitted' $$,
  $$ values ('manager@t28.test', tests.id('a'), 'Mia Member', '2031-10-06', '/time/approvals', 'Agency A t28') $$,
  'and by an email queued in the outbox'
);

select tests.authenticate_as('mia@t28.test');
select public.submit_timesheet(tests.id('a'), '2031-10-13');
select tests.authenticate_as('manager@t28.test');
select public.submit_timesheet(tests.id('a'), '2031-10-06');
select tests.reset_role();
insert into tests.labels (label, id)
select 'ts:' || split_part(p.email, '@', 1) || ':' || ts.week_start, ts.id
from public.timesheets ts join public.profiles p on p.user_id = ts.user_id
on conflict (label) do nothing;
select results_eq(
  $$ select n.user_id, n.title, o.to_email from public.notifications n
     join private.email_outbox o on o.template = n.kind and o.data ->> 'member_name' = split_part(n.title, ' submitted', 1)
                                and o.data ->> 'week_start' = n.data ->> 'week_start'
     where n.kind = 'timesheet_submitted' and (n.data ->> 'timesheet_id')::uuid in (tests.id('ts:mia:2031-10-13'), tests.id('ts:manager:2031-10-06'))
     order by n.title $$,
  $$ values (tests.user_id('owner@t28.test'), 'Mia Member submitted the week of 13 Oct 2031', 'owner@t28.test'),
            (tests.user_id('owner@t28.test'), 'Mona Manager submitted the week of 6 Oct 2031', 'owner@t28.test') $$,
  'a week on projects nobody manages, and a manager''s week on her own project, go to the owner'
);

-- ============================================================================================
-- Timesheets: decide
-- ============================================================================================
select tests.authenticate_as('mia@t28.test');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, true) $$, tests.id('ts:mia:2031-10-06'))),
  '42501 cannot_decide_timesheet', 'a member cannot approve her own week');
select tests.authenticate_as('max@t28.test');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, true) $$, tests.id('ts:mia:2031-10-06'))),
  '42501 cannot_decide_timesheet', 'nor another member''s');
select tests.authenticate_as('outsider@t28.test');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, true) $$, tests.id('ts:mia:2031-10-06'))),
  'P0002 not_found', 'another agency''s owner does not even find it');
select tests.authenticate_as('manager@t28.test');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, true) $$, tests.id('ts:manager:2031-10-06'))),
  '42501 cannot_decide_timesheet', 'a manager cannot approve her own week');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, false) $$, tests.id('ts:mia:2031-10-06'))),
  'P0001 rejection_reason_required', 'a rejection needs a reason');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, false, '   ') $$, tests.id('ts:mia:2031-10-06'))),
  'P0001 rejection_reason_required', 'and blanks are no reason');
select results_eq(
  format($$ select status::text, decided_by, rejection_reason from public.decide_timesheet(%L, false, ' Split the design hours by task. ') $$,
         tests.id('ts:mia:2031-10-06')),
  $$ values ('rejected', tests.user_id('manager@t28.test'), 'Split the design hours by task.') $$,
  'a manager rejects a member''s week with a reason'
);
select is(tests.error_of(format($$ select public.decide_timesheet(%L, true) $$, tests.id('ts:mia:2031-10-06'))),
  'P0001 timesheet_not_pending', 'a decided week waits for no other decision');
select tests.reset_role();
select results_eq(
  $$ select distinct status::text from public.time_entries where user_id = tests.user_id('mia@t28.test') and entry_date between '2031-10-06' and '2031-10-12' $$,
  $$ values ('rejected') $$, 'its entries are rejected');
select results_eq(
  $$ select user_id, title, body, link_path from public.notifications where kind = 'timesheet_rejected' $$,
  $$ values (tests.user_id('mia@t28.test'), 'Your week of 6 Oct 2031 was returned for changes', 'Split the design hours by task.', '/time?week=2031-10-06') $$,
  'the member is told in the app, with the reason'
);
select results_eq(
  $$ select to_email, data ->> 'reason', data ->> 'week_start', data ->> 'timesheet_path' from private.email_outbox where template = 'timesheet_rejected' $$,
  $$ values ('mia@t28.test', 'Split the design hours by task.', '2031-10-06', '/time?week=2031-10-06') $$,
  'and by email'
);
select results_eq(
  $$ select table_name, actor_id, reason, count(*)::int from public.audit_log
     where action = 'update' and (row_id = tests.id('ts:mia:2031-10-06')::text or (table_name = 'time_entries' and new_values ->> 'status' = 'rejected'))
     group by 1, 2, 3 order by 1 $$,
  $$ values ('time_entries', tests.user_id('manager@t28.test'), 'Split the design hours by task.', 8),
            ('timesheets', tests.user_id('manager@t28.test'), 'Split the design hours by task.', 1) $$,
  'the rejection of the week and of each of its entries is audited, with the manager and the reason'
);

-- Resubmission after the corrections.
select tests.authenticate_as('mia@t28.test');
select results_eq($$ update public.time_entries set description = 'night timer, design' where description = 'night timer' returning status::text $$,
  $$ values ('draft'), ('draft') $$, 'the member corrects her rejected entries, which become drafts');
select results_eq(
  $$ select id, status::text, rejection_reason, decided_by from public.submit_timesheet(tests.id('a'), '2031-10-06') $$,
  $$ values (tests.id('ts:mia:2031-10-06'), 'submitted', null::text, null::uuid) $$,
  'and submits the week again: the same timesheet, pending, its last decision cleared'
);
select results_eq(
  $$ select distinct status::text from public.time_entries where entry_date between '2031-10-06' and '2031-10-12' and user_id = (select auth.uid()) $$,
  $$ values ('submitted') $$, 'with every entry of the week, corrected or not');

select tests.authenticate_as('manager2@t28.test');
select results_eq(format($$ select status::text, decided_by from public.decide_timesheet(%L, true) $$, tests.id('ts:mia:2031-10-06')),
  $$ values ('approved', tests.user_id('manager2@t28.test')) $$, 'any other manager may approve it');
select tests.authenticate_as('owner@t28.test');
select results_eq(format($$ select status::text from public.decide_timesheet(%L, true) $$, tests.id('ts:manager:2031-10-06')),
  $$ values ('approved') $$, 'the owner approves the manager''s week');
select tests.reset_role();
select results_eq(
  $$ select user_id, status::text, count(*)::int from public.time_entries where entry_date between '2031-10-06' and '2031-10-12'
     group by 1, 2 order by 3 $$,
  $$ values (tests.user_id('manager@t28.test'), 'approved', 1), (tests.user_id('mia@t28.test'), 'approved', 8) $$,
  'their entries are approved'
);
select results_eq(
  $$ select user_id, title, body from public.notifications where kind = 'timesheet_approved' order by user_id = tests.user_id('mia@t28.test') $$,
  $$ values (tests.user_id('manager@t28.test'), 'Your week of 6 Oct 2031 was approved', null::text),
            (tests.user_id('mia@t28.test'), 'Your week of 6 Oct 2031 was approved', null::text) $$,
  'each member is told of the approval'
);
select is((select count(*)::int from private.email_outbox where template = 'timesheet_rejected'), 1, 'an approval sends no email');
select is(
  (select count(*)::int from public.audit_log where table_name = 'timesheets' and row_id = tests.id('ts:mia:2031-10-06')::text),
  4, 'the submission, rejection, resubmission and approval of the week are each in the audit log');

-- ============================================================================================
-- Timesheets: RLS
-- ============================================================================================
select tests.authenticate_as('mia@t28.test');
select results_eq($$ select week_start from public.timesheets order by 1 $$, $$ values ('2031-10-06'::date), ('2031-10-13'::date) $$,
  'a member reads her own weeks');
select throws_ok(format($$ update public.timesheets set status = 'approved' where id = %L $$, tests.id('ts:mia:2031-10-13')), '42501', null,
  'but cannot approve one by writing it');
select throws_ok(
  format($$ insert into public.timesheets (agency_id, user_id, week_start, status) values (%L, %L, '2031-09-29', 'approved') $$,
         tests.id('a'), tests.user_id('mia@t28.test')),
  '42501', null, 'nor insert one');
select throws_ok(format($$ delete from public.timesheets where id = %L $$, tests.id('ts:mia:2031-10-13')), '42501', null, 'nor delete one');
select tests.authenticate_as('max@t28.test');
select is_empty($$ select 1 from public.timesheets $$, 'another member reads none of them');
select tests.authenticate_as('manager2@t28.test');
select is((select count(*)::int from public.timesheets), 3, 'a manager reads every week of the agency');
select throws_ok(format($$ update public.timesheets set status = 'approved' where id = %L $$, tests.id('ts:mia:2031-10-13')), '42501', null,
  'and decides only through the function');
select tests.authenticate_as('owner@t28.test');
select is((select count(*)::int from public.timesheets), 3, 'the owner reads every week too');
select tests.authenticate_as('outsider@t28.test');
select is_empty($$ select 1 from public.timesheets $$, 'another agency''s owner reads none');
select tests.clear_authentication();
select throws_ok($$ select 1 from public.timesheets $$, '42501', null, 'an anonymous visitor cannot read timesheets');
select throws_ok($$ select public.submit_timesheet(tests.id('a'), '2031-10-13') $$, '42501', null, 'nor submit one');

-- ============================================================================================
-- set_week_cell
-- ============================================================================================
select tests.authenticate_as('max@t28.test');
select results_eq($$ select started_at, duration_seconds, entry_date from public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-13', 7200) $$,
  $$ values (null::timestamptz, 7200, '2031-10-13'::date) $$, 'setting an empty cell creates a date-and-duration entry');
select tests.reset_role();
insert into tests.labels (label, id) select 'e:cell', id from public.time_entries where user_id = tests.user_id('max@t28.test') and entry_date = '2031-10-13';
select tests.authenticate_as('max@t28.test');
select results_eq($$ select id, duration_seconds from public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-13', 10800) $$,
  $$ values (tests.id('e:cell'), 10800) $$, 'setting it again resizes that same entry');

select public.log_time(tests.id('a'), tests.id('site'), null, 'timed in a cell', null, '2031-10-14 09:00+00', '2031-10-14 10:00+00');
select public.log_time(tests.id('a'), tests.id('site'), null, 'manual 1', null, null, null, '2031-10-14', 600);
select public.log_time(tests.id('a'), tests.id('site'), null, 'manual 2', null, null, null, '2031-10-14', 600);
select results_eq(
  $$ select started_at is not null, duration_seconds from public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-14', 10800) $$,
  $$ values (true, 3600), (false, 7200) $$,
  'a cell with a timed entry keeps it as it is; its manual entries become one, holding the rest'
);
select results_eq(
  $$ select description, duration_seconds from public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-14', 3600) $$,
  $$ values ('timed in a cell', 3600) $$,
  'setting the cell to its timed total removes the manual entry'
);
select is(tests.error_of($$ select public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-14', 1800) $$),
  'P0001 cell_has_timed_entries', 'a cell cannot be set below its timed entries');
select is(tests.error_of($$ select public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-14', -1) $$),
  'P0001 invalid_range', 'nor to a negative duration');
select is_empty($$ select 1 from public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-13', 0) $$,
  'setting a cell without timed entries to zero empties it');
select is(tests.error_of($$ select public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-15', 46800) $$),
  'P0001 entry_too_long', 'the cell''s entry obeys the 12-hour rule');
select tests.authenticate_as('mia@t28.test');
select is(tests.error_of($$ select public.set_week_cell(tests.id('a'), tests.id('site'), null, '2031-10-08', 7200) $$),
  'P0001 entry_locked', 'and a cell of an approved week cannot change');
select tests.reset_role();
select results_eq(
  $$ select description, entry_date, duration_seconds from public.time_entries where user_id = tests.user_id('max@t28.test') order by entry_date, started_at nulls last $$,
  $$ values ('timed in a cell', '2031-10-14'::date, 3600) $$,
  'of the member''s cells, only the timed entry remains'
);

-- ============================================================================================
-- Tasks keep their tracked time; a decision must be a decision; timers start on the rule clock
-- ============================================================================================
select tests.authenticate_as('manager@t28.test');
select is(tests.error_of(format($$ delete from public.tasks where id = %L $$, tests.id('task:design'))),
  'P0001 task_has_time', 'a task with tracked time cannot be deleted, even by its manager');
select lives_ok($$ delete from public.tasks where project_id = tests.id('paused') $$,
  'tasks without time still can');
select is(tests.error_of(format($$ select public.decide_timesheet(%L, null, 'maybe') $$, tests.id('ts:mia:2031-10-13'))),
  'P0001 invalid_decision', 'a decision that is neither approve nor reject is refused');
select tests.authenticate_as('max@t28.test');
insert into public.timers (agency_id, user_id, project_id) values (tests.id('a'), tests.user_id('max@t28.test'), tests.id('site'));
select is((select started_at from public.timers where user_id = tests.user_id('max@t28.test')), private.clock_now(),
  'a timer inserted without a start starts at the rule clock''s now');

select * from finish();
rollback;
