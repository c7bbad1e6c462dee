-- Rule 6 and the RLS of time_entries. Submitted, approved and invoiced entries keep their content
-- against the member, a manager and the database owner (update and delete); only the approval
-- functions change their status; rejected entries are editable again and become drafts; a
-- submitted or approved week takes no new time, not even a part split into it. Then RLS command
-- by command for the owner, a manager, members, another agency's owner and an anonymous visitor,
-- allowed and denied; writing someone else's time is a 42501, never a rule message about them.
begin;
select plan(74);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t27.test', 'Olga Owner');
select tests.create_user('manager@t27.test', 'Mona Manager');
select tests.create_user('mia@t27.test', 'Mia Member');
select tests.create_user('max@t27.test', 'Max Member');
select tests.create_user('bench@t27.test', 'Bea Bench');
select tests.create_user('outsider@t27.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t27.test', 'Agency A t27')),
  ('b', tests.create_agency('outsider@t27.test', 'Agency B t27'));
select tests.add_member(tests.id('a'), 'manager@t27.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t27.test', 'member');
select tests.add_member(tests.id('a'), 'max@t27.test', 'member');
select tests.add_member(tests.id('a'), 'bench@t27.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Site is managed by Mona (on its team); Mia, Max and the owner are on it, Bea is not.
select tests.authenticate_as('manager@t27.test');
insert into public.projects (agency_id, client_id, name, currency, status) values (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active');
select tests.authenticate_as('outsider@t27.test');
insert into public.projects (agency_id, client_id, name, currency, status) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD', 'active');
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));
insert into public.project_members (agency_id, project_id, user_id)
select tests.id('a'), tests.id('site'), tests.user_id(email)
from (values ('mia@t27.test'), ('max@t27.test'), ('owner@t27.test')) as u (email);

-- Thursday 2031-09-25. Mia's weeks: 1 Sep rejected, 8 Sep approved, 15 Sep submitted, 22 Sep open.
select tests.freeze_time('2031-09-25 12:00:00+00');

-- Logs time as the caller on a project (by label): a date and a duration, or a start and an end.
create function pg_temp.log(p_project text, p_description text, p_date date, p_seconds integer)
returns setof public.time_entries
language sql
as $$
  select * from public.log_time(tests.id(case when p_project = 'bravo' then 'b' else 'a' end), tests.id(p_project), null,
                                p_description, null, null, null, p_date, p_seconds);
$$;
create function pg_temp.log(p_project text, p_description text, p_started timestamptz, p_ended timestamptz)
returns setof public.time_entries
language sql
as $$
  select * from public.log_time(tests.id(case when p_project = 'bravo' then 'b' else 'a' end), tests.id(p_project), null,
                                p_description, null, p_started, p_ended);
$$;

select tests.authenticate_as('mia@t27.test');
select pg_temp.log('site', 'rejected-1', '2031-09-02'::date, 3600);
select pg_temp.log('site', 'rejected-2', '2031-09-02'::date, 1800);
select pg_temp.log('site', 'rejected-timed', '2031-09-03 09:00+00'::timestamptz, '2031-09-03 10:00+00');
select pg_temp.log('site', 'approved-1', '2031-09-09'::date, 3600);
select pg_temp.log('site', 'approved-timed', '2031-09-10 09:00+00'::timestamptz, '2031-09-10 10:00+00');
select pg_temp.log('site', 'submitted-1', '2031-09-16'::date, 3600);
select pg_temp.log('site', 'submitted-timed', '2031-09-17 09:00+00'::timestamptz, '2031-09-17 10:00+00');
select pg_temp.log('site', 'draft-1', '2031-09-23'::date, 3600);
select pg_temp.log('site', 'draft-timed', '2031-09-23 09:00+00'::timestamptz, '2031-09-23 10:00+00');
select pg_temp.log('site', 'invoiced-1', '2031-09-22'::date, 3600);
select public.submit_timesheet(tests.id('a'), '2031-09-01');
select public.submit_timesheet(tests.id('a'), '2031-09-08');
select public.submit_timesheet(tests.id('a'), '2031-09-15');
select tests.authenticate_as('max@t27.test');
select pg_temp.log('site', 'max-1', '2031-09-23 09:00+00'::timestamptz, '2031-09-23 10:00+00');
select tests.authenticate_as('manager@t27.test');
select pg_temp.log('site', 'mona-1', '2031-09-23'::date, 3600);
select public.decide_timesheet(id, false, 'Please split the design work by task.')
from public.timesheets where week_start = '2031-09-01' and user_id = tests.user_id('mia@t27.test');
select public.decide_timesheet(id, true)
from public.timesheets where week_start = '2031-09-08' and user_id = tests.user_id('mia@t27.test');
select tests.authenticate_as('owner@t27.test');
select pg_temp.log('site', 'olga-1', '2031-09-23'::date, 3600);
select tests.authenticate_as('outsider@t27.test');
select pg_temp.log('bravo', 'otto-1', '2031-09-23 09:00+00'::timestamptz, '2031-09-23 10:00+00');
-- A manager drafts an invoice of the 22nd's time (invoiced-1 alone), which links it to its line.
select tests.authenticate_as('manager@t27.test');
select public.create_invoice(tests.id('a'), tests.id('site'), p_period_from => '2031-09-22', p_period_to => '2031-09-22');
select tests.reset_role();
insert into tests.labels (label, id) select 'e:' || description, id from public.time_entries where agency_id in (tests.id('a'), tests.id('b'));

