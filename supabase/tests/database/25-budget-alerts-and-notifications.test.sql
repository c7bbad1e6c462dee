-- Budget alerts fire once per crossing of 80 % and 100 % (money and hours apart): an alert row, one
-- notification and one queued email per recipient; falling back below clears them so the next
-- crossing alerts again; budget changes count as much as time changes. Who the recipients are,
-- and the RLS of notifications (read and mark your own) and of project_budget_alerts (read only).
begin;
select plan(60);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('ba-owner@a25.test', 'Olive Owner');
select tests.create_user('ba-owner2@a25.test', 'Oscar Owner');
select tests.create_user('ba-manager@a25.test', 'Mona Manager');
select tests.create_user('ba-manager2@a25.test', 'Milo Manager');
select tests.create_user('ba-manager3@a25.test', 'Mae Manager');
select tests.create_user('ba-member@a25.test', 'Mia Member');
select tests.create_user('ba-former@a25.test', 'Fay Former');
select tests.create_user('ba-outsider@b25.test', 'Otto Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('ba-owner@a25.test', 'Agency Twenty-Five')),
  ('b', tests.create_agency('ba-outsider@b25.test', 'Other Twenty-Five'));
select tests.add_member(tests.id('a'), 'ba-owner2@a25.test', 'owner');
select tests.add_member(tests.id('a'), 'ba-manager@a25.test', 'manager');
select tests.add_member(tests.id('a'), 'ba-manager2@a25.test', 'manager');
select tests.add_member(tests.id('a'), 'ba-manager3@a25.test', 'manager');
select tests.add_member(tests.id('a'), 'ba-member@a25.test', 'member');
select tests.add_member(tests.id('a'), 'ba-former@a25.test', 'manager');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Client A25'), (tests.id('b'), 'Client B25')
  returning case when agency_id = tests.id('a') then 'client:a' else 'client:b' end as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Time is logged at 10.00/h throughout: an hour is 1000 cents.
with p as (
  insert into public.projects (agency_id, client_id, name, currency, budget_cents, budget_hours, manager_id) values
    (tests.id('a'), tests.id('client:a'), 'Apollo', 'USD', 10000, null, tests.user_id('ba-manager@a25.test')),
    (tests.id('a'), tests.id('client:a'), 'Borealis', 'USD', 1000, null, null),
    (tests.id('a'), tests.id('client:a'), 'Cosmos', 'USD', null, 0, tests.user_id('ba-manager@a25.test')),
    (tests.id('a'), tests.id('client:a'), 'Delta', 'USD', 1000, null, tests.user_id('ba-member@a25.test')),
    (tests.id('a'), tests.id('client:a'), 'Echo', 'USD', 1000, null, tests.user_id('ba-former@a25.test')),
    (tests.id('a'), tests.id('client:a'), 'Fathom', 'USD', 1, null, tests.user_id('ba-manager@a25.test')),
    (tests.id('b'), tests.id('client:b'), 'Zenith', 'USD', 1000, null, null)
  returning lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from p;
-- Apollo: its manager, another manager and a member on the team. Borealis: only a member, nobody
-- manages it. Echo: its named manager is deactivated; a manager is on the team. The member who
-- logs the time is on every team she logs on (Cosmos, Echo too), as is Zenith's owner on Zenith:
-- only the team tracks time on a project.
insert into public.project_members (agency_id, project_id, user_id) values
  (tests.id('a'), tests.id('apollo'), tests.user_id('ba-manager2@a25.test')),
  (tests.id('a'), tests.id('apollo'), tests.user_id('ba-member@a25.test')),
  (tests.id('a'), tests.id('borealis'), tests.user_id('ba-member@a25.test')),
  (tests.id('a'), tests.id('echo'), tests.user_id('ba-manager2@a25.test')),
  (tests.id('a'), tests.id('cosmos'), tests.user_id('ba-member@a25.test')),
  (tests.id('a'), tests.id('echo'), tests.user_id('ba-member@a25.test')),
  (tests.id('b'), tests.id('zenith'), tests.user_id('ba-outsider@b25.test'));
update public.agency_members set is_active = false where user_id = tests.user_id('ba-former@a25.test');

-- Time is logged on Monday 2031-03-10; the clock stands after it (no time on a day after today).
select tests.freeze_time('2031-03-12 12:00:00+00');

-- Alerts, all alerts, notifications and emails of a project, as the test runner sees them.
create function pg_temp.tally(p_project_id uuid)
returns table (open_alerts int, alerts int, notifications int, emails int)
language sql
as $$
  select (select count(*)::int from public.project_budget_alerts where project_id = p_project_id and cleared_at is null),
         (select count(*)::int from public.project_budget_alerts where project_id = p_project_id),
         (select count(*)::int from public.notifications where data ->> 'project_id' = p_project_id::text),
         (select count(*)::int from private.email_outbox
          where template = 'budget_alert' and data ->> 'project_path' = '/projects/' || p_project_id);
$$;

-- Logs p_seconds for the member at 10.00/h (billable unless told) and labels the entry.
create function pg_temp.log(p_label text, p_project text, p_seconds integer, p_billable boolean default true)
returns void
language sql
as $$
  insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds, is_billable, billable_rate_cents)
  select p.agency_id, case when p.agency_id = tests.id('a') then tests.user_id('ba-member@a25.test')
                           else tests.user_id('ba-outsider@b25.test') end,
         p.id, p_label, '2031-03-10', p_seconds, p_billable, 1000
  from public.projects p where p.id = tests.id(p_project);
  insert into tests.labels (label, id) select 'e:' || p_label, e.id from public.time_entries e where e.description = p_label;
$$;

-- ============================================================================================
-- Crossing 80 %
-- ============================================================================================
select pg_temp.log('seven-hours', 'apollo', 25200);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (0, 0, 0, 0) $$,
  'at 70 % of the money budget there is no alert, notification or email');

