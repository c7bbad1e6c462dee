-- Stripe events and recurring invoices. record_stripe_event is the webhook's one call (service
-- role only): idempotent by event id and by payment intent (a session and its intent pay once, in
-- either order), refunds recorded from Stripe's cumulative refunded amount whatever order they
-- come in, failed and unmatched payments put on the timeline and in front of owners and managers,
-- the client's receipt queued. Recurring schedules belong to owners and managers, keep lines of a
-- billable shape, and the job bills every period exactly once (from the start date each time, so
-- 31 January → 28 February → 31 March), catching up missed periods, never again a period whose
-- draft was thrown away, by each agency's calendar.
begin;
select plan(148);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t32.test', 'Olga Owner');
select tests.create_user('manager@t32.test', 'Mona Manager');
select tests.create_user('mia@t32.test', 'Mia Member');
select tests.create_user('outsider@t32.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t32.test', 'Agency A t32')),
  ('b', tests.create_agency('outsider@t32.test', 'Agency B t32'));
select tests.add_member(tests.id('a'), 'manager@t32.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t32.test', 'member');
update public.agencies set timezone = 'Pacific/Auckland' where id = tests.id('b');

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme'), (tests.id('a'), 'Loner'), (tests.id('a'), 'Zenith'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;
insert into public.client_contacts (agency_id, client_id, name, email, is_primary) values
  (tests.id('a'), tests.id('client:acme'), 'Paula Primary', 'paula@acme.test', true),
  (tests.id('b'), tests.id('client:bravo'), 'Bea Bravo', 'bea@bravo.test', true);
with p as (
  insert into public.projects (agency_id, client_id, name, currency, status) values
    (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active'),
    (tests.id('a'), tests.id('client:zenith'), 'Zed', 'USD', 'active')
  returning 'project:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from p;

-- Wednesday 2031-10-15, noon UTC: invoices issued today are due on 14 Nov.
select tests.freeze_time('2031-10-15 12:00:00+00');

-- Ids made by managers live in transaction settings, readable and writable by every role.
create function pg_temp.keep(p_label text, p_id uuid)
returns uuid
language sql
as $$
  select set_config('t32.' || regexp_replace(p_label, '[^a-z0-9_]', '_', 'g'), p_id::text, true)::uuid;
$$;
create function pg_temp.inv(p_label text)
returns uuid
language sql
stable
as $$
  select nullif(current_setting('t32.' || regexp_replace(p_label, '[^a-z0-9_]', '_', 'g'), true), '')::uuid;
$$;

-- Issues (as the caller) an invoice of one untaxed line, noted with its label.
create function pg_temp.invoice(p_label text, p_cents bigint, p_issue boolean default true, p_client text default 'client:acme')
returns uuid
language plpgsql
as $$
declare
  v_id uuid;
begin
  v_id := (public.create_invoice(
             case when p_client = 'client:bravo' then tests.id('b') else tests.id('a') end,
             p_client_id => tests.id(p_client), p_include_time => false, p_notes => p_label,
             p_lines => jsonb_build_array(jsonb_build_object(
               'description', 'Work', 'quantity', 1, 'unit_price_cents', p_cents, 'tax_rate_bps', 0)))).id;
  if p_issue then
    perform public.issue_invoice(v_id);
  end if;
  return pg_temp.keep(p_label, v_id);
end;
$$;

-- The webhook's call for an invoice of this file (agency A unless told), as the caller.
create function pg_temp.stripe(p_event text, p_type text, p_invoice text, p_intent text, p_cents bigint,
                               p_currency text default 'usd', p_at timestamptz default '2031-10-16 09:30+00',
                               p_agency text default 'a')
returns text
language sql
as $$
  select public.record_stripe_event(p_event, p_type, tests.id(p_agency), pg_temp.inv(p_invoice), p_intent, p_cents,
                                    p_currency, p_at);
$$;

-- An invoice as the test runner sees it: status, paid amount and date, and its payments.
create function pg_temp.state(p_label text)
returns table (status text, amount_paid_cents bigint, paid_at timestamptz, payments integer)
language sql
security definer
set search_path = ''
as $$
  select i.status::text, i.amount_paid_cents, i.paid_at,
         (select count(*)::int from public.invoice_payments p where p.invoice_id = i.id)
  from public.invoices i where i.id = pg_temp.inv(p_label);
$$;

-- Notifications about an invoice: whose and which kind.
create function pg_temp.notified(p_label text)
returns table (email text, kind text)
language sql
security definer
set search_path = ''
as $$
  select u.email::text, n.kind from public.notifications n join auth.users u on u.id = n.user_id
  where n.data ->> 'invoice_id' = pg_temp.inv(p_label)::text order by u.email, n.kind, n.created_at;
$$;

select tests.authenticate_as('manager@t32.test');
select pg_temp.invoice('full', 10000);
select pg_temp.invoice('pi-first', 10000);
select pg_temp.invoice('partial', 10000);
select pg_temp.invoice('refund', 10000);
select pg_temp.invoice('refund-late', 10000);
select pg_temp.invoice('by-intent', 10000);
select pg_temp.invoice('failed', 10000);
select pg_temp.invoice('lone', 10000, true, 'client:loner');
select pg_temp.invoice('voided', 10000);
select public.void_invoice(pg_temp.inv('voided'));
select pg_temp.invoice('draft', 10000, false);
select tests.authenticate_as('outsider@t32.test');
select pg_temp.invoice('bravo', 10000, true, 'client:bravo');
select tests.reset_role();

-- ============================================================================================
-- A paid checkout session
-- ============================================================================================
select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_s1', 'checkout.session.completed', 'full', 'pi_full', 10000), 'recorded',
  'the service role records a paid checkout session');
select tests.reset_role();
select results_eq(
  $$ select amount_cents, method::text, stripe_payment_intent_id, stripe_event_id, paid_at, recorded_by
     from public.invoice_payments where invoice_id = pg_temp.inv('full') $$,
  $$ values (10000::bigint, 'stripe', 'pi_full', 'evt_s1', '2031-10-16 09:30+00'::timestamptz, null::uuid) $$,
  'one Stripe payment with the intent''s id, dated when the event happened, recorded by no person'
);
select results_eq($$ select status, amount_paid_cents, paid_at from pg_temp.state('full') $$,
  $$ values ('paid', 10000::bigint, '2031-10-16 09:30+00'::timestamptz) $$, 'the invoice is paid, on the event''s date');
select results_eq(
  $$ select o.to_email, o.data -> 'amount_cents', o.data -> 'amount_due_cents', o.data -> 'pay_path',
            (o.data ->> 'paid_at')::timestamptz, o.data ->> 'invoice_number', o.data ->> 'currency', o.data ->> 'agency_name'
     from private.email_outbox o where o.template = 'payment_received' and o.data ->> 'invoice_id' = pg_temp.inv('full')::text $$,
  $$ values ('paula@acme.test', '10000'::jsonb, '0'::jsonb, 'null'::jsonb, '2031-10-16 09:30+00'::timestamptz,
             'INV-2031-0001', 'USD', 'Agency A t32') $$,
  'the client''s receipt is queued: the amount, nothing left to pay and so no pay link'
);
select results_eq($$ select * from pg_temp.notified('full') $$,
  $$ values ('manager@t32.test', 'invoice_paid'), ('owner@t32.test', 'invoice_paid') $$,
  'the owner and the manager are told; the member and the other agency are not');
select is((select body from public.notifications where data ->> 'invoice_id' = pg_temp.inv('full')::text limit 1),
  'The invoice is paid in full.', 'the notification says it is paid in full');

select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_s1', 'checkout.session.completed', 'full', 'pi_full', 10000), 'duplicate',
  'the event replayed is a duplicate');