-- ============================================================================================
-- Rule 6: locked entries keep their content
-- ============================================================================================
select results_eq(
  $$ select description, status::text, invoice_id is not null from public.time_entries
     where user_id = tests.user_id('mia@t27.test') order by entry_date, description $$,
  $$ values ('rejected-1', 'rejected', false), ('rejected-2', 'rejected', false), ('rejected-timed', 'rejected', false),
            ('approved-1', 'approved', false), ('approved-timed', 'approved', false),
            ('submitted-1', 'submitted', false), ('submitted-timed', 'submitted', false),
            ('invoiced-1', 'draft', true), ('draft-1', 'draft', false), ('draft-timed', 'draft', false) $$,
  'the arrangement: the functions alone moved each week''s entries to rejected, approved or submitted'
);

select tests.authenticate_as('mia@t27.test');
select is(tests.error_of(format($$ update public.time_entries set description = 'better' where id = %L $$, tests.id('e:submitted-1'))),
  'P0001 entry_locked', 'a member cannot change the description of a submitted entry');
select is(
  tests.error_of(format($$ update public.time_entries set ended_at = '2031-09-17 11:00+00' where id = %L $$, tests.id('e:submitted-timed'))),
  'P0001 entry_locked', 'nor its times');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:submitted-1'))),
  'P0001 entry_locked', 'nor delete it');
select is(tests.error_of(format($$ update public.time_entries set is_billable = false where id = %L $$, tests.id('e:approved-1'))),
  'P0001 entry_locked', 'nor change an approved entry');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:approved-timed'))),
  'P0001 entry_locked', 'nor delete one');
select is(tests.error_of(format($$ update public.time_entries set duration_seconds = 1800 where id = %L $$, tests.id('e:invoiced-1'))),
  'P0001 entry_locked', 'nor change an invoiced entry');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:invoiced-1'))),
  'P0001 entry_locked', 'nor delete one');

select tests.authenticate_as('manager@t27.test');
select is_empty(format($$ update public.time_entries set description = 'fixed by Mona' where id in (%L, %L) returning id $$,
                       tests.id('e:submitted-1'), tests.id('e:approved-1')),
  'a manager changes nothing of a member''s submitted or approved entries: managers decide, they never edit');
select is_empty(format($$ delete from public.time_entries where id in (%L, %L) returning id $$, tests.id('e:submitted-1'), tests.id('e:approved-1')),
  'nor deletes them');

select tests.reset_role();
select is(tests.error_of(format($$ update public.time_entries set description = 'owner edit' where id = %L $$, tests.id('e:submitted-1'))),
  'P0001 entry_locked', 'the database owner cannot change a submitted entry either');
select is(
  tests.error_of(format($$ update public.time_entries set user_id = %L where id = %L $$, tests.user_id('max@t27.test'), tests.id('e:approved-timed'))),
  'P0001 entry_locked', 'nor hand an approved entry to someone else');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:approved-1'))),
  'P0001 entry_locked', 'nor delete an approved entry');
select is(tests.error_of(format($$ update public.time_entries set billable_rate_cents = 1 where id = %L $$, tests.id('e:invoiced-1'))),
  'P0001 entry_locked', 'nor change the rate an invoiced entry was billed at');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:invoiced-1'))),
  'P0001 entry_locked', 'nor delete an invoiced entry');
select results_eq(
  $$ select description, is_billable, duration_seconds, user_id, billable_rate_cents from public.time_entries
     where description in ('submitted-1', 'submitted-timed', 'approved-1', 'approved-timed', 'invoiced-1') order by description $$,
  $$ select description, true, 3600, tests.user_id('mia@t27.test'), 0
     from unnest(array['approved-1', 'approved-timed', 'invoiced-1', 'submitted-1', 'submitted-timed']) as d (description) $$,
  'all five locked entries are as they were'
);

