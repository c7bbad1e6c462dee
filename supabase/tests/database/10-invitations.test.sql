-- Staff invitations: who may invite whom, what is stored (a hash, never the token), the email
-- that carries the token, who can see invitations, and the invitee's side (preview, accept),
-- including re-sending, revoking, expiry and the audit trail.
begin;
select plan(82);

-- ============================================================================================
-- Test helpers (this transaction only)
-- ============================================================================================
-- How many rows of all tables in `public` contain p_needle in their text form.
create function pg_temp.public_rows_containing(p_needle text)
returns integer
language plpgsql
as $$
declare
  v_table regclass;
  v_rows integer;
  v_total integer := 0;
begin
  for v_table in
    select c.oid::regclass from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
  loop
    execute format('select count(*) from %s t where strpos(t::text, $1) > 0', v_table) into v_rows using p_needle;
    v_total := v_total + v_rows;
  end loop;
  return v_total;
end;
$$;

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.freeze_time('2031-03-01 09:00:00+00');

select tests.create_user('inv-owner@a10.test', 'Ola Owner');
select tests.create_user('inv-manager@a10.test', 'Max Manager');
select tests.create_user('inv-member@a10.test');
select tests.create_user('inv-deactivated@a10.test');
select tests.create_user('inv-outsider@b10.test');
select tests.create_user('new1@x10.test');
select tests.create_user('wrong@x10.test');
select tests.create_user('revokee@x10.test');
select tests.create_user('rejoin@x10.test');
select tests.create_user('late@x10.test');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('inv-owner@a10.test', 'Agency Ten')),
  ('b', tests.create_agency('inv-outsider@b10.test', 'Other Ten'));

update public.agencies set brand_color = '#0a7c5a' where id = tests.id('a');
select tests.add_member(tests.id('a'), 'inv-manager@a10.test', 'manager');
select tests.add_member(tests.id('a'), 'inv-member@a10.test', 'member');
select tests.add_member(tests.id('a'), 'inv-deactivated@a10.test', 'member');
update public.agency_members set is_active = false
where user_id = tests.user_id('inv-deactivated@a10.test');

-- ============================================================================================
-- invite_member: who may invite
-- ============================================================================================
select tests.authenticate_as('inv-manager@a10.test');
select lives_ok(
  format($$ select public.invite_member(%L, ' New1@X10.test ', 'member', 'Nia New') $$, tests.id('a')),
  'a manager invites a new member'
);
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'boss2@x10.test', 'owner') $$, tests.id('a'))),
  '42501 owner_required',
  'a manager cannot invite an owner'
);
select lives_ok(
  format($$ select public.invite_member(%L, 'mgr@x10.test', 'manager') $$, tests.id('a')),
  'a manager may invite another manager'
);

select tests.authenticate_as('inv-owner@a10.test');
select lives_ok(
  format($$ select public.invite_member(%L, 'boss@x10.test', 'owner') $$, tests.id('a')),
  'an owner may invite another owner'
);

select tests.authenticate_as('inv-member@a10.test');
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'm1@x10.test', 'member') $$, tests.id('a'))),
  '42501 manager_required',
  'a member cannot invite anyone'
);

select tests.authenticate_as('inv-deactivated@a10.test');
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'm2@x10.test', 'member') $$, tests.id('a'))),
  '42501 manager_required',
  'a deactivated member cannot invite anyone'
);

select tests.authenticate_as('inv-outsider@b10.test');
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'm3@x10.test', 'member') $$, tests.id('a'))),
  '42501 manager_required',
  'the owner of another agency cannot invite people into this one'
);

select tests.clear_authentication();
select throws_ok(
  format($$ select public.invite_member(%L, 'm4@x10.test', 'member') $$, tests.id('a')),
  '42501', null,
  'an anonymous visitor cannot invite anyone'
);

-- ============================================================================================
-- invite_member: who may be invited
-- ============================================================================================
select tests.authenticate_as('inv-owner@a10.test');
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'INV-MEMBER@a10.test', 'manager') $$, tests.id('a'))),
  'P0001 already_member',
  'an active member cannot be invited again (email compared without case)'
);
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'inv-deactivated@a10.test', 'member') $$, tests.id('a'))),
  'P0001 member_deactivated',
  'a deactivated member is reactivated, not invited'
);
select is(
  tests.error_of(format($$ select public.invite_member(%L, 'new1@x10.test', 'manager') $$, tests.id('a'))),
  'P0001 already_invited',
  'a person with a pending invitation cannot get a second one'
);
select throws_ok(
  format($$ select public.invite_member(%L, 'not-an-email', 'member') $$, tests.id('a')),
  '23514', null,
  'a malformed email is rejected by the database'
);
select tests.reset_role();

