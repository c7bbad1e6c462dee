-- Invoice sending: send_invoice issues a draft and emails it (or emails an issued invoice again) in
-- one transaction, so a refused send takes no number and queues nothing; the printable document
-- for owners and managers; the pay link (anon, by token: null for anything unknown or a draft,
-- the first view by someone outside the agency recorded once) and the checkout session it
-- remembers; reminders by hand (not within an hour of another email) and by the schedule (each
-- step once, only the latest when several are due, in the agency's calendar, never for paid, void
-- or never-emailed invoices); the agency settings behind them and who may change them.
begin;
select plan(134);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t31.test', 'Olga Owner');
select tests.create_user('manager@t31.test', 'Mona Manager');
select tests.create_user('mia@t31.test', 'Mia Member');
select tests.create_user('outsider@t31.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t31.test', 'Agency A t31')),
  ('b', tests.create_agency('outsider@t31.test', 'Agency B t31'));
select tests.add_member(tests.id('a'), 'manager@t31.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t31.test', 'member');
update public.agencies set address = '1 Main Street, Springfield' where id = tests.id('a');
-- Agency B keeps Auckland's calendar (UTC+13 in October and November) and reminds once, a day late.
update public.agencies set timezone = 'Pacific/Auckland', reminder_offsets_days = '{1}' where id = tests.id('b');

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme'), (tests.id('a'), 'Loner'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;
-- Acme's primary contact was added after another one: the primary one is the recipient. Loner's
-- only contact has no email address.
insert into public.client_contacts (agency_id, client_id, name, email, is_primary, created_at) values
  (tests.id('a'), tests.id('client:acme'), 'Sam Second', 'sam@acme.test', false, '2031-01-01'),
  (tests.id('a'), tests.id('client:acme'), 'Paula Primary', 'paula@acme.test', true, '2031-02-01'),
  (tests.id('a'), tests.id('client:loner'), 'No Mail', null, false, '2031-01-01'),
  (tests.id('b'), tests.id('client:bravo'), 'Bea Bravo', 'bea@bravo.test', true, '2031-01-01');

-- Wednesday 2031-10-15, noon UTC: agency A's invoices issued today are due on 14 Nov (30 days).
select tests.freeze_time('2031-10-15 12:00:00+00');

