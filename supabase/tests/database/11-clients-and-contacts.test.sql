-- RLS on clients and client_contacts, command by command, for every kind of caller: owner,
-- manager, a member with an assigned deal, a member without one, a deactivated manager, the owner of another agency, a manager of two agencies,
-- a portal contact and an anonymous visitor.
begin;
select plan(74);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('cc-owner@a11.test');
select tests.create_user('cc-manager@a11.test');
select tests.create_user('cc-member@a11.test');
select tests.create_user('cc-idle@a11.test');
select tests.create_user('cc-deactivated@a11.test');
select tests.create_user('cc-outsider@b11.test');
select tests.create_user('cc-both@ab11.test');
select tests.create_user('pat@acme11.test', 'Pat Portal');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('cc-owner@a11.test', 'Agency Eleven')),
  ('b', tests.create_agency('cc-outsider@b11.test', 'Other Eleven'));
select tests.add_member(tests.id('a'), 'cc-manager@a11.test', 'manager');
select tests.add_member(tests.id('a'), 'cc-member@a11.test', 'member');
select tests.add_member(tests.id('a'), 'cc-idle@a11.test', 'member');
select tests.add_member(tests.id('a'), 'cc-deactivated@a11.test', 'manager');
select tests.add_member(tests.id('a'), 'cc-both@ab11.test', 'manager');
select tests.add_member(tests.id('b'), 'cc-both@ab11.test', 'manager');
-- A deactivated manager: the role would allow everything below, the deactivation must not.
update public.agency_members set is_active = false where user_id = tests.user_id('cc-deactivated@a11.test');

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme'), (tests.id('a'), 'Globex'), (tests.id('b'), 'Initech')
  returning name, id
)
insert into tests.labels (label, id) select lower(name), id from c;

-- Members read the clients (and their contacts) of the deals assigned to them: cc-member has a
-- deal for Acme, cc-idle has none.
insert into public.deals (agency_id, client_id, stage_id, title, assigned_to)
select tests.id('a'), tests.id('acme'), s.id, 'Acme relaunch', tests.user_id('cc-member@a11.test')
from public.pipeline_stages s where s.agency_id = tests.id('a') and s.key = 'lead';

with c as (
  insert into public.client_contacts (agency_id, client_id, name, email, user_id, portal_access_granted_at) values
    (tests.id('a'), tests.id('acme'), 'Pat Portal', 'pat@acme11.test', tests.user_id('pat@acme11.test'), now()),
    (tests.id('a'), tests.id('acme'), 'Cora Contact', 'cora@acme11.test', null, null),
    (tests.id('a'), tests.id('globex'), 'Gil Globex', null, null, null),
    (tests.id('b'), tests.id('initech'), 'Ian Initech', null, null, null)
  returning split_part(name, ' ', 1), id
)
insert into tests.labels (label, id) select lower(split_part), id from c;

-- ============================================================================================
-- clients: select
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
select results_eq($$ select name from public.clients order by name $$, $$ values ('Acme'), ('Globex') $$,
  'an owner reads the agency''s clients');
select tests.authenticate_as('cc-manager@a11.test');
select results_eq($$ select name from public.clients order by name $$, $$ values ('Acme'), ('Globex') $$,
  'a manager reads the agency''s clients');
select tests.authenticate_as('cc-member@a11.test');
select results_eq($$ select name from public.clients order by name $$, $$ values ('Acme') $$,
  'a member reads the client of the deal assigned to them and no other client of the agency');
select tests.authenticate_as('cc-idle@a11.test');
select is_empty($$ select id from public.clients $$, 'a member without an assigned deal reads no client');
select tests.authenticate_as('cc-deactivated@a11.test');
select is_empty($$ select id from public.clients $$, 'a deactivated manager reads no clients');
select tests.authenticate_as('cc-outsider@b11.test');
select results_eq($$ select name from public.clients $$, $$ values ('Initech') $$,
  'the owner of another agency reads only their own clients');
select tests.authenticate_as('cc-both@ab11.test');
select results_eq($$ select name from public.clients order by name $$, $$ values ('Acme'), ('Globex'), ('Initech') $$,
  'a manager of two agencies reads the clients of both');
select tests.authenticate_as('pat@acme11.test');
select is_empty($$ select id from public.clients $$,
  'a portal contact reads no client row directly, not even their own (the rows hold internal notes)');
select results_eq($$ select client_name from public.portal_access() $$, $$ values ('Acme') $$,
  'portal_access() gives a portal contact the name of their own client');
select tests.clear_authentication();
select throws_ok($$ select id from public.clients $$, '42501', null, 'an anonymous visitor cannot read clients');