-- Rejected entries are the member's to correct; a correction makes a draft again.
select tests.authenticate_as('mia@t27.test');
select results_eq(
  format($$ update public.time_entries set description = 'rejected-1, by task' where id = %L returning status::text $$, tests.id('e:rejected-1')),
  $$ values ('draft') $$, 'a member corrects the description of a rejected entry, which becomes a draft');
select results_eq(
  format($$ update public.time_entries set started_at = '2031-09-03 08:30+00' where id = %L returning status::text, duration_seconds $$,
         tests.id('e:rejected-timed')),
  $$ values ('draft', 5400) $$, 'and its times, likewise');
select results_eq(format($$ delete from public.time_entries where id = %L returning description $$, tests.id('e:rejected-2')),
  $$ values ('rejected-2') $$, 'and may delete a rejected entry');
select lives_ok($$ select pg_temp.log('site', 'rejected-week-new', '2031-09-04'::date, 600) $$,
  'a returned week takes new time');

-- Locked weeks take no new time.
select is(tests.error_of($$ select pg_temp.log('site', 'into-submitted', '2031-09-18'::date, 600) $$),
  'P0001 entry_locked', 'a submitted week takes no new entry');
select throws_ok($$ select pg_temp.log('site', 'into-approved', '2031-09-11 14:00+00'::timestamptz, '2031-09-11 15:00+00') $$,
  'P0001', 'the week of 8 Sep 2031 is approved and takes no changes', 'nor does an approved week, and the message says which');
select is(tests.error_of($$ select pg_temp.log('site', 'tail-into-approved', '2031-09-07 22:00+00'::timestamptz, '2031-09-08 01:00+00') $$),
  'P0001 entry_locked', 'an entry of an open Sunday whose part after midnight lands in an approved week is refused');
select is((select count(*)::int from public.time_entries where description = 'tail-into-approved'), 0,
  'and neither of its parts is stored');
select is(tests.error_of(format($$ update public.time_entries set entry_date = '2031-09-16' where id = %L $$, tests.id('e:draft-1'))),
  'P0001 entry_locked', 'a draft cannot be moved into a submitted week');

-- ============================================================================================
-- RLS: select
-- ============================================================================================
select tests.authenticate_as('owner@t27.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.time_entries $$,
  $$ values (13, 0) $$, 'the owner reads every entry of the agency, and none of another');
select tests.authenticate_as('manager@t27.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.time_entries $$,
  $$ values (13, 0) $$, 'a manager reads every entry of the agency too');
select tests.authenticate_as('mia@t27.test');
select results_eq($$ select count(*)::int, count(*) filter (where user_id <> tests.user_id('mia@t27.test'))::int from public.time_entries $$,
  $$ values (10, 0) $$, 'a member reads her own entries and nobody else''s');
select tests.authenticate_as('max@t27.test');
select results_eq($$ select description from public.time_entries $$, $$ values ('max-1') $$,
  'another member reads only his own');
select tests.authenticate_as('bench@t27.test');
select is_empty($$ select id from public.time_entries $$, 'a member without time reads none');
select tests.authenticate_as('outsider@t27.test');
select results_eq($$ select description from public.time_entries $$, $$ values ('otto-1') $$,
  'the owner of another agency reads only their own agency''s');
select tests.clear_authentication();
select throws_ok($$ select id from public.time_entries $$, '42501', null, 'an anonymous visitor reads nothing');

-- ============================================================================================
-- RLS: insert
-- ============================================================================================
select tests.authenticate_as('mia@t27.test');
select lives_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
            values (%L, %L, %L, 'mia-direct', '2031-09-24', 600) $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site')),
  'a member inserts her own time directly');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, started_at, ended_at)
                          values (%L, %L, %L, 'for-max', '2031-09-23 09:30+00', '2031-09-23 10:30+00') $$,
                        tests.id('a'), tests.user_id('max@t27.test'), tests.id('site'))),
  '42501 -', 'she cannot insert time for another member: 42501, not the overlap with his entry that the rules would name');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
                          values (%L, %L, %L, 'for-bea', '2031-09-24', 600) $$, tests.id('a'), tests.user_id('bench@t27.test'), tests.id('site'))),
  '42501 -', 'nor for a colleague off the team: 42501, not "not on the project''s team"');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
                          values (%L, %L, %L, 'into-b', '2031-09-24', 600) $$, tests.id('b'), tests.user_id('mia@t27.test'), tests.id('bravo'))),
  '42501 -', 'nor into another agency, with her own id: 42501, not a rule message about its project');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds, billable_rate_cents)
            values (%L, %L, %L, '2031-09-24', 600, 99999) $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site')),
  '42501', null, 'nor name her own rate');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds, status)
            values (%L, %L, %L, '2031-09-24', 600, 'approved') $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site')),
  '42501', null, 'nor insert an approved entry');
