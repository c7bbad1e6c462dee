-- The client timeline (client_activities): who reads and writes it, command by command, for an
-- owner, a manager, a member with a deal for the client, a member with a deal for another client,
-- the owner of another agency, a portal contact and an anonymous visitor; system events that only
-- the database writes; the author stamp; and the client's last_activity_at.
begin;
select plan(55);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('tl-owner@a15.test');
select tests.create_user('tl-manager@a15.test');
select tests.create_user('tl-member@a15.test');
select tests.create_user('tl-other-member@a15.test');
select tests.create_user('tl-outsider@b15.test');
select tests.create_user('pia@acme15.test', 'Pia Portal');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('tl-owner@a15.test', 'Agency Fifteen')),
  ('b', tests.create_agency('tl-outsider@b15.test', 'Other Fifteen'));
select tests.add_member(tests.id('a'), 'tl-manager@a15.test', 'manager');
select tests.add_member(tests.id('a'), 'tl-member@a15.test', 'member');
select tests.add_member(tests.id('a'), 'tl-other-member@a15.test', 'member');

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme'), (tests.id('a'), 'Globex'), (tests.id('a'), 'Quiet'), (tests.id('b'), 'Bravo')
  returning lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

insert into public.client_contacts (agency_id, client_id, name, email, user_id, portal_access_granted_at)
values (tests.id('a'), tests.id('acme'), 'Pia Portal', 'pia@acme15.test', tests.user_id('pia@acme15.test'), now());

-- tl-member works on Acme, tl-other-member on Globex. Each deal writes a deal_created event.
insert into public.deals (agency_id, client_id, stage_id, title, assigned_to)
select tests.id('a'), x.client_id, s.id, x.title, x.assignee
from (values (tests.id('acme'), 'Acme site', tests.user_id('tl-member@a15.test')),
             (tests.id('globex'), 'Globex app', tests.user_id('tl-other-member@a15.test'))) as x (client_id, title, assignee)
join public.pipeline_stages s on s.agency_id = tests.id('a') and s.key = 'lead';

with a as (
  insert into public.client_activities (agency_id, client_id, kind, body) values
    (tests.id('a'), tests.id('acme'), 'note', 'Acme prefers calls in the morning'),
    (tests.id('a'), tests.id('globex'), 'call', 'Globex asked for a quote'),
    (tests.id('b'), tests.id('bravo'), 'note', 'Bravo note')
  returning lower(split_part(body, ' ', 1)) || ':note' as label, id
)
insert into tests.labels (label, id) select label, id from a;
insert into tests.labels (label, id)
select lower(c.name) || ':created', a.id
from public.client_activities a join public.clients c on c.id = a.client_id
where a.agency_id = tests.id('a') and a.event = 'deal_created';

-- ============================================================================================
-- select
-- ============================================================================================
select tests.authenticate_as('tl-owner@a15.test');
select set_eq($$ select id from public.client_activities $$,
  array[tests.id('acme:note'), tests.id('acme:created'), tests.id('globex:note'), tests.id('globex:created')],
  'an owner reads every timeline of the agency');
select tests.authenticate_as('tl-manager@a15.test');
select set_eq($$ select id from public.client_activities $$,
  array[tests.id('acme:note'), tests.id('acme:created'), tests.id('globex:note'), tests.id('globex:created')],
  'a manager reads every timeline of the agency');
select tests.authenticate_as('tl-member@a15.test');
select set_eq($$ select id from public.client_activities $$,
  array[tests.id('acme:note'), tests.id('acme:created')],
  'a member reads the timeline of the client of their deal (notes and system events), and no other');
-- A second deal for Acme that is not tl-member's: its events stay hidden from them.
select tests.reset_role();
insert into public.deals (agency_id, client_id, stage_id, title, value_cents, assigned_to)
select tests.id('a'), tests.id('acme'), s.id, 'Acme secret upsell', 9900000, null
from public.pipeline_stages s where s.agency_id = tests.id('a') and s.key = 'lead';
select tests.authenticate_as('tl-member@a15.test');
select is_empty($$ select id from public.client_activities where body like '%secret upsell%' $$,
  'a member does not read the events of another person''s deal on the same client');
select tests.authenticate_as('tl-owner@a15.test');
select isnt_empty($$ select id from public.client_activities where body like '%secret upsell%' $$,
  'the owner reads those events');
