-- Time entry rules 1-5 and 7 under a frozen clock: no future time (a minute of skew, the member's
-- own calendar), at most 12 h per stored part and 24 h per local day, the split at the member's
-- midnight (wall clock, real seconds; DST in both directions and both hemispheres; half-hour and
-- far-east zones), no overlaps (the message names the entry; the exclusion constraint holds even
-- with the triggers off), only open projects of the member's team and their tasks, rate snapshots
-- and apply_current_rates, the project's billable default, and the audit trail.
begin;
select plan(77);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t26.test', 'Olga Owner');
select tests.create_user('manager@t26.test', 'Mona Manager');
select tests.create_user('mia@t26.test', 'Mia Member', 'UTC');
select tests.create_user('nate@t26.test', 'Nate New-York', 'America/New_York');
select tests.create_user('bert@t26.test', 'Bert Berlin', 'Europe/Berlin');
select tests.create_user('sid@t26.test', 'Sid Sydney', 'Australia/Sydney');
select tests.create_user('aroha@t26.test', 'Aroha Auckland', 'Pacific/Auckland');
select tests.create_user('kiran@t26.test', 'Kiran Kolkata', 'Asia/Kolkata');
select tests.create_user('bench@t26.test', 'Bea Bench');
select tests.create_user('outsider@t26.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t26.test', 'Agency A t26')),
  ('b', tests.create_agency('outsider@t26.test', 'Agency B t26'));
select tests.add_member(tests.id('a'), email, role::public.agency_role)
from (values ('manager@t26.test', 'manager'), ('mia@t26.test', 'member'), ('nate@t26.test', 'member'),
             ('bert@t26.test', 'member'), ('sid@t26.test', 'member'), ('aroha@t26.test', 'member'),
             ('kiran@t26.test', 'member'), ('bench@t26.test', 'member')) as m (email, role);

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Projects as their manager creates them (she manages each and is on each team).
select tests.authenticate_as('manager@t26.test');
insert into public.projects (agency_id, client_id, name, currency, status, hourly_rate_cents, time_billable_default) values
  (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active', null, true),
  (tests.id('a'), tests.id('client:acme'), 'Rated', 'USD', 'active', 9000, true),
  (tests.id('a'), tests.id('client:acme'), 'Internal', 'USD', 'active', null, false),
  (tests.id('a'), tests.id('client:acme'), 'Plan', 'USD', 'planning', null, true),
  (tests.id('a'), tests.id('client:acme'), 'Hold', 'USD', 'on_hold', null, true),
  (tests.id('a'), tests.id('client:acme'), 'Done', 'USD', 'completed', null, true),
  (tests.id('a'), tests.id('client:acme'), 'Gone', 'USD', 'archived', null, true),
  (tests.id('a'), tests.id('client:acme'), 'Other', 'USD', 'active', null, true);
select tests.authenticate_as('outsider@t26.test');
insert into public.projects (agency_id, client_id, name, currency, status) values (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD', 'active');
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));

-- Every member but the bench is on every team of agency A.
insert into public.project_members (agency_id, project_id, user_id)
select tests.id('a'), p.id, tests.user_id(u.email)
from public.projects p
cross join (values ('mia@t26.test'), ('nate@t26.test'), ('bert@t26.test'), ('sid@t26.test'), ('aroha@t26.test'),
                   ('kiran@t26.test')) as u (email)
where p.agency_id = tests.id('a');

with t as (
  insert into public.tasks (agency_id, project_id, title) values
    (tests.id('a'), tests.id('site'), 'Design'), (tests.id('a'), tests.id('other'), 'Elsewhere')
  returning 'task:' || lower(title) as label, id
)
insert into tests.labels (label, id) select label, id from t;

-- Rates: agency default 50.00/h; Mia 70.00/h (cost 30.00) and 120.00/h on Site; Kiran 65.00/h (cost 20.00).
update public.agencies set default_hourly_rate_cents = 5000 where id = tests.id('a');
insert into public.member_rates (agency_id, user_id, hourly_rate_cents, cost_rate_cents) values
  (tests.id('a'), tests.user_id('mia@t26.test'), 7000, 3000), (tests.id('a'), tests.user_id('kiran@t26.test'), 6500, 2000)
