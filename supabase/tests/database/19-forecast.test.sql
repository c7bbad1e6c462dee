-- The forecast views: pipeline_forecast_by_stage and pipeline_forecast_by_month. Counts, values and
-- weighted values (rounded per deal, so awkward amounts add up to what the cards show), one row
-- per currency, empty stages with zeros, closed deals out of the monthly plan, and RLS through the
-- views (security_invoker): each caller's forecast holds the deals they may read.
begin;
select plan(21);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('fc-owner@a19.test');
select tests.create_user('fc-manager@a19.test');
select tests.create_user('fc-member@a19.test');
select tests.create_user('fc-outsider@b19.test');
select tests.create_user('pam@client19.test');

insert into tests.labels (label, id) values
  ('a', tests.create_agency('fc-owner@a19.test', 'Agency Nineteen')),
  ('b', tests.create_agency('fc-outsider@b19.test', 'Other Nineteen'));
select tests.add_member(tests.id('a'), 'fc-manager@a19.test', 'manager');
select tests.add_member(tests.id('a'), 'fc-member@a19.test', 'member');

insert into tests.labels (label, id)
select case when s.agency_id = tests.id('a') then 'a:' else 'b:' end || s.key, s.id
from public.pipeline_stages s where s.agency_id in (tests.id('a'), tests.id('b'));

with c as (
  insert into public.clients (agency_id, name) values (tests.id('a'), 'Client A19'), (tests.id('b'), 'Client B19')
  returning case when agency_id = tests.id('a') then 'client:a' else 'client:b' end as label, id
)
insert into tests.labels (label, id) select label, id from c;
insert into public.client_contacts (agency_id, client_id, name, email, user_id, portal_access_granted_at)
values (tests.id('a'), tests.id('client:a'), 'Pam Portal', 'pam@client19.test', tests.user_id('pam@client19.test'), now());

-- Lead (10 %): three deals of 333 cents (33.3 each, shown as 33) and one of 1005 euro cents (100.5,
-- shown as 101). Proposal (40 %): 250 cents, and 15 cents at an overridden 50 % (7.5, shown as 8)
-- without a close date. Negotiation: nothing. One won and one lost deal.
insert into public.deals (agency_id, client_id, stage_id, title, value_cents, currency, probability, expected_close_date, assigned_to, lost_reason)
values
  (tests.id('a'), tests.id('client:a'), tests.id('a:lead'), 'L1', 333, 'USD', null, '2031-01-05', tests.user_id('fc-member@a19.test'), null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:lead'), 'L2', 333, 'USD', null, '2031-01-20', null, null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:lead'), 'L3', 333, 'USD', null, '2031-01-31', null, null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:lead'), 'L4', 1005, 'EUR', null, '2031-01-15', null, null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:proposal'), 'P1', 250, 'USD', null, '2031-02-01', tests.user_id('fc-member@a19.test'), null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:proposal'), 'P2', 15, 'USD', 50, null, null, null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:won'), 'W1', 5000, 'USD', null, '2031-01-10', null, null),
  (tests.id('a'), tests.id('client:a'), tests.id('a:lost'), 'X1', 7000, 'USD', null, '2031-02-10', null, 'Too expensive'),
  (tests.id('b'), tests.id('client:b'), tests.id('b:negotiation'), 'B1', 1000, 'USD', null, '2031-03-03', null, null);

-- ============================================================================================
-- Weighted values are rounded per deal
-- ============================================================================================
select is(private.weighted_cents(333, 10), 33::bigint, 'a 333-cent deal at 10 % weighs 33 cents');
select is(private.weighted_cents(15, 50), 8::bigint, 'half a cent rounds away from zero (7.5 → 8)');

