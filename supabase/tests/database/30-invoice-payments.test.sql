-- Payments: record_payment is the one way money is recorded. Owners and managers record manual
-- payments (never more than is due, never a refund of more than was paid, never on a draft or a
-- void invoice); the payment provider (the service role) records its events, idempotently by
-- event id (a replayed event changes nothing) and in whatever order they arrive, refunds
-- included. The status follows the payments (partially paid, paid with the date, sent again after
-- a refund). The daily job marks unpaid invoices past due as overdue, by each agency's calendar,
-- once; private.invoice_status_for derives the same status for readers before it runs.
begin;
select plan(61);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t30.test', 'Olga Owner');
select tests.create_user('manager@t30.test', 'Mona Manager');
select tests.create_user('mia@t30.test', 'Mia Member');
select tests.create_user('outsider@t30.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t30.test', 'Agency A t30')),
  ('b', tests.create_agency('outsider@t30.test', 'Agency B t30'));
select tests.add_member(tests.id('a'), 'manager@t30.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t30.test', 'member');
-- Agency B keeps Auckland's calendar (UTC+13 in November).
update public.agencies set timezone = 'Pacific/Auckland' where id = tests.id('b');

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Acme'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

-- Wednesday 2031-10-15, noon UTC: invoices issued today are due on 14 Nov (30 days).
select tests.freeze_time('2031-10-15 12:00:00+00');

-- Invoice ids live in transaction settings, readable and writable by every role.
create function pg_temp.keep(p_label text, p_id uuid)
returns uuid
language sql
as $$
  select set_config('t30.' || replace(p_label, '-', '_'), p_id::text, true)::uuid;
$$;
create function pg_temp.inv(p_label text)
returns uuid
language sql
stable
as $$
  select nullif(current_setting('t30.' || replace(p_label, '-', '_'), true), '')::uuid;
$$;

-- Drafts (as the caller, a manager of the agency) one line of p_cents without tax, issued unless
-- told otherwise, noted with its label.
create function pg_temp.invoice(p_label text, p_cents bigint, p_issue boolean default true, p_agency text default 'a',
                                p_due date default null)
returns uuid
language plpgsql
as $$
declare
  v_id uuid;
begin
  v_id := (public.create_invoice(tests.id(p_agency), p_client_id => tests.id(case when p_agency = 'a' then 'client:acme' else 'client:bravo' end),
                                 p_include_time => false, p_notes => p_label, p_due_date => p_due,
                                 p_lines => jsonb_build_array(jsonb_build_object(
                                   'description', 'Work', 'quantity', 1, 'unit_price_cents', p_cents, 'tax_rate_bps', 0)))).id;
  if p_issue then
    perform public.issue_invoice(v_id);
  end if;
  return pg_temp.keep(p_label, v_id);
end;
$$;

-- An invoice's state as the test runner sees it.
create function pg_temp.state(p_label text)
returns table (status text, amount_paid_cents bigint, paid_at timestamptz)
language sql
security definer
set search_path = ''
as $$
  select i.status::text, i.amount_paid_cents, i.paid_at from public.invoices i where i.id = pg_temp.inv(p_label);
$$;

select tests.authenticate_as('manager@t30.test');
select pg_temp.invoice('manual', 10000);
select pg_temp.invoice('stripe', 50000);
select pg_temp.invoice('refund-first', 10000);
select pg_temp.invoice('in-order', 10000);
select pg_temp.invoice('reversed', 10000);
select pg_temp.invoice('draft', 10000, false);
select pg_temp.invoice('voided', 10000);
select public.void_invoice(pg_temp.inv('voided'));
select tests.authenticate_as('outsider@t30.test');
-- Issued on 16 Oct by Auckland's calendar, due on 14 Nov like agency A's.
select pg_temp.invoice('bravo', 10000, true, 'b', '2031-11-14');
select tests.reset_role();

select results_eq(
  $$ select notes, status::text, total_cents, due_date from public.invoices order by notes $$,
  $$ values ('bravo', 'sent', 10000::bigint, '2031-11-14'::date), ('draft', 'draft', 10000, null),
            ('in-order', 'sent', 10000, '2031-11-14'), ('manual', 'sent', 10000, '2031-11-14'),
            ('refund-first', 'sent', 10000, '2031-11-14'), ('reversed', 'sent', 10000, '2031-11-14'),
            ('stripe', 'sent', 50000, '2031-11-14'), ('voided', 'void', 10000, '2031-11-14') $$,
  'the arrangement: issued invoices due on 14 Nov, a draft and a void one'
);