on conflict (agency_id, user_id) do update set hourly_rate_cents = excluded.hourly_rate_cents, cost_rate_cents = excluded.cost_rate_cents;
update public.project_members set billable_rate_cents = 12000
where project_id = tests.id('site') and user_id = tests.user_id('mia@t26.test');

-- Logs timed work as the caller on a project (by label); answers every stored part.
create function pg_temp.log(p_project text, p_description text, p_started timestamptz, p_ended timestamptz,
                            p_task text default null, p_billable boolean default null)
returns setof public.time_entries
language sql
as $$
  select * from public.log_time(tests.id('a'), tests.id(p_project), tests.id(p_task), p_description, p_billable,
                                p_started, p_ended);
$$;

-- Logs a date and a duration (no times) as the caller.
create function pg_temp.log_manual(p_project text, p_description text, p_date date, p_seconds integer)
returns setof public.time_entries
language sql
as $$
  select * from public.log_time(tests.id('a'), tests.id(p_project), null, p_description, null, null, null, p_date, p_seconds);
$$;

-- How a statement fails: SQLSTATE, hint, message and detail (null when it succeeds).
create function pg_temp.failure(p_sql text)
returns jsonb
language plpgsql
as $$
declare
  v_state text;
  v_hint text;
  v_message text;
  v_detail text;
begin
  execute p_sql;
  return null;
exception when others then
  get stacked diagnostics v_state = returned_sqlstate, v_hint = pg_exception_hint, v_message = message_text,
                          v_detail = pg_exception_detail;
  return jsonb_build_object('state', v_state, 'hint', v_hint, 'message', v_message, 'detail', v_detail);
end;
$$;

-- The rows of a description, as the test runner sees them.
create function pg_temp.parts(p_description text)
returns table (entry_date date, started_at timestamptz, ended_at timestamptz, duration_seconds integer)
language sql
as $$
  select e.entry_date, e.started_at, e.ended_at, e.duration_seconds from public.time_entries e
  where e.description = p_description order by e.started_at nulls first, e.entry_date;
$$;

-- ============================================================================================
-- Rule 1: no future time
-- ============================================================================================
-- Tuesday 2031-06-10 13:00 UTC: already Wednesday 01:00 in Auckland.
select tests.freeze_time('2031-06-10 13:00:00+00');
select tests.authenticate_as('mia@t26.test');
select is(tests.error_of($$ select pg_temp.log('site', 'ends-in-2-min', '2031-06-10 12:00+00', '2031-06-10 13:02+00') $$),
  'P0001 future_entry', 'an entry cannot end more than a minute after now');
select is(tests.error_of($$ select pg_temp.log('site', 'tomorrow', '2031-06-11 09:00+00', '2031-06-11 10:00+00') $$),
  'P0001 future_entry', 'nor lie wholly in the future');
select results_eq(
  $$ select entry_date, started_at, ended_at, duration_seconds
     from pg_temp.log('site', 'skew', '2031-06-10 12:00:00+00', '2031-06-10 13:00:30.75+00') $$,
  $$ values ('2031-06-10'::date, '2031-06-10 12:00:00+00'::timestamptz, '2031-06-10 13:00:30+00'::timestamptz, 3630) $$,
  'ending 30 s after now is clock skew and allowed (stored in whole seconds)'
);
select is(tests.error_of($$ select pg_temp.log_manual('site', 'manual-tomorrow', '2031-06-11', 3600) $$),
  'P0001 future_entry', 'a date-and-duration entry cannot be on a day after today in the member''s zone (UTC: still Tuesday)');
select tests.authenticate_as('aroha@t26.test');
select lives_ok($$ select pg_temp.log_manual('site', 'auckland-wednesday', '2031-06-11', 3600) $$,
  'at the same instant the same date is today for a member in Auckland');
select results_eq(
  $$ select entry_date, time_zone from pg_temp.log('site', 'auckland-midnight', '2031-06-10 12:00+00', '2031-06-10 12:30+00') $$,
  $$ values ('2031-06-11'::date, 'Pacific/Auckland') $$,
  'an entry''s date is its start''s local date in the member''s zone (12:00 UTC is Wednesday midnight there)'
);
select tests.reset_role();
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds)
                          values (%L, %L, %L, '2031-06-11', 60) $$, tests.id('a'), tests.user_id('mia@t26.test'), tests.id('site'))),
  'P0001 future_entry', 'the database owner cannot store future time either');

