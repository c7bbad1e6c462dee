-- public.profiles: who can read whose profile, what a person may change on their own, and the
-- trigger that keeps profiles in step with auth.users.
begin;
select plan(29);

select tests.create_user('owner@t07.test', 'Oona Owner');
select tests.create_user('member@t07.test', 'Milo Member');
select tests.create_user('former@t07.test', 'Fern Former');
select tests.create_user('b-owner@t07.test', 'Bram Owner');
select tests.create_user('stranger@t07.test', 'Suki Stranger');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t07.test', 'Agency A t07')),
  ('b', tests.create_agency('b-owner@t07.test', 'Agency B t07'));
select tests.add_member(tests.id('a'), 'member@t07.test', 'member');
select tests.add_member(tests.id('a'), 'former@t07.test', 'member');
update public.agency_members set is_active = false
where agency_id = tests.id('a') and user_id = tests.user_id('former@t07.test');

-- ============================================================================================
-- Select
-- ============================================================================================
select tests.authenticate_as('stranger@t07.test');
select set_eq(
  $$ select user_id from public.profiles $$,
  array[tests.user_id('stranger@t07.test')],
  'a person without an agency reads their own profile and no one else''s'
);
select tests.authenticate_as('owner@t07.test');
select set_eq(
  $$ select user_id from public.profiles $$,
  array[tests.user_id('owner@t07.test'), tests.user_id('member@t07.test'), tests.user_id('former@t07.test')],
  'the owner reads the profiles of colleagues, the deactivated colleague''s included'
);
select tests.authenticate_as('member@t07.test');
select set_eq(
  $$ select user_id from public.profiles $$,
  array[tests.user_id('owner@t07.test'), tests.user_id('member@t07.test'), tests.user_id('former@t07.test')],
  'a member reads the profiles of colleagues'
);
select is_empty(
  format($$ select user_id from public.profiles where user_id in (%L, %L) $$,
         tests.user_id('b-owner@t07.test'), tests.user_id('stranger@t07.test')),
  'a member reads no profile of people outside their agencies'
);
select tests.authenticate_as('former@t07.test');
select set_eq(
  $$ select user_id from public.profiles $$,
  array[tests.user_id('former@t07.test')],
  'a deactivated member reads only their own profile'
);
select tests.clear_authentication();
select throws_ok($$ select user_id from public.profiles $$, '42501', null, 'an anonymous visitor may not read profiles');

-- ============================================================================================
-- Update
-- ============================================================================================
select tests.authenticate_as('member@t07.test');
select lives_ok(
  format($$ update public.profiles set name = 'Milo M.', timezone = 'America/New_York', avatar_url = 'https://example.test/m.png'
            where user_id = %L $$, tests.user_id('member@t07.test')),
  'a person updates their own name, time zone and avatar'
);
select tests.reset_role();
select results_eq(
  format($$ select name, timezone, avatar_url from public.profiles where user_id = %L $$, tests.user_id('member@t07.test')),
  $$ values ('Milo M.', 'America/New_York', 'https://example.test/m.png') $$,
  'the own-profile changes are stored'
);

select tests.authenticate_as('member@t07.test');
select lives_ok(
  format($$ update public.profiles set name = 'Renamed by member' where user_id in (%L, %L) $$,
         tests.user_id('owner@t07.test'), tests.user_id('stranger@t07.test')),
  'updating someone else''s profile is not an error (row level security filters it)'
);
select tests.authenticate_as('owner@t07.test');
select lives_ok(
  format($$ update public.profiles set timezone = 'Asia/Tokyo' where user_id = %L $$, tests.user_id('member@t07.test')),
  'the owner updating a member''s profile is not an error either'
);
select tests.reset_role();
select set_eq(
  format($$ select name, timezone from public.profiles where user_id in (%L, %L, %L) $$,
         tests.user_id('owner@t07.test'), tests.user_id('stranger@t07.test'), tests.user_id('member@t07.test')),
  $$ values ('Oona Owner', 'UTC'), ('Suki Stranger', 'UTC'), ('Milo M.', 'America/New_York') $$,
  'nobody changed a profile that is not their own, not even an owner'
);

