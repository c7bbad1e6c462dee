-- Deals: RLS command by command (owner, manager, the member a deal is assigned to, another member,
-- a deactivated member, the owner of another agency, a manager of two agencies, a portal contact,
-- an anonymous visitor); what a stage means for probability, closed_at and the lost reason; the
-- currency default; who a deal can be assigned to; deals cannot cross agencies; move_deal.
begin;
select plan(82);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('dl-owner@a17.test');
select tests.create_user('dl-manager@a17.test');
select tests.create_user('dl-member@a17.test');
select tests.create_user('dl-other-member@a17.test');
select tests.create_user('dl-former@a17.test');
select tests.create_user('dl-both@ab17.test');
select tests.create_user('dl-outsider@b17.test');
select tests.create_user('pat@acme17.test');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('dl-owner@a17.test', 'Agency Seventeen')),
  ('b', tests.create_agency('dl-outsider@b17.test', 'Other Seventeen'));
select tests.add_member(tests.id('a'), 'dl-manager@a17.test', 'manager');
select tests.add_member(tests.id('a'), 'dl-member@a17.test', 'member');
select tests.add_member(tests.id('a'), 'dl-other-member@a17.test', 'member');
select tests.add_member(tests.id('a'), 'dl-former@a17.test', 'member');
select tests.add_member(tests.id('a'), 'dl-both@ab17.test', 'manager');
select tests.add_member(tests.id('b'), 'dl-both@ab17.test', 'manager');
-- Agency A bills in pounds unless a client says otherwise.
update public.agencies set currency = 'GBP' where id = tests.id('a');

insert into tests.labels (label, id)
select case when s.agency_id = tests.id('a') then 'a:' else 'b:' end || s.key, s.id
from public.pipeline_stages s where s.agency_id in (tests.id('a'), tests.id('b'));
insert into tests.labels (label, id)
select 'b:template', t.id from public.project_templates t where t.agency_id = tests.id('b') and t.is_default;

with c as (
  insert into public.clients (agency_id, name, currency) values
    (tests.id('a'), 'Acme', 'EUR'), (tests.id('a'), 'Globex', null), (tests.id('b'), 'Bravo', null)
  returning lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;
insert into public.client_contacts (agency_id, client_id, name, email, user_id, portal_access_granted_at)
values (tests.id('a'), tests.id('acme'), 'Pat Portal', 'pat@acme17.test', tests.user_id('pat@acme17.test'), now());

with d as (
  insert into public.deals (agency_id, client_id, stage_id, title, value_cents, assigned_to) values
    (tests.id('a'), tests.id('acme'), tests.id('a:lead'), 'Acme site', 100000, tests.user_id('dl-member@a17.test')),
    (tests.id('a'), tests.id('globex'), tests.id('a:proposal'), 'Globex app', 200000, tests.user_id('dl-other-member@a17.test')),
    (tests.id('a'), tests.id('acme'), tests.id('a:negotiation'), 'Acme unassigned', 300000, null),
    (tests.id('b'), tests.id('bravo'), tests.id('b:lead'), 'Bravo deal', 400000, null)
  returning lower(replace(title, ' ', '-')) as label, id
)
insert into tests.labels (label, id) select label, id from d;
-- Deactivated after the deal was assigned: the assignment stays, the access goes.
insert into public.deals (agency_id, client_id, stage_id, title, assigned_to)
values (tests.id('a'), tests.id('globex'), tests.id('a:lead'), 'Former''s deal', tests.user_id('dl-former@a17.test'));
insert into tests.labels (label, id) select 'formers-deal', id from public.deals where title = 'Former''s deal';
update public.agency_members set is_active = false where user_id = tests.user_id('dl-former@a17.test');

-- ============================================================================================
-- select
-- ============================================================================================
select tests.authenticate_as('dl-owner@a17.test');
select results_eq($$ select title from public.deals order by title $$,
  $$ values ('Acme site'), ('Acme unassigned'), ('Former''s deal'), ('Globex app') $$,
  'an owner reads every deal of the agency and no other agency''s');
select tests.authenticate_as('dl-manager@a17.test');
select results_eq($$ select title from public.deals order by title $$,
  $$ values ('Acme site'), ('Acme unassigned'), ('Former''s deal'), ('Globex app') $$,
  'a manager reads every deal of the agency');
select tests.authenticate_as('dl-member@a17.test');
select results_eq($$ select title from public.deals $$, $$ values ('Acme site') $$,
  'a member reads only the deal assigned to them');
select tests.authenticate_as('dl-other-member@a17.test');
select results_eq($$ select title from public.deals $$, $$ values ('Globex app') $$,
  'another member reads only their own deal');
select tests.authenticate_as('dl-former@a17.test');
select is_empty($$ select id from public.deals $$, 'a deactivated member reads no deal, not even the one still assigned to them');
select tests.authenticate_as('dl-outsider@b17.test');
select results_eq($$ select title from public.deals $$, $$ values ('Bravo deal') $$,
  'the owner of another agency reads only their own agency''s deals');
select tests.authenticate_as('dl-both@ab17.test');
select is((select count(*)::int from public.deals), 5, 'a manager of two agencies reads the deals of both');
select tests.authenticate_as('pat@acme17.test');
select is_empty($$ select id from public.deals $$, 'a portal contact reads no deals');
select tests.clear_authentication();
select throws_ok($$ select id from public.deals $$, '42501', null, 'an anonymous visitor cannot read deals');

-- ============================================================================================
-- insert, and the defaults a new deal takes
-- ============================================================================================
select tests.authenticate_as('dl-manager@a17.test');
select lives_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, value_cents) values (%L, %L, %L, 'Globex audit', 50000) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead')),
  'a manager adds a deal');