-- ============================================================================================
-- Rule 2: at most 12 hours per stored part, 24 hours per local day
-- ============================================================================================
select tests.freeze_time('2031-11-20 12:00:00+00');
select tests.authenticate_as('mia@t26.test');
select lives_ok($$ select pg_temp.log('site', 'twelve-hours', '2031-06-02 08:00+00', '2031-06-02 20:00+00') $$,
  'a timed entry of exactly 12 hours is stored');
select is(tests.error_of($$ select pg_temp.log('site', 'twelve-and-a-second', '2031-06-03 06:00:00+00', '2031-06-03 18:00:01+00') $$),
  'P0001 entry_too_long', 'a second more is refused');
select throws_ok($$ select pg_temp.log('site', 'thirteen-hours', '2031-06-03 06:00+00', '2031-06-03 19:00+00') $$,
  'P0001', 'an entry can be at most 12 hours (this one is 13 h 00 min); split it or fix the times',
  'the message says how long the refused entry is');
select lives_ok($$ select pg_temp.log_manual('site', 'manual-twelve', '2031-06-03', 43200) $$,
  'a date-and-duration entry of 12 hours is stored');
select is(tests.error_of($$ select pg_temp.log_manual('site', 'manual-too-long', '2031-06-03', 43201) $$),
  'P0001 entry_too_long', 'a date-and-duration entry of more than 12 hours is refused');
select is(
  tests.error_of(format($$ update public.time_entries set ended_at = '2031-06-02 20:00:01+00' where id = %L $$,
                        (select id from public.time_entries where description = 'twelve-hours'))),
  'P0001 entry_too_long', 'an entry cannot be stretched past 12 hours by a change either');

select pg_temp.log_manual('site', 'day-1', '2031-06-04', 43200);
select pg_temp.log_manual('site', 'day-2', '2031-06-04', 39600);
select lives_ok($$ select pg_temp.log_manual('site', 'day-3', '2031-06-04', 3600) $$,
  'a local date can hold exactly 24 hours');
select is(tests.error_of($$ select pg_temp.log_manual('site', 'day-4', '2031-06-04', 1) $$),
  'P0001 day_over_24h', 'but not a second more');
select is(tests.error_of($$ select pg_temp.log('rated', 'day-timed', '2031-06-04 23:00+00', '2031-06-04 23:30+00') $$),
  'P0001 day_over_24h', 'timed and date-and-duration entries, on any project, count toward the same day');

select pg_temp.log_manual('site', 'next-1', '2031-06-06', 43200);
select pg_temp.log_manual('site', 'next-2', '2031-06-06', 39600);
select throws_ok($$ select pg_temp.log('site', 'tail-too-much', '2031-06-05 22:00+00', '2031-06-06 01:30+00') $$,
  'P0001', 'this would make 24 h 30 min on 6 Jun 2031, more than 24 hours in a day',
  'a part split off at midnight counts toward the next day, which it would take past 24 hours');
select is((select count(*)::int from public.time_entries where description = 'tail-too-much'), 0,
  'and neither part is stored');
select lives_ok($$ select pg_temp.log('site', 'tail-fits', '2031-06-05 22:00+00', '2031-06-06 01:00+00') $$,
  'a tail that makes the next day exactly 24 hours is stored');

-- ============================================================================================
-- Rule 3: split at the member's midnight
-- ============================================================================================
select tests.authenticate_as('kiran@t26.test');
select results_eq(
  $$ select entry_date, started_at, ended_at, duration_seconds, time_zone
     from pg_temp.log('site', 'late-night', '2031-07-01 22:00 Asia/Kolkata', '2031-07-02 02:00 Asia/Kolkata', 'task:design', false) $$,
  $$ values ('2031-07-01'::date, '2031-07-01 16:30+00'::timestamptz, '2031-07-01 18:30+00'::timestamptz, 7200, 'Asia/Kolkata'),
            ('2031-07-02'::date, '2031-07-01 18:30+00'::timestamptz, '2031-07-01 20:30+00'::timestamptz, 7200, 'Asia/Kolkata') $$,
  '22:00-02:00 in Kolkata (UTC+05:30) becomes 22:00-24:00 on day one and 00:00-02:00 on day two, each on its local date'
);
select results_eq(
  $$ select count(distinct split_group_id)::int, count(split_group_id)::int, count(distinct (project_id, task_id, description, is_billable))::int,
            bool_and(project_id = tests.id('site') and task_id = tests.id('task:design') and not is_billable)
     from public.time_entries where description = 'late-night' $$,
  $$ values (1, 2, 1, true) $$,
  'the two parts share one split group, the project, the task, the description and the billable flag'
);
select is(tests.error_of($$ select pg_temp.log('site', 'three-days', '2031-07-03 20:00 Asia/Kolkata', '2031-07-05 04:00 Asia/Kolkata') $$),
  'P0001 entry_too_long', 'a span over three local dates is refused: its middle part is a whole day, more than 12 hours');
