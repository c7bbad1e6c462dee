-- Invoices: totals kept by the database from per-line roundings (half away from zero, awkward
-- numbers, many lines, 19.25 % tax, discounts, half-cent ties of both signs) that nobody can write;
-- only drafts change; drafting from time (grouping, per-project rounding per entry, rejected and
-- non-billable time left out, the agency's approval setting, periods, client-wide), milestones,
-- manual and discount lines; exclusive links (one entry, one line) released by deleting a draft
-- or voiding; gapless numbers in issue order per agency (a rolled-back issue gives its number
-- back); and who may do what (owners and managers; members, other agencies and visitors never).
begin;
select plan(178);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('owner@t29.test', 'Olga Owner');
select tests.create_user('manager@t29.test', 'Mona Manager');
select tests.create_user('mia@t29.test', 'Mia Member');
select tests.create_user('max@t29.test', 'Max Member');
select tests.create_user('outsider@t29.test', 'Oz Outsider');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('owner@t29.test', 'Agency A t29')),
  ('b', tests.create_agency('outsider@t29.test', 'Agency B t29'));
select tests.add_member(tests.id('a'), 'manager@t29.test', 'manager');
select tests.add_member(tests.id('a'), 'mia@t29.test', 'member');
select tests.add_member(tests.id('a'), 'max@t29.test', 'member');

-- Agency A: 60.00/h by default, 19.25 % tax on time and milestones, 30 days to pay.
update public.agencies set default_hourly_rate_cents = 6000, default_tax_rate_bp = 1925, payment_terms_days = 30
where id = tests.id('a');
update public.agencies set invoice_prefix = 'BR-' where id = tests.id('b');
insert into public.member_rates (agency_id, user_id, hourly_rate_cents, cost_rate_cents)
values (tests.id('a'), tests.user_id('mia@t29.test'), 9000, 3000)
on conflict (agency_id, user_id) do update set hourly_rate_cents = excluded.hourly_rate_cents;

with c as (
  insert into public.clients (agency_id, name) values
    (tests.id('a'), 'Acme'), (tests.id('a'), 'Zenith'), (tests.id('b'), 'Bravo')
  returning 'client:' || lower(name) as label, id
)
insert into tests.labels (label, id) select label, id from c;

select tests.authenticate_as('manager@t29.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('a'), tests.id('client:acme'), 'Site', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Retainer', 'USD', 'active'),
  (tests.id('a'), tests.id('client:acme'), 'Euro', 'EUR', 'active'),
  (tests.id('a'), tests.id('client:zenith'), 'Zed', 'USD', 'active');
select tests.authenticate_as('outsider@t29.test');
insert into public.projects (agency_id, client_id, name, currency, status) values
  (tests.id('b'), tests.id('client:bravo'), 'Bravo', 'USD', 'active');
select tests.reset_role();
insert into tests.labels (label, id) select lower(name), id from public.projects where agency_id in (tests.id('a'), tests.id('b'));
insert into public.project_members (agency_id, project_id, user_id)
select tests.id('a'), p.id, tests.user_id(u.email)
from public.projects p cross join (values ('mia@t29.test'), ('max@t29.test')) as u (email)
where p.agency_id = tests.id('a');
with t as (
  insert into public.tasks (agency_id, project_id, title) values
    (tests.id('a'), tests.id('site'), 'Design'), (tests.id('a'), tests.id('site'), 'Build')
  returning 'task:' || lower(title) as label, id
)
insert into tests.labels (label, id) select label, id from t;

-- Wednesday 2031-10-15, noon UTC (every zone here is UTC).
select tests.freeze_time('2031-10-15 12:00:00+00');

-- Logs a date and a duration as the caller (project and task by label).
create function pg_temp.log(p_project text, p_description text, p_date date, p_seconds integer,
                            p_task text default null, p_billable boolean default null)
returns setof public.time_entries
language sql
as $$
  select * from public.log_time(tests.id('a'), tests.id(p_project), tests.id(p_task), p_description, p_billable,
                                null, null, p_date, p_seconds);
$$;