-- ============================================================================================
-- Manual payments: owners and managers
-- ============================================================================================
select tests.authenticate_as('manager@t30.test');
select results_eq(
  $$ select amount_cents, method::text, reference, recorded_by, stripe_event_id
     from public.record_payment(pg_temp.inv('manual'), 3000, 'bank_transfer', '2031-10-15 09:00+00', 'Transfer 1 of 2') $$,
  format($$ values (3000::bigint, 'bank_transfer', 'Transfer 1 of 2', %L::uuid, null::text) $$, tests.user_id('manager@t30.test')),
  'a manager records a bank transfer, as herself'
);
select results_eq($$ select * from pg_temp.state('manual') $$, $$ values ('partially_paid', 3000::bigint, null::timestamptz) $$,
  'part of the total paid: partially paid');
select tests.authenticate_as('owner@t30.test');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 7001, 'cash') $$), 'P0001 payment_exceeds_due',
  'a cent more than the 70.00 still due is refused');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 0, 'cash') $$), 'P0001 invalid_amount',
  'a payment of nothing is refused');
select lives_ok($$ select public.record_payment(pg_temp.inv('manual'), 7000, 'cash', '2031-10-16 09:00+00') $$,
  'the owner records the rest in cash');
select results_eq($$ select * from pg_temp.state('manual') $$, $$ values ('paid', 10000::bigint, '2031-10-16 09:00+00'::timestamptz) $$,
  'paid in full: paid, on the date of the payment that completed it');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 1, 'cash') $$), 'P0001 payment_exceeds_due',
  'nothing more can be recorded on a paid invoice');
select lives_ok($$ select public.record_payment(pg_temp.inv('manual'), -2000, 'bank_transfer', null, 'Goodwill refund') $$,
  'a refund is a negative payment');
select results_eq($$ select * from pg_temp.state('manual') $$, $$ values ('partially_paid', 8000::bigint, null::timestamptz) $$,
  'and makes the invoice partially paid again, without a paid date');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), -8001, 'bank_transfer') $$), 'P0001 refund_exceeds_paid',
  'a person cannot refund more than was paid');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('draft'), 100, 'cash') $$), 'P0001 invoice_not_payable',
  'a draft takes no payment');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('voided'), 100, 'cash') $$), 'P0001 invoice_not_payable',
  'nor does a void invoice');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('bravo'), 100, 'cash') $$), 'P0002 not_found',
  'another agency''s invoice is not found');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 100, 'stripe', null, null, 'evt_by_hand') $$), '42501 -',
  'a person cannot record a provider event');
select tests.authenticate_as('mia@t30.test');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 100, 'cash') $$), 'P0002 not_found',
  'a member cannot record a payment: for her the invoice does not exist');
select tests.authenticate_as('outsider@t30.test');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 100, 'cash') $$), 'P0002 not_found',
  'nor can another agency''s owner');
select tests.clear_authentication();
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('manual'), 100, 'cash') $$), '42501 -',
  'nor an anonymous visitor');
select tests.reset_role();
select results_eq(
  $$ select count(*)::int, sum(amount_cents)::bigint from public.invoice_payments where invoice_id = pg_temp.inv('manual') $$,
  $$ values (3, 8000::bigint) $$, 'three payments were recorded: 30.00 + 70.00 − 20.00');
select is(
  (select count(*)::int from public.audit_log where table_name = 'invoice_payments' and action = 'insert'
     and new_values ->> 'invoice_id' = pg_temp.inv('manual')::text),
  3, 'each is in the audit log');

-- ============================================================================================
-- Provider events: the service role, idempotent by event id
-- ============================================================================================
select tests.authenticate_as_service_role();
select pg_temp.keep('evt_1', (public.record_payment(pg_temp.inv('stripe'), 20000, 'stripe', '2031-10-15 10:00+00', 'pi_1', 'evt_1')).id);
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('partially_paid', 20000::bigint, null::timestamptz) $$,
  'a provider event for part of the total: partially paid');
select is((public.record_payment(pg_temp.inv('stripe'), 20000, 'stripe', '2031-10-15 10:00+00', 'pi_1', 'evt_1')).id, pg_temp.inv('evt_1'),
  'the event replayed answers the payment it recorded');
select is((public.record_payment(pg_temp.inv('stripe'), 20000, 'stripe', '2031-10-15 10:00+00', 'pi_1', 'evt_1')).id, pg_temp.inv('evt_1'),
  'and again');