select tests.authenticate_as('dl-owner@a17.test');
select lives_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, value_cents) values (%L, %L, %L, 'Acme retainer', 75000) $$,
         tests.id('a'), tests.id('acme'), tests.id('a:proposal')),
  'an owner adds a deal');
select lives_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, currency, probability) values (%L, %L, %L, 'Acme in dollars', 'USD', 25) $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead')),
  'an owner adds a deal with its own currency and probability');
select tests.reset_role();
insert into tests.labels (label, id)
select lower(replace(title, ' ', '-')), id from public.deals where title in ('Globex audit', 'Acme retainer', 'Acme in dollars');

select results_eq(
  format($$ select probability, currency, created_by from public.deals where id = %L $$, tests.id('globex-audit')),
  format($$ values (10, 'GBP', %L::uuid) $$, tests.user_id('dl-manager@a17.test')),
  'a new deal takes its stage''s probability, the agency''s currency (the client has none) and its creator'
);
select results_eq(
  format($$ select probability, currency from public.deals where id = %L $$, tests.id('acme-retainer')),
  $$ values (40, 'EUR') $$,
  'a deal for a client with a currency override takes the client''s currency'
);
select results_eq(
  format($$ select probability, currency from public.deals where id = %L $$, tests.id('acme-in-dollars')),
  $$ values (25, 'USD') $$,
  'a currency and probability given on insert are kept'
);
select ok(
  (select position > (select max(position) from public.deals where stage_id = tests.id('a:lead') and id <> tests.id('acme-in-dollars'))
   from public.deals where id = tests.id('acme-in-dollars')),
  'a new deal goes to the bottom of its column'
);

select tests.authenticate_as('dl-manager@a17.test');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, probability) values (%L, %L, %L, 'Too sure', 140) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead')),
  '23514', null, 'a probability above 100 is rejected');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, probability) values (%L, %L, %L, 'Too unsure', -1) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead')),
  '23514', null, 'a negative probability is rejected');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, closed_at) values (%L, %L, %L, 'Pre-closed', now()) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead')),
  '42501', null, 'closed_at cannot be set by hand');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, created_by) values (%L, %L, %L, 'Ghost', %L) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead'), tests.user_id('dl-owner@a17.test')),
  '42501', null, 'a deal cannot claim another creator');
select tests.authenticate_as('dl-member@a17.test');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, assigned_to) values (%L, %L, %L, 'Member deal', %L) $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead'), tests.user_id('dl-member@a17.test')),
  '42501', null, 'a member cannot add a deal, not even one assigned to themself');
select tests.authenticate_as('dl-outsider@b17.test');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Outsider deal') $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead')),
  '42501', null, 'the owner of another agency cannot add a deal to this agency');