select is(pg_temp.stripe('evt_p1', 'payment_intent.succeeded', 'full', 'pi_full', 10000), 'duplicate',
  'so is the payment intent''s own event for the same payment');
select tests.reset_role();
select results_eq(
  $$ select (select payments from pg_temp.state('full')),
            (select count(*)::int from private.email_outbox where data ->> 'invoice_id' = pg_temp.inv('full')::text),
            (select count(*)::int from pg_temp.notified('full')) $$,
  $$ values (1, 1, 2) $$,
  'still one payment, one receipt and two notifications'
);

select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_p2', 'payment_intent.succeeded', 'pi-first', 'pi_pf', 10000), 'recorded',
  'the intent''s event may come first');
select is(pg_temp.stripe('evt_s2', 'checkout.session.completed', 'pi-first', 'pi_pf', 10000), 'duplicate',
  'then the session''s event of the same payment is the duplicate');
select is(pg_temp.stripe('evt_s2b', 'checkout.session.async_payment_succeeded', 'pi-first', 'pi_pf', 10000), 'duplicate',
  'and so is a delayed-payment success for it');
select tests.reset_role();
select results_eq($$ select status, amount_paid_cents, payments from pg_temp.state('pi-first') $$,
  $$ values ('paid', 10000::bigint, 1) $$, 'one payment, whichever event came first');

select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_s3', 'checkout.session.completed', 'partial', 'pi_part', 4000), 'recorded',
  'a session for part of the total is recorded');
select tests.reset_role();
select results_eq($$ select status, amount_paid_cents, paid_at from pg_temp.state('partial') $$,
  $$ values ('partially_paid', 4000::bigint, null::timestamptz) $$, 'the invoice is partially paid');
select results_eq(
  $$ select o.data -> 'amount_cents', o.data -> 'amount_due_cents', o.data ->> 'pay_path'
     from private.email_outbox o where o.template = 'payment_received' and o.data ->> 'invoice_id' = pg_temp.inv('partial')::text $$,
  format($$ values ('4000'::jsonb, '6000'::jsonb, %L) $$,
         '/pay/' || (select public_token from public.invoices where id = pg_temp.inv('partial'))),
  'the receipt says what is still due and links to pay it'
);
select is((select body from public.notifications where data ->> 'invoice_id' = pg_temp.inv('partial')::text limit 1),
  'The invoice is partly paid.', 'the agency is told it is partly paid');

-- ============================================================================================
-- Refunds: Stripe reports the charge's refunded total so far
-- ============================================================================================
select tests.authenticate_as_service_role();
select pg_temp.stripe('evt_s4', 'checkout.session.completed', 'refund', 'pi_ref', 10000);
select is(pg_temp.stripe('evt_r1', 'charge.refunded', 'refund', 'pi_ref', 3000), 'recorded', 'a partial refund is recorded');
select tests.reset_role();
select results_eq($$ select status, amount_paid_cents, paid_at from pg_temp.state('refund') $$,
  $$ values ('partially_paid', 7000::bigint, null::timestamptz) $$, 'paid, then 30.00 refunded: partially paid');
select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_r2', 'charge.refunded', 'refund', 'pi_ref', 10000, 'usd', '2031-10-17 10:00+00'), 'recorded',
  'then the rest: the event reports 100.00 refunded in all');
select is(pg_temp.stripe('evt_r2', 'charge.refunded', 'refund', 'pi_ref', 10000), 'duplicate', 'its replay is a duplicate');
select is(pg_temp.stripe('evt_r3', 'charge.refunded', 'refund', 'pi_ref', 10000), 'duplicate',
  'and another event reporting the same total adds nothing');
select tests.reset_role();
select results_eq(
  $$ select amount_cents, method::text, stripe_payment_intent_id from public.invoice_payments
     where invoice_id = pg_temp.inv('refund') order by amount_cents $$,
  $$ values (-7000::bigint, 'stripe', 'pi_ref'), (-3000, 'stripe', 'pi_ref'), (10000, 'stripe', 'pi_ref') $$,
  'the refunds are recorded as what each event added: −30.00 and −70.00'
);
select results_eq($$ select status, amount_paid_cents from pg_temp.state('refund') $$, $$ values ('sent', 0::bigint) $$,
  'refunded in full before the due date: sent, nothing paid');
select is((select count(*)::int from public.notifications where kind = 'invoice_refunded' and data ->> 'invoice_id' = pg_temp.inv('refund')::text),
  4, 'each refund told the owner and the manager');