select is((public.record_payment(pg_temp.inv('stripe'), 20000, 'stripe', '2031-10-15 10:00+00', 'pi_1', 'evt_1')).id, pg_temp.inv('evt_1'),
  'and a third time');
select is((public.record_payment(pg_temp.inv('manual'), 99999, 'stripe', null, null, 'evt_1')).id, pg_temp.inv('evt_1'),
  'even with another amount or invoice: the event id is the key');
select tests.reset_role();
select results_eq(
  $$ select count(*)::int, sum(amount_cents)::bigint from public.invoice_payments where stripe_event_id = 'evt_1' $$,
  $$ values (1, 20000::bigint) $$, 'replayed three times and more, the event is one payment');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('partially_paid', 20000::bigint, null::timestamptz) $$,
  'and the invoice is as after the first delivery');
select results_eq($$ select status, amount_paid_cents from pg_temp.state('manual') $$, $$ values ('partially_paid', 8000::bigint) $$,
  'nor did the replay aimed at another invoice touch it');
select results_eq(
  $$ select method::text, reference, recorded_by from public.invoice_payments where stripe_event_id = 'evt_1' $$,
  $$ values ('stripe', 'pi_1', null::uuid) $$, 'a provider payment is recorded by no person');

select tests.authenticate_as_service_role();
select public.record_payment(pg_temp.inv('stripe'), 30000, 'stripe', '2031-10-16 11:00+00', 'pi_2', 'evt_2');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('paid', 50000::bigint, '2031-10-16 11:00+00'::timestamptz) $$,
  'the rest paid by a second event: paid, on its date');
select public.record_payment(pg_temp.inv('stripe'), 30000, 'stripe', '2031-10-16 11:00+00', 'pi_2', 'evt_2');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('paid', 50000::bigint, '2031-10-16 11:00+00'::timestamptz) $$,
  'its replay changes nothing');
select public.record_payment(pg_temp.inv('stripe'), -10000, 'stripe', '2031-10-17 08:00+00', 're_1', 'evt_3');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('partially_paid', 40000::bigint, null::timestamptz) $$,
  'a partial refund: partially paid, the paid date gone');
select public.record_payment(pg_temp.inv('stripe'), -40000, 'stripe', '2031-10-17 09:00+00', 're_2', 'evt_4');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('sent', 0::bigint, null::timestamptz) $$,
  'refunded in full: sent again, as if nothing was paid');
select public.record_payment(pg_temp.inv('stripe'), -40000, 'stripe', '2031-10-17 09:00+00', 're_2', 'evt_4');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('sent', 0::bigint, null::timestamptz) $$,
  'and a replayed refund refunds nothing more');
select public.record_payment(pg_temp.inv('stripe'), 50000, 'stripe', '2031-10-18 08:00+00', 'pi_3', 'evt_5');
select results_eq($$ select * from pg_temp.state('stripe') $$, $$ values ('paid', 50000::bigint, '2031-10-18 08:00+00'::timestamptz) $$,
  'paid again by a new event');

-- Out of order: the refund's event before the payment's.
select public.record_payment(pg_temp.inv('refund-first'), -10000, 'stripe', '2031-10-16 12:00+00', 're_x', 'evt_refund_x');
select results_eq($$ select * from pg_temp.state('refund-first') $$, $$ values ('sent', -10000::bigint, null::timestamptz) $$,
  'a refund arriving before its payment is recorded as it comes: nothing counts as paid');
select public.record_payment(pg_temp.inv('refund-first'), 10000, 'stripe', '2031-10-16 10:00+00', 'pi_x', 'evt_pay_x');
select results_eq($$ select * from pg_temp.state('refund-first') $$, $$ values ('sent', 0::bigint, null::timestamptz) $$,
  'and once the payment arrives the invoice is where paid-then-refunded leaves it');
select public.record_payment(pg_temp.inv('in-order'), 10000, 'stripe', '2031-10-16 10:00+00', 'pi_y', 'evt_pay_y');
select public.record_payment(pg_temp.inv('in-order'), -3000, 'stripe', '2031-10-16 12:00+00', 're_y', 'evt_refund_y');
select public.record_payment(pg_temp.inv('reversed'), -3000, 'stripe', '2031-10-16 12:00+00', 're_z', 'evt_refund_z');
select public.record_payment(pg_temp.inv('reversed'), 10000, 'stripe', '2031-10-16 10:00+00', 'pi_z', 'evt_pay_z');
select public.record_payment(pg_temp.inv('reversed'), 10000, 'stripe', '2031-10-16 10:00+00', 'pi_z', 'evt_pay_z');
select results_eq($$ select * from pg_temp.state('reversed') $$, $$ select * from pg_temp.state('in-order') $$,
  'a payment and a partial refund give the same invoice whichever arrives first (and however often)');
