-- The full client record: the checks on the new columns, tag normalisation, the search string the
-- trigram index serves (company, contact names and emails, kept current by triggers), columns only
-- the database or the service role may write, one primary contact per client, and the audit rows
-- client changes leave behind.
begin;
select plan(63);

-- ============================================================================================
-- Test helpers (this transaction only)
-- ============================================================================================
-- The plan of a query as one text, to see which index serves it.
create function pg_temp.plan_of(p_sql text)
returns text
language plpgsql
as $$
declare
  v_line text;
  v_plan text := '';
begin
  for v_line in execute 'explain (costs off) ' || p_sql loop
    v_plan := v_plan || v_line || E'\n';
  end loop;
  return v_plan;
end;
$$;

-- How many audit rows one client has.
create function pg_temp.client_audit_rows(p_client_id uuid)
returns integer
language sql
as $$
  select count(*)::integer from public.audit_log where table_name = 'clients' and row_id = p_client_id::text;
$$;

-- ============================================================================================
-- Arrange (nothing here writes a client)
-- ============================================================================================
select tests.create_user('cr-owner@a14.test');
select tests.create_user('cr-manager@a14.test');
select tests.create_user('cr-member@a14.test');

insert into tests.labels (label, id) values ('a', tests.create_agency('cr-owner@a14.test', 'Agency Fourteen'));
select tests.add_member(tests.id('a'), 'cr-manager@a14.test', 'manager');
select tests.add_member(tests.id('a'), 'cr-member@a14.test', 'member');