-- Invoice ids are kept in transaction settings, which every role may read and write (tests.labels
-- is the owner's only, and invoices are made by a manager).
create function pg_temp.keep(p_label text, p_id uuid)
returns uuid
language sql
as $$
  select set_config('t29.' || p_label, p_id::text, true)::uuid;
$$;
create function pg_temp.inv(p_label text)
returns uuid
language sql
stable
as $$
  select nullif(current_setting('t29.' || p_label, true), '')::uuid;
$$;

-- An invoice's lines, as the test runner sees them, in a stable order.
create function pg_temp.lines(p_invoice uuid)
returns table (kind text, description text, quantity numeric, unit_price_cents bigint, amount_cents bigint, tax_cents bigint)
language sql
security definer
set search_path = ''
as $$
  select l.kind::text, l.description, l.quantity, l.unit_price_cents, l.amount_cents, l.tax_cents
  from public.invoice_lines l where l.invoice_id = p_invoice
  order by l.description, l.unit_price_cents;
$$;

-- Mia: 90.00/h. Weeks of 15 Sep (approved) and 22 Sep (rejected); October is still draft.
select tests.authenticate_as('mia@t29.test');
select pg_temp.log('site', 's1-approved', '2031-09-16', 3600, 'task:design');
select pg_temp.log('site', 's2-rejected', '2031-09-23', 1800, 'task:design');
select pg_temp.log('site', 's3', '2031-10-01', 1000, 'task:design');
select pg_temp.log('site', 's4', '2031-10-01', 2000, 'task:build');
select pg_temp.log('site', 's5', '2031-10-02', 3600, 'task:design');
select pg_temp.log('site', 's6-no-task', '2031-10-02', 1800);
select pg_temp.log('site', 's7-not-billable', '2031-10-02', 600, 'task:design', false);
select pg_temp.log('euro', 'e1-euro', '2031-10-02', 3600);
select pg_temp.log('retainer', 'r1', '2031-10-06', 600);
select pg_temp.log('retainer', 'r2', '2031-10-06', 960);
select pg_temp.log('retainer', 'r3', '2031-10-06', 900);
select pg_temp.log('retainer', 'r4', '2031-10-06', 420);
select pg_temp.log('retainer', 'r5', '2031-10-06', 300);
select pg_temp.log('retainer', 'r6', '2031-10-07', 780);
select pg_temp.log('retainer', 'r7', '2031-10-07', 840);
select pg_temp.log('retainer', 'r8', '2031-10-07', 2640);
select pg_temp.log('retainer', 'r9', '2031-10-07', 2760);
select public.submit_timesheet(tests.id('a'), '2031-09-15');
select public.submit_timesheet(tests.id('a'), '2031-09-22');
-- Max: the agency's 60.00/h.
select tests.authenticate_as('max@t29.test');
select pg_temp.log('site', 's8-max', '2031-10-01', 1234, 'task:design');
select pg_temp.log('zed', 'z1-zenith', '2031-10-01', 600);
select tests.authenticate_as('manager@t29.test');
select public.decide_timesheet(id, true) from public.timesheets where week_start = '2031-09-15';
select public.decide_timesheet(id, false, 'Design time belongs to the other client.') from public.timesheets where week_start = '2031-09-22';
-- Mia's rate rises to 95.00/h; her next entry has the new rate.
select tests.reset_role();
update public.member_rates set hourly_rate_cents = 9500 where user_id = tests.user_id('mia@t29.test');
select tests.authenticate_as('mia@t29.test');
select pg_temp.log('site', 's9-new-rate', '2031-10-03', 900, 'task:design');

-- Milestones of Site (and one of Zenith's project).
select tests.authenticate_as('manager@t29.test');
insert into public.milestones (agency_id, project_id, title, amount_cents, status) values
  (tests.id('a'), tests.id('site'), 'Kickoff', 250000, 'reached'),
  (tests.id('a'), tests.id('site'), 'Launch', 125050, 'approved'),
  (tests.id('a'), tests.id('site'), 'Beta', 500000, 'pending'),
  (tests.id('a'), tests.id('site'), 'Docs', null, 'reached'),
  (tests.id('a'), tests.id('zed'), 'Zed handover', 1000, 'reached');
select tests.reset_role();
insert into tests.labels (label, id) select 'm:' || lower(title), id from public.milestones where agency_id = tests.id('a');
insert into tests.labels (label, id) select 'e:' || description, id from public.time_entries where agency_id = tests.id('a');

select results_eq(
  $$ select description, status::text, is_billable, billable_rate_cents from public.time_entries
     where agency_id = tests.id('a') and project_id = tests.id('site') order by description $$,
  $$ values ('s1-approved', 'approved', true, 9000), ('s2-rejected', 'rejected', true, 9000), ('s3', 'draft', true, 9000),
            ('s4', 'draft', true, 9000), ('s5', 'draft', true, 9000), ('s6-no-task', 'draft', true, 9000),
            ('s7-not-billable', 'draft', false, 9000), ('s8-max', 'draft', true, 6000), ('s9-new-rate', 'draft', true, 9500) $$,
  'the arrangement: Site''s time with its statuses, billable flags and rate snapshots'
);

-- ============================================================================================
-- Totals: per-line half-away-from-zero roundings, summed by the database
-- ============================================================================================
select tests.authenticate_as('manager@t29.test');
select pg_temp.keep('tot', (public.create_invoice(tests.id('a'), p_client_id => tests.id('client:zenith'), p_include_time => false,
  p_lines => $j$[
    {"description": "A third of an hour at 19.99", "quantity": 0.3333, "unit_price_cents": 1999, "tax_rate_bps": 1925},
    {"description": "Half a cent (1)", "quantity": 0.5, "unit_price_cents": 1, "tax_rate_bps": 0},
    {"description": "Half a cent (2)", "quantity": 0.5, "unit_price_cents": 1, "tax_rate_bps": 0},
    {"description": "Half a cent (3)", "quantity": 0.5, "unit_price_cents": 1, "tax_rate_bps": 0},
    {"description": "Half a cent off", "quantity": 0.5, "unit_price_cents": -1, "tax_rate_bps": 5000},
    {"description": "Tax on a cent", "quantity": 1, "unit_price_cents": 1, "tax_rate_bps": 5000},
    {"description": "Tax tie at 19.25 %", "quantity": 1, "unit_price_cents": 200, "tax_rate_bps": 1925},
    {"description": "Discount with a tax tie", "quantity": 1, "unit_price_cents": -600, "tax_rate_bps": 1925},
    {"description": "Just under a half", "quantity": 1.0005, "unit_price_cents": 999, "tax_rate_bps": 1925},
    {"description": "Two and a half at 3", "quantity": 2.5, "unit_price_cents": 3, "tax_rate_bps": 1925},
    {"description": "Odd hours", "quantity": 12.3456, "unit_price_cents": 8765, "tax_rate_bps": 1925},
    {"description": "Bulk discount", "quantity": 1, "unit_price_cents": -12345}
  ]$j$)).id);

select results_eq(
  $$ select description, kind, amount_cents, tax_cents from pg_temp.lines(pg_temp.inv('tot')) $$,
  $$ values ('A third of an hour at 19.99', 'manual', 666::bigint, 128::bigint),
            ('Bulk discount', 'discount', -12345, -2376),
            ('Discount with a tax tie', 'discount', -600, -116),
            ('Half a cent (1)', 'manual', 1, 0), ('Half a cent (2)', 'manual', 1, 0), ('Half a cent (3)', 'manual', 1, 0),
            ('Half a cent off', 'discount', -1, -1),
            ('Just under a half', 'manual', 999, 192),
            ('Odd hours', 'manual', 108209, 20830),
            ('Tax on a cent', 'manual', 1, 1),
            ('Tax tie at 19.25 %', 'manual', 200, 39),
            ('Two and a half at 3', 'manual', 8, 2) $$,
  'each line: 0.3333 × 19.99 = 6.662667 → 6.66, tax 1.28205 → 1.28; half a cent → 1 cent and minus half a cent → minus 1 '
  '(away from zero, both signs); 2 × 0.385 and −6 × 0.1925 ties → 0.39 and −1.16; 999.4995 → 999; the discount''s tax '
  'defaults to the agency''s 19.25 % (−23.764125 → −23.76)'
);
select results_eq(
  $$ select subtotal_cents, tax_cents, total_cents, amount_paid_cents from public.invoices where id = pg_temp.inv('tot') $$,
  $$ values (97140::bigint, 18699::bigint, 115839::bigint, 0::bigint) $$,
  'subtotal, tax and total are the sums of the rounded lines: 971.40 + 186.99 = 1,158.39'
);
select isnt(
  (select subtotal_cents from public.invoices where id = pg_temp.inv('tot')),
  (select round(sum(quantity * unit_price_cents))::bigint from public.invoice_lines where invoice_id = pg_temp.inv('tot')),
  'and not the rounded sum of the exact products (971.394502 → 971.39): three half cents bill three cents'
);

-- Three hundred lines of odd amounts, signs and rates, added directly by the manager.
insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps)
select tests.id('a'), pg_temp.inv('tot'), 100 + i,
       case when p < 0 then 'discount' else 'manual' end::public.invoice_line_kind,
       'odd ' || i, q, p, (array[1925, 0, 1, 2000, 1250, 10000, 5000, 775])[1 + i % 8]
from generate_series(1, 300) as i,
     lateral (select ((i * 7919) % 99991 + 1) / 10000.0 * (case when i % 5 = 0 then 0.5 else 1 end) as q,
                     case when i % 6 = 0 then -((i * 131) % 2001 + 1) else (i * 2797) % 150001 + 3 end as p) v;

select tests.reset_role();
select is(
  (select count(*)::int from public.invoice_lines
   where invoice_id = pg_temp.inv('tot')
     and (amount_cents <> sign(quantity * unit_price_cents) * floor(abs(quantity * unit_price_cents) + 0.5)
          or tax_cents <> sign(amount_cents::numeric * tax_rate_bps) * floor(abs(amount_cents::numeric * tax_rate_bps / 10000) + 0.5))),
  0, 'every one of the 312 lines has amount and tax rounded half away from zero (sign × floor(|x| + ½), computed here independently)'
);
select results_eq(
  $$ select count(*) filter (where quantity * unit_price_cents - trunc(quantity * unit_price_cents) = 0.5)::int > 0,
            count(*) filter (where quantity * unit_price_cents - trunc(quantity * unit_price_cents) = -0.5)::int > 0,
            count(*) filter (where (amount_cents::numeric * tax_rate_bps / 10000) - trunc(amount_cents::numeric * tax_rate_bps / 10000) in (0.5, -0.5))::int > 0,
            count(*) filter (where kind = 'discount')::int > 0
     from public.invoice_lines where invoice_id = pg_temp.inv('tot') $$,
  $$ values (true, true, true, true) $$,
  'the lines include amount ties of both signs, tax ties and discounts'
);
select results_eq(
  $$ select i.subtotal_cents, i.tax_cents, i.total_cents from public.invoices i where i.id = pg_temp.inv('tot') $$,
  $$ select sum(sign(l.quantity * l.unit_price_cents) * floor(abs(l.quantity * l.unit_price_cents) + 0.5))::bigint,
            sum(sign(l.amount_cents) * floor(abs(l.amount_cents::numeric * l.tax_rate_bps / 10000) + 0.5))::bigint,
            (sum(sign(l.quantity * l.unit_price_cents) * floor(abs(l.quantity * l.unit_price_cents) + 0.5))
             + sum(sign(l.amount_cents) * floor(abs(l.amount_cents::numeric * l.tax_rate_bps / 10000) + 0.5)))::bigint
     from public.invoice_lines l where l.invoice_id = pg_temp.inv('tot') $$,
  'with 312 lines the invoice''s subtotal, tax and total still equal the sums of the per-line roundings'
);

select tests.authenticate_as('manager@t29.test');
update public.invoice_lines set quantity = 0.0001 where invoice_id = pg_temp.inv('tot') and description = 'Odd hours';
delete from public.invoice_lines where invoice_id = pg_temp.inv('tot') and description like 'odd %';
select results_eq(
  $$ select subtotal_cents, tax_cents, total_cents from public.invoices where id = pg_temp.inv('tot') $$,
  $$ values (-11068::bigint, -2131::bigint, -13199::bigint) $$,
  'totals follow a changed line (0.0001 × 87.65 → 1 cent, tax 0) and removed ones, down to a negative draft total'
);
update public.invoice_lines set quantity = 12.3456 where invoice_id = pg_temp.inv('tot') and description = 'Odd hours';
select results_eq(
  $$ select subtotal_cents, tax_cents, total_cents from public.invoices where id = pg_temp.inv('tot') $$,
  $$ values (97140::bigint, 18699::bigint, 115839::bigint) $$, 'and back');

-- Nobody writes a total.
select throws_ok(format($$ update public.invoices set total_cents = 1 where id = %L $$, pg_temp.inv('tot')), '42501', null,
  'a manager cannot write an invoice''s total');
select throws_ok(format($$ update public.invoices set subtotal_cents = 1, tax_cents = 0 where id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor its subtotal or tax');
select throws_ok(format($$ update public.invoices set amount_paid_cents = 115839 where id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor the amount paid');
select throws_ok(format($$ update public.invoices set status = 'paid' where id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor its status');
select throws_ok(format($$ update public.invoices set invoice_number = 'INV-2031-0999' where id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor its number');
select throws_ok(format($$ update public.invoice_lines set amount_cents = 1 where invoice_id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor a line''s amount');
select throws_ok(format($$ update public.invoice_lines set tax_cents = 0 where invoice_id = %L $$, pg_temp.inv('tot')), '42501', null,
  'nor a line''s tax');
select throws_ok(
  format($$ insert into public.invoices (agency_id, client_id, currency, total_cents) values (%L, %L, 'USD', 100) $$,
         tests.id('a'), tests.id('client:zenith')), '42501', null, 'nor give a new invoice a total');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents, amount_cents)
            values (%L, %L, 'free money', 1, 100, 1000000) $$, tests.id('a'), pg_temp.inv('tot')), '42501', null,
  'nor give a new line an amount');
select tests.reset_role();
update public.invoice_lines set amount_cents = 1, tax_cents = 1 where invoice_id = pg_temp.inv('tot') and description = 'A third of an hour at 19.99';
select is((select amount_cents from public.invoice_lines where invoice_id = pg_temp.inv('tot') and description = 'A third of an hour at 19.99'),
  666::bigint, 'even the database owner''s writes are recomputed from quantity and price');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, kind, description, quantity, unit_price_cents)
            values (%L, %L, 'manual', 'negative without being a discount', 1, -5) $$, tests.id('a'), pg_temp.inv('tot')),
  '23514', null, 'only a discount line has a negative price');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, kind, description, quantity, unit_price_cents)
            values (%L, %L, 'discount', 'a positive discount', 1, 5) $$, tests.id('a'), pg_temp.inv('tot')),
  '23514', null, 'and a discount line has one');

-- ============================================================================================
-- Only drafts change
-- ============================================================================================
select tests.authenticate_as('manager@t29.test');
select lives_ok(format($$ update public.invoices set notes = 'Thank you!', due_date = '2031-11-30' where id = %L $$, pg_temp.inv('tot')),
  'a draft''s notes and due date change');
select lives_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents)
            values (%L, %L, 'Hosting', 1, 2500) $$, tests.id('a'), pg_temp.inv('tot')),
  'a draft takes a new line');
