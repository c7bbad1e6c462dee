-- Budget figures are derived from time entries, never stored: time_entries RLS (who reads which
-- entries; nobody writes someone else's), public.project_budgets (money rounded half-up per entry, billable only; hours of every
-- entry; money hidden from members), public.project_weekly_burn (zero-filled weeks under a frozen
-- clock) and public.project_hours_by_member, and who gets which rows.
begin;
select plan(48);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('pb-owner@a24.test', 'Olga Owner');
select tests.create_user('pb-manager@a24.test', 'Mona Manager');
select tests.create_user('pb-member@a24.test', 'Mia Member');
select tests.create_user('pb-member2@a24.test', 'Max Member');
select tests.create_user('pb-bystander@a24.test', 'Ben Bystander');
select tests.create_user('pb-former@a24.test', 'Fay Former');
select tests.create_user('pb-outsider@b24.test', 'Otto Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('pb-owner@a24.test', 'Agency Twenty-Four')),
  ('b', tests.create_agency('pb-outsider@b24.test', 'Other Twenty-Four'));
select tests.add_member(tests.id('a'), 'pb-manager@a24.test', 'manager');
select tests.add_member(tests.id('a'), 'pb-member@a24.test', 'member');
select tests.add_member(tests.id('a'), 'pb-member2@a24.test', 'member');
select tests.add_member(tests.id('a'), 'pb-bystander@a24.test', 'member');
select tests.add_member(tests.id('a'), 'pb-former@a24.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Client A24'), (tests.id('b'), 'Client B24')
  returning case when agency_id = tests.id('a') then 'client:a' else 'client:b' end as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- p1: both budgets; p2: none; p3: zero budgets; pb: another agency's.
with p as (
  insert into public.projects (agency_id, client_id, name, currency, budget_cents, budget_hours, manager_id) values
    (tests.id('a'), tests.id('client:a'), 'Budgeted', 'USD', 10000, 10, tests.user_id('pb-manager@a24.test')),
    (tests.id('a'), tests.id('client:a'), 'Unbudgeted', 'USD', null, null, tests.user_id('pb-manager@a24.test')),
    (tests.id('a'), tests.id('client:a'), 'Zero budget', 'USD', 0, 0, tests.user_id('pb-manager@a24.test')),
    (tests.id('b'), tests.id('client:b'), 'Theirs', 'USD', 5000, 5, null)
  returning case name when 'Budgeted' then 'p1' when 'Unbudgeted' then 'p2' when 'Zero budget' then 'p3' else 'pb' end as label, id
)
insert into tests.labels (label, id) select label, id from p;
insert into public.project_members (agency_id, project_id, user_id) values
  (tests.id('a'), tests.id('p1'), tests.user_id('pb-member@a24.test')),
  (tests.id('a'), tests.id('p1'), tests.user_id('pb-member2@a24.test')),
  (tests.id('a'), tests.id('p1'), tests.user_id('pb-former@a24.test')),
  (tests.id('a'), tests.id('p2'), tests.user_id('pb-member@a24.test')),
  (tests.id('b'), tests.id('pb'), tests.user_id('pb-outsider@b24.test'));
update public.agency_members set is_active = false where user_id = tests.user_id('pb-former@a24.test');
-- Agency A keeps Auckland's calendar (UTC+13 in March); agency B keeps UTC.
update public.agencies set timezone = 'Pacific/Auckland' where id = tests.id('a');

-- The clock stands on Wednesday 2031-03-12 (Thursday in Auckland): this week starts Monday 2031-03-10.
-- It is frozen before the entries are made: time may not be logged on a day after today.
select tests.freeze_time('2031-03-12 12:00:00+00');

-- Awkward values, each rounded half-up on its own: 1 s at 17.99/h is 0.4997 cents (0), 1 s at
-- 18.00/h is 0.5 (1), 3601 s at 3.33/h is 333.09 (333), 1800 s at 20.01/h is 1000.5 (1001).
-- Summed first and rounded once they would make 1335, not the 1336 of the invoice lines.
insert into public.time_entries (agency_id, user_id, project_id, description, entry_date, duration_seconds, is_billable, billable_rate_cents) values
  (tests.id('a'), tests.user_id('pb-member@a24.test'), tests.id('p1'), 'mia-1799', '2031-03-10', 1, true, 1799),
  (tests.id('a'), tests.user_id('pb-member@a24.test'), tests.id('p1'), 'mia-1800', '2031-03-10', 1, true, 1800),
  (tests.id('a'), tests.user_id('pb-member2@a24.test'), tests.id('p1'), 'max-1800', '2031-03-12', 1, true, 1800),
  (tests.id('a'), tests.user_id('pb-member2@a24.test'), tests.id('p1'), 'max-333', '2031-03-09', 3601, true, 333),
  (tests.id('a'), tests.user_id('pb-member2@a24.test'), tests.id('p1'), 'max-unbilled', '2031-02-17', 7200, false, 5000),
  (tests.id('a'), tests.user_id('pb-manager@a24.test'), tests.id('p1'), 'mona-2001', '2031-02-23', 1800, true, 2001),
  (tests.id('a'), tests.user_id('pb-manager@a24.test'), tests.id('p1'), 'mona-free', '2031-02-03', 3600, true, 0),
  (tests.id('a'), tests.user_id('pb-member@a24.test'), tests.id('p2'), 'mia-p2', '2031-03-10', 3600, true, 1000),
  (tests.id('a'), tests.user_id('pb-manager@a24.test'), tests.id('p3'), 'mona-p3', '2031-03-11', 1800, true, 1000),
  (tests.id('b'), tests.user_id('pb-outsider@b24.test'), tests.id('pb'), 'otto-pb', '2031-03-10', 3600, true, 1000);
insert into tests.labels (label, id) select 'e:' || description, id from public.time_entries where description <> '';

-- ============================================================================================
-- time_entries RLS (reads here; every command in 27-time-entry-locks-and-rls)
-- ============================================================================================
select tests.authenticate_as('pb-owner@a24.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.time_entries $$,
  $$ values (9, 0) $$, 'the owner reads every time entry of the agency, and none of another');
select tests.authenticate_as('pb-manager@a24.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.time_entries $$,
  $$ values (9, 0) $$, 'a manager reads every time entry of the agency too');
select tests.authenticate_as('pb-member@a24.test');
select results_eq($$ select description from public.time_entries order by description $$,
  $$ values ('mia-1799'), ('mia-1800'), ('mia-p2') $$, 'a member reads only their own entries, on every project');
select tests.authenticate_as('pb-bystander@a24.test');
select is_empty($$ select id from public.time_entries $$, 'a member without entries reads none');
select tests.authenticate_as('pb-outsider@b24.test');
select results_eq($$ select description from public.time_entries $$, $$ values ('otto-pb') $$,
  'the owner of another agency reads only their own agency''s entries');
select tests.clear_authentication();
select throws_ok($$ select id from public.time_entries $$, '42501', null, 'an anonymous visitor cannot read time entries');

-- People write only their own time (the time-tracking rules): nobody here can touch another's.
select tests.authenticate_as('pb-owner@a24.test');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds)
            values (%L, %L, %L, '2031-03-11', 60) $$, tests.id('a'), tests.user_id('pb-manager@a24.test'), tests.id('p1')),
  '42501', null, 'the owner cannot insert a time entry for someone else');