select tests.authenticate_as_service_role();
select pg_temp.stripe('evt_s6', 'checkout.session.completed', 'by-intent', 'pi_bi', 10000);
select is(public.record_stripe_event('evt_r4', 'charge.refunded', null, null, 'pi_bi', 2500, 'usd', '2031-10-17 11:00+00'),
  'recorded', 'a refund without invoice metadata is matched by its payment intent');
select is(public.record_stripe_event('evt_r5', 'charge.refunded', null, null, 'pi_nowhere', 2500, 'usd', '2031-10-17 11:00+00'),
  'unknown_invoice', 'one whose intent paid nothing here is an unknown invoice');
select tests.reset_role();
select results_eq($$ select status, amount_paid_cents, payments from pg_temp.state('by-intent') $$,
  $$ values ('partially_paid', 7500::bigint, 2) $$, 'the refund landed on the invoice the intent paid');

-- Out of order, after the due date: the full refund's event, then the older partial one.
select tests.authenticate_as_service_role();
select pg_temp.stripe('evt_s5', 'checkout.session.completed', 'refund-late', 'pi_late', 10000);
select tests.freeze_time('2031-11-20 12:00:00+00');
select is(pg_temp.stripe('evt_l2', 'charge.refunded', 'refund-late', 'pi_late', 10000, 'usd', '2031-11-20 10:00+00'), 'recorded',
  'the event of the full refund arrives first');
select is(pg_temp.stripe('evt_l1', 'charge.refunded', 'refund-late', 'pi_late', 3000, 'usd', '2031-11-20 09:00+00'), 'duplicate',
  'the older event of the partial refund then adds nothing');
select tests.reset_role();
select results_eq(
  $$ select status, amount_paid_cents, payments from pg_temp.state('refund-late') $$,
  $$ values ('overdue', 0::bigint, 2) $$,
  'one refund row, nothing paid, and past the due date the invoice is overdue'
);

-- ============================================================================================
-- Failed and unmatched payments
-- ============================================================================================
select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_f1', 'checkout.session.async_payment_failed', 'failed', 'pi_f', 0), 'recorded',
  'a failed bank payment is recorded');
select is(pg_temp.stripe('evt_f1', 'checkout.session.async_payment_failed', 'failed', 'pi_f', 0), 'duplicate',
  'its replay is a duplicate');
select tests.reset_role();
select results_eq(
  $$ select kind, stripe_event_id from public.invoice_activity where invoice_id = pg_temp.inv('failed') $$,
  $$ values ('payment_failed', 'evt_f1') $$, 'once on the invoice''s timeline');
select results_eq($$ select * from pg_temp.notified('failed') $$,
  $$ values ('manager@t32.test', 'invoice_payment_failed'), ('owner@t32.test', 'invoice_payment_failed') $$,
  'the owner and the manager are told, once');
select results_eq($$ select status, amount_paid_cents, payments from pg_temp.state('failed') $$,
  $$ values ('sent', 0::bigint, 0) $$, 'and no payment was recorded');

select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_v1', 'checkout.session.completed', 'voided', 'pi_v', 10000), 'ignored',
  'money for a void invoice is not recorded as a payment');
select is(pg_temp.stripe('evt_v1', 'checkout.session.completed', 'voided', 'pi_v', 10000), 'duplicate',
  'and its replay is a duplicate');
select is(pg_temp.stripe('evt_d1', 'checkout.session.completed', 'draft', 'pi_d', 10000), 'ignored', 'nor for a draft');
select tests.reset_role();
select results_eq(
  $$ select i.notes, a.kind, a.stripe_event_id from public.invoice_activity a join public.invoices i on i.id = a.invoice_id
     where a.kind = 'payment_unmatched' order by i.notes $$,
  $$ values ('draft', 'payment_unmatched', 'evt_d1'), ('voided', 'payment_unmatched', 'evt_v1') $$,
  'each is flagged once on the timeline as an unmatched payment'
);
select results_eq($$ select * from pg_temp.notified('voided') $$,
  $$ values ('manager@t32.test', 'invoice_payment_unmatched'), ('owner@t32.test', 'invoice_payment_unmatched') $$,
  'the owner and the manager are told to refund it');
select results_eq($$ select status, payments from pg_temp.state('voided') $$, $$ values ('void', 0) $$,
  'the void invoice has no payment and stays void');

-- ============================================================================================
-- Events that do not fit
-- ============================================================================================
select tests.authenticate_as_service_role();
select is(public.record_stripe_event('evt_u1', 'checkout.session.completed', tests.id('a'), gen_random_uuid(), 'pi_u1', 100, 'usd', now()),
  'unknown_invoice', 'an invoice id that does not exist is an unknown invoice');
select is(pg_temp.stripe('evt_u2', 'checkout.session.completed', 'lone', 'pi_u2', 10000, 'usd', now(), 'b'), 'unknown_invoice',
  'so is agency A''s invoice under agency B''s id');
select is(pg_temp.stripe('evt_u3', 'checkout.session.completed', 'bravo', 'pi_u3', 10000, 'usd', now(), 'a'), 'unknown_invoice',
  'and agency B''s invoice under agency A''s');
select is(pg_temp.stripe('evt_c1', 'checkout.session.completed', 'lone', 'pi_c1', 10000, 'eur'), 'currency_mismatch',
  'a payment in another currency is not recorded');
select is(pg_temp.stripe('evt_z1', 'checkout.session.completed', 'lone', 'pi_z1', 0), 'ignored', 'a session of nothing is ignored');
select is(pg_temp.stripe('evt_x1', 'invoice.created', 'lone', null, 10000), 'ignored', 'an event type it does not handle is ignored');
select tests.reset_role();
select results_eq($$ select status, payments from pg_temp.state('lone') $$, $$ values ('sent', 0) $$,
  'none of them touched the invoice');
select is((select count(*)::int from public.invoice_payments where invoice_id = pg_temp.inv('bravo')), 0,
  'nor agency B''s');
select tests.authenticate_as_service_role();
select is(pg_temp.stripe('evt_c2', 'checkout.session.completed', 'lone', 'pi_c2', 10000, 'USD'), 'recorded',
  'in the invoice''s currency (either case) it is recorded');