select is((select count(*)::int from public.time_entries where description = 'three-days'), 0, 'and none of its parts is stored');
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'fourteen-hours', '2031-07-06 18:00 Asia/Kolkata', '2031-07-07 08:00 Asia/Kolkata') $$,
  $$ values ('2031-07-06'::date, 21600), ('2031-07-07'::date, 28800) $$,
  'the 12-hour limit applies to each stored part: 14 hours across midnight are 6 h and 8 h, both stored'
);
select is(tests.error_of($$ select pg_temp.log('site', 'twenty-hours', '2031-07-08 22:00 Asia/Kolkata', '2031-07-09 18:00 Asia/Kolkata') $$),
  'P0001 entry_too_long', 'while 20 hours across midnight leave an 18-hour part and are refused');

select tests.authenticate_as('aroha@t26.test');
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'auckland-split', '2031-07-10 23:00 Pacific/Auckland', '2031-07-11 01:00 Pacific/Auckland') $$,
  $$ values ('2031-07-10'::date, 3600), ('2031-07-11'::date, 3600) $$,
  'in Auckland (UTC+12) the split is at Auckland''s midnight'
);
select results_eq(
  $$ select entry_date, duration_seconds, split_group_id is null from pg_temp.log('site', 'utc-midnight', '2031-07-12 23:00+00', '2031-07-13 01:00+00') $$,
  $$ values ('2031-07-13'::date, 7200, true) $$,
  'and not at UTC''s: 23:00-01:00 UTC is one unsplit entry on Auckland''s 13 July'
);

select tests.authenticate_as('mia@t26.test');
select pg_temp.log('site', 'stretched', '2031-07-16 20:00+00', '2031-07-16 23:00+00');
update public.time_entries set ended_at = '2031-07-17 01:00+00' where description = 'stretched';
select results_eq(
  $$ select entry_date, duration_seconds, count(*) over (partition by split_group_id)::int from public.time_entries
     where description = 'stretched' order by started_at $$,
  $$ values ('2031-07-16'::date, 14400, 2), ('2031-07-17'::date, 3600, 2) $$,
  'moving an entry''s end past midnight splits it too, into one group'
);
select pg_temp.log('site', 'early start', '2031-07-19 00:00+00', '2031-07-19 02:00+00');
update public.time_entries set started_at = '2031-07-18 23:00+00', ended_at = '2031-07-19 01:00+00' where description = 'early start';
select results_eq(
  $$ select entry_date, duration_seconds from public.time_entries where description = 'early start' order by started_at $$,
  $$ values ('2031-07-18'::date, 3600), ('2031-07-19'::date, 3600) $$,
  'an entry moved to start before midnight and end inside its old time splits without colliding with its old self'
);
select tests.reset_role();
insert into public.time_entries (agency_id, user_id, project_id, description, started_at, ended_at, billable_rate_cents, cost_rate_cents)
values (tests.id('a'), tests.user_id('mia@t26.test'), tests.id('site'), 'imported', '2031-07-14 22:00+00', '2031-07-15 02:00+00', 4321, 1234);
select results_eq(
  $$ select entry_date, billable_rate_cents, cost_rate_cents from public.time_entries where description = 'imported' order by started_at $$,
  $$ values ('2031-07-14'::date, 4321, 1234), ('2031-07-15'::date, 4321, 1234) $$,
  'the database owner''s import is split too, and both parts keep the rates it named'
);