select lives_ok(format($$ delete from public.invoice_lines where invoice_id = %L and description = 'Hosting' $$, pg_temp.inv('tot')),
  'and loses one');
select results_eq(
  format($$ select invoice_number, sequence_number, issue_date from public.invoices where id = %L $$, pg_temp.inv('tot')),
  $$ values (null::text, null::integer, null::date) $$, 'a draft has no number and no issue date');
select results_eq(
  $$ select status::text, invoice_number, sequence_number, issue_date, due_date from public.issue_invoice(pg_temp.inv('tot')) $$,
  $$ values ('sent', 'INV-2031-0001', 1, '2031-10-15'::date, '2031-11-30'::date) $$,
  'issuing gives the first number of the agency (prefix, year, four digits), today''s date, and keeps a due date given'
);
select is(tests.error_of(format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents)
                                   values (%L, %L, 'Late line', 1, 2500) $$, tests.id('a'), pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'an issued invoice takes no new line');
select is(tests.error_of(format($$ update public.invoice_lines set quantity = 2 where invoice_id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'nor a changed one');
select is(tests.error_of(format($$ delete from public.invoice_lines where invoice_id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'nor loses one');
select is(tests.error_of(format($$ update public.invoices set due_date = '2031-12-31' where id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'its due date stays');
select is(tests.error_of(format($$ update public.invoices set notes = 'Changed our mind' where id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'and its notes');
select is(tests.error_of(format($$ delete from public.invoices where id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'an issued invoice cannot be deleted (it is voided)');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'nor issued again');
select tests.reset_role();
select is(tests.error_of(format($$ delete from public.invoices where id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'not even by the database owner');
select is(tests.error_of(format($$ update public.invoices set total_cents = 0 where id = %L $$, pg_temp.inv('tot'))),
  'P0001 invoice_not_draft', 'who cannot rewrite an issued total either');
select results_eq(
  format($$ select count(*)::int, sum(amount_cents)::bigint from public.invoice_lines where invoice_id = %L $$, pg_temp.inv('tot')),
  $$ values (12, 97140::bigint) $$, 'the issued invoice''s lines are as they were');

-- ============================================================================================
-- Drafting from time: grouping, rates, what is left out
-- ============================================================================================
select tests.authenticate_as('manager@t29.test');
select pg_temp.keep('task', (public.create_invoice(tests.id('a'), tests.id('site'))).id);
select results_eq(
  $$ select kind, description, quantity, unit_price_cents, amount_cents, tax_cents from pg_temp.lines(pg_temp.inv('task')) $$,
  $$ values ('time', 'Build', 0.5556, 9000::bigint, 5000::bigint, 963::bigint),
            ('time', 'Design', 0.3428, 6000, 2057, 396),
            ('time', 'Design', 2.2778, 9000, 20500, 3946),
            ('time', 'Design', 0.2500, 9500, 2375, 457),
            ('time', 'General work', 0.5000, 9000, 4500, 866) $$,
  'by task (the default), one line per task and rate: Design at 90.00 is 1 h + 1000 s + 1 h = 2.2778 h, Max''s 1234 s at 60.00 '
  'and Mia''s 900 s at 95.00 are lines of their own, time without a task is General work; tax 19.25 % (962.5 → 963)'
);
select results_eq(
  $$ select subtotal_cents, tax_cents, total_cents, currency, client_id, project_id from public.invoices where id = pg_temp.inv('task') $$,
  format($$ values (34432::bigint, 6628::bigint, 41060::bigint, 'USD', %L::uuid, %L::uuid) $$, tests.id('client:acme'), tests.id('site')),
  'the draft is Acme''s, for Site, in the project''s currency, with the totals of its lines'
);
select tests.reset_role();
select results_eq(
  $$ select e.description from public.time_entries e where e.invoice_id = pg_temp.inv('task') order by 1 $$,
  $$ values ('s1-approved'), ('s3'), ('s4'), ('s5'), ('s6-no-task'), ('s8-max'), ('s9-new-rate') $$,
  'approved and draft billable time is on it; rejected (s2) and non-billable (s7) time is not'
);
select is(
  (select count(*)::int from public.time_entries e join public.invoice_lines l on l.id = e.invoice_line_id
   where e.invoice_id = pg_temp.inv('task') and l.invoice_id = e.invoice_id and l.unit_price_cents = e.billable_rate_cents),
  7, 'each of them is linked to the one line of its invoice that bills it, at its own rate');
select results_eq(
  $$ select l.description, l.unit_price_cents, sum(e.duration_seconds)::int from public.invoice_lines l
     join public.time_entries e on e.invoice_line_id = l.id where l.invoice_id = pg_temp.inv('task')
     group by 1, 2 order by 1, 2 $$,
  $$ values ('Build', 9000::bigint, 2000), ('Design', 6000, 1234), ('Design', 9000, 8200), ('Design', 9500, 900), ('General work', 9000, 1800) $$,
  'and each line''s hours are the seconds of the entries linked to it'
);

-- Deleting the draft releases the time; the audit log keeps the history.
select tests.authenticate_as('manager@t29.test');
select results_eq(format($$ delete from public.invoices where id = %L returning status::text $$, pg_temp.inv('task')),
  $$ values ('draft') $$, 'a manager deletes a draft');
select tests.reset_role();
select is((select count(*)::int from public.time_entries where invoice_id is not null or invoice_line_id is not null), 0,
  'its entries are free again');
select is((select count(*)::int from public.invoice_lines where invoice_id = pg_temp.inv('task')), 0, 'its lines went with it');
select is(
  (select count(*)::int from public.audit_log l
   where l.table_name = 'time_entries' and l.action = 'update'
     and l.old_values ->> 'invoice_id' = pg_temp.inv('task')::text and l.new_values ->> 'invoice_id' is null),
  7, 'the audit log shows each of the seven entries linked to the deleted draft, and released');
select is(
  (select count(*)::int from public.audit_log l where l.table_name = 'invoices' and l.action = 'delete' and l.row_id = pg_temp.inv('task')::text),
  1, 'and the deleted draft itself');

select tests.authenticate_as('manager@t29.test');
select pg_temp.keep('person', (public.create_invoice(tests.id('a'), tests.id('site'), p_grouping => 'person')).id);
select results_eq(
  $$ select description, quantity, unit_price_cents, amount_cents from pg_temp.lines(pg_temp.inv('person')) $$,
  $$ values ('Max Member', 0.3428, 6000::bigint, 2057::bigint), ('Mia Member', 3.3333, 9000, 30000), ('Mia Member', 0.2500, 9500, 2375) $$,
  'by person: one line per person and rate (3.3333 × 90.00 = 299.997 → 300.00)'
);
delete from public.invoices where id = pg_temp.inv('person');
select pg_temp.keep('date', (public.create_invoice(tests.id('a'), tests.id('site'), p_grouping => 'date')).id);
select results_eq(
  $$ select description, quantity, unit_price_cents, amount_cents from pg_temp.lines(pg_temp.inv('date')) $$,
  $$ values ('1 Oct 2031', 0.3428, 6000::bigint, 2057::bigint), ('1 Oct 2031', 0.8333, 9000, 7500),
            ('16 Sep 2031', 1.0000, 9000, 9000), ('2 Oct 2031', 1.5000, 9000, 13500), ('3 Oct 2031', 0.2500, 9500, 2375) $$,
  'by date: one line per day and rate'
);
delete from public.invoices where id = pg_temp.inv('date');
select pg_temp.keep('single', (public.create_invoice(tests.id('a'), tests.id('site'), p_grouping => 'single')).id);
select results_eq(
  $$ select description, quantity, unit_price_cents, amount_cents from pg_temp.lines(pg_temp.inv('single')) $$,
  $$ values ('Professional services', 0.3428, 6000::bigint, 2057::bigint), ('Professional services', 3.3333, 9000, 30000),
            ('Professional services', 0.2500, 9500, 2375) $$,
  'as a single line: still one per rate'
);
delete from public.invoices where id = pg_temp.inv('single');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_grouping => 'client') $$),
  'P0001 invalid_grouping', 'an unknown grouping is refused');

-- The period and the agency's approval setting.
select pg_temp.keep('october', (public.create_invoice(tests.id('a'), tests.id('site'), p_period_from => '2031-10-01', p_period_to => '2031-10-02')).id);
select results_eq(
  $$ select description, quantity, unit_price_cents from pg_temp.lines(pg_temp.inv('october')) $$,
  $$ values ('Build', 0.5556, 9000::bigint), ('Design', 0.3428, 6000), ('Design', 1.2778, 9000), ('General work', 0.5000, 9000) $$,
  'a period takes only the time dated in it (1-2 Oct: not 16 Sep, not 3 Oct)'
);
select results_eq(
  $$ select period_from, period_to from public.invoices where id = pg_temp.inv('october') $$,
  $$ values ('2031-10-01'::date, '2031-10-02'::date) $$, 'and the draft records it');
delete from public.invoices where id = pg_temp.inv('october');
update public.agencies set invoice_requires_approved_time = true where id = tests.id('a');
select pg_temp.keep('approved', (public.create_invoice(tests.id('a'), tests.id('site'))).id);
select results_eq(
  $$ select description, quantity, unit_price_cents from pg_temp.lines(pg_temp.inv('approved')) $$,
  $$ values ('Design', 1.0000, 9000::bigint) $$,
  'when the agency invoices approved time only, the approved hour alone is drafted'
);
delete from public.invoices where id = pg_temp.inv('approved');
select is(tests.error_of(format($$ select public.create_invoice(%L, %L, p_period_from => '2031-10-01') $$, tests.id('a'), tests.id('site'))),
  'P0001 invoice_empty', 'and nothing approved in the period means nothing to invoice');
update public.agencies set invoice_requires_approved_time = false where id = tests.id('a');
select tests.reset_role();
select is((select count(*)::int from public.invoices where agency_id = tests.id('a')), 1,
  'an empty draft is never left behind (only the issued one exists)');

-- ============================================================================================
-- Per-project rounding, per entry, at invoice time
-- ============================================================================================
-- Retainer: nine entries of 600, 960, 900, 420, 300, 780, 840, 2640 and 2760 s (10,200 s = 2.8333 h).
create function pg_temp.rounded_hours(p_mode text, p_minutes smallint)
returns numeric
language plpgsql
as $$
declare
  v_id uuid;
  v_hours numeric;
begin
  perform tests.authenticate_as('manager@t29.test');
  update public.projects set invoice_rounding = p_mode, invoice_rounding_minutes = p_minutes where id = tests.id('retainer');
  v_id := (public.create_invoice(tests.id('a'), tests.id('retainer'), p_grouping => 'single')).id;
  select sum(l.quantity) into v_hours from public.invoice_lines l where l.invoice_id = v_id;
  delete from public.invoices where id = v_id;
  perform tests.reset_role();
  return v_hours;
end;
$$;
select is(pg_temp.rounded_hours('none', 15::smallint), 2.8333, 'no rounding: 10,200 s are 2.8333 h');
select is(pg_temp.rounded_hours('up', 15::smallint), 3.7500, 'up to 15 min, per entry: 15+30+15+15+15+15+15+45+60 min = 3.75 h (the sum rounded up would be 3 h)');
select is(pg_temp.rounded_hours('up', 6::smallint), 3.3000, 'up to 6 min: 12+18+18+12+6+18+18+48+48 min = 3.3 h');
select is(pg_temp.rounded_hours('down', 6::smallint), 2.4000, 'down to 6 min: 6+12+12+6+0+12+12+42+42 min = 2.4 h');
select is(pg_temp.rounded_hours('down', 30::smallint), 1.0000, 'down to 30 min: only the two entries over 30 min count, 30 min each');
select is(pg_temp.rounded_hours('nearest', 15::smallint), 2.7500, 'to the nearest 15 min: 15+15+15+0+0+15+15+45+45 min = 2.75 h');
select is(pg_temp.rounded_hours('nearest', 30::smallint), 2.5000,
  'to the nearest 30 min: 15 min exactly rounds up (a half), 14 min and 44 min round down: 0+30+30+0+0+0+0+30+60 min = 2.5 h');
select results_eq(
  $$ select sum(duration_seconds)::int, count(*)::int, bool_and(invoice_id is null) from public.time_entries where project_id = tests.id('retainer') $$,
  $$ values (10200, 9, true) $$, 'the entries themselves never change: still 10,200 s in nine entries, unbilled');
select results_eq(
  $$ select count(*)::int from public.audit_log l join public.time_entries e on l.row_id = e.id::text
     where l.table_name = 'time_entries' and l.action = 'update' and e.project_id = tests.id('retainer')
       and (l.old_values ->> 'duration_seconds') is distinct from (l.new_values ->> 'duration_seconds') $$,
  $$ values (0) $$, 'and no update ever touched their durations');

-- ============================================================================================
-- Client-wide, milestones, manual and discount lines
-- ============================================================================================
select tests.authenticate_as('manager@t29.test');
update public.projects set invoice_rounding = 'up', invoice_rounding_minutes = 15 where id = tests.id('retainer');
select pg_temp.keep('client', (public.create_invoice(tests.id('a'), p_client_id => tests.id('client:acme'), p_grouping => 'single',
  p_milestone_ids => array[tests.id('m:kickoff'), tests.id('m:launch')],
  p_lines => '[{"description": "Hosting, October", "quantity": 1, "unit_price_cents": 4999, "tax_rate_bps": 0},
               {"description": "Loyalty discount", "quantity": 1, "unit_price_cents": -10000}]')).id);
select results_eq(
  $$ select kind, description, quantity, unit_price_cents, amount_cents, tax_cents from pg_temp.lines(pg_temp.inv('client')) $$,
  $$ values ('manual', 'Hosting, October', 1.0000, 4999::bigint, 4999::bigint, 0::bigint),
            ('discount', 'Loyalty discount', 1.0000, -10000, -10000, -1925),
            ('milestone', 'Milestone: Kickoff', 1.0000, 250000, 250000, 48125),
            ('milestone', 'Milestone: Launch', 1.0000, 125050, 125050, 24072),
            ('time', 'Professional services — Retainer', 3.7500, 9000, 33750, 6497),
            ('time', 'Professional services — Site', 0.3428, 6000, 2057, 396),
            ('time', 'Professional services — Site', 3.3333, 9000, 30000, 5775),
            ('time', 'Professional services — Site', 0.2500, 9500, 2375, 457) $$,
  'client-wide: each project''s time under its own rounding (Retainer up to 15 min) and named after it, a reached and an '
  'approved milestone (tax 24,072.125 → 24,072 cents), a manual line without tax and a discount taxed at the agency''s rate'
);
select results_eq(
  $$ select subtotal_cents, tax_cents, total_cents, project_id from public.invoices where id = pg_temp.inv('client') $$,
  $$ values (438231::bigint, 83397::bigint, 521628::bigint, null::uuid) $$,
  'with its totals, and no project'
);
select tests.reset_role();
select results_eq(
  $$ select count(*)::int, count(*) filter (where e.project_id = tests.id('euro'))::int, count(*) filter (where e.project_id = tests.id('zed'))::int
     from public.time_entries e where e.invoice_id = pg_temp.inv('client') $$,
  $$ values (16, 0, 0) $$,
  'all sixteen billable entries of Acme''s USD projects, none of the EUR project, none of another client''s'
);
select results_eq(
  $$ select m.title, m.invoice_id = pg_temp.inv('client'), l.kind::text from public.milestones m
     left join public.invoice_lines l on l.id = m.invoice_line_id where m.invoice_id is not null order by title $$,
  $$ values ('Kickoff', true, 'milestone'), ('Launch', true, 'milestone') $$,
  'both milestones are linked to their lines'
);

select tests.authenticate_as('manager@t29.test');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site')) $$),
  'P0001 invoice_empty', 'a second draft for Site finds nothing left to bill');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), p_client_id => tests.id('client:acme'), p_grouping => 'date') $$),
  'P0001 invoice_empty', 'nor does a second client-wide one');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_include_time => false, p_milestone_ids => array[tests.id('m:kickoff')]) $$),
  'P0001 milestone_not_billable', 'an invoiced milestone cannot go on another invoice');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_milestone_ids => array[tests.id('m:beta')]) $$),
  'P0001 milestone_not_billable', 'nor a pending one');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_milestone_ids => array[tests.id('m:docs')]) $$),
  'P0001 milestone_not_billable', 'nor one without an amount');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_milestone_ids => array[tests.id('m:zed handover')]) $$),
  'P0001 milestone_not_billable', 'nor another client''s');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_milestone_ids => array[gen_random_uuid()]) $$),
  'P0001 milestone_not_billable', 'nor one that does not exist');