select tests.reset_role();
select results_eq(
  $$ select (select status from pg_temp.state('lone')),
            (select count(*)::int from private.email_outbox where data ->> 'invoice_id' = pg_temp.inv('lone')::text),
            (select count(*)::int from pg_temp.notified('lone')) $$,
  $$ values ('paid', 0, 2) $$,
  'a client without an email address gets no receipt; the agency is still told'
);

select tests.authenticate_as_service_role();
select is(tests.error_of($$ select pg_temp.stripe('not-an-event', 'checkout.session.completed', 'partial', 'pi_e', 100) $$),
  '22023 invalid_event', 'an event id that is not Stripe''s is refused');
select is(tests.error_of($$ select pg_temp.stripe(null, 'checkout.session.completed', 'partial', 'pi_e', 100) $$),
  '22023 invalid_event', 'so is none');
select is(tests.error_of($$ select pg_temp.stripe('evt_ with space', 'checkout.session.completed', 'partial', 'pi_e', 100) $$),
  '22023 invalid_event', 'and one with a space in it');
select tests.authenticate_as('owner@t32.test');
select is(tests.error_of($$ select pg_temp.stripe('evt_o1', 'checkout.session.completed', 'partial', 'pi_o1', 6000) $$), '42501 -',
  'the agency''s owner cannot record a Stripe event');
select tests.authenticate_as('mia@t32.test');
select is(tests.error_of($$ select pg_temp.stripe('evt_o2', 'checkout.session.completed', 'partial', 'pi_o2', 6000) $$), '42501 -',
  'nor can a member');
select tests.clear_authentication();
select is(tests.error_of($$ select pg_temp.stripe('evt_o3', 'checkout.session.completed', 'partial', 'pi_o3', 6000) $$), '42501 -',
  'nor a visitor');
select tests.reset_role();
select results_eq($$ select status, amount_paid_cents, payments from pg_temp.state('partial') $$,
  $$ values ('partially_paid', 4000::bigint, 1) $$, 'the refused calls recorded nothing');
select is((select count(*)::int from public.notifications n join public.agency_members m on m.user_id = n.user_id
           where m.role = 'member' or n.agency_id = tests.id('b')), 0,
  'in all of this no member and no one at agency B was notified');

-- ============================================================================================
-- Recurring schedules: who may keep them
-- ============================================================================================
-- Friday 2033-04-15, 13:00 UTC: already Saturday 16 April in Auckland (UTC+12 by then).
select tests.freeze_time('2033-04-15 13:00:00+00');

select tests.authenticate_as('manager@t32.test');
with s as (
  insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
  values (tests.id('a'), tests.id('client:acme'), 'Manager''s', 'monthly', '2040-01-01', 1000) returning id
)
select pg_temp.keep('mine', id) from s;
select is((select created_by from public.recurring_invoices where id = pg_temp.inv('mine')), tests.user_id('manager@t32.test'),
  'a manager adds a schedule, recorded as hers');
select tests.authenticate_as('owner@t32.test');
select lives_ok($$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
                   values (tests.id('a'), tests.id('client:acme'), 'Owner''s', 'yearly', '2040-01-01', 1000) $$,
  'so does the owner');
select lives_ok($$ update public.recurring_invoices set name = 'Renamed', active = false, auto_send = true where id = pg_temp.inv('mine') $$,
  'the owner changes one');
select is(tests.error_of($$ update public.recurring_invoices set start_date = '2041-01-01' where id = pg_temp.inv('mine') $$), '42501 -',
  'but not its start date: the periods billed so far hang on it');
select is(tests.error_of($$ update public.recurring_invoices set client_id = tests.id('client:zenith') where id = pg_temp.inv('mine') $$),
  '42501 -', 'nor its client');
select is(tests.error_of($$ delete from public.recurring_invoices where id = pg_temp.inv('mine') $$), '42501 -',
  'schedules are paused, never deleted');
select is(tests.error_of($$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents, created_by)
                            values (tests.id('a'), tests.id('client:acme'), 'X', 'monthly', '2040-01-01', 1000, tests.user_id('mia@t32.test')) $$),
  '42501 -', 'nobody writes who made a schedule');
select tests.authenticate_as('mia@t32.test');
select is(tests.error_of($$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
                            values (tests.id('a'), tests.id('client:acme'), 'Mia''s', 'monthly', '2040-01-01', 1000) $$),
  '42501 -', 'a member cannot add one');
select is((select count(*)::int from public.recurring_invoices), 0, 'nor see any');
update public.recurring_invoices set name = 'Mia was here' where id = pg_temp.inv('mine');
select is((select count(*)::int from public.recurring_invoice_runs), 0, 'nor their runs');
select tests.authenticate_as('outsider@t32.test');
select is(tests.error_of($$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
                            values (tests.id('a'), tests.id('client:acme'), 'Oz''s', 'monthly', '2040-01-01', 1000) $$),
  '42501 -', 'another agency''s owner cannot add one to agency A');
select is(tests.error_of($$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
                            values (tests.id('b'), tests.id('client:acme'), 'Oz''s', 'monthly', '2040-01-01', 1000) $$),
  '23503 -', 'nor bill agency A''s client from her own agency');
select is((select count(*)::int from public.recurring_invoices where agency_id = tests.id('a')), 0, 'she sees none of agency A''s');
update public.recurring_invoices set name = 'Oz was here' where id = pg_temp.inv('mine');
select tests.clear_authentication();
select is(tests.error_of($$ select 1 from public.recurring_invoices $$), '42501 -', 'a visitor cannot read schedules');
select tests.reset_role();
select results_eq($$ select name, active, auto_send from public.recurring_invoices where id = pg_temp.inv('mine') $$,
  $$ values ('Renamed', false, true) $$, 'the member''s and the outsider''s updates changed nothing');
select ok(not has_table_privilege('authenticated', 'public.recurring_invoice_runs', 'INSERT')
          and not has_table_privilege('authenticated', 'public.recurring_invoice_runs', 'DELETE')
          and not has_table_privilege('authenticated', 'public.recurring_invoices', 'DELETE'),
  'runs are written only by the job, and schedules are not deleted');