-- ============================================================================================
-- DST: split by the wall clock, measured in real seconds
-- ============================================================================================
select tests.authenticate_as('nate@t26.test');
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'ny-spring', '2031-03-08 22:00 America/New_York', '2031-03-09 04:00 America/New_York') $$,
  $$ values ('2031-03-08'::date, 7200), ('2031-03-09'::date, 10800) $$,
  'New York springs forward on 9 March 2031: 00:00-04:00 on the wall clock is 3 real hours'
);
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'ny-fall', '2031-11-01 22:00 America/New_York', '2031-11-02 04:00 America/New_York') $$,
  $$ values ('2031-11-01'::date, 7200), ('2031-11-02'::date, 18000) $$,
  'it falls back on 2 November 2031: 00:00-04:00 on the wall clock is 5 real hours'
);
select pg_temp.log('site', 'ny-long-day-1', '2031-11-02 04:00 America/New_York', '2031-11-02 16:00 America/New_York');
select lives_ok($$ select pg_temp.log('site', 'ny-long-day-2', '2031-11-02 16:00 America/New_York', '2031-11-02 23:00 America/New_York') $$,
  'the 25-hour day takes 24 hours of time');
select is(tests.error_of($$ select pg_temp.log('site', 'ny-long-day-3', '2031-11-02 23:00 America/New_York', '2031-11-03 00:00 America/New_York') $$),
  'P0001 day_over_24h', 'and not its 25th hour: a day holds at most 24 hours, however long it is');

select tests.authenticate_as('bert@t26.test');
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'berlin-spring', '2031-03-30 00:00 Europe/Berlin', '2031-03-30 12:00 Europe/Berlin') $$,
  $$ values ('2031-03-30'::date, 39600) $$,
  'Berlin springs forward on 30 March 2031: midnight to noon is 11 real hours, and stored'
);
select is(tests.error_of($$ select pg_temp.log('site', 'berlin-fall', '2031-10-26 00:00 Europe/Berlin', '2031-10-26 12:00 Europe/Berlin') $$),
  'P0001 entry_too_long', 'on 26 October 2031 midnight to noon is 13 real hours, and refused');

select tests.authenticate_as('sid@t26.test');
select results_eq(
  $$ select entry_date, started_at, duration_seconds from pg_temp.log('site', 'sydney-april', '2031-04-05 22:00 Australia/Sydney', '2031-04-06 06:00 Australia/Sydney') $$,
  $$ values ('2031-04-05'::date, '2031-04-05 11:00+00'::timestamptz, 7200), ('2031-04-06'::date, '2031-04-05 13:00+00'::timestamptz, 25200) $$,
  'in the southern hemisphere Sydney falls back on 6 April 2031: 00:00-06:00 there is 7 real hours'
);
select results_eq(
  $$ select entry_date, duration_seconds from pg_temp.log('site', 'sydney-october', '2031-10-04 22:00 Australia/Sydney', '2031-10-05 06:00 Australia/Sydney') $$,
  $$ values ('2031-10-04'::date, 7200), ('2031-10-05'::date, 18000) $$,
  'and springs forward on 5 October 2031: 00:00-06:00 is 5 real hours'
);

-- ============================================================================================
-- Rule 4: no overlaps
-- ============================================================================================
select tests.authenticate_as('mia@t26.test');
select pg_temp.log('site', 'overlap-a', '2031-08-04 09:00+00', '2031-08-04 10:00+00');
select tests.reset_role();
insert into tests.labels (label, id) select 'e:' || description, id from public.time_entries where description = 'overlap-a';
select tests.authenticate_as('mia@t26.test');
select is(tests.error_of($$ select pg_temp.log('rated', 'overlap-b', '2031-08-04 09:30+00', '2031-08-04 10:30+00') $$),
  'P0001 overlap', 'an entry overlapping another of the member''s timed entries is refused, on any project');
select is(
  pg_temp.failure($$ select pg_temp.log('rated', 'overlap-b', '2031-08-04 09:30+00', '2031-08-04 10:30+00') $$) ->> 'message',
  'this overlaps your entry on Site from 4 Aug 09:00 to 4 Aug 10:00',
  'the message names the entry in the way: its project and times'
);
select is(
  (pg_temp.failure($$ select pg_temp.log('rated', 'overlap-b', '2031-08-04 09:30+00', '2031-08-04 10:30+00') $$) ->> 'detail')::jsonb,
  jsonb_build_object('conflicting_entry_id', tests.id('e:overlap-a')),
  'and the detail carries its id as JSON'
);
select lives_ok($$ select pg_temp.log('site', 'touch-after', '2031-08-04 10:00+00', '2031-08-04 11:00+00') $$,
  'an entry starting when another ends touches it and is stored');