select tests.authenticate_as('tl-other-member@a15.test');
select is_empty(format($$ select id from public.client_activities where client_id = %L $$, tests.id('acme')),
  'a member without a deal for the client reads none of its timeline');
select set_eq($$ select id from public.client_activities $$,
  array[tests.id('globex:note'), tests.id('globex:created')],
  'that member reads the timeline of their own deal''s client');
select tests.authenticate_as('tl-outsider@b15.test');
select is_empty(format($$ select id from public.client_activities where agency_id = %L $$, tests.id('a')),
  'the owner of another agency reads none of this agency''s timelines');
select tests.authenticate_as('pia@acme15.test');
select is_empty($$ select id from public.client_activities $$,
  'a portal contact reads no timeline, not even their own client''s');
select tests.clear_authentication();
select throws_ok($$ select id from public.client_activities $$, '42501', null,
  'an anonymous visitor cannot read timelines');

-- ============================================================================================
-- insert
-- ============================================================================================
select tests.authenticate_as('tl-owner@a15.test');
select lives_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Owner note') $$,
         tests.id('a'), tests.id('acme')),
  'an owner logs a note');
select tests.authenticate_as('tl-manager@a15.test');
select lives_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body, occurred_at)
            values (%L, %L, 'call', 'Manager call', '2031-01-10 09:00:00+00') $$, tests.id('a'), tests.id('acme')),
  'a manager logs a call with the time it happened');
select lives_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'meeting', 'Manager meeting') $$,
         tests.id('a'), tests.id('acme')),
  'a manager logs a meeting');
select lives_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'email', 'Manager email') $$,
         tests.id('a'), tests.id('acme')),
  'a manager logs an email');
select is(
  tests.error_of(format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', '   ') $$,
                        tests.id('a'), tests.id('acme'))),
  '23514 -',
  'a logged activity needs a body');
select is(
  tests.error_of(format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'system', 'Fake win') $$,
                        tests.id('a'), tests.id('acme'))),
  '42501 system_event',
  'a manager cannot write a system event');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, event, body) values (%L, %L, 'note', 'deal_won', 'x') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'a manager cannot set the event name of an activity');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body, created_by) values (%L, %L, 'note', 'Ghost', %L) $$,
         tests.id('a'), tests.id('acme'), tests.user_id('tl-owner@a15.test')),
  '42501', null,
  'a manager cannot name someone else as the author');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Crossed') $$,
         tests.id('a'), tests.id('bravo')),
  '23503', null,
  'a manager cannot put another agency''s client on their agency''s timeline');

select tests.authenticate_as('tl-member@a15.test');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Member note') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'a member cannot log an activity, not even for the client of their deal');
select is(
  tests.error_of(format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'system', 'x') $$,
                        tests.id('a'), tests.id('acme'))),
  '42501 system_event',
  'a member cannot write a system event either');
select tests.authenticate_as('tl-other-member@a15.test');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Other member note') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'a member without a deal for the client cannot log an activity');
select tests.authenticate_as('tl-outsider@b15.test');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Outsider note') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'the owner of another agency cannot log an activity for this agency');
select tests.authenticate_as('pia@acme15.test');
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Portal note') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'a portal contact cannot log an activity');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, body) values (%L, %L, 'note', 'Anon note') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null,
  'an anonymous visitor cannot log an activity');

select tests.reset_role();
select results_eq(
  format($$ select kind::text, body, created_by from public.client_activities
            where client_id = %L and kind <> 'system' and body <> 'Acme prefers calls in the morning' order by body $$, tests.id('acme')),
  format($$ values ('call', 'Manager call', %1$L::uuid), ('email', 'Manager email', %1$L::uuid),
                   ('meeting', 'Manager meeting', %1$L::uuid), ('note', 'Owner note', %2$L::uuid) $$,
         tests.user_id('tl-manager@a15.test'), tests.user_id('tl-owner@a15.test')),
  'only the owner''s and the manager''s activities exist, each with its author as created_by'
);
insert into tests.labels (label, id)
select lower(replace(body, ' ', '-')), id from public.client_activities
where client_id = tests.id('acme') and body in ('Owner note', 'Manager call', 'Manager meeting', 'Manager email');