select pg_temp.keep('euro', (public.create_invoice(tests.id('a'), tests.id('euro'))).id);
select results_eq(
  $$ select i.currency, l.description, l.quantity from public.invoices i join public.invoice_lines l on l.invoice_id = i.id where i.id = pg_temp.inv('euro') $$,
  $$ values ('EUR', 'General work', 1.0000) $$, 'the EUR project''s time is drafted on its own, in EUR');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site'), p_include_time => false) $$),
  'P0001 invoice_empty', 'a draft of nothing is refused');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('bravo')) $$),
  'P0002 not_found', 'another agency''s project is not found');

-- ============================================================================================
-- Exclusive: one entry, one line; invoiced entries are locked
-- ============================================================================================
select tests.authenticate_as('mia@t29.test');
select is(tests.error_of(format($$ update public.time_entries set description = 'more' where id = %L $$, tests.id('e:s3'))),
  'P0001 entry_locked', 'the member cannot change an entry on an invoice');
select is(tests.error_of(format($$ delete from public.time_entries where id = %L $$, tests.id('e:s3'))),
  'P0001 entry_locked', 'nor delete it');
select throws_ok(format($$ update public.time_entries set invoice_id = null, invoice_line_id = null where id = %L $$, tests.id('e:s3')),
  '42501', null, 'nor take it off the invoice');
