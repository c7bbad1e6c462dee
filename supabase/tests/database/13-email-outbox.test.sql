-- The transactional email outbox: queueing, claiming with a lease, retries with exponential
-- backoff, giving up, completion, and who may touch the outbox at all.
-- The worker functions read now(), which is fixed for the whole transaction; "time passing" is
-- simulated by moving an email's next_attempt_at back.
begin;
select plan(48);

select tests.create_user('ob-owner@a13.test');
select tests.create_user('ob-user@a13.test');
insert into tests.labels (label, id) values ('agency', tests.create_agency('ob-owner@a13.test', 'Agency Thirteen'));

-- ============================================================================================
-- enqueue_email
-- ============================================================================================
insert into tests.labels (label, id) values
  ('first', private.enqueue_email(tests.id('agency'), 'First@A13.test', 'staff_invitation', '{"k": 1}')),
  ('second', private.enqueue_email(tests.id('agency'), 'second@a13.test', 'portal_invitation', null)),
  ('later', private.enqueue_email(null, 'later@a13.test', 'magic_link', '{}'));
update private.email_outbox set next_attempt_at = now() + interval '10 minutes' where id = tests.id('later');

select results_eq(
  $$ select to_email, status, attempts, next_attempt_at, data from private.email_outbox where id = tests.id('first') $$,
  $$ values ('first@a13.test', 'pending', 0, now(), '{"k": 1}'::jsonb) $$,
  'a queued email is pending, lower-cased, never tried and due at once'
);
select is(
  (select data from private.email_outbox where id = tests.id('second')),
  '{}'::jsonb,
  'an email queued without data gets an empty object'
);
select throws_ok(
  $$ select private.enqueue_email(null, 'not-an-email', 'magic_link', '{}') $$,
  '23514', null,
  'an email cannot be queued to a malformed address'
);
select throws_ok(
  $$ select private.enqueue_email(null, 'x@a13.test', 'Magic-Link', '{}') $$,
  '23514', null,
  'template names are lower-case identifiers'
);

-- ============================================================================================
-- claim_due_emails
-- ============================================================================================
create temp table claimed as select * from private.claim_due_emails(10, interval '5 minutes');

select set_eq(
  $$ select id from pg_temp.claimed where id in (select id from tests.labels) $$,
  $$ values (tests.id('first')), (tests.id('second')) $$,
  'a claim returns the due pending emails and not the ones due later'
);
select results_eq(
  $$ select attempts, next_attempt_at from pg_temp.claimed where id = tests.id('first') $$,
  $$ values (1, now() + interval '5 minutes') $$,
  'the claimed row comes back with the attempt counted and the lease applied'
);
select results_eq(
  $$ select attempts, next_attempt_at from private.email_outbox where id in (tests.id('first'), tests.id('second')) $$,
  $$ values (1, now() + interval '5 minutes'), (1, now() + interval '5 minutes') $$,
  'claiming bumps the attempts and pushes next_attempt_at by the lease'
);
select results_eq(
  $$ select attempts, next_attempt_at, status from private.email_outbox where id = tests.id('later') $$,
  $$ values (0, now() + interval '10 minutes', 'pending') $$,
  'an email not yet due is left alone'
);
select is_empty(
  $$ select id from private.claim_due_emails(10, interval '5 minutes')
     where id in (tests.id('first'), tests.id('second')) $$,
  'a second claim in the same instant does not hand out leased emails again'
);
select is(
  (select attempts from private.email_outbox where id = tests.id('first')),
  1,
  'the empty second claim counted no attempt'
);

-- Oldest due first, and no more than the limit.
insert into tests.labels (label, id) values
  ('old', private.enqueue_email(null, 'old@a13.test', 'magic_link', '{}')),
  ('new', private.enqueue_email(null, 'new@a13.test', 'magic_link', '{}'));
update private.email_outbox set next_attempt_at = now() - interval '1 minute' where id = tests.id('old');
select results_eq(
  $$ select id from private.claim_due_emails(1, interval '5 minutes') $$,
  $$ values (tests.id('old')) $$,
  'a claim takes the longest-waiting email first and respects the limit'
);
select is(
  (select attempts from private.email_outbox where id = tests.id('new')),
  0,
  'the email beyond the limit was not claimed'
);

-- The worker holding "first" died: its lease runs out.
update private.email_outbox set next_attempt_at = now() - interval '1 second' where id = tests.id('first');
select results_eq(
  $$ select id, attempts from private.claim_due_emails(10, interval '5 minutes') where id = tests.id('first') $$,
  $$ values (tests.id('first'), 2) $$,
  'an email whose lease ran out is claimed again, counting a second attempt'
);