select tests.authenticate_as('manager@t27.test');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
                          values (%L, %L, %L, 'mona-for-mia', '2031-09-24', 600) $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site'))),
  '42501 -', 'a manager cannot insert time for a member');
select lives_ok($$ select pg_temp.log('site', 'mona-2', '2031-09-24'::date, 600) $$, 'but tracks her own');
select tests.authenticate_as('owner@t27.test');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
                          values (%L, %L, %L, 'olga-for-mia', '2031-09-24', 600) $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site'))),
  '42501 -', 'the owner cannot insert time for a member either');
select lives_ok($$ select pg_temp.log('site', 'olga-2', '2031-09-24'::date, 600) $$, 'but tracks her own on a team she is on');
select tests.authenticate_as('outsider@t27.test');
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds)
                          values (%L, %L, %L, 'otto-in-a', '2031-09-24', 600) $$, tests.id('a'), tests.user_id('outsider@t27.test'), tests.id('site'))),
  '42501 -', 'the owner of another agency cannot insert time into this one');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds)
            values (%L, %L, %L, '2031-09-24', 600) $$, tests.id('a'), tests.user_id('mia@t27.test'), tests.id('site')),
  '42501', null, 'an anonymous visitor cannot insert time');
select tests.reset_role();
select is((select count(*)::int from public.time_entries where description in ('for-max', 'for-bea', 'into-b', 'mona-for-mia', 'olga-for-mia', 'otto-in-a')),
  0, 'none of the refused entries exists');

-- ============================================================================================
-- RLS: update
-- ============================================================================================
select tests.authenticate_as('mia@t27.test');
select results_eq(format($$ update public.time_entries set description = 'draft-1, edited' where id = %L returning description $$, tests.id('e:draft-1')),
  $$ values ('draft-1, edited') $$, 'a member changes her own draft');
select is_empty(format($$ update public.time_entries set description = 'mia was here' where id = %L returning id $$, tests.id('e:max-1')),
  'but not another member''s entry');
select throws_ok(format($$ update public.time_entries set status = 'approved' where id = %L $$, tests.id('e:draft-1')), '42501', null,
  'nor the status of her own');
select throws_ok(format($$ update public.time_entries set billable_rate_cents = 99999 where id = %L $$, tests.id('e:draft-1')), '42501', null,
  'nor its rate');
select throws_ok(format($$ update public.time_entries set invoice_id = null where id = %L $$, tests.id('e:invoiced-1')), '42501', null,
  'nor its invoice link');
select throws_ok(format($$ update public.time_entries set user_id = %L where id = %L $$, tests.user_id('max@t27.test'), tests.id('e:draft-1')),
  '42501', null, 'nor whose it is');
select tests.authenticate_as('manager@t27.test');
select is_empty(format($$ update public.time_entries set description = 'mona was here' where id = %L returning id $$, tests.id('e:draft-1')),
  'a manager cannot change a member''s draft');
select results_eq(format($$ update public.time_entries set description = 'mona-1, edited' where id = %L returning description $$, tests.id('e:mona-1')),
  $$ values ('mona-1, edited') $$, 'but changes her own');
select tests.authenticate_as('owner@t27.test');
select is_empty(format($$ update public.time_entries set description = 'olga was here' where id = %L returning id $$, tests.id('e:draft-1')),
  'the owner cannot change a member''s entry');
select results_eq(format($$ update public.time_entries set description = 'olga-1, edited' where id = %L returning description $$, tests.id('e:olga-1')),
  $$ values ('olga-1, edited') $$, 'but changes her own');
select tests.authenticate_as('outsider@t27.test');
select is_empty(format($$ update public.time_entries set description = 'otto was here' where id = %L returning id $$, tests.id('e:draft-1')),
  'the owner of another agency changes nothing here');
select tests.clear_authentication();
select throws_ok(format($$ update public.time_entries set description = 'anon' where id = %L $$, tests.id('e:draft-1')), '42501', null,
  'an anonymous visitor cannot update time');