-- The shape of a schedule's lines, and what it may bill.
create function pg_temp.schedule_error(p_lines jsonb, p_retainer bigint default null, p_project text default null,
                                       p_end date default null, p_frequency text default 'monthly')
returns text
language sql
as $$
  select tests.error_of(format(
    $q$ insert into public.recurring_invoices (agency_id, client_id, project_id, name, frequency, start_date, end_date, lines, retainer_amount_cents, active)
        values (%L, %L, %L, 'Shape', %L, '2033-01-01', %L, %L, %L, false) $q$,
    tests.id('a'), tests.id('client:acme'), tests.id(p_project), p_frequency, p_end, p_lines, p_retainer));
$$;
select tests.authenticate_as('manager@t32.test');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 1, "unit_price_cents": 5000}]'), 'ok',
  'a line of description, quantity and unit price is accepted (the tax rate is optional)');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 0.5, "unit_price_cents": 5000, "tax_rate_bps": 2000},
                                   {"description": "Loyalty", "quantity": 1, "unit_price_cents": -500, "tax_rate_bps": 0}]'), 'ok',
  'so are a fractional quantity, a tax rate and a discount');
select is(pg_temp.schedule_error('[]', 1000), 'ok', 'a retainer alone needs no lines');
select is(pg_temp.schedule_error('[]'), '23514 -', 'no lines and no retainer bill nothing and are refused');
select is(pg_temp.schedule_error('[{"quantity": 1, "unit_price_cents": 5000}]'), '23514 -', 'a line without a description is refused');
select is(pg_temp.schedule_error('[{"description": "  ", "quantity": 1, "unit_price_cents": 5000}]'), '23514 -',
  'so is a blank description');
select is(pg_temp.schedule_error('[{"description": "Hosting", "unit_price_cents": 5000}]'), '23514 -', 'a line without a quantity');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 0, "unit_price_cents": 5000}]'), '23514 -',
  'a quantity of nothing');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 0.00001, "unit_price_cents": 5000}]'), '23514 -',
  'a quantity that rounds to nothing at four decimals');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": "2", "unit_price_cents": 5000}]'), '23514 -',
  'a quantity written as text');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 1}]'), '23514 -', 'a line without a price');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 1, "unit_price_cents": 10.5}]'), '23514 -',
  'a price in fractions of a cent');
select is(pg_temp.schedule_error('[{"description": "Hosting", "quantity": 1, "unit_price_cents": 5000, "tax_rate_bps": 10001}]'),
  '23514 -', 'a tax rate over 100 %');
select is(pg_temp.schedule_error('["Hosting"]'), '23514 -', 'a line that is not an object');
select is(pg_temp.schedule_error((select jsonb_agg(jsonb_build_object('description', 'L' || n, 'quantity', 1, 'unit_price_cents', 1))
                                  from generate_series(1, 51) n)), '23514 -', 'more than fifty lines');
select is(pg_temp.schedule_error('[]', 1000, 'project:zed'), 'P0001 invoice_target_mismatch',
  'a project of another client is refused');
select is(pg_temp.schedule_error('[]', 1000, 'project:site'), 'ok', 'the client''s own project is accepted');
select is(pg_temp.schedule_error('[]', 1000, null, '2032-12-31'), '23514 -', 'a schedule cannot end before it starts');
select is(tests.error_of(format(
  $q$ insert into public.recurring_invoices (agency_id, client_id, name, frequency, start_date, retainer_amount_cents)
      values (%L, %L, 'Ancient', 'weekly', '0001-01-01', 1000) $q$, tests.id('a'), tests.id('client:acme'))),
  'P0001 start_too_early', 'nor start in year 1 (the job would bill thousands of weeks)');
select is(pg_temp.schedule_error('[]', 1000, null, null, 'daily'), '23514 -', 'nor bill daily');
select is(pg_temp.schedule_error('[]', 0), '23514 -', 'nor bill a retainer of nothing');
select tests.reset_role();

-- ============================================================================================
-- generate_recurring_invoices: every period exactly once
-- ============================================================================================
select tests.authenticate_as('manager@t32.test');
create function pg_temp.schedule(p_label text, p_name text, p_frequency text, p_start date, p_retainer bigint,
                                 p_lines jsonb default '[]', p_client text default 'client:acme', p_end date default null,
                                 p_auto_send boolean default false, p_active boolean default true, p_project text default null)
returns uuid
language sql
as $$
  with s as (
    insert into public.recurring_invoices (agency_id, client_id, project_id, name, frequency, start_date, end_date, lines,
                                           retainer_amount_cents, tax_rate_bps, auto_send, active)
    values (case when p_client = 'client:bravo' then tests.id('b') else tests.id('a') end, tests.id(p_client), tests.id(p_project),
            p_name, p_frequency, p_start, p_end, p_lines, p_retainer, 1000, p_auto_send, p_active)
    returning id
  )
  select pg_temp.keep(p_label, id) from s;
$$;
select pg_temp.schedule('monthly31', 'Care plan', 'monthly', '2033-01-31', 100000,
  '[{"description": "Hosting", "quantity": 1, "unit_price_cents": 5000}]', p_project => 'project:site');
select pg_temp.schedule('weekly', 'Support', 'weekly', '2033-03-28', null,
  '[{"description": "Support hours", "quantity": 2, "unit_price_cents": 7500, "tax_rate_bps": 0}]');
select pg_temp.schedule('quarterly', 'Audit', 'quarterly', '2033-01-01', 30000);
select pg_temp.schedule('yearly', 'Licence', 'yearly', '2032-04-15', 120000);
select pg_temp.schedule('ended', 'Short run', 'monthly', '2033-01-01', 1000, p_end => '2033-02-15');
select pg_temp.schedule('paused', 'Paused', 'monthly', '2033-01-01', 1000, p_active => false);
select pg_temp.schedule('auto', 'Auto', 'monthly', '2033-04-01', 50000, p_auto_send => true);
select pg_temp.schedule('auto-lone', 'Auto lone', 'monthly', '2033-04-01', 20000, p_client => 'client:loner', p_auto_send => true);
select pg_temp.schedule('future', 'Later', 'monthly', '2033-06-01', 1000);
select pg_temp.schedule('utc-tomorrow', 'Tomorrow', 'monthly', '2033-04-16', 1000);
select tests.authenticate_as('outsider@t32.test');
select pg_temp.schedule('kiwi', 'Kiwi', 'monthly', '2033-04-16', 1000, p_client => 'client:bravo');
select tests.reset_role();