select results_eq($$ select * from pg_temp.state('reversed') $$, $$ values ('partially_paid', 7000::bigint, null::timestamptz) $$,
  'partially paid, 70.00');

select is(tests.error_of($$ select public.record_payment(pg_temp.inv('voided'), 10000, 'stripe', null, null, 'evt_void') $$),
  'P0001 invoice_not_payable', 'the provider cannot pay a void invoice either (the webhook must report it)');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('draft'), 10000, 'stripe', null, null, 'evt_draft') $$),
  'P0001 invoice_not_payable', 'nor a draft');
select is(tests.error_of($$ select public.record_payment(gen_random_uuid(), 10000, 'stripe', null, null, 'evt_nowhere') $$),
  'P0002 not_found', 'an event for an invoice that does not exist is not found');
select tests.reset_role();
select is((select count(*)::int from public.invoice_payments where stripe_event_id in ('evt_void', 'evt_draft', 'evt_nowhere')), 0,
  'and none of the refused events left a payment');

-- A person naming an event id learns nothing about it.
select tests.authenticate_as('manager@t30.test');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('stripe'), 100, 'stripe', null, null, 'evt_1') $$), '42501 -',
  'a manager passing a recorded event''s id gets 42501, not that payment');
select tests.authenticate_as('outsider@t30.test');
select is(tests.error_of($$ select public.record_payment(pg_temp.inv('bravo'), 100, 'stripe', null, null, 'evt_1') $$), '42501 -',
  'nor does another agency''s owner');

-- ============================================================================================
-- Overdue: the daily job, by each agency's calendar, once
-- ============================================================================================
-- Reminder of the states: manual partially paid (80.00), stripe paid, refund-first sent with 0
-- paid, in-order and reversed partially paid, voided void, draft a draft, bravo sent (agency B).
select tests.reset_role();
select tests.freeze_time('2031-11-14 12:00:00+00');
select tests.authenticate_as_service_role();
select is(public.mark_overdue_invoices(), 1,
  'on 14 Nov at noon UTC it is already 15 Nov in Auckland: only agency B''s unpaid invoice is past due');
select tests.reset_role();
select results_eq($$ select notes from public.invoices where status = 'overdue' $$, $$ values ('bravo') $$,
  'agency A''s invoices, due today by its (UTC) calendar, are not overdue yet');

select tests.freeze_time('2031-11-15 00:00:01+00');
select results_eq(
  $$ select notes, private.invoice_status_for(status, total_cents, amount_paid_cents, due_date, private.agency_today(agency_id))::text
     from public.invoices where notes = 'refund-first' $$,
  $$ values ('refund-first', 'overdue') $$,
  'a second after midnight, readers derive overdue for an unpaid invoice before the job has run'
);
select tests.authenticate_as_service_role();
select is(public.mark_overdue_invoices(), 1, 'the job then marks agency A''s one unpaid invoice past due');
select is(public.mark_overdue_invoices(), 0, 'run again, it changes nothing');
select tests.reset_role();
select results_eq(
  $$ select notes, status::text from public.invoices order by notes $$,
  $$ values ('bravo', 'overdue'), ('draft', 'draft'), ('in-order', 'partially_paid'), ('manual', 'partially_paid'),
            ('refund-first', 'overdue'), ('reversed', 'partially_paid'), ('stripe', 'paid'), ('voided', 'void') $$,
  'unpaid and past due: overdue; paid, partially paid, draft and void invoices are left as they are'
);
select tests.authenticate_as('manager@t30.test');
select public.record_payment(pg_temp.inv('refund-first'), 4000, 'card');
select results_eq($$ select status, amount_paid_cents from pg_temp.state('refund-first') $$, $$ values ('partially_paid', 4000::bigint) $$,
  'an overdue invoice that receives a payment is partially paid');
select public.record_payment(pg_temp.inv('refund-first'), -4000, 'card', null, 'Card payment reversed');
select results_eq($$ select status, amount_paid_cents from pg_temp.state('refund-first') $$, $$ values ('overdue', 0::bigint) $$,
  'and overdue again once that payment is refunded');
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('refund-first'))), 'P0001 invoice_not_voidable',
  'an invoice that ever took a payment is not voided, even with nothing paid now');