select tests.authenticate_as('pat@acme17.test');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Portal deal') $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead')),
  '42501', null, 'a portal contact cannot add a deal');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Anon deal') $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead')),
  '42501', null, 'an anonymous visitor cannot add a deal');

-- ============================================================================================
-- update
-- ============================================================================================
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set title = 'Acme website' where id = tests.id('acme-site');
select tests.authenticate_as('dl-owner@a17.test');
update public.deals set value_cents = 120000 where id = tests.id('acme-site');
select tests.authenticate_as('dl-member@a17.test');
update public.deals set title = 'Changed by member', value_cents = 1 where id = tests.id('acme-site');
select tests.authenticate_as('dl-other-member@a17.test');
update public.deals set title = 'Changed by other member' where id = tests.id('acme-site');
select tests.authenticate_as('dl-outsider@b17.test');
update public.deals set title = 'Changed by outsider' where id = tests.id('acme-site');
select tests.authenticate_as('pat@acme17.test');
update public.deals set title = 'Changed by portal' where id = tests.id('acme-site');
select tests.reset_role();
select results_eq(
  format($$ select title, value_cents from public.deals where id = %L $$, tests.id('acme-site')),
  $$ values ('Acme website', 120000::bigint) $$,
  'a manager and an owner change a deal; the assigned member, another member, the owner of another agency and a portal contact cannot'
);
select tests.clear_authentication();
select throws_ok($$ update public.deals set title = 'Anon' $$, '42501', null, 'an anonymous visitor cannot change deals');

-- ============================================================================================
-- Probability follows the stage unless set
-- ============================================================================================
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set probability = 33 where id = tests.id('acme-site');
select tests.reset_role();
select is((select probability from public.deals where id = tests.id('acme-site')), 33,
  'a manager overrides a deal''s probability within its stage');

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:proposal') where id = tests.id('acme-site');
select tests.reset_role();
select is((select probability from public.deals where id = tests.id('acme-site')), 40,
  'moving a deal resets its probability to the new stage''s default');

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:negotiation'), probability = 55 where id = tests.id('acme-site');
select tests.reset_role();
select is((select probability from public.deals where id = tests.id('acme-site')), 55,
  'a move that sets a probability keeps it');

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set title = 'Acme website relaunch' where id = tests.id('acme-site');
select tests.reset_role();
select is((select probability from public.deals where id = tests.id('acme-site')), 55,
  'editing a deal without moving it keeps its probability');

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set probability = null where id = tests.id('acme-site');
select tests.reset_role();
select is((select probability from public.deals where id = tests.id('acme-site')), 70,
  'clearing a deal''s probability goes back to its stage''s default');

select tests.authenticate_as('dl-manager@a17.test');
select throws_ok(format($$ update public.deals set probability = 140 where id = %L $$, tests.id('acme-site')),
  '23514', null, 'a probability of 140 is rejected on update too');
select lives_ok(format($$ update public.deals set probability = 100 where id = %L $$, tests.id('acme-site')),
  'an open deal may be given 100 %');
select lives_ok(format($$ update public.deals set probability = 0 where id = %L $$, tests.id('acme-site')),
  'an open deal may be given 0 %');

-- ============================================================================================
-- closed_at and the lost reason
-- ============================================================================================
select tests.freeze_time('2031-02-03 04:05:06+00');
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:won'), probability = 50 where id = tests.id('globex-audit');
select tests.reset_role();
select results_eq(
  format($$ select probability, closed_at from public.deals where id = %L $$, tests.id('globex-audit')),
  $$ values (100, '2031-02-03 04:05:06+00'::timestamptz) $$,
  'entering the won stage stamps closed_at and makes the probability 100, whatever the update said'
);

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set title = 'Globex audit (signed)' where id = tests.id('globex-audit');
select tests.reset_role();
select is((select closed_at from public.deals where id = tests.id('globex-audit')), '2031-02-03 04:05:06+00'::timestamptz,
  'editing a won deal keeps its closed_at');

select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:lead') where id = tests.id('globex-audit');
select tests.reset_role();
select results_eq(
  format($$ select probability, closed_at from public.deals where id = %L $$, tests.id('globex-audit')),
  $$ values (10, null::timestamptz) $$,
  'reopening a won deal clears closed_at and takes the open stage''s probability'
);