-- The invoices a schedule made: period, status, total.
create function pg_temp.periods(p_label text)
returns table (period_start date, period_from date, period_to date, status text, total_cents bigint)
language sql
security definer
set search_path = ''
as $$
  select r.period_start, i.period_from, i.period_to, i.status::text, i.total_cents
  from public.recurring_invoice_runs r left join public.invoices i on i.id = r.invoice_id
  where r.recurring_invoice_id = pg_temp.inv(p_label) order by r.period_start;
$$;

select ok(has_function_privilege('service_role', 'public.generate_recurring_invoices()', 'execute')
          and has_function_privilege('service_role', 'public.send_due_reminders()', 'execute')
          and has_function_privilege('service_role', 'public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text)', 'execute')
          and not has_function_privilege('authenticated', 'public.generate_recurring_invoices()', 'execute')
          and not has_function_privilege('authenticated', 'public.send_due_reminders()', 'execute')
          and not has_function_privilege('authenticated', 'public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text)', 'execute')
          and not has_function_privilege('anon', 'public.generate_recurring_invoices()', 'execute')
          and not has_function_privilege('anon', 'public.send_due_reminders()', 'execute')
          and not has_function_privilege('anon', 'public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text)', 'execute'),
  'the two jobs and the webhook''s call are the service role''s alone');
select tests.authenticate_as('manager@t32.test');
select is(tests.error_of($$ select public.generate_recurring_invoices() $$), '42501 -', 'people do not run the recurring job');
select tests.clear_authentication();
select is(tests.error_of($$ select public.generate_recurring_invoices() $$), '42501 -', 'nor do visitors');
select tests.authenticate_as_service_role();
select is(public.generate_recurring_invoices(), 15, 'the job bills every period up to today: fifteen invoices');
select is(public.generate_recurring_invoices(), 0, 'run again at once, it bills nothing');
select tests.reset_role();

select results_eq($$ select * from pg_temp.periods('monthly31') $$,
  $$ values ('2033-01-31'::date, '2033-01-31'::date, '2033-02-27'::date, 'draft', 115500::bigint),
            ('2033-02-28', '2033-02-28', '2033-03-30', 'draft', 115500),
            ('2033-03-31', '2033-03-31', '2033-04-29', 'draft', 115500) $$,
  'monthly from the 31st: 31 January, 28 February, 31 March (each from the start date), drafts of 1155.00');
select results_eq(
  $$ select l.position, l.kind::text, l.description, l.quantity, l.unit_price_cents, l.tax_rate_bps, l.project_id
     from public.invoice_lines l join public.recurring_invoice_runs r on r.invoice_id = l.invoice_id
     where r.recurring_invoice_id = pg_temp.inv('monthly31') and r.period_start = '2033-01-31' order by l.position $$,
  format($$ values (0, 'manual', 'Care plan — 31 Jan 2033 – 27 Feb 2033', 1::numeric, 100000::bigint, 1000, %L::uuid),
                   (1, 'manual', 'Hosting (31 Jan 2033 – 27 Feb 2033)', 1, 5000, 1000, %L) $$,
         tests.id('project:site'), tests.id('project:site')),
  'the retainer line names the period, and so does each line, with the schedule''s tax rate and project'
);
select results_eq(
  $$ select i.client_id, i.project_id, i.currency, i.created_by, i.invoice_number from public.invoices i
     join public.recurring_invoice_runs r on r.invoice_id = i.id
     where r.recurring_invoice_id = pg_temp.inv('monthly31') and r.period_start = '2033-01-31' $$,
  format($$ values (%L::uuid, %L::uuid, 'USD', %L::uuid, null::text) $$,
         tests.id('client:acme'), tests.id('project:site'), tests.user_id('manager@t32.test')),
  'each is a draft for the schedule''s client and project, made in the name of who made the schedule'
);
select results_eq($$ select period_start, period_to, total_cents from pg_temp.periods('weekly') $$,
  $$ values ('2033-03-28'::date, '2033-04-03'::date, 15000::bigint), ('2033-04-04', '2033-04-10', 15000),
            ('2033-04-11', '2033-04-17', 15000) $$,
  'weekly: every seven days, a week each (a line''s own tax rate wins over the schedule''s)');
select is(
  (select l.description from public.invoice_lines l join public.recurring_invoice_runs r on r.invoice_id = l.invoice_id
   where r.recurring_invoice_id = pg_temp.inv('weekly') and r.period_start = '2033-04-04'),
  'Support hours (4 Apr 2033 – 10 Apr 2033)', 'a weekly line names its week');
select results_eq($$ select period_start, period_to from pg_temp.periods('quarterly') $$,
  $$ values ('2033-01-01'::date, '2033-03-31'::date), ('2033-04-01', '2033-06-30') $$, 'quarterly: three months each');
select results_eq($$ select period_start, period_to from pg_temp.periods('yearly') $$,
  $$ values ('2032-04-15'::date, '2033-04-14'::date), ('2033-04-15', '2034-04-14') $$,
  'yearly: a year each, the second starting today');
select results_eq($$ select period_start, period_to from pg_temp.periods('ended') $$,
  $$ values ('2033-01-01'::date, '2033-01-31'::date), ('2033-02-01', '2033-02-28') $$,
  'a schedule ending on 15 February bills January and February, and no more');
select is(
  (select l.description from public.invoice_lines l join public.recurring_invoice_runs r on r.invoice_id = l.invoice_id
   where r.recurring_invoice_id = pg_temp.inv('ended') and r.period_start = '2033-02-01'),
  'Short run — February 2033', 'a calendar month is named by its name');
select is((select count(*)::int from pg_temp.periods('paused')) + (select count(*)::int from pg_temp.periods('future')), 0,
  'a paused schedule and one that has not started bill nothing');
select is((select count(*)::int from pg_temp.periods('utc-tomorrow')), 0,
  'a schedule starting tomorrow in agency A''s (UTC) calendar waits');