-- ============================================================================================
-- clients: insert
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
select lives_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Owner Co') $$, tests.id('a')),
  'an owner adds a client');
select tests.authenticate_as('cc-manager@a11.test');
select lives_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Manager Co') $$, tests.id('a')),
  'a manager adds a client');
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Foreign Co') $$, tests.id('b')),
  '42501', null, 'a manager cannot add a client to an agency they are not in');
select throws_ok(
  format($$ insert into public.clients (agency_id, name, archived_at) values (%L, 'Archived Co', now()) $$, tests.id('a')),
  '42501', null, 'a manager can only set the granted columns on insert');
select tests.authenticate_as('cc-member@a11.test');
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Member Co') $$, tests.id('a')),
  '42501', null, 'a member cannot add a client');
select tests.authenticate_as('cc-deactivated@a11.test');
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Deactivated Co') $$, tests.id('a')),
  '42501', null, 'a deactivated manager cannot add a client');
select tests.authenticate_as('cc-outsider@b11.test');
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Outsider Co') $$, tests.id('a')),
  '42501', null, 'the owner of another agency cannot add a client to this agency');
select tests.authenticate_as('pat@acme11.test');
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Portal Co') $$, tests.id('a')),
  '42501', null, 'a portal contact cannot add a client');
select tests.clear_authentication();
select throws_ok(format($$ insert into public.clients (agency_id, name) values (%L, 'Anon Co') $$, tests.id('a')),
  '42501', null, 'an anonymous visitor cannot add a client');
select tests.reset_role();
select results_eq(
  format($$ select name from public.clients where agency_id = %L order by name $$, tests.id('a')),
  $$ values ('Acme'), ('Globex'), ('Manager Co'), ('Owner Co') $$,
  'only the owner''s and the manager''s new clients exist'
);

-- ============================================================================================
-- clients: update
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
update public.clients set name = 'Globex Corp' where id = tests.id('globex');
select tests.authenticate_as('cc-manager@a11.test');
update public.clients set archived_at = '2031-01-01 00:00:00+00' where name = 'Owner Co';
select tests.authenticate_as('cc-member@a11.test');
update public.clients set name = 'Renamed by member' where id = tests.id('acme');
select tests.authenticate_as('cc-deactivated@a11.test');
update public.clients set name = 'Renamed by deactivated' where id = tests.id('acme');
select tests.authenticate_as('cc-outsider@b11.test');
update public.clients set name = 'Renamed by outsider' where id = tests.id('acme');
select tests.authenticate_as('pat@acme11.test');
update public.clients set name = 'Renamed by portal' where id = tests.id('acme');
select tests.reset_role();
select is((select name from public.clients where id = tests.id('globex')), 'Globex Corp',
  'an owner renames a client');
select is((select archived_at from public.clients where name = 'Owner Co'), '2031-01-01 00:00:00+00'::timestamptz,
  'a manager archives a client');
select is_empty($$ select id from public.clients where name = 'Renamed by member' $$,
  'a member''s update changes no client');
select is_empty($$ select id from public.clients where name = 'Renamed by deactivated' $$,
  'a deactivated manager''s update changes no client');
select is_empty($$ select id from public.clients where name = 'Renamed by outsider' $$,
  'another agency''s owner''s update changes no client');
select is_empty($$ select id from public.clients where name = 'Renamed by portal' $$,
  'a portal contact''s update changes not even their own client');
select is((select name from public.clients where id = tests.id('acme')), 'Acme',
  'the client everybody tried to rename keeps its name');

select tests.authenticate_as('cc-both@ab11.test');
select throws_ok(format($$ update public.clients set agency_id = %L where id = %L $$, tests.id('b'), tests.id('acme')),
  '42501', null, 'not even a manager of both agencies can move a client to another agency');
select tests.clear_authentication();
select throws_ok($$ update public.clients set name = 'Anon' $$, '42501', null,
  'an anonymous visitor cannot update clients');

-- ============================================================================================
-- clients: delete (never; clients are archived)
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
select throws_ok(format($$ delete from public.clients where id = %L $$, tests.id('globex')), '42501', null,
  'an owner cannot delete a client');
select tests.authenticate_as('cc-manager@a11.test');
select throws_ok(format($$ delete from public.clients where id = %L $$, tests.id('globex')), '42501', null,
  'a manager cannot delete a client');
select tests.authenticate_as('cc-member@a11.test');
select throws_ok(format($$ delete from public.clients where id = %L $$, tests.id('globex')), '42501', null,
  'a member cannot delete a client');