-- Invoice ids live in transaction settings, readable and writable by every role (tests.labels is
-- the owner's only, and invoices are made by managers).
create function pg_temp.keep(p_label text, p_id uuid)
returns uuid
language sql
as $$
  select set_config('t31.' || regexp_replace(p_label, '[^a-z0-9_]', '_', 'g'), p_id::text, true)::uuid;
$$;
create function pg_temp.inv(p_label text)
returns uuid
language sql
stable
as $$
  select nullif(current_setting('t31.' || regexp_replace(p_label, '[^a-z0-9_]', '_', 'g'), true), '')::uuid;
$$;

-- Drafts (as the caller) one untaxed line of p_cents for a client, issued when told, noted with its label.
create function pg_temp.invoice(p_label text, p_cents bigint, p_issue boolean default false,
                                p_client text default 'client:acme', p_due date default null)
returns uuid
language plpgsql
as $$
declare
  v_id uuid;
begin
  v_id := (public.create_invoice(
             case when p_client = 'client:bravo' then tests.id('b') else tests.id('a') end,
             p_client_id => tests.id(p_client), p_include_time => false, p_notes => p_label, p_due_date => p_due,
             p_lines => jsonb_build_array(jsonb_build_object(
               'description', 'Work', 'quantity', 1, 'unit_price_cents', p_cents, 'tax_rate_bps', 0)))).id;
  if p_issue then
    perform public.issue_invoice(v_id);
  end if;
  return pg_temp.keep(p_label, v_id);
end;
$$;

-- The pay link token of an invoice, whoever asks (the client has it from the email).
create function pg_temp.token(p_label text)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select i.public_token from public.invoices i where i.id = pg_temp.inv(p_label);
$$;

-- Emails queued about an invoice with a template (one transaction: no order among them).
create function pg_temp.emails(p_label text, p_template text)
returns setof private.email_outbox
language sql
stable
security definer
set search_path = ''
as $$
  select * from private.email_outbox o
  where o.data ->> 'invoice_id' = pg_temp.inv(p_label)::text and o.template = p_template;
$$;

-- The scheduled reminder steps an invoice got, in order.
create function pg_temp.steps(p_label text)
returns smallint[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(a.reminder_offset_days order by a.reminder_offset_days), '{}')
  from public.invoice_activity a
  where a.invoice_id = pg_temp.inv(p_label) and a.kind = 'reminded' and a.reminder_offset_days is not null;
$$;

create function pg_temp.counter()
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select c.last_number from private.invoice_counters c where c.agency_id = tests.id('a');
$$;

-- Every email about an invoice of this file is from more than an hour ago (the activity is stamped
-- with the business clock, which stands still while frozen).
create function pg_temp.an_hour_passes()
returns void
language sql
security definer
set search_path = ''
as $$
  update public.invoice_activity set created_at = created_at - interval '2 hours';
$$;

select tests.authenticate_as('manager@t31.test');
-- Issued now, in this order: INV-2031-0001 … 0004.
select pg_temp.invoice('paid', 1000, true);
select public.record_payment(pg_temp.inv('paid'), 1000, 'cash');
select pg_temp.invoice('voided', 1000, true);
select public.void_invoice(pg_temp.inv('voided'));
select pg_temp.invoice('part', 10000, true);
select public.record_payment(pg_temp.inv('part'), 4000, 'cash');
select pg_temp.invoice('quiet', 2000, true);
-- Drafts.
select pg_temp.invoice('d1', 12000);
select pg_temp.invoice('d2', 5000);
select pg_temp.invoice('lone', 3000, false, 'client:loner');
select pg_temp.invoice('bad', 3000);
select pg_temp.invoice('zero', 0);
select tests.reset_role();

select results_eq(
  $$ select notes, status::text, invoice_number, total_cents, amount_paid_cents from public.invoices
     where agency_id = tests.id('a') order by notes $$,
  $$ values ('bad', 'draft', null, 3000::bigint, 0::bigint), ('d1', 'draft', null, 12000, 0), ('d2', 'draft', null, 5000, 0),
            ('lone', 'draft', null, 3000, 0), ('paid', 'paid', 'INV-2031-0001', 1000, 1000),
            ('part', 'partially_paid', 'INV-2031-0003', 10000, 4000), ('quiet', 'sent', 'INV-2031-0004', 2000, 0),
            ('voided', 'void', 'INV-2031-0002', 1000, 0), ('zero', 'draft', null, 0, 0) $$,
  'the arrangement: drafts, and a paid, a void, a partly paid and an issued invoice numbered 1 to 4'
);

-- ============================================================================================
-- send_invoice: a draft is issued and emailed in one go
-- ============================================================================================
select tests.authenticate_as('manager@t31.test');
select results_eq(
  $$ select status::text, invoice_number, issue_date, due_date, sent_to_email from public.send_invoice(pg_temp.inv('d1')) $$,
  $$ values ('sent', 'INV-2031-0005', '2031-10-15'::date, '2031-11-14'::date, 'paula@acme.test') $$,
  'a manager sends a draft: it gets the next number and its dates, and goes to the client''s primary contact'
);
select tests.reset_role();
select is((select count(*)::int from private.email_outbox where data ->> 'invoice_id' = pg_temp.inv('d1')::text), 1,
  'exactly one email about it is queued');
select is(
  (select data from pg_temp.emails('d1', 'invoice_sent')),
  jsonb_build_object(
    'agency_name', 'Agency A t31', 'logo_url', null, 'brand_color', '#4f46e5', 'invoice_id', pg_temp.inv('d1'),
    'invoice_number', 'INV-2031-0005', 'client_name', 'Acme', 'contact_name', 'Paula Primary',
    'total_cents', 12000, 'amount_due_cents', 12000, 'currency', 'USD', 'due_date', '2031-11-14',
    'pay_path', '/pay/' || pg_temp.token('d1'), 'message', null, 'attach_invoice_pdf', pg_temp.inv('d1')),
  'it is the invoice_sent email with the number, the amounts, the pay link and the PDF to attach'
);
select is((select to_email from pg_temp.emails('d1', 'invoice_sent')), 'paula@acme.test',
  'addressed to the primary contact, not the contact added first');
select results_eq(
  $$ select kind, to_email, detail, actor_id from public.invoice_activity where invoice_id = pg_temp.inv('d1') $$,
  format($$ values ('sent', 'paula@acme.test', null::text, %L::uuid) $$, tests.user_id('manager@t31.test')),
  'the timeline records the sending, by the manager, to that address'
);
select ok(pg_temp.token('d1') ~ '^[0-9a-f]{64}$', 'the pay link''s token is 64 hex characters');

-- An address given by hand, with a message, is remembered for the next emails.
select tests.authenticate_as('owner@t31.test');
select results_eq(
  $$ select invoice_number, sent_to_email
     from public.send_invoice(pg_temp.inv('d2'), '  Billing@Acme.TEST ', 'Thanks for the work!') $$,
  $$ values ('INV-2031-0006', 'billing@acme.test') $$,
  'the owner sends a draft to an address of her choosing (trimmed, lower-cased)'
);
select tests.reset_role();
select results_eq(
  $$ select to_email, data ->> 'message', data -> 'contact_name' from pg_temp.emails('d2', 'invoice_sent') $$,
  $$ values ('billing@acme.test', 'Thanks for the work!', 'null'::jsonb) $$,
  'the email goes there with her message, and no contact name for an address that is no contact'
);

-- Sending again: another email, the same number.
select tests.authenticate_as('owner@t31.test');
select is((public.send_invoice(pg_temp.inv('d1'))).invoice_number, 'INV-2031-0005',
  'an issued invoice is sent again with its number unchanged');
select is((public.send_invoice(pg_temp.inv('d2'))).sent_to_email, 'billing@acme.test',
  'sent again without an address, it goes where it went before');
select is((public.send_invoice(pg_temp.inv('d1'), 'sam@acme.test')).sent_to_email, 'sam@acme.test',
  'and to another contact when told');
select tests.reset_role();
select results_eq(
  $$ select to_email, data ->> 'contact_name', data ->> 'invoice_number' from pg_temp.emails('d1', 'invoice_sent') order by to_email $$,
  $$ values ('paula@acme.test', 'Paula Primary', 'INV-2031-0005'), ('paula@acme.test', 'Paula Primary', 'INV-2031-0005'),
            ('sam@acme.test', 'Sam Second', 'INV-2031-0005') $$,
  'each sending queued one email, the last to Sam by his name'
);
select results_eq(
  $$ select kind, detail, actor_id from public.invoice_activity where invoice_id = pg_temp.inv('d1') order by created_at $$,
  format($$ values ('sent', null::text, %L::uuid), ('sent', 'sent again', %L), ('sent', 'sent again', %L) $$,
         tests.user_id('manager@t31.test'), tests.user_id('owner@t31.test'), tests.user_id('owner@t31.test')),
  'the timeline says which sendings were repeats, and by whom'
);
select is(pg_temp.counter(), 6, 'sending again took no number');

-- ============================================================================================
-- send_invoice: refusals write nothing
-- ============================================================================================
select tests.authenticate_as('manager@t31.test');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('lone')) $$), 'P0001 invoice_no_recipient',
  'a client without a contact with an email address: the draft is not sent without an address');