-- ============================================================================================
-- What an invitation stores, and the email that carries its token
-- ============================================================================================
select tests.capture_invitation_token('new1', 'new1@x10.test');

select is(
  (select count(*)::int from public.invitations
   where agency_id = tests.id('a') and email = 'new1@x10.test' and role = 'member'
     and name = 'Nia New' and invited_by = tests.user_id('inv-manager@a10.test')),
  1,
  'the invitation stores the trimmed, lower-cased email, the role, the name and the inviter'
);
select is(
  (select octet_length(token_hash) from public.invitations where email = 'new1@x10.test'),
  32,
  'the invitation stores a 32-byte hash'
);
select is(
  (select expires_at from public.invitations where email = 'new1@x10.test'),
  '2031-03-08 09:00:00+00'::timestamptz,
  'the invitation expires exactly 7 days after it was issued'
);
select is(
  (select count(*)::int from private.email_outbox where to_email = 'new1@x10.test'),
  1,
  'exactly one email is queued for the invitee'
);
select results_eq(
  $$ select template, agency_id, data ->> 'agency_name', data ->> 'brand_color', data ->> 'role', data ->> 'inviter_name'
     from private.email_outbox where to_email = 'new1@x10.test' $$,
  format($$ values ('staff_invitation', %L::uuid, 'Agency Ten', '#0a7c5a', 'member', 'Max Manager') $$, tests.id('a')),
  'the email is a staff invitation carrying the agency''s branding, the role and the inviter'
);
select matches(
  (select data ->> 'accept_path' from private.email_outbox where to_email = 'new1@x10.test'),
  '^/invite/[A-Za-z0-9_-]{43}$',
  'the email links to /invite/ followed by a 256-bit URL-safe token'
);
select is(
  extensions.digest(tests.invitation_token('new1'), 'sha256'),
  (select token_hash from public.invitations where email = 'new1@x10.test'),
  'the stored hash is the SHA-256 of the token in the email'
);
select is(
  pg_temp.public_rows_containing(tests.invitation_token('new1')),
  0,
  'the raw token appears in no public table'
);
select cmp_ok(
  pg_temp.public_rows_containing('Nia New'), '>', 0,
  'the same scan does find values that are stored in public tables'
);
select is(
  (select count(*)::int from private.email_outbox where template = 'staff_invitation'
   and to_email in ('boss2@x10.test', 'm1@x10.test', 'm2@x10.test', 'm3@x10.test', 'm4@x10.test',
                    'inv-member@a10.test', 'inv-deactivated@a10.test', 'not-an-email')),
  0,
  'refused invitations queue no email'
);
select is(
  (select count(*)::int from private.email_outbox where to_email = 'new1@x10.test'),
  1,
  'the refused second invitation queued no second email'
);

-- ============================================================================================
-- RLS: who sees invitations, and nobody writes them directly
-- ============================================================================================
select tests.authenticate_as('inv-owner@a10.test');
select results_eq(
  $$ select email from public.invitations order by email $$,
  $$ values ('boss@x10.test'), ('mgr@x10.test'), ('new1@x10.test') $$,
  'an owner sees the invitations of the agency'
);
select tests.authenticate_as('inv-manager@a10.test');
select results_eq(
  $$ select email from public.invitations order by email $$,
  $$ values ('boss@x10.test'), ('mgr@x10.test'), ('new1@x10.test') $$,
  'a manager sees the invitations of the agency'
);
select throws_ok(
  $$ select token_hash from public.invitations $$,
  '42501', null,
  'a manager cannot read token hashes'
);
select throws_ok(
  $$ select * from public.invitations $$,
  '42501', null,
  'select * fails because it includes the token hash'
);
select throws_ok(
  format($$ insert into public.invitations (agency_id, email, role, token_hash, invited_by, expires_at)
            values (%L, 'direct@x10.test', 'member', '\x00', %L, now() + interval '7 days') $$,
         tests.id('a'), tests.user_id('inv-manager@a10.test')),
  '42501', null,
  'a manager cannot insert an invitation directly'
);
select throws_ok(
  $$ update public.invitations set expires_at = expires_at + interval '1 year' $$,
  '42501', null,
  'a manager cannot update an invitation directly'
);
select throws_ok(
  $$ delete from public.invitations $$,
  '42501', null,
  'a manager cannot delete an invitation directly'
);
select tests.authenticate_as('inv-owner@a10.test');
select throws_ok(
  $$ update public.invitations set role = 'owner' $$,
  '42501', null,
  'an owner cannot update an invitation directly either'
);