select tests.clear_authentication();
select throws_ok($$ delete from public.clients $$, '42501', null, 'an anonymous visitor cannot delete clients');

-- ============================================================================================
-- client_contacts: select
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
select results_eq($$ select name from public.client_contacts order by name $$,
  $$ values ('Cora Contact'), ('Gil Globex'), ('Pat Portal') $$,
  'an owner reads the agency''s contacts');
select tests.authenticate_as('cc-manager@a11.test');
select results_eq($$ select name from public.client_contacts order by name $$,
  $$ values ('Cora Contact'), ('Gil Globex'), ('Pat Portal') $$,
  'a manager reads the agency''s contacts');
select tests.authenticate_as('cc-member@a11.test');
select results_eq($$ select name from public.client_contacts order by name $$,
  $$ values ('Cora Contact'), ('Pat Portal') $$,
  'a member reads the contacts of their deal''s client and no other contact of the agency');
select tests.authenticate_as('cc-idle@a11.test');
select is_empty($$ select id from public.client_contacts $$, 'a member without an assigned deal reads no contact');
select tests.authenticate_as('cc-deactivated@a11.test');
select is_empty($$ select id from public.client_contacts $$, 'a deactivated manager reads no contacts');
select tests.authenticate_as('cc-outsider@b11.test');
select results_eq($$ select name from public.client_contacts $$, $$ values ('Ian Initech') $$,
  'the owner of another agency reads only their own contacts');
select tests.authenticate_as('pat@acme11.test');
select is_empty($$ select id from public.client_contacts $$,
  'a portal contact reads no contact row directly, not even their own');
select tests.clear_authentication();
select throws_ok($$ select id from public.client_contacts $$, '42501', null,
  'an anonymous visitor cannot read contacts');

-- ============================================================================================
-- client_contacts: insert
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
select lives_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Olga Owned') $$,
         tests.id('a'), tests.id('globex')),
  'an owner adds a contact');
select tests.authenticate_as('cc-manager@a11.test');
select lives_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name, email) values (%L, %L, 'Mia Managed', 'mia@acme11.test') $$,
         tests.id('a'), tests.id('acme')),
  'a manager adds a contact');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name, user_id) values (%L, %L, 'Self Linked', %L) $$,
         tests.id('a'), tests.id('acme'), tests.user_id('cc-manager@a11.test')),
  '42501', null,
  'a manager cannot link an account to a contact directly (only an accepted invitation does)');
select tests.authenticate_as('cc-member@a11.test');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Member Made') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'a member cannot add a contact');
select tests.authenticate_as('cc-deactivated@a11.test');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Deactivated Made') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'a deactivated manager cannot add a contact');
select tests.authenticate_as('pat@acme11.test');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Portal Made') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'a portal contact cannot add a contact');
select tests.authenticate_as('cc-outsider@b11.test');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Outsider Made') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'the owner of another agency cannot add a contact with this agency''s id');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Smuggled') $$,
         tests.id('b'), tests.id('acme')),
  '23503', null, 'the owner of another agency cannot attach their own contact to this agency''s client');
select tests.authenticate_as('cc-both@ab11.test');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Crossed A') $$,
         tests.id('a'), tests.id('initech')),
  '23503', null, 'a manager of both agencies cannot give an agency A contact a client of agency B');
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Crossed B') $$,
         tests.id('b'), tests.id('acme')),
  '23503', null, 'a manager of both agencies cannot give an agency B contact a client of agency A');
select throws_ok(
  format($$ update public.client_contacts set client_id = %L where id = %L $$, tests.id('initech'), tests.id('cora')),
  '42501', null, 'a manager of both agencies cannot move agency A''s contact to agency B''s client');
select throws_ok(
  format($$ update public.client_contacts set agency_id = %L, client_id = %L where id = %L $$,
         tests.id('b'), tests.id('initech'), tests.id('cora')),
  '42501', null, 'a manager of both agencies cannot move a contact to the other agency');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.client_contacts (agency_id, client_id, name) values (%L, %L, 'Anon Made') $$,
         tests.id('a'), tests.id('acme')),
  '42501', null, 'an anonymous visitor cannot add a contact');
select tests.reset_role();
select results_eq(
  $$ select name from public.client_contacts order by name $$,
  $$ values ('Cora Contact'), ('Gil Globex'), ('Ian Initech'), ('Mia Managed'), ('Olga Owned'), ('Pat Portal') $$,
  'only the owner''s and the manager''s new contacts exist'
);
select is((select client_id from public.client_contacts where id = tests.id('cora')), tests.id('acme'),
  'the contact stays with its client');