select tests.reset_role();
select results_eq(
  $$ select status::text, invoice_number, sequence_number, sent_to_email, sent_at from public.invoices where id = pg_temp.inv('lone') $$,
  $$ values ('draft', null::text, null::integer, null::text, null::timestamptz) $$,
  'and it is still a draft, without a number or a sending date'
);
select is(pg_temp.counter(), 6, 'no number was taken: the counter is where it was');
select is((select count(*)::int from private.email_outbox where data ->> 'invoice_id' = pg_temp.inv('lone')::text)
          + (select count(*)::int from public.invoice_activity where invoice_id = pg_temp.inv('lone')), 0,
  'no email was queued and nothing is on its timeline');
select tests.authenticate_as('manager@t31.test');
select is((public.send_invoice(pg_temp.inv('lone'), 'ap@loner.test')).invoice_number, 'INV-2031-0007',
  'given an address it is sent, with the next number: no gap was left');

select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('bad'), 'not an email') $$), 'P0001 invalid_email',
  'an address that is not one is refused');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('bad'), 'someone@localhost') $$), 'P0001 invalid_email',
  'so is one without a domain');
select is(tests.error_of(format($$ select public.send_invoice(%L, null, %L) $$, pg_temp.inv('bad'), repeat('x', 5001))),
  'P0001 too_long', 'a message over 5000 characters is refused');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('zero')) $$), 'P0001 invoice_negative',
  'a draft that cannot be issued (it totals nothing) is not sent');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('paid')) $$), 'P0001 invoice_not_sendable',
  'a paid invoice is not sent');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('voided')) $$), 'P0001 invoice_not_sendable',
  'nor a void one');
select tests.reset_role();
select results_eq(
  $$ select notes, status::text, invoice_number from public.invoices where notes in ('bad', 'zero') order by notes $$,
  $$ values ('bad', 'draft', null::text), ('zero', 'draft', null) $$,
  'the refused drafts are still drafts without numbers'
);
select is(pg_temp.counter(), 7, 'and the counter only counts the one that was sent');
select is((select count(*)::int from private.email_outbox
           where data ->> 'invoice_id' in (pg_temp.inv('bad')::text, pg_temp.inv('zero')::text, pg_temp.inv('paid')::text,
                                          pg_temp.inv('voided')::text)), 0,
  'none of the refusals queued an email');

select tests.authenticate_as('manager@t31.test');
select is((public.send_invoice(pg_temp.inv('part'))).status::text, 'partially_paid', 'a partly paid invoice can be sent again');
select tests.reset_role();
select results_eq(
  $$ select (data ->> 'total_cents')::bigint, (data ->> 'amount_due_cents')::bigint from pg_temp.emails('part', 'invoice_sent') $$,
  $$ values (10000::bigint, 6000::bigint) $$,
  'its email asks for what is still due'
);

-- Members, other agencies and visitors: nothing, and nothing to learn.
select tests.authenticate_as('mia@t31.test');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('bad'), 'mia@elsewhere.test') $$), 'P0002 not_found',
  'a member cannot send an invoice: for her it does not exist');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('d1')) $$), 'P0002 not_found',
  'not even one that was sent already');
select tests.authenticate_as('outsider@t31.test');
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('bad'), 'oz@elsewhere.test') $$), 'P0002 not_found',
  'another agency''s owner gets the answer for an invoice that does not exist');
select is(tests.error_of($$ select public.send_invoice(gen_random_uuid()) $$), 'P0002 not_found',
  'the same answer as for a made-up id');
select tests.clear_authentication();
select is(tests.error_of($$ select public.send_invoice(pg_temp.inv('bad'), 'anon@elsewhere.test') $$), '42501 -',
  'a visitor may not call it at all');
select tests.reset_role();
select results_eq(
  $$ select (select status::text from public.invoices where id = pg_temp.inv('bad')),
            (select count(*)::int from private.email_outbox where to_email like '%elsewhere.test'),
            (select count(*)::int from private.email_outbox where data ->> 'invoice_id' = pg_temp.inv('d1')::text) $$,
  $$ values ('draft', 0, 3) $$,
  'the refused attempts issued nothing and queued nothing'
);

