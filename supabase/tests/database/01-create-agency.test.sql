begin;
select plan(9);

select tests.create_user('owner@a.test', 'Olivia Owner', 'Europe/Berlin');
select tests.create_user('stranger@b.test');

-- Anonymous visitors cannot create agencies.
select tests.clear_authentication();
select throws_ok(
  $$ select public.create_agency('Nope') $$,
  '42501', null,
  'an anonymous visitor cannot create an agency'
);

select tests.authenticate_as('owner@a.test');
select lives_ok($$ select public.create_agency('Acme Digital') $$, 'a signed-in user creates an agency');
select is((select slug from public.agencies where name = 'Acme Digital'), 'acme-digital', 'the slug is derived from the name');
select is((select timezone from public.agencies where name = 'Acme Digital'), 'Europe/Berlin', 'the agency takes the creator''s time zone by default');
select is(
  (select role::text from public.agency_members m join public.agencies a on a.id = m.agency_id
   where a.name = 'Acme Digital' and m.user_id = tests.user_id('owner@a.test')),
  'owner',
  'the creator becomes the owner'
);
select is(
  (select count(*)::int from public.member_rates r join public.agencies a on a.id = r.agency_id where a.name = 'Acme Digital'),
  1,
  'the owner gets a rates row'
);

select tests.authenticate_as('stranger@b.test');
select lives_ok($$ select public.create_agency('Acme Digital') $$, 'another user may pick the same name');
select is(
  (select slug from public.agencies where name = 'Acme Digital'),
  'acme-digital-2',
  'a taken slug gets a numeric suffix (and the stranger only sees their own agency)'
);

select throws_ok(
  $$ select public.create_agency('') $$,
  '23514', null,
  'an empty name is rejected by the database'
);

select * from finish();
rollback;
