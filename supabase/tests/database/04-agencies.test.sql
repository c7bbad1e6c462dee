-- RLS and privileges on public.agencies for every command and every kind of caller. Creating an
-- agency through public.create_agency() is covered in 01-create-agency.
begin;
select plan(38);

select tests.create_user('owner@t04.test', 'Olga Owner');
select tests.create_user('manager@t04.test', 'Max Manager');
select tests.create_user('member@t04.test', 'Mia Member');
select tests.create_user('former@t04.test', 'Fred Former');
select tests.create_user('b-owner@t04.test', 'Bea Owner');
select tests.create_user('b-member@t04.test', 'Ben Member');
select tests.create_user('stranger@t04.test', 'Sam Stranger');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t04.test', 'Agency A t04')),
  ('b', tests.create_agency('b-owner@t04.test', 'Agency B t04'));
select tests.add_member(tests.id('a'), 'manager@t04.test', 'manager');
select tests.add_member(tests.id('a'), 'member@t04.test', 'member');
-- A former manager: the role must not matter once the membership is deactivated.
select tests.add_member(tests.id('a'), 'former@t04.test', 'manager');
update public.agency_members set is_active = false
where agency_id = tests.id('a') and user_id = tests.user_id('former@t04.test');
select tests.add_member(tests.id('b'), 'b-member@t04.test', 'member');

-- ============================================================================================
-- Select
-- ============================================================================================
select tests.authenticate_as('owner@t04.test');
select set_eq($$ select id from public.agencies $$, array[tests.id('a')], 'the owner of A sees agency A and nothing else');

select tests.authenticate_as('manager@t04.test');
select set_eq($$ select id from public.agencies $$, array[tests.id('a')], 'a manager of A sees agency A and nothing else');

select tests.authenticate_as('member@t04.test');
select set_eq($$ select id from public.agencies $$, array[tests.id('a')], 'a member of A sees agency A and nothing else');

select tests.authenticate_as('b-member@t04.test');
select set_eq($$ select id from public.agencies $$, array[tests.id('b')], 'a member of B sees agency B and nothing else');

select tests.authenticate_as('former@t04.test');
select is_empty($$ select id from public.agencies $$, 'a deactivated member of A sees no agency at all');

select tests.authenticate_as('stranger@t04.test');
select is_empty($$ select id from public.agencies $$, 'a signed-in user without a membership sees no agency');

select tests.clear_authentication();
select throws_ok($$ select id from public.agencies $$, '42501', null, 'an anonymous visitor may not read agencies at all');

select tests.authenticate_as_service_role();
select set_eq(
  $$ select id from public.agencies where name like 'Agency _ t04' $$,
  array[tests.id('a'), tests.id('b')],
  'service_role sees every agency'
);

-- ============================================================================================
-- Update: settings
-- ============================================================================================
select tests.authenticate_as('owner@t04.test');
select lives_ok(
  format($$ update public.agencies
            set name = 'Agency A by owner', brand_color = '#112233', currency = 'EUR', timezone = 'Europe/Paris',
                default_tax_rate_bp = 2000, invoice_prefix = 'A-', payment_terms_days = 14
            where id = %L $$, tests.id('a')),
  'the owner updates the agency settings'
);
select tests.reset_role();
select results_eq(
  format($$ select name, brand_color, currency, timezone, default_tax_rate_bp, invoice_prefix, payment_terms_days
            from public.agencies where id = %L $$, tests.id('a')),
  $$ values ('Agency A by owner', '#112233', 'EUR', 'Europe/Paris', 2000, 'A-', 14) $$,
  'the owner''s settings are stored'
);

select tests.authenticate_as('manager@t04.test');
select lives_ok(
  format($$ update public.agencies
            set name = 'Agency A by manager', brand_color = '#abcdef', currency = 'GBP', timezone = 'Europe/London',
                default_tax_rate_bp = 1750, invoice_prefix = 'AM/', payment_terms_days = 45
            where id = %L $$, tests.id('a')),
  'a manager updates the agency settings'
);
select tests.reset_role();
select results_eq(
  format($$ select name, brand_color, currency, timezone, default_tax_rate_bp, invoice_prefix, payment_terms_days
            from public.agencies where id = %L $$, tests.id('a')),
  $$ values ('Agency A by manager', '#abcdef', 'GBP', 'Europe/London', 1750, 'AM/', 45) $$,
  'the manager''s settings are stored'
);

select tests.authenticate_as('member@t04.test');
select lives_ok(
  format($$ update public.agencies set name = 'Agency A by member', payment_terms_days = 1 where id = %L $$, tests.id('a')),
  'a member''s update of the agency is not an error (row level security filters it)'
);
select tests.reset_role();
select results_eq(
  format($$ select name, payment_terms_days from public.agencies where id = %L $$, tests.id('a')),
  $$ values ('Agency A by manager', 45) $$,
  'a member''s update changed nothing'
);