-- ============================================================================================
-- invoice_document: the printable invoice, for owners and managers
-- ============================================================================================
select tests.authenticate_as('manager@t31.test');
select pg_temp.keep('doc', (public.create_invoice(tests.id('a'), p_client_id => tests.id('client:acme'), p_include_time => false,
  p_notes => 'doc', p_due_date => '2031-11-30', p_lines => '[
    {"description": "Design", "quantity": 2, "unit_price_cents": 5000, "tax_rate_bps": 1000},
    {"description": "Build", "quantity": 1.5, "unit_price_cents": 8000, "tax_rate_bps": 0},
    {"description": "Loyalty discount", "quantity": 1, "unit_price_cents": -1000, "tax_rate_bps": 0}]')).id);
select is((public.invoice_document(pg_temp.inv('doc'))) -> 'pay_path', 'null'::jsonb, 'a draft''s document has no pay link');
select is((public.invoice_document(pg_temp.inv('doc'))) -> 'amount_due_cents', '0'::jsonb, 'and nothing due');
select public.issue_invoice(pg_temp.inv('doc'));
select public.record_payment(pg_temp.inv('doc'), 2000, 'cash', '2031-10-15 09:00+00');
select tests.authenticate_as('owner@t31.test');
select is(
  (select array_agg(k order by k) from jsonb_object_keys(public.invoice_document(pg_temp.inv('doc'))) k),
  array['agency', 'agency_id', 'amount_due_cents', 'amount_paid_cents', 'client', 'currency', 'due_date', 'invoice_id',
        'invoice_number', 'issue_date', 'lines', 'notes', 'pay_path', 'payments', 'period_from', 'period_to',
        'public_token', 'status', 'stripe_account_id', 'stripe_checkout_session_id', 'subtotal_cents', 'tax_cents',
        'terms', 'total_cents'],
  'the owner reads the document: the agreed fields and the checkout state'
);
select is(
  (public.invoice_document(pg_temp.inv('doc'))) - array['agency', 'client', 'lines', 'payments', 'public_token'],
  jsonb_build_object(
    'invoice_id', pg_temp.inv('doc'), 'agency_id', tests.id('a'), 'invoice_number', 'INV-2031-0008', 'status', 'partially_paid',
    'currency', 'USD', 'issue_date', '2031-10-15', 'due_date', '2031-11-30', 'period_from', null, 'period_to', null,
    'notes', 'doc', 'terms', null, 'subtotal_cents', 21000, 'tax_cents', 1000, 'total_cents', 22000,
    'amount_paid_cents', 2000, 'amount_due_cents', 20000, 'pay_path', '/pay/' || pg_temp.token('doc'),
    'stripe_checkout_session_id', null, 'stripe_account_id', null),
  'money in integer cents, dates as YYYY-MM-DD, what is due and the pay link of an issued, partly paid invoice'
);
select is(
  (public.invoice_document(pg_temp.inv('doc'))) -> 'lines',
  '[{"position": 1, "kind": "manual", "description": "Design", "quantity": 2, "unit_price_cents": 5000, "tax_rate_bps": 1000,
     "amount_cents": 10000, "tax_cents": 1000},
    {"position": 2, "kind": "manual", "description": "Build", "quantity": 1.5, "unit_price_cents": 8000, "tax_rate_bps": 0,
     "amount_cents": 12000, "tax_cents": 0},
    {"position": 3, "kind": "discount", "description": "Loyalty discount", "quantity": 1, "unit_price_cents": -1000,
     "tax_rate_bps": 0, "amount_cents": -1000, "tax_cents": 0}]'::jsonb,
  'the lines in their order, quantities as numbers, each with its amount and tax'
);
select is(
  (public.invoice_document(pg_temp.inv('doc'))) -> 'agency',
  '{"name": "Agency A t31", "logo_url": null, "brand_color": "#4f46e5", "address": "1 Main Street, Springfield"}'::jsonb,
  'the agency''s name, branding and address'
);
select is(
  (public.invoice_document(pg_temp.inv('doc'))) -> 'client',
  '{"name": "Acme", "address": null, "contact_name": "Paula Primary", "contact_email": "paula@acme.test"}'::jsonb,
  'the client and the contact it goes to'
);
select results_eq(
  $$ select (p ->> 'paid_at')::timestamptz, p -> 'amount_cents', p ->> 'method'
     from jsonb_array_elements((public.invoice_document(pg_temp.inv('doc'))) -> 'payments') p $$,
  $$ values ('2031-10-15 09:00+00'::timestamptz, '2000'::jsonb, 'cash') $$,
  'and the payments so far'
);
select is((public.invoice_document(pg_temp.inv('doc'))) ->> 'public_token', pg_temp.token('doc'),
  'with the token the app builds the pay link from');
select tests.authenticate_as('manager@t31.test');
select results_eq(
  $$ select d ->> 'status', d -> 'pay_path', d -> 'amount_due_cents'
     from unnest(array[pg_temp.inv('paid'), pg_temp.inv('voided'), pg_temp.inv('quiet')]) with ordinality as x (id, n),
          public.invoice_document(x.id) d order by n $$,
  format($$ values ('paid', 'null'::jsonb, '0'::jsonb), ('void', 'null', '0'), ('sent', %L, '2000') $$,
         to_jsonb('/pay/' || pg_temp.token('quiet'))),
  'the manager reads them too: a paid or void invoice has no pay link and nothing due'
);
select tests.authenticate_as('mia@t31.test');
select is(tests.error_of($$ select public.invoice_document(pg_temp.inv('doc')) $$), 'P0002 not_found',
  'a member cannot read an invoice''s document');
select tests.authenticate_as('outsider@t31.test');
select is(tests.error_of($$ select public.invoice_document(pg_temp.inv('doc')) $$), 'P0002 not_found',
  'nor can another agency''s owner');
select tests.clear_authentication();
select is(tests.error_of($$ select public.invoice_document(pg_temp.inv('doc')) $$), '42501 -', 'nor a visitor');

-- ============================================================================================
-- invoice_for_token: the pay page (anon)
-- ============================================================================================
select tests.clear_authentication();
select is(public.invoice_for_token(repeat('0', 64)), null, 'a token no invoice has finds nothing');
select is(public.invoice_for_token('abc'), null, 'a malformed token finds nothing');
select is(public.invoice_for_token(upper(pg_temp.token('d2'))), null, 'a token must be exactly as issued (lower-case hex)');
select is(public.invoice_for_token(null), null, 'no token, nothing');
select is(public.invoice_for_token(pg_temp.token('bad')), null, 'a draft''s token finds nothing: it was never sent');
select is(public.invoice_for_token(pg_temp.token('d2')) ->> 'invoice_id', pg_temp.inv('d2')::text,
  'the client opens the pay link of a sent invoice');