select results_eq($$ select period_start, status from pg_temp.periods('kiwi') $$, $$ values ('2033-04-16'::date, 'draft') $$,
  'the same start in Auckland, where it is already 16 April, is billed');

select results_eq(
  $$ select i.status::text, i.invoice_number is not null, i.issue_date, i.due_date, i.sent_to_email, i.total_cents
     from public.invoices i join public.recurring_invoice_runs r on r.invoice_id = i.id
     where r.recurring_invoice_id = pg_temp.inv('auto') $$,
  $$ values ('sent', true, '2033-04-15'::date, '2033-05-15'::date, 'paula@acme.test', 55000::bigint) $$,
  'with auto-send the invoice is issued today, due in the agency''s 30 days, and sent to the primary contact'
);
select results_eq(
  $$ select o.to_email, o.data ->> 'invoice_number' = i.invoice_number, o.data ->> 'attach_invoice_pdf' = i.id::text
     from private.email_outbox o join public.invoices i on o.data ->> 'invoice_id' = i.id::text
     join public.recurring_invoice_runs r on r.invoice_id = i.id
     where r.recurring_invoice_id = pg_temp.inv('auto') and o.template = 'invoice_sent' $$,
  $$ values ('paula@acme.test', true, true) $$,
  'one invoice_sent email is queued with its number and the PDF'
);
select results_eq(
  $$ select i.status::text, i.invoice_number is not null, i.sent_to_email,
            (select count(*)::int from private.email_outbox o where o.data ->> 'invoice_id' = i.id::text)
     from public.invoices i join public.recurring_invoice_runs r on r.invoice_id = i.id
     where r.recurring_invoice_id = pg_temp.inv('auto-lone') $$,
  $$ values ('sent', true, null::text, 0) $$,
  'a client without an email address still gets the invoice issued, with no email queued'
);
select tests.authenticate_as('manager@t32.test');
select results_eq(
  $$ select s.name, public.recurring_next_period(s) from public.recurring_invoices s
     where s.id in (pg_temp.inv('monthly31'), pg_temp.inv('weekly'), pg_temp.inv('ended'), pg_temp.inv('paused'), pg_temp.inv('future'))
     order by s.name $$,
  $$ values ('Care plan', '2033-04-30'::date), ('Later', '2033-06-01'), ('Paused', '2033-01-01'),
            ('Short run', null), ('Support', '2033-04-18') $$,
  'the manager sees each schedule''s next period (none once it has ended)'
);
select is((select count(*)::int from public.recurring_invoice_runs), 14, 'and agency A''s fourteen runs');

-- A generated draft thrown away stays thrown away.
delete from public.invoices i using public.recurring_invoice_runs r
where r.invoice_id = i.id and r.recurring_invoice_id = pg_temp.inv('monthly31') and r.period_start = '2033-02-28';
select tests.reset_role();
select results_eq($$ select period_start, status from pg_temp.periods('monthly31') $$,
  $$ values ('2033-01-31'::date, 'draft'), ('2033-02-28', null), ('2033-03-31', 'draft') $$,
  'the manager deleted February''s draft; its run stays, without an invoice');

-- Sunday 1 May 2033: the job was down for a fortnight.
select tests.freeze_time('2033-05-01 13:00:00+00');
select tests.authenticate_as_service_role();
select is(public.generate_recurring_invoices(), 6, 'a fortnight later the job catches up six periods');
select is(public.generate_recurring_invoices(), 0, 'and again, none');
select tests.reset_role();
select results_eq($$ select period_start, status from pg_temp.periods('monthly31') $$,
  $$ values ('2033-01-31'::date, 'draft'), ('2033-02-28', null), ('2033-03-31', 'draft'), ('2033-04-30', 'draft') $$,
  '30 April is billed and February is not billed again');
select results_eq($$ select period_start from pg_temp.periods('weekly') $$,
  $$ values ('2033-03-28'::date), ('2033-04-04'), ('2033-04-11'), ('2033-04-18'), ('2033-04-25') $$,
  'the missed weeks are caught up, each once');
select results_eq(
  $$ select s.name, count(r.*)::int from public.recurring_invoices s left join public.recurring_invoice_runs r on r.recurring_invoice_id = s.id
     where s.id in (pg_temp.inv('auto'), pg_temp.inv('auto-lone'), pg_temp.inv('utc-tomorrow'), pg_temp.inv('kiwi'),
                    pg_temp.inv('ended'), pg_temp.inv('quarterly'), pg_temp.inv('yearly'))
     group by s.name order by s.name $$,
  $$ values ('Audit', 2), ('Auto', 2), ('Auto lone', 2), ('Kiwi', 1), ('Licence', 2), ('Short run', 2), ('Tomorrow', 1) $$,
  'May''s auto-sent invoices and agency A''s 16 April are billed; the rest wait for their next period'
);
select is((select count(*)::int from private.email_outbox where template = 'invoice_sent'), 2,
  'two auto-sent emails in all, both to the client with a contact');
select results_eq(
  $$ select count(distinct i.invoice_number)::int, count(*)::int from public.invoices i
     join public.recurring_invoice_runs r on r.invoice_id = i.id
     where r.recurring_invoice_id in (pg_temp.inv('auto'), pg_temp.inv('auto-lone')) $$,
  $$ values (4, 4) $$, 'each auto-sent invoice has its own number');

-- ============================================================================================
-- One broken schedule does not stop the others
-- ============================================================================================
-- A schedule the checks would refuse today (planted with the check off, as a stand-in for any
-- failure while billing): its error is kept and told once; the other schedules are billed.
alter table public.recurring_invoices drop constraint recurring_invoices_lines_shape;
select tests.authenticate_as('manager@t32.test');
select pg_temp.schedule('broken', 'Broken', 'monthly', '2033-05-01', null, '[{"description": "Tiny", "quantity": 0.00001, "unit_price_cents": 100}]');
select pg_temp.schedule('fine', 'Fine', 'monthly', '2033-05-01', 1000);
select tests.reset_role();
select tests.authenticate_as_service_role();
select is(public.generate_recurring_invoices(), 1, 'the fine schedule is billed although another one fails');
select is(public.generate_recurring_invoices(), 0, 'a rerun bills nothing new');
select tests.reset_role();
select ok((select last_error is not null and last_error_at is not null from public.recurring_invoices where id = pg_temp.inv('broken')),
  'the broken schedule keeps its error');