select pg_temp.log('eighth-hour', 'apollo', 3600);
select results_eq(
  $$ select metric, threshold, percent_used, cleared_at from public.project_budget_alerts where project_id = tests.id('apollo') $$,
  $$ values ('money', 80::smallint, 80.0, null::timestamptz) $$,
  'reaching exactly 80 % opens one money alert at 80'
);
select results_eq(
  $$ select user_id, kind, title, body, link_path, data ->> 'threshold', read_at from public.notifications
     where data ->> 'project_id' = tests.id('apollo')::text order by user_id = tests.user_id('ba-manager@a25.test') desc $$,
  $$ values
     (tests.user_id('ba-manager@a25.test'), 'budget_alert', 'Apollo has used 80% of its money budget', 'The budget is running low.',
      '/projects/' || tests.id('apollo'), '80', null::timestamptz),
     (tests.user_id('ba-manager2@a25.test'), 'budget_alert', 'Apollo has used 80% of its money budget', 'The budget is running low.',
      '/projects/' || tests.id('apollo'), '80', null::timestamptz) $$,
  'one unread notification each for the project''s manager and the manager on its team; not the member on the team, '
  'not a manager or owner off the team'
);
select results_eq(
  $$ select to_email, agency_id, data ->> 'metric', (data ->> 'threshold')::int, (data ->> 'percent_used')::numeric,
            data ->> 'project_name', data ->> 'agency_name'
     from private.email_outbox where template = 'budget_alert' and data ->> 'project_path' = '/projects/' || tests.id('apollo')
     order by to_email collate "C" $$,
  $$ values ('ba-manager2@a25.test', tests.id('a'), 'money', 80, 80.0, 'Apollo', 'Agency Twenty-Five'),
            ('ba-manager@a25.test', tests.id('a'), 'money', 80, 80.0, 'Apollo', 'Agency Twenty-Five') $$,
  'and one budget_alert email each, queued in the outbox with the project, metric, threshold and branding'
);

