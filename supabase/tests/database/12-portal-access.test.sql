-- Client portal access: inviting a contact, the portal email and preview, accepting as the
-- contact's account, exactly what a portal user can then read (no client or contact rows: the
-- portal reads through public.portal_access()), revoking and restoring access.
begin;
select plan(58);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('pa-owner@a12.test');
select tests.create_user('pa-manager@a12.test');
select tests.create_user('pa-member@a12.test');
select tests.create_user('pa-outsider@b12.test');
select tests.create_user('paula@pinnacle12.test', 'Paula Portal');
select tests.create_user('otto@other12.test');
select tests.create_user('intruder@x12.test');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('pa-owner@a12.test', 'Agency Twelve')),
  ('b', tests.create_agency('pa-outsider@b12.test', 'Other Twelve'));
select tests.add_member(tests.id('a'), 'pa-manager@a12.test', 'manager');
select tests.add_member(tests.id('a'), 'pa-member@a12.test', 'member');
update public.agencies set brand_color = '#c0ffee' where id = tests.id('a');

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Pinnacle'), (tests.id('a'), 'Other Client'), (tests.id('b'), 'Bravo')
  returning lower(split_part(name, ' ', 1)) as label, id
)
insert into tests.labels (label, id) select label, id from c;

with c as (
  insert into public.client_contacts (agency_id, client_id, name, email) values
    (tests.id('a'), tests.id('pinnacle'), 'Paula Portal', 'paula@pinnacle12.test'),
    (tests.id('a'), tests.id('pinnacle'), 'Quinn Nomail', null),
    (tests.id('a'), tests.id('other'), 'Otto Other', 'otto@other12.test'),
    (tests.id('b'), tests.id('bravo'), 'Bea Bravo', 'bea@bravo12.test')
  returning lower(split_part(name, ' ', 1)) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- ============================================================================================
-- invite_portal_contact
-- ============================================================================================
select tests.authenticate_as('pa-member@a12.test');
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('paula'))),
  '42501 manager_required',
  'a member cannot invite a contact to the portal'
);
select tests.authenticate_as('pa-outsider@b12.test');
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('paula'))),
  '42501 manager_required',
  'the owner of another agency cannot invite this agency''s contact'
);
select tests.clear_authentication();
select throws_ok(
  format($$ select public.invite_portal_contact(%L) $$, tests.id('paula')),
  '42501', null,
  'an anonymous visitor cannot invite a contact'
);

select tests.authenticate_as('pa-manager@a12.test');
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('quinn'))),
  'P0001 contact_email_missing',
  'a contact without an email cannot be invited'
);
select lives_ok(
  format($$ select public.invite_portal_contact(%L) $$, tests.id('paula')),
  'a manager invites a contact to the portal'
);
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('paula'))),
  'P0001 already_invited',
  'a contact with a pending invitation cannot be invited again'
);
select tests.authenticate_as('pa-owner@a12.test');
select lives_ok(
  format($$ select public.invite_portal_contact(%L) $$, tests.id('otto')),
  'an owner invites a contact to the portal'
);

select tests.reset_role();
select tests.capture_invitation_token('paula', 'paula@pinnacle12.test');
select tests.capture_invitation_token('otto', 'otto@other12.test');

select results_eq(
  format($$ select agency_id, email, name, role, client_contact_id, invited_by from public.invitations
            where client_contact_id = %L $$, tests.id('paula')),
  format($$ values (%L::uuid, 'paula@pinnacle12.test', 'Paula Portal', null::public.agency_role, %L::uuid, %L::uuid) $$,
         tests.id('a'), tests.id('paula'), tests.user_id('pa-manager@a12.test')),
  'the portal invitation names the contact, has no staff role and records the inviter'
);
select is(
  (select count(*)::int from private.email_outbox where to_email = 'paula@pinnacle12.test'),
  1,
  'exactly one email is queued for the contact'
);
select results_eq(
  $$ select template, data ->> 'agency_name', data ->> 'brand_color', data ->> 'invitee_name'
     from private.email_outbox where to_email = 'paula@pinnacle12.test' $$,
  $$ values ('portal_invitation', 'Agency Twelve', '#c0ffee', 'Paula Portal') $$,
  'the email is a portal invitation with the agency''s branding'
);
select is(
  extensions.digest(tests.invitation_token('paula'), 'sha256'),
  (select token_hash from public.invitations where client_contact_id = tests.id('paula')),
  'the stored hash is the SHA-256 of the token in the email'
);

