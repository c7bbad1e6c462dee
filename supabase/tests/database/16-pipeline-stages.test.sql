-- Pipeline stages: the defaults every new agency starts with (stages and a project template), RLS
-- command by command for owner, manager, member, the owner of another agency, a portal contact and
-- an anonymous visitor, the rules for won and lost stages, the guard against removing a stage that
-- still holds deals, and reorder_pipeline_stages.
begin;
select plan(56);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('ps-owner@a16.test');
select tests.create_user('ps-manager@a16.test');
select tests.create_user('ps-member@a16.test');
select tests.create_user('ps-outsider@b16.test');
select tests.create_user('pete@client16.test');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('ps-owner@a16.test', 'Agency Sixteen')),
  ('b', tests.create_agency('ps-outsider@b16.test', 'Other Sixteen'));
select tests.add_member(tests.id('a'), 'ps-manager@a16.test', 'manager');
select tests.add_member(tests.id('a'), 'ps-member@a16.test', 'member');

insert into tests.labels (label, id)
select case when s.agency_id = tests.id('a') then 'a:' else 'b:' end || s.key, s.id
from public.pipeline_stages s where s.agency_id in (tests.id('a'), tests.id('b'));

with c as (insert into public.clients (agency_id, name) values (tests.id('a'), 'Client Sixteen') returning id)
insert into tests.labels (label, id) select 'client', id from c;
insert into public.client_contacts (agency_id, client_id, name, email, user_id, portal_access_granted_at)
values (tests.id('a'), tests.id('client'), 'Pete Portal', 'pete@client16.test', tests.user_id('pete@client16.test'), now());

-- ============================================================================================
-- A new agency's defaults
-- ============================================================================================
select results_eq(
  format($$ select key, name, position, default_probability, kind::text from public.pipeline_stages
            where agency_id = %L order by position $$, tests.id('a')),
  $$ values ('lead', 'Lead', 1, 10, 'open'), ('proposal', 'Proposal', 2, 40, 'open'),
            ('negotiation', 'Negotiation', 3, 70, 'open'), ('won', 'Won', 100, 100, 'won'),
            ('lost', 'Lost', 101, 0, 'lost') $$,
  'a new agency gets lead 10 %, proposal 40 %, negotiation 70 %, won 100 % and lost 0 %, in that order'
);
select is(
  (select count(*)::int from public.pipeline_stages where agency_id = tests.id('b')),
  5,
  'every new agency gets its own five stages'
);
select results_eq(
  format($$ select name, billing_type::text, is_default from public.project_templates where agency_id = %L $$, tests.id('a')),
  $$ values ('Standard project', 'fixed', true) $$,
  'a new agency gets one default project template'
);
select results_eq(
  format($$ select tt.title, tt.position from public.project_template_tasks tt
            join public.project_templates t on t.id = tt.template_id
            where t.agency_id = %L and t.is_default order by tt.position $$, tests.id('a')),
  $$ values ('Kick-off meeting', 1), ('Discovery and requirements', 2), ('Design', 3), ('Build', 4),
            ('Review with the client', 5), ('Launch', 6) $$,
  'the default template lists its tasks from kick-off to launch'
);

-- ============================================================================================
-- select
-- ============================================================================================
select tests.authenticate_as('ps-owner@a16.test');
select results_eq($$ select key from public.pipeline_stages order by position $$,
  $$ values ('lead'), ('proposal'), ('negotiation'), ('won'), ('lost') $$,
  'an owner reads the agency''s stages and no other agency''s');
select tests.authenticate_as('ps-manager@a16.test');
select results_eq($$ select key from public.pipeline_stages order by position $$,
  $$ values ('lead'), ('proposal'), ('negotiation'), ('won'), ('lost') $$,
  'a manager reads the agency''s stages');
select tests.authenticate_as('ps-member@a16.test');
select results_eq($$ select key from public.pipeline_stages order by position $$,
  $$ values ('lead'), ('proposal'), ('negotiation'), ('won'), ('lost') $$,
  'a member reads the agency''s stages (the board''s columns)');
select results_eq($$ select name from public.project_templates $$, $$ values ('Standard project') $$,
  'a member reads the agency''s project templates');