-- ============================================================================================
-- The first client writes of a transaction (as a request's are)
-- ============================================================================================
-- A plpgsql trigger keeps what it evaluated once per transaction: a write by a privileged role
-- first would hide a missing privilege from everyone after it. So these come before any other
-- client write of this file.
select tests.authenticate_as('cr-manager@a14.test');
select is(
  tests.error_of(format($$ insert into public.clients (agency_id, name, tags) values (%L, 'First Write Co', '{Retail}') $$,
                        tests.id('a'))),
  'ok',
  'a manager adds a client with tags as the first client write of a transaction'
);
select tests.authenticate_as_service_role();
select is(
  tests.error_of(format($$ insert into public.clients (agency_id, name, stripe_customer_id) values (%L, 'Stripe Co', 'cus_14') $$,
                        tests.id('a'))),
  'ok',
  'the service role (payments) writes a client with its stripe_customer_id'
);
select tests.reset_role();

-- The rest of the file's clients.
with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme Design Studio'), (tests.id('a'), 'Globex Logistics'), (tests.id('a'), 'Initech Software')
  returning lower(split_part(name, ' ', 1)) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- ============================================================================================
-- Column checks
-- ============================================================================================
select tests.authenticate_as('cr-manager@a14.test');
select is(
  tests.error_of(format($$ update public.clients set website = 'https://acme14.test/about?x=1' where id = %L $$, tests.id('acme'))),
  'ok', 'an https website is accepted');
select is(
  tests.error_of(format($$ update public.clients set website = 'http://acme14.test' where id = %L $$, tests.id('acme'))),
  'ok', 'an http website is accepted');
select is(
  tests.error_of(format($$ update public.clients set website = 'ftp://acme14.test' where id = %L $$, tests.id('acme'))),
  '23514 -', 'a website with another scheme is rejected');
select is(
  tests.error_of(format($$ update public.clients set website = 'acme14.test' where id = %L $$, tests.id('acme'))),
  '23514 -', 'a website without a scheme is rejected');
select is(
  tests.error_of(format($$ update public.clients set website = 'https://acme14.test/a b' where id = %L $$, tests.id('acme'))),
  '23514 -', 'a website with whitespace is rejected');

select is(
  tests.error_of(format($$ update public.clients set country = 'DE' where id = %L $$, tests.id('acme'))),
  'ok', 'an ISO 3166 alpha-2 country code is accepted');
select is(
  tests.error_of(format($$ update public.clients set country = 'de' where id = %L $$, tests.id('acme'))),
  '23514 -', 'a lower-case country code is rejected');
select is(
  tests.error_of(format($$ update public.clients set country = 'DEU' where id = %L $$, tests.id('acme'))),
  '23514 -', 'an alpha-3 country code is rejected');

select is(
  tests.error_of(format($$ update public.clients set size = '11-50' where id = %L $$, tests.id('acme'))),
  'ok', 'a listed company size is accepted');
select is(
  tests.error_of(format($$ update public.clients set size = '5-10' where id = %L $$, tests.id('acme'))),
  '23514 -', 'a company size outside the list is rejected');

select is(
  tests.error_of(format($$ update public.clients set currency = 'EUR' where id = %L $$, tests.id('acme'))),
  'ok', 'a known currency is accepted as the client''s override');
select is(
  tests.error_of(format($$ update public.clients set currency = 'XYZ' where id = %L $$, tests.id('acme'))),
  '23503 -', 'an unknown currency is rejected by the foreign key');
select is(
  tests.error_of(format($$ update public.clients set currency = 'eur' where id = %L $$, tests.id('acme'))),
  '23503 -', 'a lower-case currency code is not a currency');

select is(
  tests.error_of(format($$ update public.clients set relationship = 'friend' where id = %L $$, tests.id('acme'))),
  '22P02 -', 'a relationship outside lead, prospect, active and inactive is rejected');

select is(
  tests.error_of(format($$ update public.clients set tags = array[%L] where id = %L $$, repeat('x', 41), tests.id('acme'))),
  '23514 tag_too_long', 'a tag longer than 40 characters is rejected with the hint tag_too_long');
select is(
  tests.error_of(format($$ update public.clients set tags = array[%L] where id = %L $$, '  ' || repeat('y', 40) || ' ', tests.id('acme'))),
  'ok', 'a tag of 40 characters after trimming is accepted');
select is(
  tests.error_of(format($$ update public.clients set tags = (select array_agg('tag' || n) from generate_series(1, 21) n) where id = %L $$,
                        tests.id('acme'))),
  '23514 -', 'more than 20 tags are rejected');
select is(
  tests.error_of(format($$ update public.clients set tags = (select array_agg('tag' || n) from generate_series(1, 20) n) where id = %L $$,
                        tests.id('acme'))),
  'ok', 'exactly 20 tags are accepted');
select is(
  tests.error_of(format($$ update public.clients set tags = (select array_agg('Tag' || n) || array_agg(' tag' || n) from generate_series(1, 20) n) where id = %L $$,
                        tests.id('acme'))),
  'ok', 'the limit counts tags after normalisation: 40 spellings of 20 tags are 20 tags');

-- ============================================================================================
-- Tags and names are normalised
-- ============================================================================================
update public.clients set tags = array[' Design ', 'SEO', 'design', '', 'Branding', 'seo '] where id = tests.id('acme');
select tests.reset_role();
select is((select tags from public.clients where id = tests.id('acme')), array['branding', 'design', 'seo'],
  'tags are stored lower-case, trimmed, without blanks or duplicates, and sorted');

select tests.authenticate_as('cr-owner@a14.test');
insert into public.clients (agency_id, name, tags) values (tests.id('a'), '  Umbrella Corp  ', array['Pharma', 'PHARMA', ' b2b']);
select tests.reset_role();
insert into tests.labels (label, id) select 'umbrella', id from public.clients where agency_id = tests.id('a') and name = 'Umbrella Corp';
select isnt(tests.id('umbrella'), null, 'a client name is stored trimmed');
select is((select tags from public.clients where id = tests.id('umbrella')), array['b2b', 'pharma'],
  'tags are normalised on insert too');

-- ============================================================================================
-- search_text follows the client and its contacts
-- ============================================================================================
select is((select search_text from public.clients where id = tests.id('acme')), 'acme design studio',
  'a new client''s search text is its lower-cased name');

select tests.authenticate_as('cr-manager@a14.test');
insert into public.client_contacts (agency_id, client_id, name, email)
values (tests.id('a'), tests.id('acme'), 'Jane Doe', 'jane.doe@acme14.test');
select tests.reset_role();
insert into tests.labels (label, id) select 'jane', id from public.client_contacts where email = 'jane.doe@acme14.test';
select is((select search_text from public.clients where id = tests.id('acme')), 'acme design studio jane doe jane.doe@acme14.test',
  'adding a contact adds their name and email to the client''s search text');

select tests.authenticate_as('cr-manager@a14.test');
insert into public.client_contacts (agency_id, client_id, name) values (tests.id('a'), tests.id('acme'), 'Raj Patel');
select tests.reset_role();
insert into tests.labels (label, id) select 'raj', id from public.client_contacts where name = 'Raj Patel';
select ok((select strpos(search_text, 'raj patel') > 0 and strpos(search_text, 'jane doe jane.doe@acme14.test') > 0
           from public.clients where id = tests.id('acme')),
  'a second contact joins the search text next to the first');

select tests.authenticate_as('cr-manager@a14.test');
update public.client_contacts set name = 'Rajesh Patel' where id = tests.id('raj');
select tests.reset_role();
select ok((select strpos(search_text, 'rajesh patel') > 0 and strpos(search_text, 'raj patel') = 0
           from public.clients where id = tests.id('acme')),
  'renaming a contact replaces their name in the search text');

select tests.authenticate_as('cr-manager@a14.test');
update public.client_contacts set email = 'jane@acme14.test' where id = tests.id('jane');
select tests.reset_role();
select ok((select strpos(search_text, 'jane@acme14.test') > 0 and strpos(search_text, 'jane.doe@acme14.test') = 0
           from public.clients where id = tests.id('acme')),
  'changing a contact''s email replaces it in the search text');

select tests.authenticate_as('cr-manager@a14.test');
delete from public.client_contacts where id = tests.id('raj');
select tests.reset_role();
select is((select search_text from public.clients where id = tests.id('acme')), 'acme design studio jane doe jane@acme14.test',
  'removing a contact removes them from the search text');

select tests.authenticate_as('cr-owner@a14.test');
update public.clients set name = 'Acme Design Works' where id = tests.id('acme');
select tests.reset_role();
select is((select search_text from public.clients where id = tests.id('acme')), 'acme design works jane doe jane@acme14.test',
  'renaming the client renames it in the search text and keeps the contacts');

-- Only the database can move a contact to another client; both clients' search texts follow.
update public.client_contacts set client_id = tests.id('globex') where id = tests.id('jane');
select is((select search_text from public.clients where id = tests.id('acme')), 'acme design works',
  'a contact moved away leaves the old client''s search text');
select is((select search_text from public.clients where id = tests.id('globex')), 'globex logistics jane doe jane@acme14.test',
  'a contact moved in joins the new client''s search text');
update public.client_contacts set client_id = tests.id('acme') where id = tests.id('jane');

-- ============================================================================================
-- Typo-tolerant search through the trigram index
-- ============================================================================================
select tests.authenticate_as('cr-manager@a14.test');
select results_eq(
  format($$ select name from public.clients where agency_id = %L and extensions.word_similarity('acme desgin', search_text) > 0.3 $$,
         tests.id('a')),
  $$ values ('Acme Design Works') $$,
  'a misspelt company name (acme desgin) finds the client and nothing else'
);
select results_eq(
  format($$ select name from public.clients where agency_id = %L and extensions.word_similarity('jane doh', search_text) > 0.3 $$,
         tests.id('a')),
  $$ values ('Acme Design Works') $$,
  'a misspelt contact name finds the contact''s client'
);
select results_eq(
  format($$ select name from public.clients where agency_id = %L and extensions.word_similarity('jane@acme14', search_text) > 0.3 $$,
         tests.id('a')),
  $$ values ('Acme Design Works') $$,
  'part of a contact''s email finds the contact''s client'
);
select set_config('pg_trgm.word_similarity_threshold', '0.3', true);
select results_eq(
  format($$ select name from public.clients where agency_id = %L and 'acme desgin' operator(extensions.<%%) search_text $$,
         tests.id('a')),
  $$ values ('Acme Design Works') $$,
  'the indexable operator form of the search finds the client too'
);
select tests.reset_role();
select set_config('enable_seqscan', 'off', true);
select matches(
  pg_temp.plan_of($$ select id from public.clients where 'acme desgin' operator(extensions.<%) search_text $$),
  'clients_search_text_idx',
  'the typo search is served by the trigram index on search_text'
);
select set_config('enable_seqscan', 'on', true);

-- ============================================================================================
-- Columns the database and the service role write
-- ============================================================================================
select tests.authenticate_as('cr-owner@a14.test');
select throws_ok(format($$ update public.clients set stripe_customer_id = 'cus_x' where id = %L $$, tests.id('acme')),
  '42501', null, 'an owner cannot set stripe_customer_id');
select throws_ok(format($$ update public.clients set search_text = 'anything' where id = %L $$, tests.id('acme')),
  '42501', null, 'an owner cannot set search_text');
select throws_ok(format($$ update public.clients set last_activity_at = now() where id = %L $$, tests.id('acme')),
  '42501', null, 'an owner cannot set last_activity_at');
select tests.authenticate_as('cr-manager@a14.test');
select throws_ok(format($$ insert into public.clients (agency_id, name, stripe_customer_id) values (%L, 'S Co', 'cus_y') $$, tests.id('a')),
  '42501', null, 'a manager cannot add a client with a stripe_customer_id');
select throws_ok(format($$ insert into public.clients (agency_id, name, search_text) values (%L, 'T Co', 'zzz') $$, tests.id('a')),
  '42501', null, 'a manager cannot add a client with a search_text of their choosing');
select throws_ok(format($$ insert into public.clients (agency_id, name, last_activity_at) values (%L, 'L Co', now()) $$, tests.id('a')),
  '42501', null, 'a manager cannot add a client with a last_activity_at');
select tests.authenticate_as_service_role();
select lives_ok(format($$ update public.clients set stripe_customer_id = 'cus_acme14' where id = %L $$, tests.id('acme')),
  'the service role records a client''s Stripe customer');
select tests.reset_role();
select is((select stripe_customer_id from public.clients where id = tests.id('acme')), 'cus_acme14',
  'the Stripe customer id is stored');

select tests.authenticate_as('cr-member@a14.test');
update public.clients set industry = 'Changed by member' where id = tests.id('acme');
select tests.reset_role();
select is((select industry from public.clients where id = tests.id('acme')), null,
  'a member cannot fill in the new client fields');

-- ============================================================================================
-- One primary contact per client
-- ============================================================================================
select tests.authenticate_as('cr-manager@a14.test');
select lives_ok(format($$ update public.client_contacts set is_primary = true, title = 'CEO' where id = %L $$, tests.id('jane')),
  'a manager makes a contact the primary one and gives them a title');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name, is_primary) values (%L, %L, 'Second Primary', true) $$,
         tests.id('a'), tests.id('acme')),
  '23505', null, 'a client cannot have a second primary contact');