-- ============================================================================================
-- fail_email: backoff and giving up
-- ============================================================================================
-- "second" has had 1 attempt, "first" 2.
select results_eq(
  $$ select status, next_attempt_at, last_error from private.fail_email(tests.id('second'), 'smtp 421') $$,
  $$ values ('pending', now() + interval '30 seconds', 'smtp 421') $$,
  'after the first failed attempt the email is retried in 30 seconds'
);
select results_eq(
  $$ select status, next_attempt_at, last_error from private.email_outbox where id = tests.id('second') $$,
  $$ values ('pending', now() + interval '30 seconds', 'smtp 421') $$,
  'the failure is stored on the email'
);
select is(
  (select next_attempt_at from private.fail_email(tests.id('first'), 'timeout')),
  now() + interval '60 seconds',
  'after the second failed attempt the email is retried in 60 seconds'
);
update private.email_outbox set next_attempt_at = now() where id = tests.id('first');
select is(
  (select attempts from private.claim_due_emails(10, interval '5 minutes') where id = tests.id('first')),
  3,
  'the retried email is claimed for its third attempt'
);
select is(
  (select next_attempt_at from private.fail_email(tests.id('first'), 'timeout')),
  now() + interval '120 seconds',
  'after the third failed attempt the email is retried in 120 seconds'
);
select is(
  (select char_length(last_error) from private.fail_email(tests.id('first'), repeat('x', 5000))),
  2000,
  'a long provider error is cut to 2000 characters'
);

update private.email_outbox set attempts = 6 where id = tests.id('second');
select results_eq(
  $$ select status, next_attempt_at from private.fail_email(tests.id('second'), 'smtp 451') $$,
  $$ values ('pending', now() + interval '16 minutes') $$,
  'after the sixth failed attempt the email waits 16 minutes'
);
update private.email_outbox set attempts = 7 where id = tests.id('second');
select results_eq(
  $$ select status, next_attempt_at from private.fail_email(tests.id('second'), 'smtp 451') $$,
  $$ values ('pending', now() + interval '32 minutes') $$,
  'after the seventh failed attempt the email is still retried, 32 minutes later'
);
update private.email_outbox set next_attempt_at = now() where id = tests.id('second');
select is(
  (select attempts from private.claim_due_emails(10, interval '5 minutes') where id = tests.id('second')),
  8,
  'the email is claimed for its eighth attempt'
);
select results_eq(
  $$ select status, last_error from private.fail_email(tests.id('second'), 'smtp 550') $$,
  $$ values ('failed', 'smtp 550') $$,
  'after the eighth failed attempt the email is marked failed'
);
update private.email_outbox set next_attempt_at = now() - interval '1 day' where id = tests.id('second');
select is_empty(
  $$ select id from private.claim_due_emails(10, interval '5 minutes') where id = tests.id('second') $$,
  'a failed email is never claimed again'
);
select is(
  (select status from private.email_outbox where id = tests.id('second')),
  'failed',
  'the failed email stays for inspection'
);
select is(
  (select status from private.fail_email(tests.id('new'), 'bounced', 0)),
  'failed',
  'a caller can lower the number of attempts before giving up'
);

-- Backoff never exceeds an hour.
insert into tests.labels (label, id) values ('cap', private.enqueue_email(null, 'cap@a13.test', 'magic_link', '{}'));
update private.email_outbox set attempts = 9 where id = tests.id('cap');
select results_eq(
  $$ select status, next_attempt_at from private.fail_email(tests.id('cap'), 'down', 20) $$,
  $$ values ('pending', now() + interval '1 hour') $$,
  'retries are at most an hour apart'
);

-- ============================================================================================
-- complete_email
-- ============================================================================================
select lives_ok(
  format($$ select private.complete_email(%L, 'provider-msg-42') $$, tests.id('first')),
  'the worker marks a delivered email as sent'
);
select results_eq(
  $$ select status, sent_at, provider_message_id, last_error from private.email_outbox where id = tests.id('first') $$,
  $$ values ('sent', now(), 'provider-msg-42', null::text) $$,
  'a sent email records when, the provider''s message id, and clears the last error'
);
update private.email_outbox set next_attempt_at = now() - interval '1 day' where id = tests.id('first');
select is_empty(
  $$ select id from private.claim_due_emails(10, interval '5 minutes') where id = tests.id('first') $$,
  'a sent email is never claimed again'
);