select tests.authenticate_as('ps-outsider@b16.test');
select is_empty(format($$ select id from public.pipeline_stages where agency_id = %L $$, tests.id('a')),
  'the owner of another agency reads none of this agency''s stages');
select tests.authenticate_as('pete@client16.test');
select is_empty($$ select id from public.pipeline_stages $$, 'a portal contact reads no stages');
select tests.clear_authentication();
select throws_ok($$ select id from public.pipeline_stages $$, '42501', null, 'an anonymous visitor cannot read stages');

-- ============================================================================================
-- insert: owners and managers add open stages
-- ============================================================================================
select tests.authenticate_as('ps-owner@a16.test');
select lives_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'review', 'Review', 4, 55) $$, tests.id('a')),
  'an owner adds a stage');
select tests.authenticate_as('ps-manager@a16.test');
select lives_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'discovery', 'Discovery', 5, 20) $$, tests.id('a')),
  'a manager adds a stage');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability, kind)
            values (%L, 'won-again', 'Won again', 6, 100, 'won') $$, tests.id('a')),
  '42501', null,
  'a manager cannot add a won (or lost) stage: only open stages can be added');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'review', 'Review twice', 6, 50) $$, tests.id('a')),
  '23505', null,
  'a stage key is unique within the agency');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'Bad Key', 'Bad key', 6, 50) $$, tests.id('a')),
  '23514', null,
  'a stage key is a lower-case slug');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'sure-thing', 'Sure thing', 6, 120) $$, tests.id('a')),
  '23514', null,
  'a stage''s probability is at most 100');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'foreign', 'Foreign', 6, 50) $$, tests.id('b')),
  '42501', null,
  'a manager cannot add a stage to an agency they are not in');
select tests.authenticate_as('ps-member@a16.test');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'member-stage', 'Member stage', 6, 50) $$, tests.id('a')),
  '42501', null,
  'a member cannot add a stage');
select tests.authenticate_as('ps-outsider@b16.test');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'outsider-stage', 'Outsider stage', 6, 50) $$, tests.id('a')),
  '42501', null,
  'the owner of another agency cannot add a stage to this agency');
select tests.authenticate_as('pete@client16.test');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'portal-stage', 'Portal stage', 6, 50) $$, tests.id('a')),
  '42501', null,
  'a portal contact cannot add a stage');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability)
            values (%L, 'anon-stage', 'Anon stage', 6, 50) $$, tests.id('a')),
  '42501', null,
  'an anonymous visitor cannot add a stage');
select tests.reset_role();
select results_eq(
  format($$ select key, kind::text from public.pipeline_stages where agency_id = %L and position between 4 and 99 order by position $$,
         tests.id('a')),
  $$ values ('review', 'open'), ('discovery', 'open') $$,
  'only the owner''s and the manager''s stages were added, both open'
);
insert into tests.labels (label, id)
select 'a:' || key, id from public.pipeline_stages where agency_id = tests.id('a') and key in ('review', 'discovery');

-- One won and one lost stage per agency, even for the database owner.
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability, kind)
            values (%L, 'won-2', 'Won 2', 102, 100, 'won') $$, tests.id('a')),
  '23505', null,
  'an agency cannot have a second won stage');
select throws_ok(
  format($$ insert into public.pipeline_stages (agency_id, key, name, position, default_probability, kind)
            values (%L, 'lost-2', 'Lost 2', 103, 0, 'lost') $$, tests.id('a')),
  '23505', null,
  'an agency cannot have a second lost stage');

-- ============================================================================================
-- update
-- ============================================================================================
select tests.authenticate_as('ps-manager@a16.test');
update public.pipeline_stages set name = 'Proposal sent' where id = tests.id('a:proposal');
select tests.authenticate_as('ps-owner@a16.test');
update public.pipeline_stages set default_probability = 15 where id = tests.id('a:lead');
update public.pipeline_stages set name = 'Signed' where id = tests.id('a:won');
select tests.authenticate_as('ps-member@a16.test');
update public.pipeline_stages set name = 'Renamed by member' where id = tests.id('a:negotiation');
select tests.authenticate_as('ps-outsider@b16.test');
update public.pipeline_stages set name = 'Renamed by outsider' where id = tests.id('a:negotiation');
select tests.authenticate_as('pete@client16.test');
update public.pipeline_stages set name = 'Renamed by portal' where id = tests.id('a:negotiation');
select tests.reset_role();
select is((select name from public.pipeline_stages where id = tests.id('a:proposal')), 'Proposal sent',
  'a manager renames a stage');