-- ============================================================================================
-- Once per crossing
-- ============================================================================================
select pg_temp.log('ninth-hour', 'apollo', 3600);
select pg_temp.log('almost', 'apollo', 3500); -- 972.2 cents: 9972 in all, 99.72 %
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (1, 1, 2, 2) $$,
  'more time above 80 % and below 100 % adds no alert, notification or email');
update public.time_entries set description = 'almost there' where id = tests.id('e:almost');
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (1, 1, 2, 2) $$,
  'nor does changing an entry without changing the figures');

select pg_temp.log('last-bit', 'apollo', 101); -- 28.06 cents: exactly 10000
select results_eq(
  $$ select metric, threshold, percent_used from public.project_budget_alerts
     where project_id = tests.id('apollo') and cleared_at is null order by threshold $$,
  $$ values ('money', 80::smallint, 80.0), ('money', 100::smallint, 100.0) $$,
  'reaching exactly 100 % opens the 100 alert beside the open 80 one'
);
select results_eq(
  $$ select user_id, body from public.notifications where data ->> 'project_id' = tests.id('apollo')::text
     and data ->> 'threshold' = '100' order by user_id = tests.user_id('ba-manager@a25.test') desc $$,
  $$ values (tests.user_id('ba-manager@a25.test'), 'The budget is used up.'),
            (tests.user_id('ba-manager2@a25.test'), 'The budget is used up.') $$,
  'each recipient gets one notification saying the budget is used up'
);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (2, 2, 4, 4) $$,
  'and one more email each');

-- ============================================================================================
-- Falling below clears; the next crossing alerts again
-- ============================================================================================
delete from public.time_entries
where id in (tests.id('e:eighth-hour'), tests.id('e:ninth-hour'), tests.id('e:almost'), tests.id('e:last-bit'));
select results_eq(
  $$ select threshold, cleared_at is not null from public.project_budget_alerts where project_id = tests.id('apollo') order by threshold $$,
  $$ values (80::smallint, true), (100::smallint, true) $$,
  'deleting time to fall back to 70 % clears both alerts'
);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (0, 2, 4, 4) $$,
  'clearing sends nothing');
select pg_temp.log('eighth-again', 'apollo', 3600);
select results_eq(
  $$ select threshold, cleared_at is null from public.project_budget_alerts where project_id = tests.id('apollo') order by threshold, crossed_at $$,
  $$ values (80::smallint, false), (80::smallint, true), (100::smallint, false) $$,
  'crossing 80 % again opens a new 80 alert'
);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (1, 3, 6, 6) $$,
  'with one notification and one email per recipient, once');

-- ============================================================================================
-- Budget changes
-- ============================================================================================
select tests.authenticate_as('ba-manager@a25.test');
update public.projects set budget_cents = 20000 where id = tests.id('apollo');
select tests.reset_role();
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (0, 3, 6, 6) $$,
  'raising the budget (8000 of 20000 is 40 %) clears the open alert and sends nothing');

select tests.authenticate_as('ba-manager@a25.test');
update public.projects set budget_cents = 9000 where id = tests.id('apollo');
select tests.reset_role();
select results_eq(
  $$ select metric, threshold, percent_used from public.project_budget_alerts where project_id = tests.id('apollo') and cleared_at is null $$,
  $$ values ('money', 80::smallint, 88.9) $$,
  'lowering it below what was spent (8000 of 9000) opens the 80 alert at 88.9 %'
);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (1, 4, 8, 8) $$,
  'and notifies and emails each recipient once');