select lives_ok(format($$ update public.time_entries set description = 's2, moved to the other client''s work' where id = %L $$, tests.id('e:s2-rejected')),
  'while her rejected entry, never invoiced, is hers to correct');
select tests.reset_role();
select is(
  tests.error_of(format($$ update public.time_entries set invoice_id = %L, invoice_line_id = (select id from public.invoice_lines where invoice_id = %L)
                          where id = %L $$, pg_temp.inv('euro'), pg_temp.inv('euro'), tests.id('e:s3'))),
  'P0001 entry_locked', 'the database owner cannot move an invoiced entry to another invoice either');
select is(
  tests.error_of(format($$ update public.time_entries set invoice_id = %L, invoice_line_id = (select id from public.invoice_lines where invoice_id = %L limit 1)
                          where id = %L $$, pg_temp.inv('euro'), pg_temp.inv('client'), tests.id('e:s2-rejected'))),
  '23503 -', 'an entry''s line must be on the entry''s invoice');
select is(
  tests.error_of(format($$ update public.time_entries set invoice_id = %L where id = %L $$, pg_temp.inv('euro'), tests.id('e:s2-rejected'))),
  '23514 -', 'and an entry is linked to an invoice only through one of its lines');
select results_eq(
  $$ select count(*)::int from pg_constraint c where c.confrelid = 'public.time_entries'::regclass $$,
  $$ values (0) $$, 'no table refers to time entries: the entry''s own link column is the only link, so it is on one line at most');