select is((select default_probability from public.pipeline_stages where id = tests.id('a:lead')), 15,
  'an owner changes a stage''s default probability');
select is((select name from public.pipeline_stages where id = tests.id('a:won')), 'Signed',
  'the won stage can be renamed');
select is((select name from public.pipeline_stages where id = tests.id('a:negotiation')), 'Negotiation',
  'members, the owner of another agency and portal contacts rename no stage');

select tests.authenticate_as('ps-owner@a16.test');
select throws_ok(format($$ update public.pipeline_stages set default_probability = 90 where id = %L $$, tests.id('a:won')),
  '23514', null, 'the won stage keeps its probability of 100');
select throws_ok(format($$ update public.pipeline_stages set default_probability = 5 where id = %L $$, tests.id('a:lost')),
  '23514', null, 'the lost stage keeps its probability of 0');
select throws_ok(format($$ update public.pipeline_stages set kind = 'won' where id = %L $$, tests.id('a:negotiation')),
  '42501', null, 'an owner cannot change what kind of stage a stage is');
select throws_ok(format($$ update public.pipeline_stages set key = 'talks' where id = %L $$, tests.id('a:negotiation')),
  '42501', null, 'a stage''s key (which move_deal and the app name) cannot be changed');
select throws_ok(format($$ update public.pipeline_stages set agency_id = %L where id = %L $$, tests.id('b'), tests.id('a:negotiation')),
  '42501', null, 'a stage cannot be moved to another agency');
select tests.clear_authentication();
select throws_ok($$ update public.pipeline_stages set name = 'Anon' $$, '42501', null, 'an anonymous visitor cannot change stages');

-- ============================================================================================
-- delete: open stages without deals
-- ============================================================================================
select tests.reset_role();
insert into public.deals (agency_id, client_id, stage_id, title)
values (tests.id('a'), tests.id('client'), tests.id('a:proposal'), 'Deal one'),
       (tests.id('a'), tests.id('client'), tests.id('a:proposal'), 'Deal two');

select tests.authenticate_as('ps-member@a16.test');
delete from public.pipeline_stages where id = tests.id('a:review');
select tests.authenticate_as('ps-outsider@b16.test');
delete from public.pipeline_stages where id = tests.id('a:review');
select tests.authenticate_as('pete@client16.test');
delete from public.pipeline_stages where id = tests.id('a:review');
select tests.reset_role();
select isnt_empty(format($$ select from public.pipeline_stages where id = %L $$, tests.id('a:review')),
  'members, the owner of another agency and portal contacts remove no stage');

select tests.authenticate_as('ps-owner@a16.test');
delete from public.pipeline_stages where id = tests.id('a:review');
select tests.authenticate_as('ps-manager@a16.test');
delete from public.pipeline_stages where id = tests.id('a:discovery');
select tests.reset_role();
select is_empty(format($$ select from public.pipeline_stages where id = %L $$, tests.id('a:review')),
  'an owner removes an open stage without deals');
select is_empty(format($$ select from public.pipeline_stages where id = %L $$, tests.id('a:discovery')),
  'a manager removes an open stage without deals');

select tests.authenticate_as('ps-owner@a16.test');
delete from public.pipeline_stages where id in (tests.id('a:won'), tests.id('a:lost'));
select tests.reset_role();
select is(
  (select count(*)::int from public.pipeline_stages where id in (tests.id('a:won'), tests.id('a:lost'))),
  2,
  'the won and lost stages cannot be removed, not even by an owner'
);

