-- RLS and privileges on public.member_rates: owners and managers see and set every rate of their
-- agency; members see only their own row and never change it.
begin;
select plan(33);

select tests.create_user('owner@t06.test', 'Ola Owner');
select tests.create_user('manager@t06.test', 'Mats Manager');
select tests.create_user('member@t06.test', 'Meg Member');
select tests.create_user('colleague@t06.test', 'Cal Colleague');
select tests.create_user('former@t06.test', 'Fay Former');
select tests.create_user('b-owner@t06.test', 'Bo Owner');
select tests.create_user('stranger@t06.test', 'Sid Stranger');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t06.test', 'Agency A t06')),
  ('b', tests.create_agency('b-owner@t06.test', 'Agency B t06'));

-- ============================================================================================
-- A rates row comes with every membership
-- ============================================================================================
select is_empty(
  format($$ select 1 from public.member_rates where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  'before joining, the member has no rates row in A'
);
select tests.add_member(tests.id('a'), 'manager@t06.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t06.test', 'member');
select tests.add_member(tests.id('a'), 'colleague@t06.test', 'member');
select tests.add_member(tests.id('a'), 'former@t06.test', 'manager');
select results_eq(
  format($$ select hourly_rate_cents, cost_rate_cents from public.member_rates where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  $$ values (null::integer, null::integer) $$,
  'joining creates the member''s rates row, empty (the agency default applies)'
);
select set_eq(
  format($$ select user_id from public.member_rates where agency_id = %L $$, tests.id('a')),
  array[tests.user_id('owner@t06.test'), tests.user_id('manager@t06.test'), tests.user_id('member@t06.test'),
        tests.user_id('colleague@t06.test'), tests.user_id('former@t06.test')],
  'every membership of A, the owner''s included, has exactly one rates row'
);

update public.agency_members set is_active = false
where agency_id = tests.id('a') and user_id = tests.user_id('former@t06.test');
update public.member_rates set hourly_rate_cents = 10000, cost_rate_cents = 5000
where agency_id = tests.id('a');

-- ============================================================================================
-- Select
-- ============================================================================================
select tests.authenticate_as('owner@t06.test');
select set_eq(
  $$ select user_id from public.member_rates $$,
  array[tests.user_id('owner@t06.test'), tests.user_id('manager@t06.test'), tests.user_id('member@t06.test'),
        tests.user_id('colleague@t06.test'), tests.user_id('former@t06.test')],
  'the owner reads every rate of A'
);
select tests.authenticate_as('manager@t06.test');
select set_eq(
  $$ select user_id from public.member_rates $$,
  array[tests.user_id('owner@t06.test'), tests.user_id('manager@t06.test'), tests.user_id('member@t06.test'),
        tests.user_id('colleague@t06.test'), tests.user_id('former@t06.test')],
  'a manager reads every rate of A'
);
select tests.authenticate_as('member@t06.test');
select set_eq(
  $$ select user_id from public.member_rates $$,
  array[tests.user_id('member@t06.test')],
  'a member reads their own rates'
);
select is_empty(
  format($$ select user_id from public.member_rates where user_id <> %L $$, tests.user_id('member@t06.test')),
  'a member reads nobody else''s rates'
);
select tests.authenticate_as('former@t06.test');
select is_empty($$ select user_id from public.member_rates $$, 'a deactivated manager reads no rates, not even their own');
select tests.authenticate_as('b-owner@t06.test');
select is_empty(
  format($$ select user_id from public.member_rates where agency_id = %L $$, tests.id('a')),
  'the owner of B reads none of A''s rates'
);
select isnt_empty(
  format($$ select user_id from public.member_rates where agency_id = %L $$, tests.id('b')),
  'the owner of B does read B''s rates'
);
select tests.authenticate_as('stranger@t06.test');
select is_empty($$ select user_id from public.member_rates $$, 'a signed-in user without a membership reads no rates');
select tests.clear_authentication();
select throws_ok($$ select user_id from public.member_rates $$, '42501', null, 'an anonymous visitor may not read rates');

-- ============================================================================================
-- Update
-- ============================================================================================
select tests.authenticate_as('manager@t06.test');
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = 12500, cost_rate_cents = 6000
            where agency_id = %L and user_id = %L $$, tests.id('a'), tests.user_id('member@t06.test')),
  'a manager sets a member''s rates'
);
select tests.authenticate_as('owner@t06.test');
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = 15000, cost_rate_cents = 7000
            where agency_id = %L and user_id = %L $$, tests.id('a'), tests.user_id('manager@t06.test')),
  'the owner sets a manager''s rates'
);
select tests.reset_role();
select set_eq(
  format($$ select user_id, hourly_rate_cents, cost_rate_cents from public.member_rates
            where agency_id = %L and user_id in (%L, %L) $$,
         tests.id('a'), tests.user_id('member@t06.test'), tests.user_id('manager@t06.test')),
  format($$ values (%L::uuid, 12500, 6000), (%L::uuid, 15000, 7000) $$,
         tests.user_id('member@t06.test'), tests.user_id('manager@t06.test')),
  'the rates set by the manager and the owner are stored'
);