select tests.authenticate_as('inv-member@a10.test');
select is_empty($$ select id from public.invitations $$, 'a member sees no invitations');
select tests.authenticate_as('inv-deactivated@a10.test');
select is_empty($$ select id from public.invitations $$, 'a deactivated member sees no invitations');
select tests.authenticate_as('new1@x10.test');
select is_empty($$ select id from public.invitations $$, 'the invitee cannot list invitations');
select tests.authenticate_as('inv-outsider@b10.test');
select lives_ok(
  format($$ select public.invite_member(%L, 'b-hire@x10.test', 'member') $$, tests.id('b')),
  'the other agency''s owner invites someone to their own agency'
);
select results_eq(
  $$ select email from public.invitations $$,
  $$ values ('b-hire@x10.test') $$,
  'an owner of another agency sees only their own agency''s invitations'
);
select tests.clear_authentication();
select throws_ok(
  $$ select id from public.invitations $$,
  '42501', null,
  'an anonymous visitor cannot read invitations at all'
);

-- ============================================================================================
-- invitation_preview
-- ============================================================================================
select tests.clear_authentication();
select results_eq(
  format($$ select agency_name, brand_color, email, role::text, kind, status from public.invitation_preview(%L) $$,
         tests.invitation_token('new1')),
  $$ values ('Agency Ten', '#0a7c5a', 'new1@x10.test', 'member', 'staff', 'pending') $$,
  'an anonymous visitor holding the token sees the agency, email, role, kind and status'
);
select is_empty(
  $$ select * from public.invitation_preview('not-a-real-token') $$,
  'an unknown token previews nothing'
);
select is_empty(
  $$ select * from public.invitation_preview(null) $$,
  'a missing token previews nothing'
);

-- ============================================================================================
-- resend_invitation
-- ============================================================================================
select tests.reset_role();
create temp table old_hashes as select id, token_hash from public.invitations where email = 'new1@x10.test';
grant select on table old_hashes to authenticated;
-- An hour later, so the restarted expiry is visible.
select tests.freeze_time('2031-03-01 10:00:00+00');

select tests.authenticate_as('inv-member@a10.test');
select is(
  tests.error_of(format($$ select public.resend_invitation(%L) $$, (select id from pg_temp.old_hashes))),
  '42501 manager_required',
  'a member cannot re-send an invitation'
);
select tests.authenticate_as('inv-manager@a10.test');
select lives_ok(
  format($$ select public.resend_invitation(%L) $$, (select id from pg_temp.old_hashes)),
  'a manager re-sends a pending invitation'
);
select tests.reset_role();
select tests.capture_invitation_token('new1-resent', 'new1@x10.test');

select isnt(
  (select token_hash from public.invitations where email = 'new1@x10.test'),
  (select token_hash from pg_temp.old_hashes),
  're-sending replaces the token hash'
);
select is(
  (select token_hash from public.invitations where email = 'new1@x10.test'),
  extensions.digest(tests.invitation_token('new1-resent'), 'sha256'),
  'the new hash belongs to the token in the new email'
);
select is(
  (select count(*)::int from private.email_outbox where to_email = 'new1@x10.test' and template = 'staff_invitation'),
  2,
  're-sending queues a second email'
);
select is(
  (select expires_at from public.invitations where email = 'new1@x10.test'),
  '2031-03-08 10:00:00+00'::timestamptz,
  're-sending restarts the 7 days'
);
select tests.clear_authentication();
select is_empty(
  format($$ select * from public.invitation_preview(%L) $$, tests.invitation_token('new1')),
  'the old token no longer previews'
);
select is(
  (select status from public.invitation_preview(tests.invitation_token('new1-resent'))),
  'pending',
  'the new token previews as pending'
);

-- ============================================================================================
-- accept_invitation
-- ============================================================================================
select tests.clear_authentication();
select throws_ok(
  format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('new1-resent')),
  '42501', null,
  'an anonymous visitor cannot accept an invitation'
);