select is_empty(format($$ update public.time_entries set duration_seconds = 60 where id = %L returning id $$, tests.id('e:mona-2001')),
  'the owner cannot update someone else''s time entry');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:mona-2001')),
  'the owner cannot delete someone else''s time entry');
select tests.authenticate_as('pb-member@a24.test');
select throws_ok(
  format($$ insert into public.time_entries (agency_id, user_id, project_id, entry_date, duration_seconds)
            values (%L, %L, %L, '2031-03-11', 60) $$, tests.id('a'), tests.user_id('pb-member2@a24.test'), tests.id('p1')),
  '42501', null, 'a member cannot insert a time entry for another member');
select is_empty(format($$ update public.time_entries set is_billable = false where id = %L returning id $$, tests.id('e:max-333')),
  'a member cannot update another member''s time entry');
select is_empty(format($$ delete from public.time_entries where id = %L returning id $$, tests.id('e:max-333')),
  'a member cannot delete another member''s time entry');
select tests.reset_role();
select is((select count(*)::int from public.time_entries where agency_id = tests.id('a')), 9, 'and all nine entries are still there');

-- ============================================================================================
-- project_budgets
-- ============================================================================================
select is(private.entry_value_cents(1, 1799), 0::bigint, '1 s at 17.99/h is worth 0 cents (0.4997 rounds down)');
select is(private.entry_value_cents(1, 1800), 1::bigint, '1 s at 18.00/h is worth 1 cent (0.5 rounds half-up)');
select is(private.entry_value_cents(3601, 333), 333::bigint, '3601 s at 3.33/h is worth 333 cents');