select tests.authenticate_as_service_role();
select lives_ok(
  format($$ insert into public.client_activities (agency_id, client_id, kind, event, body) values (%L, %L, 'system', 'invoice_sent', 'Invoice sent') $$,
         tests.id('a'), tests.id('globex')),
  'the service role (database code, e.g. payments) may write a system event');

-- ============================================================================================
-- update
-- ============================================================================================
select tests.authenticate_as('tl-manager@a15.test');
update public.client_activities set body = 'Owner note, corrected by the manager' where id = tests.id('owner-note');
update public.client_activities set kind = 'meeting' where id = tests.id('manager-call');
select tests.authenticate_as('tl-owner@a15.test');
update public.client_activities set occurred_at = '2031-01-11 15:00:00+00' where id = tests.id('manager-meeting');
select tests.authenticate_as('tl-member@a15.test');
update public.client_activities set body = 'Changed by member' where id = tests.id('acme:note');
select tests.authenticate_as('tl-other-member@a15.test');
update public.client_activities set body = 'Changed by other member' where id = tests.id('acme:note');
select tests.authenticate_as('tl-outsider@b15.test');
update public.client_activities set body = 'Changed by outsider' where id = tests.id('acme:note');
select tests.authenticate_as('pia@acme15.test');
update public.client_activities set body = 'Changed by portal' where id = tests.id('acme:note');
select tests.reset_role();
select results_eq(
  format($$ select body, created_by from public.client_activities where id = %L $$, tests.id('owner-note')),
  format($$ values ('Owner note, corrected by the manager', %L::uuid) $$, tests.user_id('tl-owner@a15.test')),
  'a manager edits a logged activity, which keeps its author'
);
select is((select kind::text from public.client_activities where id = tests.id('manager-call')), 'meeting',
  'a manager changes what kind of activity it was');
select is((select occurred_at from public.client_activities where id = tests.id('manager-meeting')), '2031-01-11 15:00:00+00'::timestamptz,
  'an owner corrects when an activity happened');
select is((select body from public.client_activities where id = tests.id('acme:note')), 'Acme prefers calls in the morning',
  'members, the owner of another agency and portal contacts change no activity');

select tests.authenticate_as('tl-manager@a15.test');
select is(
  tests.error_of(format($$ update public.client_activities set body = 'Rewritten history' where id = %L $$, tests.id('acme:created'))),
  '42501 system_event',
  'a manager cannot edit a system event');
select is(
  tests.error_of(format($$ update public.client_activities set kind = 'system' where id = %L $$, tests.id('manager-email'))),
  '42501 system_event',
  'a manager cannot turn a logged activity into a system event');
select throws_ok(
  format($$ update public.client_activities set created_by = %L where id = %L $$, tests.user_id('tl-manager@a15.test'), tests.id('owner-note')),
  '42501', null,
  'a manager cannot change the author of an activity');
select throws_ok(
  format($$ update public.client_activities set client_id = %L where id = %L $$, tests.id('globex'), tests.id('owner-note')),
  '42501', null,
  'a manager cannot move an activity to another client');
select tests.authenticate_as('tl-owner@a15.test');
select is(
  tests.error_of(format($$ update public.client_activities set occurred_at = now() - interval '1 day' where id = %L $$, tests.id('acme:created'))),
  '42501 system_event',
  'an owner cannot backdate a system event');
select tests.clear_authentication();
select throws_ok($$ update public.client_activities set body = 'Anon' $$, '42501', null,
  'an anonymous visitor cannot edit activities');
select tests.reset_role();
select is((select body from public.client_activities where id = tests.id('acme:created')), 'Deal "Acme site" added in Lead',
  'the system event is unchanged');

-- ============================================================================================
-- delete
-- ============================================================================================
select tests.authenticate_as('tl-member@a15.test');
delete from public.client_activities where id = tests.id('acme:note');
select tests.authenticate_as('tl-other-member@a15.test');
delete from public.client_activities where id = tests.id('acme:note');
select tests.authenticate_as('tl-outsider@b15.test');
delete from public.client_activities where id = tests.id('acme:note');
select tests.authenticate_as('pia@acme15.test');
delete from public.client_activities where id = tests.id('acme:note');
select tests.reset_role();
select isnt_empty(format($$ select from public.client_activities where id = %L $$, tests.id('acme:note')),
  'members, the owner of another agency and portal contacts delete no activity');