select results_eq(
  $$ select count(*)::int from pg_constraint c where c.conrelid = 'public.time_entries'::regclass and c.confrelid = 'public.invoice_lines'::regclass $$,
  $$ values (1) $$, 'and that column refers to one invoice line');

-- Deleting a line of a draft releases what it billed.
select tests.authenticate_as('manager@t29.test');
delete from public.invoice_lines where invoice_id = pg_temp.inv('client') and description = 'Professional services — Retainer';
select results_eq(
  $$ select (count(*) filter (where invoice_id is null))::int, count(*)::int from public.time_entries where project_id = tests.id('retainer') $$,
  $$ values (9, 9) $$, 'deleting a draft''s time line releases its entries');
delete from public.invoice_lines where invoice_id = pg_temp.inv('client') and description = 'Milestone: Launch';
select is((select invoice_id from public.milestones where id = tests.id('m:launch')), null::uuid,
  'and deleting a milestone line releases the milestone');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('retainer'), p_milestone_ids => array[tests.id('m:launch')]) $$),
  'P0001 milestone_not_billable', 'a Site milestone does not go on another project''s invoice');
select pg_temp.keep('retainer', (public.create_invoice(tests.id('a'), tests.id('retainer'))).id);
select results_eq(
  $$ select count(*)::int from public.invoice_lines where invoice_id = pg_temp.inv('retainer') $$,
  $$ values (1) $$, 'the released entries go on a new draft');

-- A milestone on an invoice keeps its amount and stays reached.
select is(tests.error_of(format($$ update public.milestones set amount_cents = 1 where id = %L $$, tests.id('m:kickoff'))),
  'P0001 milestone_invoiced', 'an invoiced milestone''s amount stays');
select is(tests.error_of(format($$ update public.milestones set status = 'pending' where id = %L $$, tests.id('m:kickoff'))),
  'P0001 milestone_invoiced', 'and it does not go back to pending');
select is(tests.error_of(format($$ delete from public.milestones where id = %L $$, tests.id('m:kickoff'))),
  'P0001 milestone_invoiced', 'nor is it deleted');

-- ============================================================================================
-- Numbers: in issue order, per agency, without gaps
-- ============================================================================================
select results_eq(
  $$ select invoice_number, sequence_number from public.issue_invoice(pg_temp.inv('euro')) $$,
  $$ values ('INV-2031-0002', 2) $$, 'the next issued invoice takes the next number');
-- An issue undone by a failure after it (a savepoint here; a failed request in the app).
create function pg_temp.issue_then_fail(p_invoice uuid)
returns text
language plpgsql
as $$
begin
  begin
    perform public.issue_invoice(p_invoice);
    raise exception 'the email could not be queued';
  exception when others then
    return sqlerrm;
  end;
end;
$$;
select is(pg_temp.issue_then_fail(pg_temp.inv('client')), 'the email could not be queued', 'an issue fails after taking a number');
select results_eq(
  $$ select status::text, invoice_number from public.invoices where id = pg_temp.inv('client') $$,
  $$ values ('draft', null::text) $$, 'and the invoice is a draft again');
select results_eq(
  $$ select invoice_number, sequence_number from public.issue_invoice(pg_temp.inv('retainer')) $$,
  $$ values ('INV-2031-0003', 3) $$, 'the number it took is given to the next issue: no gap');
select results_eq(
  $$ select invoice_number from public.issue_invoice(pg_temp.inv('client')) $$,
  $$ values ('INV-2031-0004') $$, 'and the failed one takes the one after');
select tests.authenticate_as('outsider@t29.test');
select pg_temp.keep('bravo', (public.create_invoice(tests.id('b'), tests.id('bravo'), p_include_time => false,
  p_lines => '[{"description": "Audit", "quantity": 1, "unit_price_cents": 100000}]')).id);
select results_eq(
  $$ select invoice_number, sequence_number from public.issue_invoice(pg_temp.inv('bravo')) $$,
  $$ values ('BR-2031-0001', 1) $$, 'another agency counts on its own, with its own prefix');
select tests.reset_role();
update private.invoice_counters set last_number = 9999 where agency_id = tests.id('b');
select tests.authenticate_as('outsider@t29.test');
select pg_temp.keep('bravo2', (public.create_invoice(tests.id('b'), tests.id('bravo'), p_include_time => false,
  p_lines => '[{"description": "Audit, again", "quantity": 1, "unit_price_cents": 100000}]')).id);
select results_eq(
  $$ select invoice_number, sequence_number from public.issue_invoice(pg_temp.inv('bravo2')) $$,
  $$ values ('BR-2031-10000', 10000) $$, 'past 9999 the number grows a digit rather than being cut');
select tests.authenticate_as('manager@t29.test');
select results_eq(
  $$ select invoice_number, sequence_number, status::text from public.invoices where agency_id = tests.id('a') and status <> 'draft' order by sequence_number $$,
  $$ values ('INV-2031-0001', 1, 'sent'), ('INV-2031-0002', 2, 'sent'), ('INV-2031-0003', 3, 'sent'), ('INV-2031-0004', 4, 'sent') $$,
  'agency A''s issued invoices are numbered 1 to 4 in the order they were issued'
);

-- Issuing needs lines, a total not below zero and a due date not before today.
select pg_temp.keep('neg', (public.create_invoice(tests.id('a'), p_client_id => tests.id('client:zenith'), p_include_time => false,
  p_lines => '[{"description": "Credit", "quantity": 1, "unit_price_cents": -500}]')).id);
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('neg'))), 'P0001 invoice_negative',
  'a draft totalling less than zero is not issued');
delete from public.invoice_lines where invoice_id = pg_temp.inv('neg');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('neg'))), 'P0001 invoice_empty',
  'nor is one without lines');
insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents)
values (tests.id('a'), pg_temp.inv('neg'), 'Consulting', 1, 500);
update public.invoices set due_date = '2031-10-14' where id = pg_temp.inv('neg');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('neg'))), 'P0001 due_before_issue',
  'nor one due before today');
update public.invoices set due_date = null where id = pg_temp.inv('neg');
select results_eq(
  $$ select invoice_number, issue_date, due_date from public.issue_invoice(pg_temp.inv('neg')) $$,
  $$ values ('INV-2031-0005', '2031-10-15'::date, '2031-11-14'::date) $$,
  'without a due date it is due after the agency''s payment terms (30 days); the refusals took no number'
);

-- ============================================================================================
-- Void: sent or overdue with nothing paid; releases; the number stays used
-- ============================================================================================
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('bravo'))), 'P0002 not_found',
  'another agency''s invoice cannot be voided (it is not found)');
select pg_temp.keep('draft', (public.create_invoice(tests.id('a'), p_client_id => tests.id('client:zenith'), p_include_time => false,
  p_lines => '[{"description": "Workshop", "quantity": 1, "unit_price_cents": 50000}]')).id);
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('draft'))), 'P0001 invoice_not_voidable',
  'a draft is deleted, not voided');
select public.record_payment(pg_temp.inv('euro'), 100, 'bank_transfer');
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('euro'))), 'P0001 invoice_not_voidable',
  'an invoice with a payment cannot be voided');