select tests.reset_role();
select results_eq(
  $$ select (select viewed_at is not null from public.invoices where id = pg_temp.inv('d2')),
            (select count(*)::int from public.invoice_activity where invoice_id = pg_temp.inv('d2') and kind = 'viewed') $$,
  $$ values (true, 1) $$,
  'the first view is recorded: viewed_at and one viewed entry on the timeline'
);
create temporary table d2_viewed on commit drop as select viewed_at from public.invoices where id = pg_temp.inv('d2');
select tests.clear_authentication();
select is(public.invoice_for_token(pg_temp.token('d2')) ->> 'status', 'sent', 'the client opens it again');
select tests.reset_role();
select results_eq(
  $$ select (select viewed_at from public.invoices where id = pg_temp.inv('d2')) = (select viewed_at from d2_viewed),
            (select count(*)::int from public.invoice_activity where invoice_id = pg_temp.inv('d2') and kind = 'viewed') $$,
  $$ values (true, 1) $$,
  'a second view changes nothing: the first is what counts'
);
select tests.authenticate_as('mia@t31.test');
select is(public.invoice_for_token(pg_temp.token('lone')) ->> 'invoice_number', 'INV-2031-0007',
  'a member of the agency can open a pay link');
select tests.authenticate_as('owner@t31.test');
select is(public.invoice_for_token(pg_temp.token('lone')) ->> 'invoice_number', 'INV-2031-0007', 'so can the owner');
select tests.reset_role();
select results_eq(
  $$ select (select viewed_at from public.invoices where id = pg_temp.inv('lone')),
            (select count(*)::int from public.invoice_activity where invoice_id = pg_temp.inv('lone') and kind = 'viewed') $$,
  $$ values (null::timestamptz, 0) $$,
  'but the agency''s own people looking do not count as the client viewing it'
);
select tests.authenticate_as('outsider@t31.test');
select is(public.invoice_for_token(encode(sha256('guess'::bytea), 'hex')), null,
  'another agency''s owner guessing a token finds nothing');
select is((select count(*)::int from public.invoices where agency_id = tests.id('a')), 0,
  'nor can she read agency A''s invoices to collect their tokens');
select tests.clear_authentication();
select is(tests.error_of($$ select public_token from public.invoices $$), '42501 -', 'a visitor cannot read the invoices table at all');
select results_eq(
  $$ select d ->> 'status', d -> 'pay_path' from public.invoice_for_token(pg_temp.token('voided')) d $$,
  $$ values ('void', 'null'::jsonb) $$,
  'a void invoice''s link shows it void, with nothing to pay'
);

-- ============================================================================================
-- attach_checkout_session: the pay page remembers its checkout session
-- ============================================================================================
select tests.clear_authentication();
select lives_ok(
  format($$ select public.attach_checkout_session(%L, 'cs_test_a1', 'https://checkout.stripe.com/c/pay/cs_test_a1') $$,
         pg_temp.token('d2')),
  'a visitor holding the pay link remembers a Stripe checkout session for it'
);
select tests.reset_role();
select results_eq(
  $$ select stripe_checkout_session_id, checkout_url from public.invoices where id = pg_temp.inv('d2') $$,
  $$ values ('cs_test_a1', 'https://checkout.stripe.com/c/pay/cs_test_a1') $$,
  'the invoice has the session id and its URL'
);
select tests.clear_authentication();
select lives_ok(
  format($$ select public.attach_checkout_session(%L, 'cs_test_local_x9', '/dev/checkout/cs_test_local_x9') $$, pg_temp.token('d2')),
  'the local stand-in''s session and path are accepted too'
);
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'pi_123', 'https://checkout.stripe.com/x') $$,
                                pg_temp.token('d2'))),
  '22023 invalid_checkout_session', 'an id that is not a checkout session''s is refused');
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'cs_test_a2', 'http://checkout.example.test/x') $$,
                                pg_temp.token('d2'))),
  '22023 invalid_checkout_session', 'a URL that is not https is refused');
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'cs_test_a2', 'javascript:alert(1)') $$,
                                pg_temp.token('d2'))),
  '22023 invalid_checkout_session', 'so is a script URL');
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'cs_test_a2', %L) $$,
                                pg_temp.token('d2'), 'https://checkout.stripe.com/' || repeat('x', 2048))),
  '22023 invalid_checkout_session', 'and one longer than 2048 characters');
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, null, null) $$, pg_temp.token('d2'))),
  '22023 invalid_checkout_session', 'no session at all is refused rather than clearing the remembered one');
select lives_ok($$ select public.attach_checkout_session(repeat('a', 64), 'cs_test_evil', 'https://checkout.stripe.com/c/pay/cs_test_evil') $$,
  'a token no invoice has answers like any other (nothing to learn)');
select lives_ok(
  format($$ select public.attach_checkout_session(%L, 'cs_test_late', 'https://checkout.stripe.com/late') $$, pg_temp.token('paid')),
  'a paid invoice''s link may ask');
select lives_ok(
  format($$ select public.attach_checkout_session(%L, 'cs_test_draft', 'https://checkout.stripe.com/draft') $$, pg_temp.token('bad')),
  'and so may a draft''s token');
select tests.reset_role();
select results_eq(
  $$ select notes, stripe_checkout_session_id from public.invoices
     where stripe_checkout_session_id is not null or notes in ('paid', 'bad') order by notes $$,
  $$ values ('bad', null::text), ('d2', 'cs_test_local_x9'), ('paid', null) $$,
  'but only the sent invoice remembers a session: refused calls, unknown tokens, paid invoices and drafts changed nothing'
);