select lives_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name, is_primary) values (%L, %L, 'Gina Globex', true) $$,
         tests.id('a'), tests.id('globex')),
  'another client has its own primary contact');
select lives_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name, is_primary) values (%L, %L, 'Pete Plain', false) $$,
         tests.id('a'), tests.id('acme')),
  'a client has any number of other contacts');
select throws_ok(
  format($$ update public.client_contacts set is_primary = true where client_id = %L and name = 'Pete Plain' $$, tests.id('acme')),
  '23505', null, 'a contact cannot become primary while another one is');
select lives_ok(
  format($$ update public.client_contacts set is_primary = (name = 'Pete Plain') where client_id = %L $$, tests.id('acme')),
  'handing the primary role over in one statement works');
select tests.reset_role();
select results_eq(
  format($$ select name from public.client_contacts where client_id = %L and is_primary $$, tests.id('acme')),
  $$ values ('Pete Plain') $$,
  'the client''s primary contact is the new one'
);

-- ============================================================================================
-- Audit trail
-- ============================================================================================
select tests.authenticate_as('cr-manager@a14.test');
insert into public.clients (agency_id, name, industry, tags) values (tests.id('a'), 'Audited Ltd', 'Retail', array['Shop']);
select tests.reset_role();
insert into tests.labels (label, id) select 'audited', id from public.clients where agency_id = tests.id('a') and name = 'Audited Ltd';
select results_eq(
  format($$ select action, actor_id, new_values ->> 'name', new_values -> 'tags', old_values
            from public.audit_log where table_name = 'clients' and row_id = %L $$, tests.id('audited')),
  format($$ values ('insert', %L::uuid, 'Audited Ltd', '["shop"]'::jsonb, null::jsonb) $$, tests.user_id('cr-manager@a14.test')),
  'adding a client writes one audit row with the actor and the stored values'
);
select ok(
  (select not (new_values ? 'search_text') and not (new_values ? 'last_activity_at')
   from public.audit_log where table_name = 'clients' and row_id = tests.id('audited')::text),
  'the audit row leaves out the maintained columns search_text and last_activity_at'
);