select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  $$ select project_id, budget_cents, spent_cents, remaining_cents, percent_used,
            budget_hours, spent_hours, remaining_hours, percent_hours_used
     from public.project_budgets() order by budget_cents nulls first $$,
  $$ values
     (tests.id('p2'), null::bigint, 1000::bigint, null::bigint, null::numeric, null::numeric, 1.00, null::numeric, null::numeric),
     (tests.id('p3'), 0::bigint, 500::bigint, -500::bigint, null::numeric, 0.00, 0.50, -0.50, null::numeric),
     (tests.id('p1'), 10000::bigint, 1336::bigint, 8664::bigint, 13.4, 10.00, 4.50, 5.50, 45.0) $$,
  'the owner''s budgets: billable value rounded per entry (1336), all hours (4.50), remaining and percent; '
  'no percent without a budget or with a zero one'
);
select is((select agency_id from public.project_budgets() where project_id = tests.id('p1')), tests.id('a'),
  'each row names its agency');
select tests.authenticate_as('pb-manager@a24.test');
select results_eq(
  $$ select project_id, spent_cents, percent_used, spent_hours from public.project_budgets() order by spent_cents $$,
  $$ values (tests.id('p3'), 500::bigint, null::numeric, 0.50), (tests.id('p2'), 1000::bigint, null::numeric, 1.00),
            (tests.id('p1'), 1336::bigint, 13.4, 4.50) $$,
  'a manager gets the same figures'
);

select tests.authenticate_as('pb-member@a24.test');
select results_eq(
  $$ select project_id, budget_cents, spent_cents, remaining_cents, percent_used,
            budget_hours, spent_hours, remaining_hours, percent_hours_used
     from public.project_budgets() order by spent_hours $$,
  $$ values
     (tests.id('p2'), null::bigint, null::bigint, null::bigint, null::numeric, null::numeric, 1.00, null::numeric, null::numeric),
     (tests.id('p1'), null::bigint, null::bigint, null::bigint, null::numeric, 10.00, 4.50, 5.50, 45.0) $$,
  'a team member gets their projects with everyone''s hours but no money at all (budget, spent, remaining, percent)'
);
select tests.authenticate_as('pb-bystander@a24.test');
select is_empty($$ select * from public.project_budgets() $$, 'a member on no team gets no budget row');
select is_empty(format($$ select * from public.project_budgets(array[%L]::uuid[]) $$, tests.id('p1')),
  'not even when naming the project');
select tests.authenticate_as('pb-former@a24.test');
select is_empty($$ select * from public.project_budgets() $$, 'a deactivated team member gets no budget row');
select tests.authenticate_as('pb-outsider@b24.test');
select results_eq(format($$ select project_id from public.project_budgets(array[%L, %L]::uuid[]) $$, tests.id('p1'), tests.id('pb')),
  $$ values (tests.id('pb')) $$, 'the owner of another agency naming both agencies'' projects gets only their own');
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(format($$ select project_id from public.project_budgets(array[%L, %L]::uuid[]) order by 1 $$, tests.id('p1'), tests.id('pb')),
  $$ values (tests.id('p1')) $$, 'an id list filters the rows, and the other agency''s id is ignored');