-- ============================================================================================
-- By stage
-- ============================================================================================
select tests.authenticate_as('fc-owner@a19.test');
select results_eq(
  $$ select stage_key, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_stage
     order by position, currency nulls first $$,
  $$ values ('lead', 'EUR', 1, 1005::bigint, 101::bigint),
            ('lead', 'USD', 3, 999::bigint, 99::bigint),
            ('proposal', 'USD', 2, 265::bigint, 108::bigint),
            ('negotiation', null, 0, 0::bigint, 0::bigint),
            ('won', 'USD', 1, 5000::bigint, 5000::bigint),
            ('lost', 'USD', 1, 7000::bigint, 0::bigint) $$,
  'the owner''s forecast by stage: one row per stage and currency, empty stages with zeros, won at 100 % and lost at 0 %'
);
select is(
  (select weighted_cents from public.pipeline_forecast_by_stage where stage_key = 'lead' and currency = 'USD'),
  99::bigint,
  'three 333-cent deals at 10 % weigh 99 cents, the sum of what the cards show, not the 100 of the rounded total'
);
select results_eq(
  $$ select stage_name, stage_kind::text from public.pipeline_forecast_by_stage where currency is null $$,
  $$ values ('Negotiation', 'open') $$,
  'a stage without deals appears once, with a null currency'
);
select tests.authenticate_as('fc-manager@a19.test');
select results_eq(
  $$ select stage_key, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_stage
     order by position, currency nulls first $$,
  $$ values ('lead', 'EUR', 1, 1005::bigint, 101::bigint),
            ('lead', 'USD', 3, 999::bigint, 99::bigint),
            ('proposal', 'USD', 2, 265::bigint, 108::bigint),
            ('negotiation', null, 0, 0::bigint, 0::bigint),
            ('won', 'USD', 1, 5000::bigint, 5000::bigint),
            ('lost', 'USD', 1, 7000::bigint, 0::bigint) $$,
  'a manager''s forecast by stage is the whole agency''s'
);
select tests.authenticate_as('fc-member@a19.test');
select results_eq(
  $$ select stage_key, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_stage
     order by position, currency nulls first $$,
  $$ values ('lead', 'USD', 1, 333::bigint, 33::bigint),
            ('proposal', 'USD', 1, 250::bigint, 100::bigint),
            ('negotiation', null, 0, 0::bigint, 0::bigint),
            ('won', null, 0, 0::bigint, 0::bigint),
            ('lost', null, 0, 0::bigint, 0::bigint) $$,
  'a member''s forecast by stage counts only the deals assigned to them'
);
select tests.authenticate_as('fc-outsider@b19.test');
select is_empty(format($$ select stage_id from public.pipeline_forecast_by_stage where agency_id = %L $$, tests.id('a')),
  'the owner of another agency sees nothing of this agency''s forecast by stage');
select results_eq(
  $$ select stage_key, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_stage
     where deal_count > 0 $$,
  $$ values ('negotiation', 'USD', 1, 1000::bigint, 700::bigint) $$,
  'and their own forecast holds only their own deals'
);
select tests.authenticate_as('pam@client19.test');
select is_empty($$ select stage_id from public.pipeline_forecast_by_stage $$, 'a portal contact sees no forecast by stage');
select tests.clear_authentication();
select throws_ok($$ select stage_id from public.pipeline_forecast_by_stage $$, '42501', null,
  'an anonymous visitor cannot read the forecast by stage');

-- ============================================================================================
-- By month
-- ============================================================================================
select tests.authenticate_as('fc-owner@a19.test');
select results_eq(
  $$ select month, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_month
     order by month, currency $$,
  $$ values ('2031-01-01'::date, 'EUR', 1, 1005::bigint, 101::bigint),
            ('2031-01-01'::date, 'USD', 3, 999::bigint, 99::bigint),
            ('2031-02-01'::date, 'USD', 1, 250::bigint, 100::bigint) $$,
  'the owner''s forecast by month: open deals by close month and currency, month ends included'
);
select is(
  (select value_cents from public.pipeline_forecast_by_month where month = '2031-01-01' and currency = 'USD'),
  999::bigint,
  'the won deal closing in January is not in January''s plan'
);
select is(
  (select value_cents from public.pipeline_forecast_by_month where month = '2031-02-01' and currency = 'USD'),
  250::bigint,
  'the lost deal closing in February is not in February''s plan'
);
select is(
  (select sum(deal_count)::int from public.pipeline_forecast_by_month),
  5,
  'open deals without an expected close date are left out of the monthly plan'
);
select tests.authenticate_as('fc-manager@a19.test');
select is((select sum(weighted_cents)::bigint from public.pipeline_forecast_by_month), 300::bigint,
  'a manager''s monthly plan is the whole agency''s');
select tests.authenticate_as('fc-member@a19.test');
select results_eq(
  $$ select month, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_month
     order by month, currency $$,
  $$ values ('2031-01-01'::date, 'USD', 1, 333::bigint, 33::bigint),
            ('2031-02-01'::date, 'USD', 1, 250::bigint, 100::bigint) $$,
  'a member''s monthly plan holds only the deals assigned to them'
);
select tests.authenticate_as('fc-outsider@b19.test');
select is_empty(format($$ select month from public.pipeline_forecast_by_month where agency_id = %L $$, tests.id('a')),
  'the owner of another agency sees nothing of this agency''s monthly plan');
select results_eq(
  $$ select month, currency, deal_count, value_cents, weighted_cents from public.pipeline_forecast_by_month $$,
  $$ values ('2031-03-01'::date, 'USD', 1, 1000::bigint, 700::bigint) $$,
  'and their own monthly plan holds only their own deals'
);
select tests.authenticate_as('pam@client19.test');
select is_empty($$ select month from public.pipeline_forecast_by_month $$, 'a portal contact sees no monthly plan');
select tests.clear_authentication();
select throws_ok($$ select month from public.pipeline_forecast_by_month $$, '42501', null,
  'an anonymous visitor cannot read the monthly plan');

select * from finish();
rollback;