select lives_ok($$ select pg_temp.log('site', 'touch-before', '2031-08-04 08:00+00', '2031-08-04 09:00+00') $$,
  'as is one ending when another starts');
select is(
  pg_temp.failure($$ select pg_temp.log('site', 'covering', '2031-08-04 07:30+00', '2031-08-04 11:30+00') $$) #>> '{detail}',
  jsonb_build_object('conflicting_entry_id', (select id from public.time_entries where description = 'touch-before'))::text,
  'an entry covering several names the first it collides with'
);
select lives_ok($$ select pg_temp.log_manual('site', 'no-times', '2031-08-04', 3600) $$,
  'a date-and-duration entry never overlaps anything');
select is(
  tests.error_of(format($$ update public.time_entries set started_at = '2031-08-04 09:30+00', ended_at = '2031-08-04 10:30+00' where id = %L $$,
                        (select id from public.time_entries where description = 'touch-after'))),
  'P0001 overlap', 'moving an entry onto another is refused too');
select tests.authenticate_as('kiran@t26.test');
select lives_ok($$ select pg_temp.log('site', 'kiran-same-time', '2031-08-04 09:00+00', '2031-08-04 10:00+00') $$,
  'another member''s entry at the same time is no overlap');

-- With the triggers off, the constraints still hold for the database owner.
select tests.reset_role();
set local session_replication_role = replica;
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, is_billable, started_at, ended_at, entry_date,
                                             duration_seconds, billable_rate_cents, cost_rate_cents, time_zone)
            values (%L, %L, %L, true, '2031-08-04 09:30+00', '2031-08-04 10:30+00', '2031-08-04', 3600, 0, 0, 'UTC') $$,
         tests.id('a'), tests.user_id('mia@t26.test'), tests.id('site')),
  '23P01', null, 'the exclusion constraint refuses an overlap even from the database owner with the triggers bypassed');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, is_billable, started_at, ended_at, entry_date,
                                             duration_seconds, billable_rate_cents, cost_rate_cents, time_zone)
            values (%L, %L, %L, true, '2031-08-05 06:00+00', '2031-08-05 19:00+00', '2031-08-05', 46800, 0, 0, 'UTC') $$,
         tests.id('a'), tests.user_id('mia@t26.test'), tests.id('site')),
  '23514', null, 'a check constraint refuses a part of more than 12 hours the same way');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, is_billable, started_at, ended_at, entry_date,
                                             duration_seconds, billable_rate_cents, cost_rate_cents, time_zone)
            values (%L, %L, %L, true, '2031-08-05 06:00+00', '2031-08-05 07:00+00', '2031-08-05', 60, 0, 0, 'UTC') $$,
         tests.id('a'), tests.user_id('mia@t26.test'), tests.id('site')),
  '23514', null, 'and a duration that is not end minus start');
set local session_replication_role = origin;

-- ============================================================================================
-- Rule 5: open projects of the member's team, tasks of the project
-- ============================================================================================
select tests.authenticate_as('mia@t26.test');
select lives_ok($$ select pg_temp.log_manual('site', 'on-active', '2031-08-05', 600) $$, 'an active project takes time');
select lives_ok($$ select pg_temp.log_manual('plan', 'on-planning', '2031-08-05', 600) $$, 'a project in planning takes time');
select is(tests.error_of($$ select pg_temp.log_manual('hold', 'on-hold', '2031-08-05', 600) $$),
  'P0001 project_not_open', 'a project on hold takes none');
select throws_ok($$ select pg_temp.log_manual('hold', 'on-hold', '2031-08-05', 600) $$,
  'P0001', 'this project is on hold; it takes no time until it is reopened', 'and says so in words');
select is(tests.error_of($$ select pg_temp.log_manual('done', 'on-done', '2031-08-05', 600) $$),
  'P0001 project_not_open', 'nor does a completed project');