select tests.authenticate_as('dl-manager@a17.test');
select is(
  tests.error_of(format($$ update public.deals set stage_id = %L where id = %L $$, tests.id('a:lost'), tests.id('globex-audit'))),
  'P0001 lost_reason_required',
  'a deal cannot be lost without a reason');
select is(
  tests.error_of(format($$ update public.deals set stage_id = %L, lost_reason = '   ' where id = %L $$, tests.id('a:lost'), tests.id('globex-audit'))),
  'P0001 lost_reason_required',
  'a blank reason is no reason');
select is(
  tests.error_of(format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Born lost') $$,
                        tests.id('a'), tests.id('globex'), tests.id('a:lost'))),
  'P0001 lost_reason_required',
  'a deal cannot be added to the lost stage without a reason');
select tests.freeze_time('2031-03-04 05:06:07+00');
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:lost'), lost_reason = 'Went with a cheaper agency', probability = 30
where id = tests.id('globex-audit');
select tests.reset_role();
select results_eq(
  format($$ select probability, closed_at, lost_reason from public.deals where id = %L $$, tests.id('globex-audit')),
  $$ values (0, '2031-03-04 05:06:07+00'::timestamptz, 'Went with a cheaper agency') $$,
  'losing a deal with a reason stamps closed_at, keeps the reason and makes the probability 0'
);
select tests.authenticate_as('dl-manager@a17.test');
select is(
  tests.error_of(format($$ update public.deals set lost_reason = null where id = %L $$, tests.id('globex-audit'))),
  'P0001 lost_reason_required',
  'a lost deal keeps a reason');
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set stage_id = tests.id('a:proposal') where id = tests.id('globex-audit');
select tests.reset_role();
select results_eq(
  format($$ select probability, closed_at, lost_reason from public.deals where id = %L $$, tests.id('globex-audit')),
  $$ values (40, null::timestamptz, null::text) $$,
  'reopening a lost deal clears closed_at and the lost reason'
);
select tests.authenticate_as('dl-manager@a17.test');
update public.deals set lost_reason = 'Not lost at all' where id = tests.id('globex-audit');
select tests.reset_role();
select is((select lost_reason from public.deals where id = tests.id('globex-audit')), null,
  'an open deal carries no lost reason');

-- ============================================================================================
-- Assignees: active members of the same agency
-- ============================================================================================
select tests.authenticate_as('dl-manager@a17.test');
select lives_ok(
  format($$ update public.deals set assigned_to = %L where id = %L $$, tests.user_id('dl-other-member@a17.test'), tests.id('acme-unassigned')),
  'a manager assigns a deal to an active member');
select is(
  tests.error_of(format($$ update public.deals set assigned_to = %L where id = %L $$, tests.user_id('dl-former@a17.test'), tests.id('acme-unassigned'))),
  'P0001 assignee_not_active',
  'a deal cannot be assigned to a deactivated member');
select is(
  tests.error_of(format($$ insert into public.deals (agency_id, client_id, stage_id, title, assigned_to) values (%L, %L, %L, 'For the former', %L) $$,
                        tests.id('a'), tests.id('globex'), tests.id('a:lead'), tests.user_id('dl-former@a17.test'))),
  'P0001 assignee_not_active',
  'a new deal cannot be assigned to a deactivated member');
select is(
  tests.error_of(format($$ update public.deals set assigned_to = %L where id = %L $$, tests.user_id('dl-outsider@b17.test'), tests.id('acme-unassigned'))),
  'P0001 assignee_not_active',
  'a deal cannot be assigned to someone of another agency');
select is(
  tests.error_of(format($$ update public.deals set assigned_to = %L where id = %L $$, tests.user_id('pat@acme17.test'), tests.id('acme-unassigned'))),
  'P0001 assignee_not_active',
  'a deal cannot be assigned to a portal contact');
select lives_ok(
  format($$ update public.deals set value_cents = 5000 where id = %L $$, tests.id('formers-deal')),
  'a deal still assigned to a since deactivated member can be edited');
select lives_ok(
  format($$ update public.deals set assigned_to = null where id = %L $$, tests.id('formers-deal')),
  'and unassigned');