select tests.authenticate_as('tl-manager@a15.test');
delete from public.client_activities where id = tests.id('manager-email');
select tests.authenticate_as('tl-owner@a15.test');
delete from public.client_activities where id = tests.id('owner-note');
select tests.reset_role();
select is_empty(format($$ select from public.client_activities where id = %L $$, tests.id('manager-email')),
  'a manager removes a logged activity');
select is_empty(format($$ select from public.client_activities where id = %L $$, tests.id('owner-note')),
  'an owner removes a logged activity');

select tests.authenticate_as('tl-manager@a15.test');
select is(
  tests.error_of(format($$ delete from public.client_activities where id = %L $$, tests.id('acme:created'))),
  '42501 system_event',
  'a manager cannot remove a system event');
select tests.authenticate_as('tl-owner@a15.test');
select is(
  tests.error_of(format($$ delete from public.client_activities where client_id = %L $$, tests.id('acme'))),
  '42501 system_event',
  'an owner cannot clear a timeline that holds system events');
select tests.clear_authentication();
select throws_ok($$ delete from public.client_activities $$, '42501', null, 'an anonymous visitor cannot delete activities');
select tests.reset_role();
select isnt_empty(format($$ select from public.client_activities where id = %L $$, tests.id('acme:created')),
  'the system event is still there');
select isnt_empty(format($$ select from public.client_activities where id = %L $$, tests.id('manager-meeting')),
  'the refused bulk delete removed nothing');

-- ============================================================================================
-- System events written by the database are stamped with whoever caused them
-- ============================================================================================
select tests.authenticate_as('tl-manager@a15.test');
select lives_ok(format($$ select public.move_deal(id, 'proposal') from public.deals where client_id = %L and title = 'Acme site' $$, tests.id('acme')),
  'a manager moves a deal, which writes a system event');
select tests.reset_role();
select results_eq(
  format($$ select kind::text, event, created_by from public.client_activities where client_id = %L and event = 'deal_moved' $$,
         tests.id('acme')),
  format($$ values ('system', 'deal_moved', %L::uuid) $$, tests.user_id('tl-manager@a15.test')),
  'the system event names the manager who moved the deal as its author'
);
select tests.authenticate_as('tl-member@a15.test');
select isnt_empty(format($$ select from public.client_activities where client_id = %L and event = 'deal_moved' $$, tests.id('acme')),
  'the member sees the new event on their client''s timeline');

-- ============================================================================================
-- last_activity_at follows the timeline
-- ============================================================================================
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), null,
  'a client without activities has no last_activity_at');

select tests.authenticate_as('tl-manager@a15.test');
insert into public.client_activities (agency_id, client_id, kind, body, occurred_at)
values (tests.id('a'), tests.id('quiet'), 'call', 'First call', '2031-05-01 10:00:00+00');
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), '2031-05-01 10:00:00+00'::timestamptz,
  'logging an activity sets last_activity_at to when it happened');

select tests.authenticate_as('tl-manager@a15.test');
insert into public.client_activities (agency_id, client_id, kind, body, occurred_at)
values (tests.id('a'), tests.id('quiet'), 'note', 'Older note, logged late', '2031-04-01 10:00:00+00');
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), '2031-05-01 10:00:00+00'::timestamptz,
  'logging an older activity leaves last_activity_at at the newest one');

select tests.authenticate_as('tl-manager@a15.test');
update public.client_activities set occurred_at = '2031-06-01 10:00:00+00' where client_id = tests.id('quiet') and body = 'Older note, logged late';
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), '2031-06-01 10:00:00+00'::timestamptz,
  'moving an activity later moves last_activity_at with it');

select tests.authenticate_as('tl-manager@a15.test');
delete from public.client_activities where client_id = tests.id('quiet') and body = 'Older note, logged late';
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), '2031-05-01 10:00:00+00'::timestamptz,
  'removing the newest activity falls back to the next newest');

select tests.authenticate_as('tl-manager@a15.test');
delete from public.client_activities where client_id = tests.id('quiet');
select tests.reset_role();
select is((select last_activity_at from public.clients where id = tests.id('quiet')), null,
  'removing every activity clears last_activity_at');

select * from finish();
rollback;