select tests.reset_role();
select results_eq(
  $$ select description from public.time_entries where id in (tests.id('e:draft-1'), tests.id('e:max-1')) order by description $$,
  $$ values ('draft-1, edited'), ('max-1') $$,
  'only the member''s own change landed'
);

-- ============================================================================================
-- RLS: delete
-- ============================================================================================
select tests.authenticate_as('max@t27.test');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:draft-timed')),
  'a member cannot delete another member''s entry');
select tests.authenticate_as('manager@t27.test');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:draft-timed')),
  'nor can a manager');
select tests.authenticate_as('owner@t27.test');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:draft-timed')),
  'nor the owner');
select tests.authenticate_as('outsider@t27.test');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:draft-timed')),
  'nor another agency''s owner');
select tests.clear_authentication();
select throws_ok(format($$ delete from public.time_entries where id = %L $$, tests.id('e:draft-timed')), '42501', null,
  'nor an anonymous visitor');
select tests.authenticate_as('mia@t27.test');
select results_eq(format($$ delete from public.time_entries where id = %L returning description $$, tests.id('e:draft-timed')),
  $$ values ('draft-timed') $$, 'the member deletes her own draft');
select tests.authenticate_as('manager@t27.test');
select results_eq(format($$ delete from public.time_entries where id = %L returning description $$, tests.id('e:mona-1')),
  $$ values ('mona-1, edited') $$, 'a manager deletes her own');
select tests.authenticate_as('owner@t27.test');
select results_eq(format($$ delete from public.time_entries where id = %L returning description $$, tests.id('e:olga-1')),
  $$ values ('olga-1, edited') $$, 'and the owner hers');
select tests.reset_role();
select is((select count(*)::int from public.time_entries where id in (tests.id('e:draft-timed'), tests.id('e:mona-1'), tests.id('e:olga-1'))), 0,
  'the three own deletions happened');

-- ============================================================================================
-- Review findings: status only along the approval path, no forged split tails, real dates only,
-- an owner's own week goes to another owner
-- ============================================================================================
select throws_ok(format($$ update public.time_entries set status = 'draft' where id = %L $$, tests.id('e:approved-1')),
  'P0001', 'an entry goes from approved to draft only by submitting or deciding its week',
  'not even the database owner turns an approved entry back into an editable draft');
select throws_ok(format($$ update public.time_entries set status = 'approved' where id = %L $$, tests.id('e:draft-1')),
  'P0001', 'an entry goes from draft to approved only by submitting or deciding its week',
  'nor approves a draft without its week');

select tests.authenticate_as('mia@t27.test');
select pg_temp.log('site', 'late night', '2031-09-24 22:00+00'::timestamptz, '2031-09-25 02:00+00');
select set_config('app.split_tails',
  jsonb_build_object((select id from public.time_entries where description = 'late night' order by started_at desc limit 1)::text,
                     '2031-09-25 07:00+00')::text, true);
update public.time_entries set description = 'late night, noted' where description = 'late night';
select results_eq($$ select count(*)::int from public.time_entries where description like 'late night%' $$, $$ values (2) $$,
  'a session setting cannot make the split trigger insert time of its choosing');
select is(tests.error_of($$ select public.log_time(tests.id('a'), tests.id('site'), null, 'forever', null, null, null, '-infinity', 3600) $$),
  'P0001 invalid_range', 'an infinite date is refused');
select is(tests.error_of($$ select public.log_time(tests.id('a'), tests.id('site'), null, 'forever', null, '-infinity', '2031-09-20 10:00+00') $$),
  'P0001 invalid_range', 'and so is an infinite start');

select tests.reset_role();
select tests.create_user('co-owner@t27.test', 'Cora Coowner');
select tests.add_member(tests.id('a'), 'co-owner@t27.test', 'owner');
select tests.authenticate_as('owner@t27.test');
select pg_temp.log('site', 'olga-week', '2031-09-17'::date, 3600);
select public.submit_timesheet(tests.id('a'), '2031-09-15');
select is(
  tests.error_of($$ select public.decide_timesheet(id, true) from public.timesheets where user_id = (select auth.uid()) and week_start = '2031-09-15' $$),
  '42501 cannot_decide_timesheet', 'with another owner in the agency, an owner does not approve her own week');
select tests.authenticate_as('co-owner@t27.test');
select results_eq(
  $$ select (public.decide_timesheet(id, true)).status::text from public.timesheets
     where user_id = tests.user_id('owner@t27.test') and week_start = '2031-09-15' $$,
  $$ values ('approved') $$, 'the other owner does');

select * from finish();
rollback;