select tests.reset_role();
select is((select assigned_to from public.deals where id = tests.id('acme-unassigned')), tests.user_id('dl-other-member@a17.test'),
  'the refused assignments left the deal with its active assignee');
select fk_ok('public', 'deals', array['agency_id', 'assigned_to'], 'public', 'agency_members', array['agency_id', 'user_id'],
  'the assignee is a membership of the deal''s own agency (composite foreign key)');
-- With the assignment rule switched off, the foreign key alone still refuses another agency's member.
alter table public.deals disable trigger deals_apply_stage_rules;
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, currency, probability, assigned_to)
            values (%L, %L, %L, 'FK only', 'GBP', 10, %L) $$,
         tests.id('a'), tests.id('globex'), tests.id('a:lead'), tests.user_id('dl-outsider@b17.test')),
  '23503', null,
  'the composite foreign key rejects an assignee who is only a member of another agency');
alter table public.deals enable trigger deals_apply_stage_rules;

-- ============================================================================================
-- Deals cannot cross agencies, not even for a manager of both
-- ============================================================================================
select tests.authenticate_as('dl-both@ab17.test');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Crossed client') $$,
         tests.id('a'), tests.id('bravo'), tests.id('a:lead')),
  '23503', null, 'a deal of agency A cannot be for a client of agency B');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title) values (%L, %L, %L, 'Crossed stage') $$,
         tests.id('a'), tests.id('acme'), tests.id('b:lead')),
  '23503', null, 'a deal of agency A cannot sit in a stage of agency B');
select throws_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, template_id) values (%L, %L, %L, 'Crossed template', %L) $$,
         tests.id('a'), tests.id('acme'), tests.id('a:lead'), tests.id('b:template')),
  '23503', null, 'a deal of agency A cannot use a project template of agency B');
select throws_ok(
  format($$ update public.deals set client_id = %L where id = %L $$, tests.id('bravo'), tests.id('acme-unassigned')),
  '23503', null, 'a deal cannot be moved to another agency''s client');
select throws_ok(
  format($$ update public.deals set stage_id = %L where id = %L $$, tests.id('b:proposal'), tests.id('acme-unassigned')),
  '23503', null, 'a deal cannot be moved into another agency''s stage');
select throws_ok(
  format($$ update public.deals set agency_id = %L where id = %L $$, tests.id('b'), tests.id('acme-unassigned')),
  '42501', null, 'a deal cannot be handed to another agency');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, %L) $$, tests.id('acme-unassigned'), tests.id('b:won'))),
  'P0001 unknown_stage',
  'move_deal does not find another agency''s stage by id');
select tests.reset_role();
select results_eq(
  format($$ select agency_id, client_id, stage_id from public.deals where id = %L $$, tests.id('acme-unassigned')),
  format($$ values (%L::uuid, %L::uuid, %L::uuid) $$, tests.id('a'), tests.id('acme'), tests.id('a:negotiation')),
  'the deal is still agency A''s, for its client, in its stage'
);

-- ============================================================================================
-- move_deal
-- ============================================================================================
select tests.authenticate_as('dl-manager@a17.test');
select results_eq(
  format($$ select deal_id, project_id, project_created from public.move_deal(%L, 'proposal') $$, tests.id('acme-in-dollars')),
  format($$ values (%L::uuid, null::uuid, false) $$, tests.id('acme-in-dollars')),
  'move_deal by stage key returns the deal and no project for an open stage'
);
select tests.reset_role();
select results_eq(
  format($$ select stage_id, probability from public.deals where id = %L $$, tests.id('acme-in-dollars')),
  format($$ values (%L::uuid, 40) $$, tests.id('a:proposal')),
  'the deal is in the proposal stage with its probability'
);
select tests.authenticate_as('dl-manager@a17.test');
select lives_ok(
  format($$ select * from public.move_deal(%L, %L, null, 0.5) $$, tests.id('acme-in-dollars'), tests.id('a:negotiation')::text),
  'move_deal by stage id, with a position');