select is_empty($$ select * from public.project_budgets(array[]::uuid[]) $$, 'an empty id list gives no rows');
select tests.clear_authentication();
select throws_ok($$ select * from public.project_budgets() $$, '42501', null, 'an anonymous visitor cannot call project_budgets');

-- ============================================================================================
-- project_weekly_burn
-- ============================================================================================
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select week_start, hours, spent_cents from public.project_weekly_burn(%L, 4) $$, tests.id('p1')),
  $$ values ('2031-02-17'::date, 2.50, 1001::bigint), ('2031-02-24'::date, 0.00, 0::bigint),
            ('2031-03-03'::date, 1.00, 333::bigint), ('2031-03-10'::date, 0.00, 2::bigint) $$,
  'four Monday weeks up to this one, the empty week filled with zeros; Sunday time counts in its week, '
  'unbilled time in hours only, older time and other projects not at all'
);
select results_eq(
  format($$ select count(*)::int, min(week_start), max(week_start), sum(hours) from public.project_weekly_burn(%L) $$, tests.id('p1')),
  $$ values (12, '2030-12-23'::date, '2031-03-10'::date, 4.50) $$,
  'twelve weeks by default, which hold every hour of the project'
);
select is((select count(*)::int from public.project_weekly_burn(tests.id('p1'), 0)), 1, 'at least one week');
select is((select count(*)::int from public.project_weekly_burn(tests.id('p1'), 1000)), 104, 'at most 104 weeks');
-- Sunday noon in UTC is already 01:00 on Monday in Auckland: a new week there, not yet in UTC.
select tests.freeze_time('2031-03-09 12:00:00+00');
select results_eq(
  format($$ select week_start, hours, spent_cents from public.project_weekly_burn(%L, 1) $$, tests.id('p1')),
  $$ values ('2031-03-10'::date, 0.00, 2::bigint) $$,
  'weeks follow the agency''s time zone: early Monday in Auckland is the new week there'
);
select tests.authenticate_as('pb-outsider@b24.test');
select results_eq(
  format($$ select week_start, hours, spent_cents from public.project_weekly_burn(%L, 1) $$, tests.id('pb')),
  $$ values ('2031-03-03'::date, 0.00, 0::bigint) $$,
  'while for a UTC agency at the same instant it is still the week before'
);
select tests.freeze_time('2031-03-12 12:00:00+00');
select tests.authenticate_as('pb-manager@a24.test');
select results_eq(
  format($$ select week_start, hours, spent_cents from public.project_weekly_burn(%L, 2) $$, tests.id('p1')),
  $$ values ('2031-03-03'::date, 1.00, 333::bigint), ('2031-03-10'::date, 0.00, 2::bigint) $$,
  'a manager gets money too'
);
select tests.authenticate_as('pb-member@a24.test');
select results_eq(
  format($$ select week_start, hours, spent_cents from public.project_weekly_burn(%L, 4) $$, tests.id('p1')),
  $$ values ('2031-02-17'::date, 2.50, null::bigint), ('2031-02-24'::date, 0.00, null::bigint),
            ('2031-03-03'::date, 1.00, null::bigint), ('2031-03-10'::date, 0.00, null::bigint) $$,
  'a team member gets everyone''s hours per week and no money'
);
select tests.authenticate_as('pb-bystander@a24.test');
select is_empty(format($$ select * from public.project_weekly_burn(%L, 4) $$, tests.id('p1')),
  'a member not on the team gets no weeks at all');
select tests.authenticate_as('pb-outsider@b24.test');
select is_empty(format($$ select * from public.project_weekly_burn(%L, 4) $$, tests.id('p1')),
  'the owner of another agency gets no weeks');
select tests.clear_authentication();
select throws_ok(format($$ select * from public.project_weekly_burn(%L, 4) $$, tests.id('p1')), '42501', null,
  'an anonymous visitor cannot call project_weekly_burn');