-- ============================================================================================
-- client_contacts: update
-- ============================================================================================
select tests.authenticate_as('cc-owner@a11.test');
update public.client_contacts set phone = '+49 30 123456' where id = tests.id('gil');
select tests.authenticate_as('cc-manager@a11.test');
update public.client_contacts set email = 'cora.c@acme11.test' where id = tests.id('cora');
select tests.authenticate_as('cc-member@a11.test');
update public.client_contacts set name = 'Changed by member' where id = tests.id('cora');
select tests.authenticate_as('cc-deactivated@a11.test');
update public.client_contacts set name = 'Changed by deactivated' where id = tests.id('cora');
select tests.authenticate_as('cc-outsider@b11.test');
update public.client_contacts set name = 'Changed by outsider' where id = tests.id('cora');
select tests.authenticate_as('pat@acme11.test');
update public.client_contacts set name = 'Changed by portal' where id in (tests.id('cora'), tests.id('pat'));
select tests.reset_role();
select is((select phone from public.client_contacts where id = tests.id('gil')), '+49 30 123456',
  'an owner updates a contact');
select is((select email from public.client_contacts where id = tests.id('cora')), 'cora.c@acme11.test',
  'a manager updates a contact');
select is_empty($$ select id from public.client_contacts where name = 'Changed by member' $$,
  'a member''s update changes no contact');
select is_empty($$ select id from public.client_contacts where name = 'Changed by deactivated' $$,
  'a deactivated manager''s update changes no contact');
select is_empty($$ select id from public.client_contacts where name = 'Changed by outsider' $$,
  'another agency''s owner''s update changes no contact');
select is_empty($$ select id from public.client_contacts where name = 'Changed by portal' $$,
  'a portal contact''s update changes no contact, not even their own');

select tests.authenticate_as('cc-manager@a11.test');
select throws_ok(
  format($$ update public.client_contacts set user_id = %L where id = %L $$, tests.user_id('cc-manager@a11.test'), tests.id('cora')),
  '42501', null, 'a manager cannot link an account to a contact by update');
select throws_ok(
  format($$ update public.client_contacts set portal_access_revoked_at = null where id = %L $$, tests.id('pat')),
  '42501', null, 'a manager cannot change portal access columns directly');
select tests.clear_authentication();
select throws_ok($$ update public.client_contacts set name = 'Anon' $$, '42501', null,
  'an anonymous visitor cannot update contacts');

-- ============================================================================================
-- client_contacts: delete (owners and managers, only contacts that never had a portal account)
-- ============================================================================================
select tests.reset_role();
insert into tests.labels (label, id) select 'mia', id from public.client_contacts where name = 'Mia Managed';
insert into tests.labels (label, id) select 'olga', id from public.client_contacts where name = 'Olga Owned';
select tests.authenticate_as('cc-member@a11.test');
delete from public.client_contacts where id = tests.id('cora');
select tests.authenticate_as('cc-deactivated@a11.test');
delete from public.client_contacts where id = tests.id('mia');
select tests.authenticate_as('cc-outsider@b11.test');
delete from public.client_contacts where id = tests.id('olga');
select tests.authenticate_as('pat@acme11.test');
delete from public.client_contacts where id in (tests.id('cora'), tests.id('mia'), tests.id('pat'));
select tests.reset_role();
select isnt_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('cora')),
  'a member cannot delete a contact');
select isnt_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('mia')),
  'a deactivated manager cannot delete a contact');
select isnt_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('olga')),
  'the owner of another agency cannot delete this agency''s contact');
select is(
  (select count(*)::int from public.client_contacts where id in (tests.id('cora'), tests.id('mia'), tests.id('pat'))),
  3,
  'a portal contact deletes no contact, not even their own'
);

select tests.authenticate_as('cc-manager@a11.test');
delete from public.client_contacts where id = tests.id('cora');
delete from public.client_contacts where id = tests.id('pat');
delete from public.client_contacts where id = tests.id('ian');
select tests.authenticate_as('cc-owner@a11.test');
delete from public.client_contacts where id = tests.id('gil');
select tests.reset_role();
select is_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('cora')),
  'a manager deletes a contact that never had portal access');
select is_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('gil')),
  'an owner deletes a contact that never had portal access');
select isnt_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('pat')),
  'a contact linked to a portal account cannot be deleted, even by a manager');
select isnt_empty(format($$ select from public.client_contacts where id = %L $$, tests.id('ian')),
  'a manager cannot delete another agency''s contact');
select tests.clear_authentication();
select throws_ok($$ delete from public.client_contacts $$, '42501', null,
  'an anonymous visitor cannot delete contacts');

select * from finish();
rollback;