select tests.authenticate_as('ps-manager@a16.test');
select is(
  tests.error_of(format($$ delete from public.pipeline_stages where id = %L $$, tests.id('a:proposal'))),
  'P0001 stage_has_deals',
  'a stage that holds deals cannot be removed'
);
select throws_ok(
  format($$ delete from public.pipeline_stages where id = %L $$, tests.id('a:proposal')),
  'P0001',
  'move the 2 deal(s) in "Proposal sent" to another stage first',
  'the refusal names the stage and how many deals to move'
);
select tests.reset_role();
update public.deals set stage_id = tests.id('a:lead') where title = 'Deal two';
select tests.authenticate_as('ps-manager@a16.test');
select throws_ok(
  format($$ delete from public.pipeline_stages where id = %L $$, tests.id('a:proposal')),
  'P0001',
  'move the 1 deal(s) in "Proposal sent" to another stage first',
  'the count follows the deals still in the stage'
);
select tests.clear_authentication();
select throws_ok($$ delete from public.pipeline_stages $$, '42501', null, 'an anonymous visitor cannot remove stages');
select tests.reset_role();
select is(
  (select count(*)::int from public.pipeline_stages where agency_id = tests.id('a')),
  5,
  'the agency is back to its five stages'
);

-- ============================================================================================
-- reorder_pipeline_stages
-- ============================================================================================
select tests.authenticate_as('ps-manager@a16.test');
select lives_ok(
  format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
         tests.id('a'), tests.id('a:negotiation'), tests.id('a:lead'), tests.id('a:proposal')),
  'a manager reorders the open stages');
select results_eq(
  $$ select key, position from public.pipeline_stages order by position $$,
  $$ values ('negotiation', 1), ('lead', 2), ('proposal', 3), ('won', 100), ('lost', 101) $$,
  'the open stages take the new order and won and lost stay last'
);
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:lead'), tests.id('a:proposal'))),
  'P0001 stage_list_mismatch',
  'a list that leaves out an open stage is rejected');
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:lead'), tests.id('a:lead'), tests.id('a:proposal'), tests.id('a:negotiation'))),
  'P0001 stage_list_mismatch',
  'a list that names a stage twice is rejected');
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:lead'), tests.id('a:proposal'), tests.id('a:negotiation'), tests.id('a:won'))),
  'P0001 stage_list_mismatch',
  'a list that includes the won stage is rejected');
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:lead'), tests.id('a:proposal'), tests.id('b:negotiation'))),
  'P0001 stage_list_mismatch',
  'a list with another agency''s stage is rejected');

select tests.authenticate_as('ps-owner@a16.test');
select lives_ok(
  format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
         tests.id('a'), tests.id('a:lead'), tests.id('a:proposal'), tests.id('a:negotiation')),
  'an owner reorders the open stages');

select tests.authenticate_as('ps-member@a16.test');
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:proposal'), tests.id('a:negotiation'), tests.id('a:lead'))),
  '42501 manager_required',
  'a member''s reorder is refused with manager_required (RLS would have changed nothing silently)');
select tests.authenticate_as('ps-outsider@b16.test');
select is(
  tests.error_of(format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
                        tests.id('a'), tests.id('a:proposal'), tests.id('a:negotiation'), tests.id('a:lead'))),
  'P0001 stage_list_mismatch',
  'the owner of another agency cannot reorder this agency''s stages (they cannot even see them)');
select tests.clear_authentication();
select throws_ok(
  format($$ select public.reorder_pipeline_stages(%L, array[%L, %L, %L]::uuid[]) $$,
         tests.id('a'), tests.id('a:proposal'), tests.id('a:negotiation'), tests.id('a:lead')),
  '42501', null,
  'an anonymous visitor cannot reorder stages');
select tests.reset_role();
select results_eq(
  format($$ select key, position from public.pipeline_stages where agency_id = %L order by position $$, tests.id('a')),
  $$ values ('lead', 1), ('proposal', 2), ('negotiation', 3), ('won', 100), ('lost', 101) $$,
  'the order is the owner''s: the member''s and the outsider''s attempts changed nothing'
);
select results_eq(
  format($$ select key, position from public.pipeline_stages where agency_id = %L order by position $$, tests.id('b')),
  $$ values ('lead', 1), ('proposal', 2), ('negotiation', 3), ('won', 100), ('lost', 101) $$,
  'the other agency''s order is untouched'
);

select * from finish();
rollback;