select tests.authenticate_as('new1@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('new1'))),
  'P0001 invitation_invalid',
  'the token replaced by a re-send no longer accepts'
);
select is(
  tests.error_of($$ select * from public.accept_invitation('garbage') $$),
  'P0001 invitation_invalid',
  'a garbage token is not a valid invitation'
);

select tests.authenticate_as('wrong@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('new1-resent'))),
  'P0001 invitation_email_mismatch',
  'someone signed in with another email cannot accept the invitation'
);

select tests.authenticate_as('new1@x10.test');
select results_eq(
  format($$ select agency_id, kind from public.accept_invitation(%L) $$, tests.invitation_token('new1-resent')),
  format($$ values (%L::uuid, 'staff') $$, tests.id('a')),
  'the invitee accepts and learns the agency'
);
select is(
  (select role::text from public.agency_members where agency_id = tests.id('a') and user_id = tests.user_id('new1@x10.test')),
  'member',
  'the invitee is now a member with the invited role and can see it'
);
select tests.reset_role();
select ok(
  (select accepted_at is not null and accepted_by = tests.user_id('new1@x10.test') and is_active
   from public.invitations i
   join public.agency_members m on m.agency_id = i.agency_id and m.user_id = i.accepted_by
   where i.email = 'new1@x10.test'),
  'the invitation records when and by whom it was accepted, and the membership is active'
);

select tests.authenticate_as('new1@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('new1-resent'))),
  'P0001 invitation_used',
  'an accepted invitation cannot be used again'
);
select tests.clear_authentication();
select is(
  (select status from public.invitation_preview(tests.invitation_token('new1-resent'))),
  'accepted',
  'an accepted invitation previews as accepted'
);
select tests.authenticate_as('inv-manager@a10.test');
select is(
  tests.error_of(format($$ select public.resend_invitation(%L) $$, (select id from pg_temp.old_hashes))),
  'P0001 invitation_closed',
  'an accepted invitation cannot be re-sent'
);
select is(
  tests.error_of(format($$ select public.revoke_invitation(%L) $$, (select id from pg_temp.old_hashes))),
  'P0001 invitation_closed',
  'an accepted invitation cannot be revoked'
);

-- ============================================================================================
-- revoke_invitation
-- ============================================================================================
select tests.authenticate_as('inv-manager@a10.test');
select lives_ok(
  format($$ select public.invite_member(%L, 'revokee@x10.test', 'member') $$, tests.id('a')),
  'a manager invites someone who will be withdrawn'
);
select tests.reset_role();
select tests.capture_invitation_token('revokee', 'revokee@x10.test');

select tests.authenticate_as('inv-member@a10.test');
select is(
  tests.error_of(format($$ select public.revoke_invitation(%L) $$,
    (select id from public.invitations where email = 'revokee@x10.test'))),
  '42501 manager_required',
  'a member cannot revoke an invitation'
);
select tests.authenticate_as('inv-outsider@b10.test');
select is(
  tests.error_of(format($$ select public.revoke_invitation(%L) $$,
    (select id from public.invitations where email = 'revokee@x10.test'))),
  '42501 manager_required',
  'the owner of another agency cannot revoke this agency''s invitation'
);
select tests.authenticate_as('inv-manager@a10.test');
select lives_ok(
  $$ select public.revoke_invitation((select id from public.invitations where email = 'revokee@x10.test')) $$,
  'a manager revokes the invitation'
);
select is(
  (select revoked_at from public.invitations where email = 'revokee@x10.test'),
  now(),
  'the revoked invitation records when it was revoked'
);
select tests.authenticate_as('revokee@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('revokee'))),
  'P0001 invitation_revoked',
  'a revoked invitation cannot be accepted'
);
select is_empty(
  $$ select from public.agency_members where user_id = (select auth.uid()) $$,
  'the refused invitee did not become a member'
);
select tests.clear_authentication();
select is(
  (select status from public.invitation_preview(tests.invitation_token('revokee'))),
  'revoked',
  'a revoked invitation previews as revoked'
);
select tests.authenticate_as('inv-manager@a10.test');
select is(
  tests.error_of(format($$ select public.resend_invitation(%L) $$,
    (select id from public.invitations where email = 'revokee@x10.test'))),
  'P0001 invitation_closed',
  'a revoked invitation cannot be re-sent'
);
select lives_ok(
  format($$ select public.invite_member(%L, 'revokee@x10.test', 'member') $$, tests.id('a')),
  'after revoking, the same person can be invited afresh'
);