-- ============================================================================================
-- send_invoice_reminder: the button
-- ============================================================================================
select tests.authenticate_as('manager@t31.test');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('d1')) $$), 'P0001 reminder_too_soon',
  'no reminder within an hour of sending the invoice');
select pg_temp.an_hour_passes();
select results_eq(
  $$ select kind, to_email, reminder_offset_days, actor_id from public.send_invoice_reminder(pg_temp.inv('d1')) $$,
  format($$ values ('reminded', 'sam@acme.test', null::smallint, %L::uuid) $$, tests.user_id('manager@t31.test')),
  'an hour later the manager sends one, to where the invoice went, as herself'
);
select tests.authenticate_as('owner@t31.test');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('d1')) $$), 'P0001 reminder_too_soon',
  'nor within an hour of another reminder');
select is((public.send_invoice_reminder(pg_temp.inv('quiet'))).to_email, 'paula@acme.test',
  'the owner reminds about an invoice that was issued but never emailed: it goes to the primary contact');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('bad')) $$), 'P0001 invoice_not_remindable',
  'a draft gets no reminder');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('paid')) $$), 'P0001 invoice_not_remindable',
  'nor a paid invoice');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('voided')) $$), 'P0001 invoice_not_remindable',
  'nor a void one');
select pg_temp.invoice('lone-quiet', 3000, true, 'client:loner');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('lone-quiet')) $$), 'P0001 invoice_no_recipient',
  'nor one with nobody to send it to');
select tests.authenticate_as('mia@t31.test');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('quiet')) $$), 'P0002 not_found',
  'a member cannot send reminders');
select tests.authenticate_as('outsider@t31.test');
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('quiet')) $$), 'P0002 not_found',
  'nor another agency''s owner');
select tests.clear_authentication();
select is(tests.error_of($$ select public.send_invoice_reminder(pg_temp.inv('quiet')) $$), '42501 -', 'nor a visitor');
select tests.authenticate_as('manager@t31.test');
select is(tests.error_of($$ select public.send_due_reminders() $$), '42501 -', 'people do not run the reminder job');
select tests.reset_role();
select results_eq(
  $$ select to_email, data -> 'days_overdue', data ->> 'invoice_number', data ->> 'pay_path', data ->> 'attach_invoice_pdf'
     from pg_temp.emails('d1', 'invoice_reminder') $$,
  format($$ values ('sam@acme.test', '-30'::jsonb, 'INV-2031-0005', %L, %L) $$, '/pay/' || pg_temp.token('d1'), pg_temp.inv('d1')),
  'the reminder email: due in 30 days, with the number, the pay link and the PDF'
);
select is((select count(*)::int from private.email_outbox where template = 'invoice_reminder'), 2,
  'the refused reminders queued nothing: two reminders in all');

-- ============================================================================================
-- send_due_reminders: the schedule across invoices' lives
-- ============================================================================================
-- Emailed and unpaid in agency A, due 14 Nov: d1, d2, lone, part. Emailed then paid, emailed then
-- voided: paid-later, void-later. Issued, never emailed: quiet, lone-quiet, doc. Agency B: bravo,
-- issued on 16 Oct by Auckland's calendar, due 14 Nov, reminded once a day after.
select tests.authenticate_as('manager@t31.test');
select pg_temp.invoice('paid-later', 1000);
select public.send_invoice(pg_temp.inv('paid-later'));
select public.record_payment(pg_temp.inv('paid-later'), 1000, 'bank_transfer');
select pg_temp.invoice('void-later', 1000);
select public.send_invoice(pg_temp.inv('void-later'));
select public.void_invoice(pg_temp.inv('void-later'));
select tests.authenticate_as('outsider@t31.test');
select pg_temp.invoice('bravo', 7000, false, 'client:bravo', '2031-11-14');
select public.send_invoice(pg_temp.inv('bravo'));
select tests.reset_role();
select results_eq(
  $$ select issue_date, due_date, sent_to_email from public.invoices where id = pg_temp.inv('bravo') $$,
  $$ values ('2031-10-16'::date, '2031-11-14'::date, 'bea@bravo.test') $$,
  'agency B''s invoice was issued on 16 Oct, Auckland''s today'
);

select tests.freeze_time('2031-11-10 23:59:59+00');
select tests.authenticate_as_service_role();
select is(public.send_due_reminders(), 0, 'the last second of 10 Nov (UTC): no step is due anywhere');
select tests.freeze_time('2031-11-11 00:00:00+00');
select is(public.send_due_reminders(), 4, '11 Nov, three days before the due date: four reminders');
select is(public.send_due_reminders(), 0, 'run again at once, it sends nothing');
select tests.reset_role();
select results_eq(
  $$ select i.notes, a.reminder_offset_days::integer, a.to_email from public.invoice_activity a join public.invoices i on i.id = a.invoice_id
     where a.kind = 'reminded' and a.reminder_offset_days is not null order by i.notes $$,
  $$ values ('d1', -3, 'sam@acme.test'), ('d2', -3, 'billing@acme.test'), ('lone', -3, 'ap@loner.test'),
            ('part', -3, 'paula@acme.test') $$,
  'the emailed, unpaid invoices got step −3, to where each was sent; paid, void and never-emailed ones got none'
);
select results_eq(
  $$ select count(*)::int, min(data ->> 'days_overdue') from private.email_outbox
     where template = 'invoice_reminder' and data ->> 'invoice_id' in (select id::text from public.invoices where notes in ('d1', 'd2', 'lone', 'part'))
       and data ->> 'days_overdue' = '-3' $$,
  $$ values (4, '-3') $$,
  'each of them queued one reminder email saying the invoice is due in three days'
);