select results_eq(
  $$ select status::text, void_reason, voided_at is not null, invoice_number from public.void_invoice(pg_temp.inv('client'), '  Wrong client contact  ') $$,
  $$ values ('void', 'Wrong client contact', true, 'INV-2031-0004') $$,
  'a sent invoice with nothing paid is voided, with its reason, and keeps its number'
);
select tests.reset_role();
select results_eq(
  $$ select count(*)::int from public.time_entries where invoice_id = pg_temp.inv('client') or invoice_line_id in
       (select id from public.invoice_lines where invoice_id = pg_temp.inv('client')) $$,
  $$ values (0) $$, 'its entries are released');
select is((select invoice_id from public.milestones where id = tests.id('m:kickoff')), null::uuid, 'and its milestone');
select is((select count(*)::int from public.invoice_lines where invoice_id = pg_temp.inv('client')), 8 - 2,
  'the void invoice keeps its lines as they were issued');
select tests.authenticate_as('manager@t29.test');
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('client'))), 'P0001 invoice_not_voidable',
  'a void invoice is not voided twice');
select is(tests.error_of(format($$ delete from public.invoices where id = %L $$, pg_temp.inv('client'))), 'P0001 invoice_not_draft',
  'nor deleted');
select pg_temp.keep('again', (public.create_invoice(tests.id('a'), tests.id('site'), p_grouping => 'single', p_milestone_ids => array[tests.id('m:kickoff')])).id);
select results_eq(
  $$ select description, amount_cents from pg_temp.lines(pg_temp.inv('again')) $$,
  $$ values ('Milestone: Kickoff', 250000::bigint), ('Professional services', 2057), ('Professional services', 34500), ('Professional services', 2375) $$,
  'what the void invoice billed goes on a new draft (with s2, corrected since and a draft again: 3.8333 h at 90.00)'
);
select results_eq(
  $$ select invoice_number from public.issue_invoice(pg_temp.inv('again')) $$,
  $$ values ('INV-2031-0006') $$, 'which gets a new number: the void one''s stays used');

-- ============================================================================================
-- RLS: owners and managers; never members, other agencies or visitors
-- ============================================================================================
select tests.reset_role();
select is((select count(*)::int from public.invoices where agency_id = tests.id('a')), 7, 'agency A has seven invoices (the runner''s count)');
select tests.authenticate_as('owner@t29.test');
select results_eq($$ select count(*)::int, count(*) filter (where agency_id <> tests.id('a'))::int from public.invoices $$,
  $$ values (7, 0) $$, 'the owner reads every invoice of the agency and none of another');
select tests.authenticate_as('manager@t29.test');
select results_eq($$ select count(*)::int from public.invoices $$, $$ values (7) $$, 'a manager reads them too');
select results_eq($$ select count(*)::int > 0, bool_and(agency_id = tests.id('a')) from public.invoice_lines $$,
  $$ values (true, true) $$, 'and their lines');
select tests.authenticate_as('mia@t29.test');
select is_empty($$ select id from public.invoices $$, 'a member reads no invoice');
select is_empty($$ select id from public.invoice_lines $$, 'and no line');
select is_empty($$ select id from public.invoice_payments $$, 'and no payment');
select tests.authenticate_as('outsider@t29.test');
select results_eq($$ select count(*)::int, bool_and(agency_id = tests.id('b')) from public.invoices $$, $$ values (2, true) $$,
  'another agency''s owner reads only their own invoices');
select is_empty(format($$ select id from public.invoice_lines where agency_id = %L $$, tests.id('a')), 'and none of A''s lines');
select is_empty(format($$ select id from public.invoice_payments where agency_id = %L $$, tests.id('a')), 'nor its payments');
select tests.clear_authentication();
select throws_ok($$ select id from public.invoices $$, '42501', null, 'an anonymous visitor reads no invoice');
select throws_ok($$ select id from public.invoice_lines $$, '42501', null, 'nor a line');
select throws_ok($$ select id from public.invoice_payments $$, '42501', null, 'nor a payment');

select tests.authenticate_as('owner@t29.test');
select lives_ok(format($$ insert into public.invoices (agency_id, client_id, currency, notes) values (%L, %L, 'USD', 'owner_draft') $$,
                       tests.id('a'), tests.id('client:zenith')), 'the owner drafts an invoice directly');
select tests.authenticate_as('manager@t29.test');
select lives_ok(format($$ insert into public.invoices (agency_id, client_id, currency, notes) values (%L, %L, 'USD', 'manager_draft') $$,
                       tests.id('a'), tests.id('client:zenith')), 'so does a manager');
select tests.authenticate_as('mia@t29.test');
select throws_ok(format($$ insert into public.invoices (agency_id, client_id, currency, notes) values (%L, %L, 'USD', 'member-draft') $$,
                        tests.id('a'), tests.id('client:zenith')), '42501', null, 'a member cannot');
select tests.authenticate_as('outsider@t29.test');
select throws_ok(format($$ insert into public.invoices (agency_id, client_id, currency, notes) values (%L, %L, 'USD', 'outsider-draft') $$,
                        tests.id('a'), tests.id('client:zenith')), '42501', null, 'nor can another agency''s owner');
select tests.clear_authentication();
select throws_ok(format($$ insert into public.invoices (agency_id, client_id, currency, notes) values (%L, %L, 'USD', 'anon-draft') $$,
                        tests.id('a'), tests.id('client:zenith')), '42501', null, 'nor an anonymous visitor');
select tests.reset_role();
select pg_temp.keep('owner_draft', (select id from public.invoices where notes = 'owner_draft'));
select pg_temp.keep('manager_draft', (select id from public.invoices where notes = 'manager_draft'));

select tests.authenticate_as('owner@t29.test');
select lives_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'owner line', 2, 1250) $$,
         tests.id('a'), pg_temp.inv('owner_draft')), 'the owner adds a line');
select tests.authenticate_as('manager@t29.test');
select lives_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'manager line', 3, 1250) $$,
         tests.id('a'), pg_temp.inv('manager_draft')), 'so does a manager');
select tests.authenticate_as('mia@t29.test');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'member line', 1, 1) $$,
         tests.id('a'), pg_temp.inv('owner_draft')), '42501', null, 'a member cannot');
select is(
  tests.error_of(format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'member line', 1, 1) $$,
                        tests.id('a'), pg_temp.inv('tot'))),
  '42501 -', 'not even on an issued invoice, where the answer is 42501 and not a word about its status');
select tests.authenticate_as('outsider@t29.test');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'outsider line', 1, 1) $$,
         tests.id('a'), pg_temp.inv('owner_draft')), '42501', null, 'nor can another agency''s owner');
select is(
  tests.error_of(format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'outsider line', 1, 1) $$,
                        tests.id('a'), pg_temp.inv('tot'))),
  '42501 -', 'who learns nothing about A''s issued invoice either');
select tests.clear_authentication();
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, description, quantity, unit_price_cents) values (%L, %L, 'anon line', 1, 1) $$,
         tests.id('a'), pg_temp.inv('owner_draft')), '42501', null, 'nor an anonymous visitor');

select tests.authenticate_as('owner@t29.test');
select results_eq(format($$ update public.invoices set notes = 'owner-draft, edited' where id = %L returning notes $$, pg_temp.inv('manager_draft')),
  $$ values ('owner-draft, edited') $$, 'the owner edits a draft');
select results_eq(format($$ update public.invoice_lines set quantity = 4 where invoice_id = %L returning amount_cents $$, pg_temp.inv('manager_draft')),
  $$ values (5000::bigint) $$, 'and its lines');