-- ============================================================================================
-- Accepting as someone who was deactivated meanwhile
-- ============================================================================================
select lives_ok(
  format($$ select public.invite_member(%L, 'rejoin@x10.test', 'manager') $$, tests.id('a')),
  'a manager invites a person who is not yet a member'
);
select tests.reset_role();
select tests.capture_invitation_token('rejoin', 'rejoin@x10.test');
select tests.add_member(tests.id('a'), 'rejoin@x10.test', 'member');
update public.agency_members set is_active = false where user_id = tests.user_id('rejoin@x10.test');

select tests.authenticate_as('rejoin@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('rejoin'))),
  'P0001 member_deactivated',
  'an invitation cannot bring back a deactivated member'
);
select tests.reset_role();
select ok(
  (select not m.is_active and m.role = 'member' and i.accepted_at is null
   from public.agency_members m
   join public.invitations i on i.agency_id = m.agency_id and i.email = 'rejoin@x10.test'
   where m.user_id = tests.user_id('rejoin@x10.test')),
  'the deactivated membership and the invitation are left as they were'
);

-- ============================================================================================
-- Expiry
-- ============================================================================================
select tests.authenticate_as('inv-manager@a10.test');
select lives_ok(
  format($$ select public.invite_member(%L, 'late@x10.test', 'member') $$, tests.id('a')),
  'a manager invites someone who will answer too late'
);
select tests.reset_role();
select tests.capture_invitation_token('late', 'late@x10.test');

-- One second before the end of the 7 days the invitation still works.
select tests.freeze_time('2031-03-08 09:59:59+00');
select tests.clear_authentication();
select is(
  (select status from public.invitation_preview(tests.invitation_token('late'))),
  'pending',
  'an invitation is pending until its 7 days are up'
);

select tests.reset_role();
select tests.freeze_time('2031-03-09 10:00:00+00');
select tests.clear_authentication();
select is(
  (select status from public.invitation_preview(tests.invitation_token('late'))),
  'expired',
  'eight days later the invitation previews as expired'
);
select tests.authenticate_as('late@x10.test');
select is(
  tests.error_of(format($$ select * from public.accept_invitation(%L) $$, tests.invitation_token('late'))),
  'P0001 invitation_expired',
  'an expired invitation cannot be accepted'
);

-- ============================================================================================
-- Audit trail
-- ============================================================================================
select tests.reset_role();
select is(
  (select count(*)::int from public.audit_log a join pg_temp.old_hashes h on a.row_id = h.id::text
   where a.table_name = 'invitations' and a.action = 'insert' and a.agency_id = tests.id('a')
     and a.actor_id = tests.user_id('inv-manager@a10.test')),
  1,
  'issuing an invitation is audited with the inviter as actor'
);
select is(
  (select count(*)::int from public.audit_log a join pg_temp.old_hashes h on a.row_id = h.id::text
   where a.table_name = 'invitations' and a.action = 'update'
     and a.new_values ->> 'expires_at' is distinct from a.old_values ->> 'expires_at'
     and a.actor_id = tests.user_id('inv-manager@a10.test')),
  1,
  're-sending an invitation is audited'
);
select is(
  (select count(*)::int from public.audit_log a join pg_temp.old_hashes h on a.row_id = h.id::text
   where a.table_name = 'invitations' and a.action = 'update'
     and a.new_values ->> 'accepted_by' = tests.user_id('new1@x10.test')::text
     and a.actor_id = tests.user_id('new1@x10.test')),
  1,
  'accepting an invitation is audited with the invitee as actor'
);
select is(
  (select count(*)::int from public.audit_log a join public.invitations i on a.row_id = i.id::text
   where a.table_name = 'invitations' and i.email = 'revokee@x10.test' and i.revoked_at is not null
     and a.action = 'update' and a.new_values ->> 'revoked_at' is not null),
  1,
  'revoking an invitation is audited'
);
select is_empty(
  $$ select id from public.audit_log
     where table_name = 'invitations' and (old_values ? 'token_hash' or new_values ? 'token_hash') $$,
  'no audit row of an invitation has a token_hash field'
);
select is_empty(
  $$ select a.id from public.audit_log a
     cross join (select token_hash from public.invitations union all select token_hash from pg_temp.old_hashes) h
     where strpos(a::text, encode(h.token_hash, 'hex')) > 0 $$,
  'no audit row contains any token hash, current or replaced'
);

select * from finish();
rollback;