-- ============================================================================================
-- Hours alert on their own
-- ============================================================================================
select tests.authenticate_as('ba-manager@a25.test');
update public.projects set budget_hours = 10 where id = tests.id('apollo');
select tests.reset_role();
select results_eq(
  $$ select metric, threshold, percent_used from public.project_budget_alerts
     where project_id = tests.id('apollo') and cleared_at is null order by metric, threshold $$,
  $$ values ('hours', 80::smallint, 80.0), ('money', 80::smallint, 88.9) $$,
  'an hours budget of 10 with 8 hours tracked opens an hours alert at 80, and the money alert stays as it was'
);
select is(
  (select title from public.notifications
   where user_id = tests.user_id('ba-manager@a25.test') and data ->> 'project_id' = tests.id('apollo')::text
     and data ->> 'metric' = 'hours'),
  'Apollo has used 80% of its hours budget',
  'the hours notification says which budget'
);
select pg_temp.log('unbilled', 'apollo', 7200, false);
select results_eq(
  $$ select metric, threshold, percent_used from public.project_budget_alerts
     where project_id = tests.id('apollo') and cleared_at is null order by metric, threshold $$,
  $$ values ('hours', 80::smallint, 80.0), ('hours', 100::smallint, 100.0), ('money', 80::smallint, 88.9) $$,
  'two unbilled hours reach 100 % of the hours budget and leave money alone'
);
select results_eq($$ select * from pg_temp.tally(tests.id('apollo')) $$, $$ values (3, 6, 12, 12) $$,
  'each hours alert notified and emailed each recipient once');
update public.time_entries set project_id = tests.id('cosmos') where id = tests.id('e:unbilled');
select results_eq(
  $$ select metric, threshold from public.project_budget_alerts
     where project_id = tests.id('apollo') and cleared_at is null order by metric, threshold $$,
  $$ values ('hours', 80::smallint), ('money', 80::smallint) $$,
  'moving that entry to another project re-evaluates the one it left: the hours 100 alert clears'
);

-- ============================================================================================
-- No budget, no alert
-- ============================================================================================
-- A hundred hours, as ten days of ten (no stored part may exceed 12 hours, nor a day 24).
insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds, is_billable, billable_rate_cents)
select tests.id('a'), tests.user_id('ba-member@a25.test'), tests.id('cosmos'), 'hundred-hours-' || d, '2031-02-01'::date + d, 36000, true, 1000
from generate_series(0, 9) as d;
select results_eq($$ select * from pg_temp.tally(tests.id('cosmos')) $$, $$ values (0, 0, 0, 0) $$,
  'a project without a money budget and with a zero hours budget never alerts, however much time it takes');

-- ============================================================================================
-- Recipients
-- ============================================================================================
select pg_temp.log('borealis-80', 'borealis', 2880);
select results_eq(
  $$ select user_id from public.notifications where data ->> 'project_id' = tests.id('borealis')::text order by 1 $$,
  $$ select user_id from public.agency_members where agency_id = tests.id('a') and role = 'owner' order by 1 $$,
  'nobody manages Borealis: each owner gets the notification (and the member on its team does not)'
);
select results_eq(
  $$ select to_email from private.email_outbox where data ->> 'project_path' = '/projects/' || tests.id('borealis') order by 1 $$,
  $$ values ('ba-owner2@a25.test'), ('ba-owner@a25.test') $$,
  'and each owner gets the email'
);
select pg_temp.log('delta-80', 'delta', 2880);
select results_eq(
  $$ select user_id from public.notifications where data ->> 'project_id' = tests.id('delta')::text order by 1 $$,
  $$ select user_id from public.agency_members where agency_id = tests.id('a') and role = 'owner' order by 1 $$,
  'a member named as a project''s manager is told nothing about its money (owners are, as nobody else manages it)'
);
select pg_temp.log('echo-80', 'echo', 2880);
select results_eq(
  $$ select user_id from public.notifications where data ->> 'project_id' = tests.id('echo')::text $$,
  $$ values (tests.user_id('ba-manager2@a25.test')) $$,
  'a deactivated project manager gets nothing; the manager on the team does, and the owners do not'
);
select pg_temp.log('zenith-100', 'zenith', 3600);
select results_eq(
  $$ select agency_id, user_id, data ->> 'threshold' from public.notifications
     where data ->> 'project_id' = tests.id('zenith')::text order by (data ->> 'threshold')::int $$,
  $$ values (tests.id('b'), tests.user_id('ba-outsider@b25.test'), '80'), (tests.id('b'), tests.user_id('ba-outsider@b25.test'), '100') $$,
  'jumping past both thresholds at once alerts at 80 and at 100, to the other agency''s owner'
);