select tests.authenticate_as('manager@t29.test');
select results_eq(format($$ update public.invoices set due_date = '2031-12-01' where id = %L returning due_date $$, pg_temp.inv('owner_draft')),
  $$ values ('2031-12-01'::date) $$, 'so does a manager');
select results_eq(format($$ update public.invoice_lines set description = 'owner line, edited' where invoice_id = %L returning description $$, pg_temp.inv('owner_draft')),
  $$ values ('owner line, edited') $$, 'lines included');
select tests.authenticate_as('mia@t29.test');
select is_empty(format($$ update public.invoices set notes = 'mia' where id = %L returning id $$, pg_temp.inv('owner_draft')),
  'a member changes no invoice');
select is_empty(format($$ update public.invoice_lines set description = 'mia' where invoice_id = %L returning id $$, pg_temp.inv('owner_draft')),
  'and no line');
select tests.authenticate_as('outsider@t29.test');
select is_empty(format($$ update public.invoices set notes = 'oz' where id = %L returning id $$, pg_temp.inv('owner_draft')),
  'another agency''s owner changes no invoice here');
select is_empty(format($$ update public.invoice_lines set description = 'oz' where invoice_id = %L returning id $$, pg_temp.inv('owner_draft')),
  'and no line');
select tests.clear_authentication();
select throws_ok(format($$ update public.invoices set notes = 'anon' where id = %L $$, pg_temp.inv('owner_draft')), '42501', null,
  'an anonymous visitor cannot update an invoice');
select throws_ok(format($$ update public.invoice_lines set description = 'anon' where invoice_id = %L $$, pg_temp.inv('owner_draft')), '42501', null,
  'nor a line');

select tests.authenticate_as('mia@t29.test');
select is_empty(format($$ delete from public.invoice_lines where invoice_id = %L returning id $$, pg_temp.inv('owner_draft')),
  'a member deletes no line');
select is_empty(format($$ delete from public.invoices where id = %L returning id $$, pg_temp.inv('owner_draft')),
  'and no invoice');
select tests.authenticate_as('outsider@t29.test');
select is_empty(format($$ delete from public.invoice_lines where invoice_id = %L returning id $$, pg_temp.inv('owner_draft')),
  'another agency''s owner deletes no line here');
select is_empty(format($$ delete from public.invoices where id = %L returning id $$, pg_temp.inv('owner_draft')),
  'and no invoice');
select tests.clear_authentication();
select throws_ok(format($$ delete from public.invoice_lines where invoice_id = %L $$, pg_temp.inv('owner_draft')), '42501', null,
  'an anonymous visitor deletes no line');
select throws_ok(format($$ delete from public.invoices where id = %L $$, pg_temp.inv('owner_draft')), '42501', null,
  'nor an invoice');
select tests.authenticate_as('manager@t29.test');
select results_eq(format($$ delete from public.invoice_lines where invoice_id = %L returning description $$, pg_temp.inv('owner_draft')),
  $$ values ('owner line, edited') $$, 'a manager deletes a draft''s line');
select tests.authenticate_as('owner@t29.test');
select results_eq(format($$ delete from public.invoices where id = %L returning notes $$, pg_temp.inv('manager_draft')),
  $$ values ('owner-draft, edited') $$, 'the owner deletes a draft');

-- Payments are readable by owners and managers (their writes are record_payment's, file 30).
select tests.authenticate_as('owner@t29.test');
select results_eq($$ select amount_cents, method::text from public.invoice_payments $$, $$ values (100::bigint, 'bank_transfer') $$,
  'the owner reads the agency''s payments');
select tests.authenticate_as('manager@t29.test');
select results_eq($$ select amount_cents from public.invoice_payments $$, $$ values (100::bigint) $$, 'so does a manager');
select throws_ok(format($$ insert into public.invoice_payments (agency_id, invoice_id, amount_cents, method, paid_at)
                          values (%L, %L, 100, 'cash', now()) $$, tests.id('a'), pg_temp.inv('euro')), '42501', null,
  'nobody writes a payment directly, not even a manager');

-- The functions, as a member, another agency and a visitor.
select tests.authenticate_as('mia@t29.test');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site')) $$), '42501 -',
  'a member cannot draft an invoice');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('owner_draft'))), 'P0002 not_found',
  'nor issue one: for her it does not exist');
select is(tests.error_of(format($$ select public.void_invoice(%L) $$, pg_temp.inv('euro'))), 'P0002 not_found', 'nor void one');
select is(tests.error_of(format($$ select public.record_payment(%L, 100, 'cash') $$, pg_temp.inv('euro'))), 'P0002 not_found',
  'nor record a payment');
select is(tests.error_of($$ select public.mark_overdue_invoices() $$), '42501 -', 'nor run the overdue job');
select tests.authenticate_as('outsider@t29.test');
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site')) $$), '42501 -',
  'another agency''s owner cannot draft one here');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('owner_draft'))), 'P0002 not_found',
  'nor issue ours');
select tests.clear_authentication();
select is(tests.error_of($$ select public.create_invoice(tests.id('a'), tests.id('site')) $$), '42501 -',
  'an anonymous visitor cannot call the invoicing functions');
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, pg_temp.inv('owner_draft'))), '42501 -', 'any of them');
select tests.reset_role();
select results_eq(
  $$ select status::text, invoice_number from public.invoices where id = pg_temp.inv('owner_draft') $$,
  $$ values ('draft', null::text) $$, 'the draft they tried to issue is still a draft');

-- ============================================================================================
-- Review findings: hand-made drafts bill the right client in the right currency, hand-made
-- lines are not billed work, and nothing worth zero is issued
-- ============================================================================================
select tests.authenticate_as('manager@t29.test');
select is(
  tests.error_of(format($$ insert into public.invoices (agency_id, client_id, project_id, currency) values (%L, %L, %L, 'USD') $$,
                        tests.id('a'), tests.id('client:zenith'), tests.id('site'))),
  'P0001 invoice_target_mismatch', 'a draft for a project bills that project''s client');
select is(
  tests.error_of(format($$ insert into public.invoices (agency_id, client_id, project_id, currency) values (%L, %L, %L, 'USD') $$,
                        tests.id('a'), tests.id('client:acme'), tests.id('euro'))),
  'P0001 invoice_target_mismatch', 'in that project''s currency');
select results_eq(
  format($$ insert into public.invoices (agency_id, client_id, project_id, currency, created_by) values (%L, %L, %L, 'USD', %L)
            returning created_by $$, tests.id('a'), tests.id('client:acme'), tests.id('site'), tests.user_id('outsider@t29.test')),
  $$ values (tests.user_id('manager@t29.test')) $$, 'and it records who really made it');
select tests.reset_role();
insert into tests.labels (label, id)
select 'inv:handmade', id from public.invoices where created_by = tests.user_id('manager@t29.test') and project_id = tests.id('site')
  and status = 'draft' and not exists (select 1 from public.invoice_lines l where l.invoice_id = invoices.id)
order by created_at desc limit 1;
select tests.authenticate_as('manager@t29.test');
select throws_ok(
  format($$ insert into public.invoice_lines (agency_id, invoice_id, kind, description, quantity, unit_price_cents)
            values (%L, %L, 'milestone', 'Fake milestone', 1, 250000) $$, tests.id('a'), tests.id('inv:handmade')),
  '42501', null, 'a hand-made line cannot pose as billed work');
insert into public.invoice_lines (agency_id, invoice_id, kind, description, quantity, unit_price_cents)
values (tests.id('a'), tests.id('inv:handmade'), 'manual', 'Free consultation', 1, 0);
select is(tests.error_of(format($$ select public.issue_invoice(%L) $$, tests.id('inv:handmade'))),
  'P0001 invoice_negative', 'an invoice worth nothing is not issued (it would only ever turn overdue)');
select tests.reset_role();

select * from finish();
rollback;