select tests.reset_role();
select results_eq(
  format($$ select stage_id, position from public.deals where id = %L $$, tests.id('acme-in-dollars')),
  format($$ values (%L::uuid, 0.5::double precision) $$, tests.id('a:negotiation')),
  'the deal is in the negotiation stage at the given position'
);
select tests.authenticate_as('dl-manager@a17.test');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'nowhere') $$, tests.id('acme-in-dollars'))),
  'P0001 unknown_stage',
  'move_deal to a stage that does not exist is refused');
select throws_ok(
  format($$ select * from public.move_deal(%L, 'nowhere') $$, tests.id('acme-in-dollars')),
  'P0001', 'there is no stage "nowhere"',
  'the refusal names the stage');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'lost') $$, tests.id('acme-in-dollars'))),
  'P0001 lost_reason_required',
  'move_deal to lost needs a reason');
select results_eq(
  format($$ select deal_id from public.move_deal(%L, 'lost', 'Budget frozen') $$, tests.id('acme-in-dollars')),
  format($$ values (%L::uuid) $$, tests.id('acme-in-dollars')),
  'move_deal to lost with a reason');
select tests.reset_role();
select results_eq(
  format($$ select stage_id, lost_reason from public.deals where id = %L $$, tests.id('acme-in-dollars')),
  format($$ values (%L::uuid, 'Budget frozen') $$, tests.id('a:lost')),
  'the deal is lost with the reason given'
);
select tests.authenticate_as('dl-manager@a17.test');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'lead') $$, gen_random_uuid())),
  'P0002 deal_not_found',
  'move_deal of a deal that does not exist is refused with P0002');

select tests.authenticate_as('dl-member@a17.test');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'won') $$, tests.id('acme-site'))),
  '42501 manager_required',
  'a member cannot move the deal assigned to them');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'won') $$, tests.id('acme-unassigned'))),
  'P0002 deal_not_found',
  'to a member, a deal not assigned to them does not exist');
select tests.authenticate_as('dl-outsider@b17.test');
select is(
  tests.error_of(format($$ select * from public.move_deal(%L, 'won') $$, tests.id('acme-site'))),
  'P0002 deal_not_found',
  'to the owner of another agency, this agency''s deal does not exist');
select tests.clear_authentication();
select throws_ok(
  format($$ select * from public.move_deal(%L, 'won') $$, tests.id('acme-site')),
  '42501', null,
  'an anonymous visitor cannot call move_deal');
select tests.reset_role();
select is((select stage_id from public.deals where id = tests.id('acme-site')), tests.id('a:negotiation'),
  'the refused moves left the deal where it was');

-- ============================================================================================
-- delete
-- ============================================================================================
select tests.authenticate_as('dl-member@a17.test');
delete from public.deals where id = tests.id('acme-site');
select tests.authenticate_as('dl-other-member@a17.test');
delete from public.deals where id = tests.id('globex-app');
select tests.authenticate_as('dl-outsider@b17.test');
delete from public.deals where id = tests.id('acme-site');
select tests.authenticate_as('pat@acme17.test');
delete from public.deals where id = tests.id('acme-site');
select tests.reset_role();
select is(
  (select count(*)::int from public.deals where id in (tests.id('acme-site'), tests.id('globex-app'))),
  2,
  'members (even the assignee), the owner of another agency and portal contacts remove no deal'
);
select tests.authenticate_as('dl-manager@a17.test');
delete from public.deals where id = tests.id('acme-site');
select tests.authenticate_as('dl-owner@a17.test');
delete from public.deals where id = tests.id('globex-app');
select tests.clear_authentication();
select throws_ok($$ delete from public.deals $$, '42501', null, 'an anonymous visitor cannot remove deals');
select tests.reset_role();
select is_empty(format($$ select from public.deals where id = %L $$, tests.id('acme-site')), 'a manager removes a deal');
select is_empty(format($$ select from public.deals where id = %L $$, tests.id('globex-app')), 'an owner removes a deal');
select results_eq(
  format($$ select body, deal_id from public.client_activities
            where client_id = %L and event = 'deal_moved' and body like 'Deal "Acme website"%%' order by body $$, tests.id('acme')),
  $$ values ('Deal "Acme website" moved from Lead to Proposal', null::uuid),
            ('Deal "Acme website" moved from Proposal to Negotiation', null::uuid) $$,
  'a removed deal''s events stay on the timeline without the link to the deal'
);

select * from finish();
rollback;