select tests.authenticate_as('member@t07.test');
select throws_ok(
  format($$ update public.profiles set email = 'hijack@t07.test' where user_id = %L $$, tests.user_id('member@t07.test')),
  '42501', null, 'a person cannot change the email on their profile (it follows the auth account)'
);
select throws_ok(
  format($$ update public.profiles set user_id = %L where user_id = %L $$,
         tests.user_id('stranger@t07.test'), tests.user_id('member@t07.test')),
  '42501', null, 'a person cannot change the user_id of their profile'
);
select throws_ok(
  format($$ update public.profiles set timezone = 'Mars/Base' where user_id = %L $$, tests.user_id('member@t07.test')),
  '23514', null, 'a time zone that is not in the IANA database is rejected'
);
select throws_ok(
  format($$ update public.profiles set timezone = 'CEST' where user_id = %L $$, tests.user_id('member@t07.test')),
  '23514', null, 'a time zone abbreviation is rejected'
);
select throws_ok(
  format($$ update public.profiles set name = '   ' where user_id = %L $$, tests.user_id('member@t07.test')),
  '23514', null, 'a blank name is rejected'
);
select tests.clear_authentication();
select throws_ok(
  format($$ update public.profiles set name = 'Visitor' where user_id = %L $$, tests.user_id('member@t07.test')),
  '42501', null, 'an anonymous visitor may not update profiles'
);

-- ============================================================================================
-- Insert and delete: profiles live and die with the auth account
-- ============================================================================================
select tests.authenticate_as('stranger@t07.test');
select throws_ok(
  $$ insert into public.profiles (user_id, email, name) values (gen_random_uuid(), 'fake@t07.test', 'Fake') $$,
  '42501', null, 'a signed-in user cannot insert a profile'
);
select throws_ok(
  format($$ delete from public.profiles where user_id = %L $$, tests.user_id('stranger@t07.test')),
  '42501', null, 'a signed-in user cannot delete their own profile'
);
select tests.clear_authentication();
select throws_ok(
  $$ insert into public.profiles (user_id, email, name) values (gen_random_uuid(), 'fake@t07.test', 'Fake') $$,
  '42501', null, 'an anonymous visitor cannot insert a profile'
);
select throws_ok(
  format($$ delete from public.profiles where user_id = %L $$, tests.user_id('stranger@t07.test')),
  '42501', null, 'an anonymous visitor cannot delete a profile'
);
select tests.reset_role();
select is(
  (select count(*)::int from public.profiles where email like '%@t07.test'),
  5,
  'no profile was added or removed'
);

-- ============================================================================================
-- The auth.users trigger
-- ============================================================================================
insert into auth.users (id, email, raw_user_meta_data)
values ('00000000-0000-4000-8000-000000000701', 'Zoe.Zed@T07.test', '{"name": "Zoë Zed", "timezone": "Asia/Tokyo"}');
select results_eq(
  $$ select email, name, timezone from public.profiles where user_id = '00000000-0000-4000-8000-000000000701' $$,
  $$ values ('zoe.zed@t07.test', 'Zoë Zed', 'Asia/Tokyo') $$,
  'a new auth user gets a profile with the lower-cased email, the name and the time zone from its metadata'
);

insert into auth.users (id, email, raw_user_meta_data)
values ('00000000-0000-4000-8000-000000000702', 'mars@t07.test', '{"full_name": "Marsha Mars", "timezone": "Mars/Base"}');
select results_eq(
  $$ select name, timezone from public.profiles where user_id = '00000000-0000-4000-8000-000000000702' $$,
  $$ values ('Marsha Mars', 'UTC') $$,
  'full_name is used when there is no name, and an invalid time zone falls back to UTC'
);

insert into auth.users (id, email)
values ('00000000-0000-4000-8000-000000000703', 'plain.person@t07.test');
select results_eq(
  $$ select name, timezone from public.profiles where user_id = '00000000-0000-4000-8000-000000000703' $$,
  $$ values ('plain.person', 'UTC') $$,
  'without metadata the name is the email''s local part and the time zone is UTC'
);

insert into auth.users (id, email, raw_user_meta_data)
values ('00000000-0000-4000-8000-000000000704', null, '{"name": "Phone Only"}');
select is_empty(
  $$ select 1 from public.profiles where user_id = '00000000-0000-4000-8000-000000000704' $$,
  'an account without an email gets no profile yet'
);
update auth.users set email = 'phone.only@t07.test' where id = '00000000-0000-4000-8000-000000000704';
select results_eq(
  $$ select email, name from public.profiles where user_id = '00000000-0000-4000-8000-000000000704' $$,
  $$ values ('phone.only@t07.test', 'Phone Only') $$,
  'the profile appears once the account gets an email'
);

insert into tests.labels (label, id) values ('member', tests.user_id('member@t07.test'));
update auth.users set email = 'Milo.New@T07.test' where id = tests.id('member');
select results_eq(
  format($$ select email, name from public.profiles where user_id = %L $$, tests.id('member')),
  $$ values ('milo.new@t07.test', 'Milo M.') $$,
  'an email change in auth.users follows to the profile (lower-cased) and leaves the chosen name alone'
);

delete from auth.users where id = '00000000-0000-4000-8000-000000000701';
select is_empty(
  $$ select 1 from public.profiles where user_id = '00000000-0000-4000-8000-000000000701' $$,
  'deleting the auth account deletes the profile'
);

select * from finish();
rollback;