select tests.authenticate_as('cr-manager@a14.test');
update public.clients set tags = array['shop', 'Outlet'], relationship = 'prospect' where id = tests.id('audited');
select tests.reset_role();
select results_eq(
  format($$ select old_values -> 'tags', new_values -> 'tags', old_values ->> 'relationship', new_values ->> 'relationship'
            from public.audit_log where table_name = 'clients' and row_id = %L and action = 'update' $$, tests.id('audited')),
  $$ values ('["shop"]'::jsonb, '["outlet", "shop"]'::jsonb, 'lead', 'prospect') $$,
  'changing a client writes an audit row with the old and new values'
);

select tests.authenticate_as('cr-manager@a14.test');
update public.clients set tags = array[' SHOP', 'outlet'] where id = tests.id('audited');
select tests.reset_role();
select is(pg_temp.client_audit_rows(tests.id('audited')), 2,
  'an update that normalises to the stored tags changes nothing and writes no audit row');

select tests.authenticate_as('cr-manager@a14.test');
insert into public.client_contacts (agency_id, client_id, name, email)
values (tests.id('a'), tests.id('audited'), 'Ada Audit', 'ada@audited14.test');
update public.client_contacts set name = 'Ada Auditor' where client_id = tests.id('audited');
select tests.reset_role();
select ok((select strpos(search_text, 'ada auditor') > 0 from public.clients where id = tests.id('audited')),
  'the contact changes reached the client''s search text');