-- ============================================================================================
-- Who may touch the outbox
-- ============================================================================================
select tests.authenticate_as('ob-owner@a13.test');
select throws_ok($$ select id from private.email_outbox $$, '42501', null,
  'a signed-in user cannot read the outbox');
select throws_ok($$ insert into private.email_outbox (to_email, template) values ('x@a13.test', 'spam') $$, '42501', null,
  'a signed-in user cannot insert into the outbox');
select throws_ok($$ update private.email_outbox set status = 'sent' $$, '42501', null,
  'a signed-in user cannot update the outbox');
select throws_ok($$ delete from private.email_outbox $$, '42501', null,
  'a signed-in user cannot delete from the outbox');
select throws_ok($$ select private.enqueue_email(null, 'x@a13.test', 'spam', '{}') $$, '42501', null,
  'a signed-in user cannot queue an email');
select throws_ok($$ select * from private.claim_due_emails(10, interval '1 minute') $$, '42501', null,
  'a signed-in user cannot claim emails');
select throws_ok(
  format($$ select private.complete_email(%L, 'forged') $$, tests.id('cap')), '42501', null,
  'a signed-in user cannot mark an email sent');
select throws_ok(
  format($$ select private.fail_email(%L, 'forged') $$, tests.id('cap')), '42501', null,
  'a signed-in user cannot mark an email failed');

-- The security definer helpers that write or read the outbox's contents are not for users either.
select tests.reset_role();
insert into tests.labels (label, id) values ('other-agency', tests.create_agency('ob-user@a13.test', 'Unrelated Thirteen'));
select tests.authenticate_as('ob-owner@a13.test');
select throws_ok(
  format($$ select private.agency_branding(%L) $$, tests.id('other-agency')), '42501', null,
  'a signed-in user cannot read another agency''s branding through the email helper');
select throws_ok(
  format($$ select private.queue_invitation_email(
              row(gen_random_uuid(), %L, 'victim@x13.test', null, 'member', null, '\x00'::bytea, %L,
                  now() + interval '7 days', now(), null, null, null, now(), now())::public.invitations,
              'attacker-chosen-token') $$,
         tests.id('other-agency'), tests.user_id('ob-owner@a13.test')),
  '42501', null,
  'a signed-in user cannot send a branded invitation email of another agency with a link of their choosing');

select tests.clear_authentication();
select throws_ok($$ select id from private.email_outbox $$, '42501', null,
  'an anonymous visitor cannot read the outbox');
select throws_ok($$ insert into private.email_outbox (to_email, template) values ('x@a13.test', 'spam') $$, '42501', null,
  'an anonymous visitor cannot insert into the outbox');
select throws_ok($$ select private.enqueue_email(null, 'x@a13.test', 'spam', '{}') $$, '42501', null,
  'an anonymous visitor cannot queue an email');

select tests.reset_role();
select is(
  (select count(*)::int from private.email_outbox where template = 'spam' or provider_message_id = 'forged' or to_email = 'victim@x13.test'),
  0,
  'none of the refused calls left a trace in the outbox'
);

-- The auth server (magic links) queues emails through the function, and can do nothing else.
select is(
  tests.error_of($$ select private.enqueue_email(null, 'magic@a13.test', 'magic_link', '{"link": "/auth/callback"}') $$,
    'supabase_auth_admin'),
  'ok',
  'the auth server role can queue an email'
);
select is(
  tests.error_of($$ select id from private.email_outbox $$, 'supabase_auth_admin'),
  '42501 -',
  'the auth server role cannot read the outbox'
);
select tests.reset_role();
select results_eq(
  $$ select agency_id, template, status, data ->> 'link' from private.email_outbox where to_email = 'magic@a13.test' $$,
  $$ values (null::uuid, 'magic_link', 'pending', '/auth/callback') $$,
  'the auth server''s email is queued without an agency'
);
select ok(
  not has_function_privilege('authenticated', 'private.enqueue_email(uuid, text, text, jsonb)', 'execute')
  and not has_function_privilege('anon', 'private.enqueue_email(uuid, text, text, jsonb)', 'execute')
  and has_function_privilege('supabase_auth_admin', 'private.enqueue_email(uuid, text, text, jsonb)', 'execute'),
  'the catalog agrees: only the auth server role (besides the owner) may execute enqueue_email'
);

select * from finish();
rollback;