select is((select count(*)::int from public.recurring_invoice_runs where recurring_invoice_id = pg_temp.inv('broken')), 0,
  'and has no run, so it is billed once it is fixed');
select is((select count(*)::int from public.notifications where kind = 'recurring_invoice_failed'
           and data ->> 'recurring_invoice_id' = pg_temp.inv('broken')::text), 2,
  'its owner and manager were told once, not on every run');
update public.recurring_invoices set lines = '[{"description": "Tiny", "quantity": 1, "unit_price_cents": 100}]'
where id = pg_temp.inv('broken');
select tests.authenticate_as_service_role();
select is(public.generate_recurring_invoices(), 1, 'fixed, it is billed on the next run');
select tests.reset_role();
select ok((select last_error is null and last_error_at is null from public.recurring_invoices where id = pg_temp.inv('broken')),
  'and its error is cleared');

-- ============================================================================================
-- Resuming a paused schedule does not bill the paused months
-- ============================================================================================
select tests.authenticate_as('manager@t32.test');
update public.recurring_invoices set active = true where id = pg_temp.inv('paused');
select tests.reset_role();
select results_eq($$ select r.period_start, r.skipped, r.invoice_id is null from public.recurring_invoice_runs r
                    where r.recurring_invoice_id = pg_temp.inv('paused') order by r.period_start $$,
  $$ values ('2033-01-01'::date, true, true), ('2033-02-01', true, true), ('2033-03-01', true, true),
            ('2033-04-01', true, true), ('2033-05-01', true, true) $$,
  'resumed on 1 May, the five months it was paused are marked skipped');
select tests.freeze_time('2033-06-01 13:00:00+00');
select tests.authenticate_as_service_role();
select public.generate_recurring_invoices();
select tests.reset_role();
select results_eq($$ select period_start, status from pg_temp.periods('paused') where status is not null $$,
  $$ values ('2033-06-01'::date, 'draft') $$,
  'the job bills June only, the first month after the pause');

-- ============================================================================================
-- Whose money: the agency's Stripe account, and refunds follow the payment they refund
-- ============================================================================================
select tests.authenticate_as('manager@t32.test');
select pg_temp.invoice('acct-a', 10000);
select pg_temp.invoice('acct-other', 10000);
select tests.authenticate_as('outsider@t32.test');
select pg_temp.invoice('acct-b', 10000, p_client => 'client:bravo');
select tests.reset_role();
update public.agencies set stripe_account_id = 'acct_B32' where id = tests.id('b');
select is(tests.error_of($$ update public.agencies set stripe_account_id = 'acct_B32' where id = tests.id('a') $$),
  '23505 -', 'no two agencies claim the same connected account');
select tests.authenticate_as_service_role();
select is(public.record_stripe_event('evt_acct_1', 'payment_intent.succeeded', tests.id('a'), pg_temp.inv('acct-a'),
                                     'pi_acct_1', 10000, 'usd', now(), 'acct_B32'),
  'unknown_invoice', 'another tenant''s connected account cannot pay agency A''s invoice (A runs on the platform)');
select is(public.record_stripe_event('evt_acct_2', 'payment_intent.succeeded', tests.id('b'), pg_temp.inv('acct-b'),
                                     'pi_acct_2', 10000, 'usd', now(), null),
  'unknown_invoice', 'nor can the platform account pay for an agency that runs on its own account');
select is(public.record_stripe_event('evt_acct_3', 'payment_intent.succeeded', null, pg_temp.inv('acct-b'),
                                     'pi_acct_3', 10000, 'usd', now(), 'acct_Other'),
  'unknown_invoice', 'nor a third account, even without naming the agency');
select is(public.record_stripe_event('evt_acct_4', 'payment_intent.succeeded', tests.id('b'), pg_temp.inv('acct-b'),
                                     'pi_acct_4', 10000, 'usd', now(), 'acct_B32'),
  'recorded', 'agency B''s own account pays its invoice');
select is(public.record_stripe_event('evt_acct_5', 'payment_intent.succeeded', tests.id('a'), pg_temp.inv('acct-a'),
                                     'pi_acct_5', 10000, 'usd', now()),
  'recorded', 'the platform pays agency A''s');
select is(public.record_stripe_event('evt_acct_6', 'charge.refunded', tests.id('a'), pg_temp.inv('acct-other'),
                                     'pi_acct_5', 4000, 'usd', now()),
  'recorded', 'a refund that names another invoice in its metadata ...');
select tests.reset_role();
select results_eq($$ select amount_paid_cents from public.invoices where id in (pg_temp.inv('acct-a'), pg_temp.inv('acct-other'))
                     order by id = pg_temp.inv('acct-a') desc $$,
  $$ values (6000::bigint), (0::bigint) $$,
  '... is taken off the invoice its payment intent paid, not the one it names');
select tests.authenticate_as_service_role();
select is(public.record_stripe_event('evt_acct_7', 'charge.refunded', tests.id('a'), pg_temp.inv('acct-other'),
                                     'pi_never_paid', 5000, 'usd', now()),
  'unknown_invoice', 'a refund of an intent that paid nothing here is not ours');
select is(public.record_stripe_event('evt_acct_8', 'charge.refunded', tests.id('a'), pg_temp.inv('acct-a'),
                                     null, 5000, 'usd', now()),
  'unknown_invoice', 'nor is a refund without an intent (cumulative amounts could not be told apart)');
select is(public.record_stripe_event('evt_acct_9', 'charge.refunded', tests.id('b'), pg_temp.inv('acct-b'),
                                     'pi_acct_4', 25000, 'usd', now(), 'acct_B32'),
  'recorded', 'a refund larger than the payment ...');
select tests.reset_role();
select is((select amount_paid_cents from public.invoices where id = pg_temp.inv('acct-b')), 0::bigint,
  '... takes back what that payment brought in, no more');

select * from finish();
rollback;