select tests.authenticate_as('member@t06.test');
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = 99900 where agency_id = %L $$, tests.id('a')),
  'a member''s update of rates is not an error (row level security filters it)'
);
select tests.authenticate_as('former@t06.test');
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = 99900 where agency_id = %L $$, tests.id('a')),
  'a deactivated manager''s update of rates is not an error'
);
select tests.authenticate_as('b-owner@t06.test');
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = 99900 where agency_id = %L $$, tests.id('a')),
  'the owner of B updating A''s rates is not an error'
);
select tests.reset_role();
select is_empty(
  format($$ select user_id from public.member_rates where agency_id = %L and hourly_rate_cents = 99900 $$, tests.id('a')),
  'no rate of A was changed by the member, the deactivated manager or the owner of B'
);

select tests.clear_authentication();
select throws_ok(
  format($$ update public.member_rates set hourly_rate_cents = 1 where agency_id = %L $$, tests.id('a')),
  '42501', null, 'an anonymous visitor may not update rates'
);

select tests.authenticate_as('manager@t06.test');
select throws_ok(
  format($$ update public.member_rates set user_id = %L where agency_id = %L and user_id = %L $$,
         tests.user_id('colleague@t06.test'), tests.id('a'), tests.user_id('member@t06.test')),
  '42501', null, 'a manager cannot move a rates row to another person (no privilege on user_id)'
);
select throws_ok(
  format($$ update public.member_rates set hourly_rate_cents = -1 where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  '23514', null, 'a negative hourly rate is rejected'
);
select throws_ok(
  format($$ update public.member_rates set cost_rate_cents = -1 where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  '23514', null, 'a negative cost rate is rejected'
);
select lives_ok(
  format($$ update public.member_rates set hourly_rate_cents = null where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  'a manager clears a rate back to the agency default'
);

-- ============================================================================================
-- Insert and delete: rows live and die with the membership
-- ============================================================================================
select tests.authenticate_as('owner@t06.test');
select throws_ok(
  format($$ insert into public.member_rates (agency_id, user_id, hourly_rate_cents) values (%L, %L, 1) $$,
         tests.id('a'), tests.user_id('stranger@t06.test')),
  '42501', null, 'the owner cannot insert a rates row'
);
select throws_ok(
  format($$ delete from public.member_rates where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  '42501', null, 'the owner cannot delete a rates row'
);
select tests.authenticate_as('manager@t06.test');
select throws_ok(
  format($$ insert into public.member_rates (agency_id, user_id, hourly_rate_cents) values (%L, %L, 1) $$,
         tests.id('a'), tests.user_id('stranger@t06.test')),
  '42501', null, 'a manager cannot insert a rates row'
);
select throws_ok(
  format($$ delete from public.member_rates where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  '42501', null, 'a manager cannot delete a rates row'
);
select tests.authenticate_as('member@t06.test');
select throws_ok(
  format($$ insert into public.member_rates (agency_id, user_id, hourly_rate_cents) values (%L, %L, 1) $$,
         tests.id('b'), tests.user_id('member@t06.test')),
  '42501', null, 'a member cannot insert a rates row'
);
select throws_ok(
  format($$ delete from public.member_rates where agency_id = %L and user_id = %L $$,
         tests.id('a'), tests.user_id('member@t06.test')),
  '42501', null, 'a member cannot delete their own rates row'
);
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.member_rates (agency_id, user_id, hourly_rate_cents) values (%L, %L, 1) $$,
         tests.id('a'), tests.user_id('stranger@t06.test')),
  '42501', null, 'an anonymous visitor cannot insert a rates row'
);
select throws_ok(
  format($$ delete from public.member_rates where agency_id = %L $$, tests.id('a')),
  '42501', null, 'an anonymous visitor cannot delete rates'
);
select tests.reset_role();
select is(
  (select count(*)::int from public.member_rates where agency_id = tests.id('a')),
  5,
  'A still has exactly one rates row per membership'
);

select * from finish();
rollback;