select is(tests.error_of($$ select public.mark_overdue_invoices() $$), '42501 -', 'people do not run the job');
select tests.reset_role();

-- ============================================================================================
-- private.invoice_status_for: the truth table
-- ============================================================================================
select results_eq(
  $$ select s, private.invoice_status_for(st::public.invoice_status, total, paid, due, '2031-11-15')::text
     from (values
       ('draft, paid, past due',             'draft',          10000::bigint, 10000::bigint, '2031-11-01'::date),
       ('void, unpaid, past due',            'void',           10000, 0, '2031-11-01'),
       ('void, paid',                        'void',           10000, 10000, '2031-12-01'),
       ('sent, unpaid, due later',           'sent',           10000, 0, '2031-12-01'),
       ('sent, unpaid, due today',           'sent',           10000, 0, '2031-11-15'),
       ('sent, unpaid, due yesterday',       'sent',           10000, 0, '2031-11-14'),
       ('sent, unpaid, no due date',         'sent',           10000, 0, null),
       ('sent, a cent paid, past due',       'sent',           10000, 1, '2031-11-01'),
       ('sent, a cent short, due later',     'sent',           10000, 9999, '2031-12-01'),
       ('sent, paid exactly, past due',      'sent',           10000, 10000, '2031-11-01'),
       ('sent, overpaid',                    'sent',           10000, 10001, '2031-12-01'),
       ('overdue, unpaid, due moved later',  'overdue',        10000, 0, '2031-12-01'),
       ('overdue, paid',                     'overdue',        10000, 10000, '2031-11-01'),
       ('partially_paid, refunded, past due','partially_paid', 10000, 0, '2031-11-01'),
       ('paid, half refunded',               'paid',           10000, 5000, '2031-11-01'),
       ('paid, refunds beyond payments',     'paid',           10000, -1, '2031-12-01')
     ) as t (s, st, total, paid, due) $$,
  $$ values ('draft, paid, past due', 'draft'), ('void, unpaid, past due', 'void'), ('void, paid', 'void'),
            ('sent, unpaid, due later', 'sent'), ('sent, unpaid, due today', 'sent'), ('sent, unpaid, due yesterday', 'overdue'),
            ('sent, unpaid, no due date', 'sent'), ('sent, a cent paid, past due', 'partially_paid'),
            ('sent, a cent short, due later', 'partially_paid'), ('sent, paid exactly, past due', 'paid'), ('sent, overpaid', 'paid'),
            ('overdue, unpaid, due moved later', 'sent'), ('overdue, paid', 'paid'),
            ('partially_paid, refunded, past due', 'overdue'), ('paid, half refunded', 'partially_paid'),
            ('paid, refunds beyond payments', 'sent') $$,
  'draft and void stay; otherwise paid when the total is covered, partially paid when anything is, overdue when past due '
  '(not on the due date), else sent: the stored status of an issued invoice does not matter'
);

-- ============================================================================================
-- Review findings: the database role decides who is the provider; people date payments sanely
-- ============================================================================================
select tests.freeze_time('2031-12-20 12:00:00+00');
select tests.authenticate_as('manager@t30.test');
select pg_temp.invoice('review', 10000);
select throws_ok(format($$ select public.record_payment(%L, 100, 'stripe') $$, pg_temp.inv('review')), '42501', null,
  'a manager cannot record a provider (stripe) payment, even without an event id');
select is(tests.error_of(format($$ select public.record_payment(%L, 100, 'cash', 'infinity') $$, pg_temp.inv('review'))),
  'P0001 invalid_paid_at', 'nor a payment dated at infinity');
select is(tests.error_of(format($$ select public.record_payment(%L, 100, 'cash', '2032-01-10 00:00+00') $$, pg_temp.inv('review'))),
  'P0001 invalid_paid_at', 'nor one dated weeks ahead');
select tests.reset_role();
set local role authenticated;
select set_config('request.jwt.claims', '{"role": "authenticated"}', true);
select throws_ok(format($$ select public.record_payment(%L, 99999999, 'stripe') $$, pg_temp.inv('review')), '42501', null,
  'a signed-in session without a user id is not taken for the provider');
select tests.reset_role();
select is((select amount_paid_cents from public.invoices where id = pg_temp.inv('review')), 0::bigint,
  'and none of those attempts recorded anything');

select * from finish();
rollback;