select tests.clear_authentication();
select results_eq(
  format($$ select agency_name, email, role, kind, status from public.invitation_preview(%L) $$, tests.invitation_token('paula')),
  $$ values ('Agency Twelve', 'paula@pinnacle12.test', null::public.agency_role, 'portal', 'pending') $$,
  'the preview shows a pending portal invitation without a role'
);

-- ============================================================================================
-- accept_invitation (portal)
-- ============================================================================================
select tests.authenticate_as('paula@pinnacle12.test');
select is_empty($$ select id from public.clients $$, 'before accepting, the contact''s account sees no client');
select is_empty($$ select client_id from public.portal_access() $$, 'before accepting, portal_access() is empty');

select tests.authenticate_as('intruder@x12.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('paula'))),
  'P0001 invitation_email_mismatch',
  'another account cannot take over the contact''s portal invitation'
);

select tests.authenticate_as('paula@pinnacle12.test');
select results_eq(
  format($$ select agency_id, kind from public.accept_invitation(%L) $$, tests.invitation_token('paula')),
  format($$ values (%L::uuid, 'portal') $$, tests.id('a')),
  'the contact accepts the portal invitation'
);

select tests.reset_role();
select ok(
  (select user_id = tests.user_id('paula@pinnacle12.test') and portal_access_granted_at is not null
     and portal_access_revoked_at is null
   from public.client_contacts where id = tests.id('paula')),
  'accepting links the account to the contact and grants portal access'
);
select ok(
  (select accepted_at is not null and accepted_by = tests.user_id('paula@pinnacle12.test')
   from public.invitations where client_contact_id = tests.id('paula')),
  'the portal invitation records when and by whom it was accepted'
);
select is_empty(
  $$ select id from public.agency_members where user_id = tests.user_id('paula@pinnacle12.test') $$,
  'a portal contact does not become a member of the agency'
);
select tests.authenticate_as('pa-manager@a12.test');
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('paula'))),
  'P0001 portal_access_active',
  'a contact who already has portal access cannot be invited again'
);

-- ============================================================================================
-- What a portal user can read
-- ============================================================================================
select tests.authenticate_as('paula@pinnacle12.test');
select is_empty(
  $$ select id from public.clients $$,
  'the portal user reads no client row directly, not even their own (the rows hold internal notes)'
);
select results_eq(
  $$ select client_id, client_name from public.portal_access() $$,
  format($$ values (%L::uuid, 'Pinnacle') $$, tests.id('pinnacle')),
  'portal_access() gives the portal user exactly their own client, by id and name'
);
select is_empty(
  format($$ select id from public.clients where id in (%L, %L) $$, tests.id('other'), tests.id('bravo')),
  'the portal user sees no other client of the agency, nor other agencies'' clients'
);
select is_empty(
  $$ select id from public.client_contacts $$,
  'the portal user reads no contact row directly, not even their own'
);
select results_eq(
  $$ select agency_id, brand_color from public.portal_access() $$,
  format($$ values (%L::uuid, '#c0ffee') $$, tests.id('a')),
  'portal_access() gives the portal user their agency''s branding and no other agency'
);
select is_empty(
  $$ select id from public.agencies $$,
  'the agencies table itself (rates, tax and invoice settings) stays hidden from the portal user'
);
select is_empty($$ select id from public.agency_members $$, 'the portal user sees no team members');
select is_empty($$ select user_id from public.member_rates $$, 'the portal user sees no rates');
select is_empty($$ select id from public.invitations $$, 'the portal user sees no invitations');
select is_empty($$ select id from public.audit_log $$, 'the portal user sees no audit trail');
select results_eq(
  $$ select user_id from public.profiles $$,
  $$ select tests.user_id('paula@pinnacle12.test') $$,
  'the portal user sees only their own profile'
);
select throws_ok(
  format($$ insert into public.clients (agency_id, name) values (%L, 'Portal Made') $$, tests.id('a')),
  '42501', null,
  'the portal user cannot add clients'
);
select is(
  tests.error_of(format($$ select public.invite_portal_contact(%L) $$, tests.id('quinn'))),
  '42501 manager_required',
  'the portal user cannot invite colleagues to the portal'
);
select is(
  tests.error_of(format($$ select public.revoke_portal_access(%L) $$, tests.id('paula'))),
  '42501 manager_required',
  'the portal user cannot change portal access either'
);