select is(tests.error_of($$ select pg_temp.log('gone', 'on-gone', '2031-08-05 12:00+00', '2031-08-05 13:00+00') $$),
  'P0001 project_not_open', 'nor an archived one, timed or not');
select is(
  tests.error_of(format($$ update public.time_entries set project_id = %L where description = 'on-active' $$, tests.id('done'))),
  'P0001 project_not_open', 'an entry cannot be moved onto a closed project');
select is(tests.error_of($$ select pg_temp.log('site', 'wrong-task', '2031-08-05 12:00+00', '2031-08-05 13:00+00', 'task:elsewhere') $$),
  'P0001 task_not_in_project', 'the task must belong to the entry''s project');
select lives_ok($$ select pg_temp.log('site', 'right-task', '2031-08-05 12:00+00', '2031-08-05 13:00+00', 'task:design') $$,
  'a task of the project is fine');
select is(
  tests.error_of(format($$ select public.log_time(%L, %L, null, 'bravo', null, null, null, '2031-08-05', 600) $$, tests.id('a'), tests.id('bravo'))),
  'P0001 not_on_project_team', 'another agency''s project reads as a team the member is not on, and says nothing more');
select tests.authenticate_as('bench@t26.test');
select is(tests.error_of($$ select pg_temp.log_manual('site', 'benched', '2031-08-05', 600) $$),
  'P0001 not_on_project_team', 'a member of the agency off the project''s team cannot track time on it');
select tests.reset_role();
select is(
  tests.error_of(format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds)
                          values (%L, %L, %L, '2031-08-05', 600) $$, tests.id('a'), tests.user_id('bench@t26.test'), tests.id('site'))),
  'P0001 not_on_project_team', 'nor can the database owner put time there for them');

-- ============================================================================================
-- Rate snapshots
-- ============================================================================================
select tests.authenticate_as('mia@t26.test');
select pg_temp.log_manual('site', 'rate-mia-site', '2031-09-01', 3600);
select pg_temp.log_manual('rated', 'rate-mia-rated', '2031-09-01', 3600);
select tests.authenticate_as('kiran@t26.test');
select pg_temp.log_manual('site', 'rate-kiran-site', '2031-09-01', 3600);
select tests.authenticate_as('aroha@t26.test');
select pg_temp.log_manual('site', 'rate-aroha-site', '2031-09-01', 3600);
select tests.reset_role();
select results_eq(
  $$ select description, billable_rate_cents, cost_rate_cents from public.time_entries where description like 'rate-%' order by description $$,
  $$ values ('rate-aroha-site', 5000, 0), ('rate-kiran-site', 6500, 2000), ('rate-mia-rated', 9000, 3000), ('rate-mia-site', 12000, 3000) $$,
  'the billable snapshot takes the member''s rate on the project, else the project''s, else the member''s, else the agency''s; '
  'the cost snapshot is the member''s cost rate or 0'
);

update public.project_members set billable_rate_cents = 15000 where project_id = tests.id('site') and user_id = tests.user_id('mia@t26.test');
update public.projects set hourly_rate_cents = 9500 where id = tests.id('rated');
update public.member_rates set cost_rate_cents = 3500 where user_id = tests.user_id('mia@t26.test');
update public.agencies set default_hourly_rate_cents = 5500 where id = tests.id('a');
select results_eq(
  $$ select description, billable_rate_cents, cost_rate_cents from public.time_entries where description like 'rate-%' order by description $$,
  $$ values ('rate-aroha-site', 5000, 0), ('rate-kiran-site', 6500, 2000), ('rate-mia-rated', 9000, 3000), ('rate-mia-site', 12000, 3000) $$,
  'changing any rate later rewrites no snapshot'
);
select tests.authenticate_as('mia@t26.test');
select results_eq($$ select billable_rate_cents, cost_rate_cents from pg_temp.log_manual('site', 'rate-mia-site-new', '2031-09-02', 3600) $$,
  $$ values (15000, 3500) $$, 'new time takes the new rates');
-- Invoicing takes Mia's hour on Rated (the only time on it that day) onto a draft invoice's line.
select tests.authenticate_as('manager@t26.test');
select public.create_invoice(tests.id('a'), tests.id('rated'), p_period_from => '2031-09-01', p_period_to => '2031-09-01');