select tests.authenticate_as('former@t04.test');
select lives_ok(
  format($$ update public.agencies set name = 'Agency A by former manager' where id = %L $$, tests.id('a')),
  'a deactivated manager''s update is not an error'
);
select tests.authenticate_as('b-owner@t04.test');
select lives_ok(
  format($$ update public.agencies set name = 'Agency A by owner of B' where id = %L $$, tests.id('a')),
  'the owner of B updating agency A is not an error'
);
select tests.reset_role();
select is(
  (select name from public.agencies where id = tests.id('a')),
  'Agency A by manager',
  'neither a deactivated manager nor the owner of another agency changed agency A'
);

select tests.clear_authentication();
select throws_ok(
  format($$ update public.agencies set name = 'Agency A by visitor' where id = %L $$, tests.id('a')),
  '42501', null,
  'an anonymous visitor may not update agencies'
);

-- slug and subscription_plan: no column privilege for anyone signed in.
select tests.authenticate_as('owner@t04.test');
select throws_ok(
  format($$ update public.agencies set slug = 'taken-over' where id = %L $$, tests.id('a')),
  '42501', null,
  'not even the owner can change the slug'
);
select throws_ok(
  format($$ update public.agencies set subscription_plan = 'agency' where id = %L $$, tests.id('a')),
  '42501', null,
  'the owner cannot change the subscription plan (billing does that)'
);
select tests.authenticate_as('manager@t04.test');
select throws_ok(
  format($$ update public.agencies set slug = 'by-manager' where id = %L $$, tests.id('a')),
  '42501', null,
  'a manager cannot change the slug'
);
select throws_ok(
  format($$ update public.agencies set subscription_plan = 'studio' where id = %L $$, tests.id('a')),
  '42501', null,
  'a manager cannot change the subscription plan'
);

select tests.authenticate_as_service_role();
select lives_ok(
  format($$ update public.agencies set subscription_plan = 'studio' where id = %L $$, tests.id('a')),
  'service_role (the billing webhook) changes the subscription plan'
);
select tests.reset_role();
select is((select subscription_plan from public.agencies where id = tests.id('a')), 'studio', 'the plan change by service_role is stored');

-- ============================================================================================
-- Update: values the database rejects
-- ============================================================================================
select tests.authenticate_as('owner@t04.test');
select throws_ok(
  format($$ update public.agencies set timezone = 'Mars/Base' where id = %L $$, tests.id('a')),
  '23514', null,
  'a time zone that is not in the IANA database is rejected'
);
select throws_ok(
  format($$ update public.agencies set brand_color = 'red' where id = %L $$, tests.id('a')),
  '23514', null,
  'a brand colour that is not #rrggbb is rejected'
);
select throws_ok(
  format($$ update public.agencies set default_tax_rate_bp = 10001 where id = %L $$, tests.id('a')),
  '23514', null,
  'a tax rate above 100 % (10000 basis points) is rejected'
);
select throws_ok(
  format($$ update public.agencies set default_tax_rate_bp = -1 where id = %L $$, tests.id('a')),
  '23514', null,
  'a negative tax rate is rejected'
);
select throws_ok(
  format($$ update public.agencies set currency = 'XXX' where id = %L $$, tests.id('a')),
  '23503', null,
  'a currency that is not in the currencies table is rejected'
);
select throws_ok(
  format($$ update public.agencies set payment_terms_days = 366 where id = %L $$, tests.id('a')),
  '23514', null,
  'payment terms beyond a year are rejected'
);

-- ============================================================================================
-- Insert: only public.create_agency() creates agencies
-- ============================================================================================
select tests.authenticate_as('owner@t04.test');
select throws_ok(
  $$ insert into public.agencies (name, slug) values ('Direct', 'direct-t04') $$,
  '42501', null,
  'a signed-in user cannot insert an agency directly'
);
select tests.authenticate_as('stranger@t04.test');
select throws_ok(
  $$ insert into public.agencies (name, slug) values ('Direct', 'direct-t04') $$,
  '42501', null,
  'a user without an agency cannot insert one directly either'
);
select tests.clear_authentication();
select throws_ok(
  $$ insert into public.agencies (name, slug) values ('Direct', 'direct-t04') $$,
  '42501', null,
  'an anonymous visitor cannot insert an agency'
);

-- ============================================================================================
-- Delete: nobody signed in may delete an agency
-- ============================================================================================
select tests.authenticate_as('owner@t04.test');
select throws_ok(
  format($$ delete from public.agencies where id = %L $$, tests.id('a')),
  '42501', null,
  'the owner cannot delete the agency'
);
select tests.authenticate_as('manager@t04.test');
select throws_ok(
  format($$ delete from public.agencies where id = %L $$, tests.id('a')),
  '42501', null,
  'a manager cannot delete the agency'
);
select tests.authenticate_as('member@t04.test');
select throws_ok(
  format($$ delete from public.agencies where id = %L $$, tests.id('a')),
  '42501', null,
  'a member cannot delete the agency'
);
select tests.clear_authentication();
select throws_ok(
  format($$ delete from public.agencies where id = %L $$, tests.id('a')),
  '42501', null,
  'an anonymous visitor cannot delete an agency'
);
select tests.reset_role();
select is(
  (select count(*)::int from public.agencies where id in (tests.id('a'), tests.id('b'))),
  2,
  'both agencies still exist'
);

select * from finish();
rollback;