select is(pg_temp.client_audit_rows(tests.id('audited')), 2,
  'search_text-only changes of a client write no client audit row');

select tests.authenticate_as('cr-manager@a14.test');
insert into public.client_activities (agency_id, client_id, kind, body, occurred_at)
values (tests.id('a'), tests.id('audited'), 'note', 'Met at the trade fair', '2031-04-01 10:00:00+00');
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('audited')), '2031-04-01 10:00:00+00'::timestamptz,
  'logging an activity moved the client''s last_activity_at');
select is(pg_temp.client_audit_rows(tests.id('audited')), 2,
  'last_activity_at-only changes of a client write no client audit row');

select tests.authenticate_as('cr-owner@a14.test');
update public.clients set archived_at = '2031-05-01 00:00:00+00' where id = tests.id('audited');
select tests.reset_role();
select results_eq(
  format($$ select actor_id, (old_values ->> 'archived_at')::timestamptz, (new_values ->> 'archived_at')::timestamptz
            from public.audit_log
            where table_name = 'clients' and row_id = %L and action = 'update' and actor_id = %L $$,
         tests.id('audited'), tests.user_id('cr-owner@a14.test')),
  format($$ values (%L::uuid, null::timestamptz, '2031-05-01 00:00:00+00'::timestamptz) $$, tests.user_id('cr-owner@a14.test')),
  'archiving a client is audited with the owner as the actor'
);

select * from finish();
rollback;