select tests.authenticate_as('mia@t26.test');
select throws_ok(format($$ select public.apply_current_rates(%L) $$, tests.id('site')), '42501', null,
  'a member cannot apply current rates');
select tests.authenticate_as('manager@t26.test');
select is(public.apply_current_rates(tests.id('site'), '2031-09-01', '2031-09-07'), 2,
  'a manager applies current rates to a project''s entries in a date range: two snapshots were out of date');
select is(public.apply_current_rates(tests.id('rated'), '2031-09-01', '2031-09-07'), 0,
  'an invoiced entry is not unbilled, and keeps its rates');
select tests.reset_role();
select results_eq(
  $$ select description, billable_rate_cents, cost_rate_cents from public.time_entries where description like 'rate-%' order by description $$,
  $$ values ('rate-aroha-site', 5500, 0), ('rate-kiran-site', 6500, 2000), ('rate-mia-rated', 9000, 3000),
            ('rate-mia-site', 15000, 3500), ('rate-mia-site-new', 15000, 3500) $$,
  'the unbilled entries of the range now carry the current rates; the invoiced one does not'
);
select is((select billable_rate_cents from public.time_entries where description = 'on-active'), 12000,
  'entries outside the range keep their snapshot');
select results_eq(
  $$ select l.actor_id, l.reason, l.old_values ->> 'billable_rate_cents', l.new_values ->> 'billable_rate_cents'
     from public.audit_log l join public.time_entries e on l.row_id = e.id::text
     where l.table_name = 'time_entries' and l.action = 'update' and e.description in ('rate-mia-site', 'rate-aroha-site')
     order by e.description $$,
  format($$ values (%1$L::uuid, 'current rates applied to unbilled time', '5000', '5500'),
                   (%1$L::uuid, 'current rates applied to unbilled time', '12000', '15000') $$, tests.user_id('manager@t26.test')),
  'each rewritten snapshot is in the audit log, with the manager, the reason and the old and new rate'
);

-- ============================================================================================
-- The billable default comes from the project
-- ============================================================================================
select tests.authenticate_as('mia@t26.test');
select is((select is_billable from pg_temp.log_manual('internal', 'internal-default', '2031-09-03', 600)), false,
  'time on a project whose time is not billable by default is not billable unless the member says so');
select is((select is_billable from public.log_time(tests.id('a'), tests.id('internal'), null, 'internal-said', true, null, null, '2031-09-03', 600)),
  true, 'when the member says it is billable, it is');
select is((select is_billable from pg_temp.log_manual('site', 'site-default', '2031-09-03', 600)), true,
  'time on a project billable by default is billable');

-- ============================================================================================
-- Rule 7: every insert, update and delete is audited
-- ============================================================================================
select pg_temp.log_manual('site', 'audit-me', '2031-09-04', 3600);
select tests.reset_role();
insert into tests.labels (label, id) select 'e:' || description, id from public.time_entries where description = 'audit-me';
select tests.authenticate_as('mia@t26.test');
update public.time_entries set description = 'audit-me, changed' where id = tests.id('e:audit-me');
delete from public.time_entries where id = tests.id('e:audit-me');
select tests.reset_role();
select results_eq(
  $$ select action, actor_id, actor_role, old_values ->> 'description', new_values ->> 'description', new_values ->> 'duration_seconds'
     from public.audit_log where table_name = 'time_entries' and row_id = tests.id('e:audit-me')::text order by id $$,
  format($$ values ('insert', %1$L::uuid, 'authenticated', null, 'audit-me', '3600'),
                   ('update', %1$L::uuid, 'authenticated', 'audit-me', 'audit-me, changed', '3600'),
                   ('delete', %1$L::uuid, 'authenticated', 'audit-me, changed', null, null) $$, tests.user_id('mia@t26.test')),
  'the insert, the update and the delete of an entry are in the audit log with who did it and the old and new values'
);
select is((select agency_id from public.audit_log where table_name = 'time_entries' and row_id = tests.id('e:audit-me')::text limit 1),
  tests.id('a'), 'under the entry''s agency');
select is(
  (select count(*)::int from public.audit_log l join public.time_entries e on l.row_id = e.id::text
   where l.table_name = 'time_entries' and l.action = 'insert' and e.description = 'late-night'),
  2, 'both parts of a split entry are audited as inserts');

select * from finish();
rollback;