-- Issued two days before it is due: the −3 step falls before the issue date and is skipped.
select tests.freeze_time('2031-11-12 09:00:00+00');
select tests.authenticate_as('manager@t31.test');
select pg_temp.invoice('short', 1500, false, 'client:acme', '2031-11-14');
select public.send_invoice(pg_temp.inv('short'));
select tests.authenticate_as_service_role();
select is(public.send_due_reminders(), 0, 'an invoice issued after its −3 step is not reminded of it');

select tests.freeze_time('2031-11-14 10:30:00+00');
select is(public.send_due_reminders(), 5, 'on the due date (UTC) the five unpaid invoices of agency A get step 0');
select tests.reset_role();
select is(pg_temp.steps('bravo'), '{}'::smallint[], 'agency B''s invoice, due today in Auckland too, gets no step 0: its schedule is +1 only');
select is(pg_temp.steps('short'), '{0}'::smallint[], 'the invoice issued late got step 0 only');
select tests.freeze_time('2031-11-14 11:00:00+00');
select tests.authenticate_as_service_role();
select is(public.send_due_reminders(), 1, 'at 11:00 UTC it is 15 Nov in Auckland: agency B''s one step is due');
select tests.reset_role();
select results_eq(
  $$ select to_email, data -> 'days_overdue' from pg_temp.emails('bravo', 'invoice_reminder') $$,
  $$ values ('bea@bravo.test', '1'::jsonb) $$,
  'it says the invoice is one day overdue, by the agency''s calendar'
);

-- Paid in full after step 0: no more reminders for it.
select tests.authenticate_as('manager@t31.test');
select public.record_payment(pg_temp.inv('part'), 6000, 'bank_transfer');
-- Twenty days after the due date, the job having been down since the due date.
select tests.freeze_time('2031-12-04 12:00:00+00');
select tests.authenticate_as_service_role();
select is(public.send_due_reminders(), 4, 'twenty days late, each unpaid invoice of agency A gets one reminder');
select is(public.send_due_reminders(), 0, 'and running again sends none');
select tests.reset_role();
select results_eq(
  $$ select notes, pg_temp.steps(notes) from public.invoices where agency_id in (tests.id('a'), tests.id('b'))
       and notes in ('d1', 'd2', 'lone', 'part', 'short', 'bravo', 'paid-later', 'void-later', 'quiet', 'lone-quiet', 'doc')
     order by notes $$,
  $$ values ('bravo', '{1}'::smallint[]), ('d1', '{-3,0,14}'), ('d2', '{-3,0,14}'), ('doc', '{}'), ('lone', '{-3,0,14}'),
            ('lone-quiet', '{}'), ('paid-later', '{}'), ('part', '{-3,0}'), ('quiet', '{}'), ('short', '{0,14}'),
            ('void-later', '{}') $$,
  'only the latest step (14), not the missed 7; the invoice paid meanwhile and the paid, void and never-emailed ones got nothing'
);
select is(
  (select array_agg((data ->> 'days_overdue')::integer order by (data ->> 'days_overdue')::integer)
   from pg_temp.emails('d1', 'invoice_reminder')),
  array[-30, -3, 0, 20], 'its reminders said due in 30 (by hand) and 3 days, due today, and twenty days overdue');
select tests.freeze_time('2032-03-01 12:00:00+00');
select tests.authenticate_as_service_role();
select is(public.send_due_reminders(), 0, 'months later the schedule is done: nothing more is sent');
select tests.reset_role();

-- ============================================================================================
-- Agency settings: the schedule, the Stripe account, and who may change them
-- ============================================================================================
select is(tests.error_of($$ update public.agencies set reminder_offsets_days = '{-3,0,7,14,21,28,35,42,49}' where id = tests.id('a') $$),
  '23514 -', 'a schedule has at most eight steps');
select is(tests.error_of($$ update public.agencies set reminder_offsets_days = '{-61}' where id = tests.id('a') $$),
  '23514 -', 'none earlier than 60 days before the due date');
select is(tests.error_of($$ update public.agencies set reminder_offsets_days = '{121}' where id = tests.id('a') $$),
  '23514 -', 'none later than 120 days after it');
select is(tests.error_of($$ update public.agencies set stripe_account_id = 'sk_live_abc' where id = tests.id('a') $$),
  '23514 -', 'a Stripe account id starts with acct_');
select is(tests.error_of($$ update public.agencies set stripe_account_id = 'acct_1Ab2' where id = tests.id('a') $$),
  'ok', 'an acct_ id is accepted');
select is(tests.error_of(format($$ update public.agencies set address = %L where id = tests.id('a') $$, repeat('x', 501))),
  '23514 -', 'an address is at most 500 characters');

select tests.authenticate_as('manager@t31.test');
select lives_ok($$ update public.agencies set reminder_offsets_days = '{-7,0,30}', stripe_account_id = 'acct_Manager1',
                   address = 'Two Street' where id = tests.id('a') $$,
  'a manager changes the schedule, the Stripe account and the address');
select tests.authenticate_as('owner@t31.test');
select lives_ok($$ update public.agencies set reminder_offsets_days = '{}' where id = tests.id('a') $$,
  'the owner turns reminders off with an empty schedule');
select tests.authenticate_as('mia@t31.test');
select lives_ok($$ update public.agencies set stripe_account_id = 'acct_Mia', reminder_offsets_days = '{1}' where id = tests.id('a') $$,
  'a member''s update runs');