-- A one-cent budget overrun by an hour at the highest rate is 10 000 000 000 %: absurd, but the
-- time must still be recorded.
select lives_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds, billable_rate_cents)
            values (%L, %L, %L, '2031-03-10', 3600, 100000000) $$,
         tests.id('a'), tests.user_id('ba-manager@a25.test'), tests.id('fathom')),
  'an absurd overrun of a tiny budget still records the time'
);
select results_eq($$ select threshold from public.project_budget_alerts where project_id = tests.id('fathom') order by 1 $$,
  $$ values (80::smallint), (100::smallint) $$, 'and alerts');
select results_eq(
  $$ select a.percent_used, (n.data ->> 'percent_used')::numeric, n.title
     from public.project_budget_alerts a
     join public.notifications n on n.data ->> 'project_id' = a.project_id::text and (n.data ->> 'threshold')::int = a.threshold
     where a.project_id = tests.id('fathom') and a.threshold = 100 $$,
  $$ values (9999999.9, 10000000000.0, 'Fathom has used 10000000000% of its money budget') $$,
  'the alert row keeps the most its column holds; the notification tells the true figure'
);

-- ============================================================================================
-- Once per crossing is a constraint
-- ============================================================================================
select throws_ok(
  format($$ insert into public.project_budget_alerts (agency_id, project_id, metric, threshold, percent_used)
            values (%L, %L, 'money', 80, 95) $$, tests.id('a'), tests.id('apollo')),
  '23505', null, 'a second open alert for the same project, metric and threshold is rejected by the unique index'
);
select lives_ok(
  format($$ insert into public.project_budget_alerts (agency_id, project_id, metric, threshold, percent_used, cleared_at)
            values (%L, %L, 'money', 80, 95, now()) $$, tests.id('a'), tests.id('apollo')),
  'a cleared one is history and may repeat'
);
select lives_ok(
  format($$ insert into public.project_budget_alerts (agency_id, project_id, metric, threshold, percent_used)
            values (%L, %L, 'money', 100, 95) $$, tests.id('a'), tests.id('apollo')),
  'the index is per threshold: an open 100 alert may sit beside the open 80 one'
);

-- ============================================================================================
-- notifications RLS
-- ============================================================================================
select tests.authenticate_as('ba-manager@a25.test');
select results_eq(
  $$ select count(*)::int, count(*) filter (where user_id <> tests.user_id('ba-manager@a25.test'))::int from public.notifications $$,
  $$ values (8, 0) $$, 'a manager reads their eight notifications (six of Apollo, two of Fathom) and nobody else''s');
select lives_ok(
  $$ update public.notifications set read_at = now() where data ->> 'threshold' = '100' and data ->> 'project_id' = tests.id('apollo')::text $$,
  'they mark their own notifications read');
select is_empty(
  format($$ update public.notifications set read_at = now() where user_id = %L returning id $$, tests.user_id('ba-manager2@a25.test')),
  'but cannot mark another person''s');
select throws_ok($$ update public.notifications set title = 'Nothing to see' $$, '42501', null,
  'they cannot change a notification''s title');
select throws_ok(format($$ update public.notifications set user_id = %L $$, tests.user_id('ba-manager2@a25.test')), '42501', null,
  'nor pass it to someone else');
select throws_ok(
  format($$ insert into public.notifications (agency_id, user_id, kind, title) values (%L, %L, 'budget_alert', 'Fake') $$,
         tests.id('a'), tests.user_id('ba-manager@a25.test')),
  '42501', null, 'they cannot create notifications');