-- ============================================================================================
-- revoke_portal_access
-- ============================================================================================
select tests.authenticate_as('pa-member@a12.test');
select is(
  tests.error_of(format($$ select public.revoke_portal_access(%L) $$, tests.id('paula'))),
  '42501 manager_required',
  'a member cannot revoke portal access'
);
select tests.authenticate_as('pa-outsider@b12.test');
select is(
  tests.error_of(format($$ select public.revoke_portal_access(%L) $$, tests.id('paula'))),
  '42501 manager_required',
  'the owner of another agency cannot revoke portal access'
);
select tests.authenticate_as('paula@pinnacle12.test');
select results_eq(
  $$ select client_name from public.portal_access() $$,
  $$ values ('Pinnacle') $$,
  'refused revocations leave the portal user''s access intact: portal_access() still names their client'
);

select tests.authenticate_as('pa-manager@a12.test');
select is(
  (select portal_access_revoked_at from public.revoke_portal_access(tests.id('paula'))),
  now(),
  'a manager revokes portal access and the contact records when'
);
select tests.authenticate_as('paula@pinnacle12.test');
select is_empty($$ select id from public.clients $$, 'after revocation the portal user sees no client at once');
select is_empty($$ select id from public.client_contacts $$, 'after revocation the portal user sees no contacts');
select is_empty($$ select agency_id from public.portal_access() $$, 'after revocation portal_access() is empty');
select tests.reset_role();
select is(
  (select user_id from public.client_contacts where id = tests.id('paula')),
  tests.user_id('paula@pinnacle12.test'),
  'the contact keeps the link to the account for history'
);

-- Revoking also withdraws a pending invitation.
select tests.authenticate_as('pa-manager@a12.test');
select lives_ok(
  format($$ select public.revoke_portal_access(%L) $$, tests.id('otto')),
  'a manager revokes access of a contact whose invitation is still pending'
);
select tests.reset_role();
select isnt(
  (select revoked_at from public.invitations where client_contact_id = tests.id('otto')),
  null,
  'the pending portal invitation is revoked'
);
select tests.authenticate_as('otto@other12.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('otto'))),
  'P0001 invitation_revoked',
  'the withdrawn portal invitation cannot be accepted'
);
select is_empty($$ select id from public.clients $$, 'the contact whose invitation was withdrawn sees no client');
select is_empty($$ select client_id from public.portal_access() $$,
  'the contact whose invitation was withdrawn gets nothing from portal_access()');

-- ============================================================================================
-- Re-inviting restores access
-- ============================================================================================
select tests.authenticate_as('pa-manager@a12.test');
select lives_ok(
  format($$ select public.invite_portal_contact(%L) $$, tests.id('paula')),
  'a manager re-invites a contact whose access was revoked'
);
select tests.reset_role();
select tests.capture_invitation_token('paula-again', 'paula@pinnacle12.test');
select is(
  (select count(*)::int from private.email_outbox where to_email = 'paula@pinnacle12.test' and template = 'portal_invitation'),
  2,
  'the re-invitation queues a second portal email'
);

select tests.authenticate_as('paula@pinnacle12.test');
select is_empty($$ select id from public.clients $$, 'a pending re-invitation does not restore access by itself');
select is_empty($$ select client_id from public.portal_access() $$,
  'a pending re-invitation leaves portal_access() empty');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('paula'))),
  'P0001 invitation_used',
  'the first, already used token does not restore access'
);
select lives_ok(
  format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('paula-again')),
  'the contact accepts the new invitation'
);
select results_eq(
  $$ select client_id, client_name, agency_name, brand_color from public.portal_access() $$,
  format($$ values (%L::uuid, 'Pinnacle', 'Agency Twelve', '#c0ffee') $$, tests.id('pinnacle')),
  'access to their own client is restored: portal_access() names it with the agency''s branding again'
);
select is_empty(
  $$ select id from public.clients $$,
  'restored access still gives no direct client row'
);
select is_empty(
  $$ select id from public.client_contacts $$,
  'restored access still gives no direct contact row'
);
select tests.reset_role();
select ok(
  (select portal_access_revoked_at is null and portal_access_granted_at is not null
   from public.client_contacts where id = tests.id('paula')),
  'the contact''s access is live again'
);

-- A contact with portal history cannot be deleted (the delete policy requires user_id null).
select tests.authenticate_as('pa-manager@a12.test');
delete from public.client_contacts where id = tests.id('paula');
select tests.reset_role();
select isnt_empty(
  format($$ select from public.client_contacts where id = %L $$, tests.id('paula')),
  'a manager cannot delete a contact who has a portal account'
);

select * from finish();
rollback;