select tests.authenticate_as('outsider@t31.test');
select lives_ok($$ update public.agencies set stripe_account_id = 'acct_Oz' where id = tests.id('a') $$,
  'so does another agency''s owner''s');
select tests.clear_authentication();
select is(tests.error_of($$ update public.agencies set stripe_account_id = 'acct_Anon' $$), '42501 -', 'a visitor may not update agencies');
select tests.reset_role();
select results_eq(
  $$ select reminder_offsets_days, stripe_account_id, address from public.agencies where id = tests.id('a') $$,
  $$ values ('{}'::smallint[], 'acct_Manager1', 'Two Street') $$,
  'but only the owner''s and the manager''s changes were made'
);
select ok(has_column_privilege('authenticated', 'public.agencies', 'reminder_offsets_days', 'UPDATE')
          and has_column_privilege('authenticated', 'public.agencies', 'stripe_account_id', 'UPDATE')
          and has_column_privilege('authenticated', 'public.agencies', 'address', 'UPDATE')
          and not has_column_privilege('anon', 'public.agencies', 'stripe_account_id', 'UPDATE'),
  'signed-in people (as far as the policies let them) may update the three columns, visitors may not');
select ok(not has_column_privilege('authenticated', 'public.invoices', 'public_token', 'UPDATE')
          and not has_column_privilege('authenticated', 'public.invoices', 'sent_to_email', 'UPDATE'),
  'nobody changes an invoice''s token or recipient by hand');
select ok(not has_table_privilege('authenticated', 'public.invoice_activity', 'INSERT')
          and not has_table_privilege('authenticated', 'public.invoice_activity', 'UPDATE')
          and not has_table_privilege('authenticated', 'public.invoice_activity', 'DELETE')
          and not has_table_privilege('anon', 'public.invoice_activity', 'SELECT'),
  'the timeline is written only by the functions');
select tests.authenticate_as('mia@t31.test');
select is((select count(*)::int from public.invoice_activity), 0, 'a member reads no invoice activity');
select tests.authenticate_as('manager@t31.test');
select ok((select count(*)::int from public.invoice_activity where invoice_id = pg_temp.inv('d1')) > 0,
  'the manager reads her agency''s');
select tests.reset_role();

-- ============================================================================================
-- An invoice emailed late: the steps that passed before the client had it are not sent
-- ============================================================================================
select tests.freeze_time('2032-06-01 12:00:00+00');
update public.agencies set reminder_offsets_days = '{-3,0,7,14}' where id = tests.id('a');
select tests.authenticate_as('manager@t31.test');
select pg_temp.invoice('late', 4000, true, p_due => '2032-06-11');
select tests.freeze_time('2032-06-18 12:00:00+00');
select public.send_invoice(pg_temp.inv('late'));
select tests.authenticate_as_service_role();
select public.send_due_reminders();
select tests.reset_role();
select is(pg_temp.steps('late'), '{}'::smallint[],
  'issued on 1 June and first emailed on the 18th, it gets no reminder for the step of the 18th (due + 7)');
select tests.freeze_time('2032-06-25 12:00:00+00');
select tests.authenticate_as_service_role();
select public.send_due_reminders();
select tests.reset_role();
select is(pg_temp.steps('late'), '{14}'::smallint[], 'the step after it (due + 14) is sent');

-- ============================================================================================
-- Abuse guards: where a checkout URL may point, how many emails people send
-- ============================================================================================
select tests.freeze_time('2032-07-01 12:00:00+00');
select tests.authenticate_as('manager@t31.test');
select pg_temp.invoice('relay', 5000, true);
select tests.reset_role();
set local role anon;
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'cs_test_x', 'https://evil.example.test/pay') $$,
                                pg_temp.token('relay'))),
  '22023 invalid_checkout_session', 'a link holder cannot store a URL outside Stripe Checkout');
select is(tests.error_of(format($$ select public.attach_checkout_session(%L, 'cs_test_x', '/dev/checkout/cs_test_other') $$,
                                pg_temp.token('relay'))),
  '22023 invalid_checkout_session', 'nor a local checkout page of another session');
reset role;
-- 199 emails people sent in the last hour (and any number the jobs sent).
insert into public.invoice_activity (agency_id, invoice_id, kind, to_email, actor_id)
select tests.id('a'), pg_temp.inv('relay'), 'sent', 'x' || g || '@stranger.test', tests.user_id('manager@t31.test')
from generate_series(1, 199) g;
insert into public.invoice_activity (agency_id, invoice_id, kind, to_email, reminder_offset_days)
values (tests.id('a'), pg_temp.inv('relay'), 'reminded', 'pat@acme.test', 30);
select tests.authenticate_as('manager@t31.test');
select lives_ok(format($$ select public.send_invoice(%L, 'one-more@stranger.test') $$, pg_temp.inv('relay')),
  'the 200th email of the hour goes');
select is(tests.error_of(format($$ select public.send_invoice(%L, 'two-more@stranger.test') $$, pg_temp.inv('relay'))),
  'P0001 rate_limited', 'the 201st is refused: an agency is not a relay');
select is(tests.error_of(format($$ select public.send_invoice_reminder(%L) $$, pg_temp.inv('relay'))),
  'P0001 rate_limited', 'reminders count too');
select tests.reset_role();
update public.invoice_activity set created_at = created_at - interval '61 minutes' where invoice_id = pg_temp.inv('relay');
select tests.authenticate_as('manager@t31.test');
select lives_ok(format($$ select public.send_invoice(%L) $$, pg_temp.inv('relay')), 'an hour later it goes again');
select tests.reset_role();

select * from finish();
rollback;