-- ============================================================================================
-- project_hours_by_member
-- ============================================================================================
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select user_id, name, hours, billable_hours, spent_cents from public.project_hours_by_member(%L) $$, tests.id('p1')),
  $$ values (tests.user_id('pb-member2@a24.test'), 'Max Member', 3.00, 1.00, 334::bigint),
            (tests.user_id('pb-manager@a24.test'), 'Mona Manager', 1.50, 1.50, 1001::bigint),
            (tests.user_id('pb-member@a24.test'), 'Mia Member', 0.00, 0.00, 1::bigint) $$,
  'the owner gets each person''s hours, billable hours and value, most hours first'
);
select tests.authenticate_as('pb-member@a24.test');
select results_eq(
  format($$ select user_id, hours, billable_hours, spent_cents from public.project_hours_by_member(%L) $$, tests.id('p1')),
  $$ values (tests.user_id('pb-member2@a24.test'), 3.00, 1.00, null::bigint),
            (tests.user_id('pb-manager@a24.test'), 1.50, 1.50, null::bigint),
            (tests.user_id('pb-member@a24.test'), 0.00, 0.00, null::bigint) $$,
  'a team member gets everyone''s hours and no money'
);
select tests.authenticate_as('pb-bystander@a24.test');
select is_empty(format($$ select * from public.project_hours_by_member(%L) $$, tests.id('p1')),
  'a member not on the team gets nothing');
select tests.authenticate_as('pb-outsider@b24.test');
select is_empty(format($$ select * from public.project_hours_by_member(%L) $$, tests.id('p1')),
  'the owner of another agency gets nothing');
select tests.clear_authentication();
select throws_ok(format($$ select * from public.project_hours_by_member(%L) $$, tests.id('p1')), '42501', null,
  'an anonymous visitor cannot call project_hours_by_member');

-- ============================================================================================
-- Never a counter: the figures follow the entries
-- ============================================================================================
select tests.reset_role();
-- 7201 s at 3.33/h is 666.09 cents: 333 more than before, and an hour more.
update public.time_entries set duration_seconds = 7201 where id = tests.id('e:max-333');
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select spent_cents, remaining_cents, percent_used, spent_hours, percent_hours_used
            from public.project_budgets(array[%L]::uuid[]) $$, tests.id('p1')),
  $$ values (1669::bigint, 8331::bigint, 16.7, 5.50, 55.0) $$,
  'changing an entry''s duration changes spent money and hours at once'
);
select tests.reset_role();
update public.time_entries set is_billable = false where id = tests.id('e:mona-2001');
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select spent_cents, spent_hours from public.project_budgets(array[%L]::uuid[]) $$, tests.id('p1')),
  $$ values (668::bigint, 5.50) $$,
  'making an entry unbillable takes its value out of the money and leaves its hours'
);
select tests.reset_role();
delete from public.time_entries where id = tests.id('e:mona-2001');
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select spent_cents, spent_hours from public.project_budgets(array[%L]::uuid[]) $$, tests.id('p1')),
  $$ values (668::bigint, 5.00) $$,
  'deleting the entry takes its hours out'
);
select results_eq(
  format($$ select hours, billable_hours, spent_cents from public.project_hours_by_member(%L)
            where user_id = tests.user_id('pb-manager@a24.test') $$, tests.id('p1')),
  $$ values (1.00, 1.00, 0::bigint) $$,
  'and the per-person report follows'
);
select tests.reset_role();
update public.projects set budget_cents = 668, budget_hours = 20 where id = tests.id('p1');
select tests.authenticate_as('pb-owner@a24.test');
select results_eq(
  format($$ select remaining_cents, percent_used, remaining_hours, percent_hours_used
            from public.project_budgets(array[%L]::uuid[]) $$, tests.id('p1')),
  $$ values (0::bigint, 100.0, 15.00, 25.0) $$,
  'changing the budget changes remaining and percent'
);

select * from finish();
rollback;