select throws_ok($$ delete from public.notifications $$, '42501', null, 'nor delete them');
select tests.reset_role();
select results_eq(
  $$ select user_id, count(*) filter (where read_at is not null)::int from public.notifications
     where data ->> 'project_id' = tests.id('apollo')::text group by user_id order by user_id = tests.user_id('ba-manager@a25.test') desc $$,
  $$ values (tests.user_id('ba-manager@a25.test'), 2), (tests.user_id('ba-manager2@a25.test'), 0) $$,
  'only the manager''s own two Apollo 100 % notifications were marked read'
);
select is((select count(*)::int from public.notifications where title = 'Nothing to see' or title = 'Fake'), 0,
  'and no title was changed or notification added');

select tests.authenticate_as('ba-owner@a25.test');
select results_eq(
  $$ select count(*)::int, count(*) filter (where user_id <> tests.user_id('ba-owner@a25.test'))::int from public.notifications $$,
  $$ values (2, 0) $$, 'an owner reads only their own notifications, not their managers''');
select tests.authenticate_as('ba-member@a25.test');
select is_empty($$ select id from public.notifications $$, 'a member with no notifications reads none');
select tests.authenticate_as('ba-manager3@a25.test');
select is_empty($$ select id from public.notifications $$, 'nor does a manager off every team');
select tests.authenticate_as('ba-outsider@b25.test');
select results_eq($$ select agency_id, count(*)::int from public.notifications group by agency_id $$,
  $$ values (tests.id('b'), 2) $$, 'the other agency''s owner reads only their own two');
select is_empty($$ update public.notifications set read_at = now() where agency_id = tests.id('a') returning id $$,
  'and cannot mark anything of the first agency read');
select tests.clear_authentication();
select throws_ok($$ select id from public.notifications $$, '42501', null, 'an anonymous visitor cannot read notifications');
select throws_ok($$ update public.notifications set read_at = now() $$, '42501', null, 'nor mark them read');

-- ============================================================================================
-- project_budget_alerts RLS
-- ============================================================================================
select tests.reset_role();
select is((select count(*)::int from public.project_budget_alerts where agency_id = tests.id('a')), 13,
  'the first agency has thirteen alert rows, open and cleared');
select tests.authenticate_as('ba-owner@a25.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.project_budget_alerts $$,
  $$ values (13, 0) $$, 'the owner reads all thirteen, and none of another agency');
select tests.authenticate_as('ba-manager3@a25.test');
select is((select count(*)::int from public.project_budget_alerts), 13, 'a manager reads them all, on a team or not');
select tests.authenticate_as('ba-member@a25.test');
select is_empty($$ select id from public.project_budget_alerts $$, 'a member reads no alert, even of their own projects');
select tests.authenticate_as('ba-outsider@b25.test');
select results_eq($$ select project_id, threshold from public.project_budget_alerts order by threshold $$,
  $$ values (tests.id('zenith'), 80::smallint), (tests.id('zenith'), 100::smallint) $$,
  'the other agency''s owner reads only their own alerts');
select tests.clear_authentication();
select throws_ok($$ select id from public.project_budget_alerts $$, '42501', null, 'an anonymous visitor cannot read alerts');

select tests.authenticate_as('ba-owner@a25.test');
select throws_ok(
  format($$ insert into public.project_budget_alerts (agency_id, project_id, metric, threshold, percent_used)
            values (%L, %L, 'hours', 100, 100) $$, tests.id('a'), tests.id('borealis')),
  '42501', null, 'the owner cannot write an alert');
select throws_ok($$ update public.project_budget_alerts set cleared_at = now() $$, '42501', null,
  'nor clear one by hand');
select throws_ok($$ delete from public.project_budget_alerts $$, '42501', null, 'nor delete one');
select tests.authenticate_as('ba-manager@a25.test');
select throws_ok($$ update public.project_budget_alerts set cleared_at = now() $$, '42501', null,
  'a manager cannot clear an alert by hand either');
select tests.reset_role();
select is((select count(*)::int from public.project_budget_alerts where agency_id = tests.id('a') and cleared_at is null), 8,
  'the open alerts are as the rules left them');

select * from finish();
rollback;
