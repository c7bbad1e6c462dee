-- Invoice sending and getting paid: a stable pay link per invoice (a capability token), sending by
-- email through the outbox (the PDF is attached by the worker), the one SQL entry point for Stripe
-- webhook events (idempotent by event and by payment intent, refunds as deltas), the activity
-- timeline (sent, viewed, reminded, payment failed), payment reminders on a per-agency schedule
-- (each step once), and recurring invoices generated exactly once per period.

-- ============================================================================================
-- Settings
-- ============================================================================================
alter table public.agencies
  add column address text check (char_length(address) <= 500),
  add column stripe_account_id text unique check (stripe_account_id ~ '^acct_[A-Za-z0-9]{1,64}$'),
  add column reminder_offsets_days smallint[] not null default '{-3,0,7,14}'
    check (cardinality(reminder_offsets_days) <= 8 and -60 <= all (reminder_offsets_days)
           and 120 >= all (reminder_offsets_days));
comment on column public.agencies.address is 'The agency''s postal address, printed on invoices.';
comment on column public.agencies.stripe_account_id is
  'The agency''s Stripe connected account: checkout sessions are created on it when set.';
comment on column public.agencies.reminder_offsets_days is
  'Payment reminder schedule in days relative to the due date (-3 = three days before). Each step is sent once.';
grant update (address, stripe_account_id, reminder_offsets_days) on table public.agencies to authenticated;

-- ============================================================================================
-- Invoices: pay link, recipient; payments: the Stripe payment they belong to
-- ============================================================================================
alter table public.invoices
  add column public_token text not null unique
    default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')
    check (public_token ~ '^[0-9a-f]{64}$'),
  add column sent_to_email text check (private.is_email(sent_to_email));
comment on column public.invoices.public_token is
  'The client''s pay link (/pay/<token>): 244 random bits. Whoever holds it may see and pay this invoice, nothing else.';
comment on column public.invoices.sent_to_email is 'Where the invoice was last emailed; reminders go there.';

alter table public.invoice_payments add column stripe_payment_intent_id text check (char_length(stripe_payment_intent_id) <= 255);
-- One payment per payment intent: the session's and the intent's events of one payment count once.
create unique index invoice_payments_one_per_intent on public.invoice_payments (stripe_payment_intent_id)
  where amount_cents > 0 and stripe_payment_intent_id is not null;
create index invoice_payments_intent_idx on public.invoice_payments (stripe_payment_intent_id)
  where stripe_payment_intent_id is not null;

-- ============================================================================================
-- Tables: activity, recurring schedules and their runs
-- ============================================================================================
create table public.invoice_activity (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  invoice_id uuid not null,
  kind text not null check (kind in ('sent', 'viewed', 'reminded', 'payment_failed', 'payment_unmatched')),
  to_email text,
  reminder_offset_days smallint,
  detail text check (char_length(detail) <= 2000),
  stripe_event_id text unique,
  actor_id uuid,
  -- The business clock (frozen in pgTAP), so reminder rules and their tests read one time line.
  created_at timestamptz not null default private.clock_now(),
  foreign key (agency_id, invoice_id) references public.invoices (agency_id, id) on delete cascade,
  constraint invoice_activity_offset_only_on_reminders check (reminder_offset_days is null or kind = 'reminded')
);
create index invoice_activity_invoice_idx on public.invoice_activity (agency_id, invoice_id, created_at);
-- The relay guard counts people's invoice emails per agency and hour.
create index invoice_activity_people_emails_idx on public.invoice_activity (agency_id, created_at)
  where kind in ('sent', 'reminded') and actor_id is not null;
-- Each scheduled reminder step once per invoice (manual reminders have no offset and repeat).
create unique index invoice_activity_one_reminder_per_step
  on public.invoice_activity (agency_id, invoice_id, reminder_offset_days)
  where kind = 'reminded' and reminder_offset_days is not null;
comment on table public.invoice_activity is
  'What happened to an invoice beyond its columns: each sending, the first view of the pay link, '
  'reminders (scheduled steps are unique) and failed or unmatched payments. Written only by SQL functions.';

create table public.recurring_invoices (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  client_id uuid not null,
  project_id uuid,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  frequency text not null check (frequency in ('weekly', 'monthly', 'quarterly', 'yearly')),
  start_date date not null,
  end_date date,
  lines jsonb not null default '[]'::jsonb,
  retainer_amount_cents bigint check (retainer_amount_cents between 1 and 100000000000),
  last_error text,
  last_error_at timestamptz,
  -- The agency day the schedule was paused (set by its trigger): periods starting after it are skipped on resume.
  paused_on date,
  tax_rate_bps integer not null default 0 check (tax_rate_bps between 0 and 10000),
  auto_send boolean not null default false,
  active boolean not null default true,
  notes text check (char_length(notes) <= 5000),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, client_id) references public.clients (agency_id, id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id),
  constraint recurring_invoices_ends_after_start check (end_date is null or end_date >= start_date),
  constraint recurring_invoices_bill_something check (retainer_amount_cents is not null or jsonb_array_length(lines) > 0)
);
create index recurring_invoices_agency_idx on public.recurring_invoices (agency_id, active);
comment on table public.recurring_invoices is
  'A retainer or subscription: every period (from start_date, every week/month/quarter/year) a draft '
  '(or, with auto_send, a sent invoice) with these lines or the retainer amount. Generated by the job.';

create table public.recurring_invoice_runs (
  agency_id uuid not null,
  recurring_invoice_id uuid not null,
  period_start date not null,
  invoice_id uuid,
  -- A period that started while the schedule was paused: resuming does not bill it.
  skipped boolean not null default false,
  created_at timestamptz not null default clock_timestamp(),
  primary key (agency_id, recurring_invoice_id, period_start),
  foreign key (agency_id, recurring_invoice_id) references public.recurring_invoices (agency_id, id) on delete cascade,
  foreign key (agency_id, invoice_id) references public.invoices (agency_id, id) on delete set null (invoice_id)
);
create index recurring_invoice_runs_invoice_idx on public.recurring_invoice_runs (agency_id, invoice_id);
comment on table public.recurring_invoice_runs is
  'One row per generated period: the primary key is the exactly-once guarantee. The row outlives a '
  'deleted draft, so a period someone threw away is not generated again.';

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================
revoke all on table public.invoice_activity, public.recurring_invoices, public.recurring_invoice_runs from anon, authenticated;
grant select on table public.invoice_activity, public.recurring_invoices, public.recurring_invoice_runs to authenticated;
grant insert (agency_id, client_id, project_id, name, frequency, start_date, end_date, lines, retainer_amount_cents,
              tax_rate_bps, auto_send, active, notes)
  on table public.recurring_invoices to authenticated;
grant update (name, end_date, lines, retainer_amount_cents, tax_rate_bps, auto_send, active, notes)
  on table public.recurring_invoices to authenticated;
alter table public.invoice_activity enable row level security;
alter table public.recurring_invoices enable row level security;
alter table public.recurring_invoice_runs enable row level security;

create policy "owners and managers read invoice activity" on public.invoice_activity for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers read recurring invoices" on public.recurring_invoices for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers add recurring invoices" on public.recurring_invoices for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers change recurring invoices" on public.recurring_invoices for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers read recurring runs" on public.recurring_invoice_runs for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Functions: the invoice as a document (PDF, pay page) and its recipient
-- ============================================================================================
create function private.invoice_document(p_invoice_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'invoice_id', i.id, 'agency_id', i.agency_id, 'invoice_number', i.invoice_number,
    'status', private.invoice_status_for(i.status, i.total_cents, i.amount_paid_cents, i.due_date, private.agency_today(i.agency_id)),
    'currency', i.currency, 'issue_date', i.issue_date, 'due_date', i.due_date,
    'period_from', i.period_from, 'period_to', i.period_to, 'notes', i.notes, 'terms', i.terms,
    'subtotal_cents', i.subtotal_cents, 'tax_cents', i.tax_cents, 'total_cents', i.total_cents,
    'amount_paid_cents', i.amount_paid_cents,
    'amount_due_cents', case when i.status in ('draft', 'void') then 0 else greatest(i.total_cents - i.amount_paid_cents, 0) end,
    'pay_path', case when i.status not in ('draft', 'void') and i.amount_paid_cents < i.total_cents
                     then '/pay/' || i.public_token end,
    'agency', jsonb_build_object('name', a.name, 'logo_url', a.logo_url, 'brand_color', a.brand_color, 'address', a.address),
    'client', jsonb_build_object('name', c.name, 'address', c.address, 'contact_name', contact.name,
                                 'contact_email', coalesce(i.sent_to_email, contact.email)),
    'lines', coalesce((select jsonb_agg(jsonb_build_object(
                 'position', l.position, 'kind', l.kind, 'description', l.description, 'quantity', l.quantity,
                 'unit_price_cents', l.unit_price_cents, 'tax_rate_bps', l.tax_rate_bps,
                 'amount_cents', l.amount_cents, 'tax_cents', l.tax_cents) order by l.position, l.created_at, l.id)
               from public.invoice_lines l where l.agency_id = i.agency_id and l.invoice_id = i.id), '[]'::jsonb),
    'payments', coalesce((select jsonb_agg(jsonb_build_object(
                 'paid_at', p.paid_at, 'amount_cents', p.amount_cents, 'method', p.method) order by p.paid_at, p.created_at)
               from public.invoice_payments p where p.agency_id = i.agency_id and p.invoice_id = i.id), '[]'::jsonb)
  )
  from public.invoices i
  join public.agencies a on a.id = i.agency_id
  join public.clients c on c.agency_id = i.agency_id and c.id = i.client_id
  left join lateral (
    select cc.name, cc.email from public.client_contacts cc
    where cc.agency_id = i.agency_id and cc.client_id = i.client_id and cc.email is not null
    order by cc.is_primary desc, cc.created_at, cc.id limit 1
  ) contact on true
  where i.id = p_invoice_id;
$$;
comment on function private.invoice_document(uuid) is
  'The invoice as the client sees it (PDF, pay page, emails): one shape for every reader. Not exposed; '
  'public.invoice_document and public.invoice_for_token decide who may read it.';

create function private.invoice_checkout_state(p_invoice_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('stripe_checkout_session_id', i.stripe_checkout_session_id,
                            'stripe_account_id', a.stripe_account_id, 'public_token', i.public_token)
  from public.invoices i join public.agencies a on a.id = i.agency_id
  where i.id = p_invoice_id;
$$;
comment on function private.invoice_checkout_state(uuid) is
  'What the app needs to reuse or make a checkout session: the last session, the connected account, the token.';

create function public.invoice_document(p_invoice_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.invoices i
                 where i.id = p_invoice_id and i.agency_id in (select private.manager_agency_ids())) then
    raise exception 'there is no such invoice' using errcode = 'P0002', hint = 'not_found';
  end if;
  return private.invoice_document(p_invoice_id) || private.invoice_checkout_state(p_invoice_id);
end;
$$;
comment on function public.invoice_document(uuid) is
  'The printable invoice with its checkout state, for the agency''s owners and managers.';

create function private.invoice_recipient(p_invoice public.invoices)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(p_invoice.sent_to_email,
    (select cc.email from public.client_contacts cc
     where cc.agency_id = p_invoice.agency_id and cc.client_id = p_invoice.client_id and cc.email is not null
     order by cc.is_primary desc, cc.created_at, cc.id limit 1));
$$;
comment on function private.invoice_recipient(public.invoices) is
  'Where an invoice''s emails go: the address it was sent to, else the client''s primary contact.';

create function private.invoice_email_data(p_invoice public.invoices)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.agency_branding(p_invoice.agency_id) || jsonb_build_object(
    'invoice_id', p_invoice.id, 'invoice_number', p_invoice.invoice_number, 'client_name', c.name,
    'contact_name', (select cc.name from public.client_contacts cc
                     where cc.agency_id = p_invoice.agency_id and cc.client_id = p_invoice.client_id
                       and lower(cc.email) = lower(private.invoice_recipient(p_invoice)) limit 1),
    'total_cents', p_invoice.total_cents,
    'amount_due_cents', greatest(p_invoice.total_cents - p_invoice.amount_paid_cents, 0),
    'currency', p_invoice.currency, 'due_date', p_invoice.due_date,
    'pay_path', '/pay/' || p_invoice.public_token)
  from public.clients c where c.agency_id = p_invoice.agency_id and c.id = p_invoice.client_id;
$$;

-- ============================================================================================
-- Functions: issuing (shared by people and the recurring job) and sending
-- ============================================================================================
create function private.lock_managed_invoice(p_invoice_id uuid)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
begin
  -- Filtered before locking: another agency's invoice is neither locked nor waited for, and its
  -- existence is not revealed.
  select * into v_invoice from public.invoices i
  where i.id = p_invoice_id and i.agency_id in (select private.manager_agency_ids())
  for update;
  if v_invoice.id is null then
    raise exception 'there is no such invoice' using errcode = 'P0002', hint = 'not_found';
  end if;
  return v_invoice;
end;
$$;
comment on function private.lock_managed_invoice(uuid) is
  'The caller''s (owner or manager) invoice, locked for the change they are making; not_found otherwise.';

create function private.issue_locked_invoice(p_invoice public.invoices)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices := p_invoice;
  v_agency public.agencies;
  v_number integer;
  v_today date;
begin
  if v_invoice.status <> 'draft' then
    raise exception 'this invoice was issued already' using errcode = 'P0001', hint = 'invoice_not_draft';
  end if;
  if not exists (select 1 from public.invoice_lines l where l.invoice_id = v_invoice.id) then
    raise exception 'an invoice needs at least one line' using errcode = 'P0001', hint = 'invoice_empty';
  end if;
  if v_invoice.total_cents <= 0 then
    raise exception 'an invoice must total more than zero' using errcode = 'P0001', hint = 'invoice_negative';
  end if;
  select * into v_agency from public.agencies where id = v_invoice.agency_id;
  v_today := private.agency_today(v_invoice.agency_id);
  -- Checked before a number is taken (the table's check would otherwise answer first, without a hint).
  if coalesce(v_invoice.due_date, v_today + v_agency.payment_terms_days) < v_today then
    raise exception 'the due date is before the issue date' using errcode = 'P0001', hint = 'due_before_issue', column = 'due_date';
  end if;
  -- Gapless: the counter row is updated in this transaction, so a concurrent issue waits for it
  -- and a rollback returns the number.
  insert into private.invoice_counters (agency_id, last_number) values (v_invoice.agency_id, 1)
  on conflict (agency_id) do update set last_number = private.invoice_counters.last_number + 1
  returning last_number into v_number;
  update public.invoices i
  set status = 'sent', sequence_number = v_number,
      -- At least four digits; lpad alone would cut 10000 down to 1000.
      invoice_number = v_agency.invoice_prefix || to_char(v_today, 'YYYY') || '-' || lpad(v_number::text, greatest(4, length(v_number::text)), '0'),
      issue_date = v_today,
      due_date = coalesce(i.due_date, v_today + v_agency.payment_terms_days),
      sent_at = clock_timestamp()
  where i.id = v_invoice.id
  returning * into v_invoice;
  return v_invoice;
end;
$$;
comment on function private.issue_locked_invoice(public.invoices) is
  'Numbering and dates of issue for a draft the caller has locked and may issue (ADR 011).';

create or replace function public.issue_invoice(p_invoice_id uuid)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
begin
  v_invoice := private.lock_managed_invoice(p_invoice_id);
  return private.issue_locked_invoice(v_invoice);
end;
$$;

create function private.email_invoice(p_invoice public.invoices, p_to text, p_message text, p_actor uuid)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices := p_invoice;
  v_to text := lower(btrim(coalesce(nullif(btrim(p_to), ''), private.invoice_recipient(p_invoice))));
  v_resend boolean := p_invoice.sent_to_email is not null;
begin
  if v_to is null then
    raise exception 'the client has no contact with an email address: give one to send to'
      using errcode = 'P0001', hint = 'invoice_no_recipient', column = 'to_email';
  end if;
  if not private.is_email(v_to) then
    raise exception 'that is not an email address' using errcode = 'P0001', hint = 'invalid_email', column = 'to_email';
  end if;
  update public.invoices i set sent_to_email = v_to where i.id = p_invoice.id returning * into v_invoice;
  insert into public.invoice_activity (agency_id, invoice_id, kind, to_email, detail, actor_id)
  values (v_invoice.agency_id, v_invoice.id, 'sent', v_to, case when v_resend then 'sent again' end, p_actor);
  perform private.enqueue_email(v_invoice.agency_id, v_to, 'invoice_sent',
    private.invoice_email_data(v_invoice) || jsonb_build_object(
      'message', nullif(btrim(coalesce(p_message, '')), ''), 'attach_invoice_pdf', v_invoice.id));
  return v_invoice;
end;
$$;
comment on function private.email_invoice(public.invoices, text, text, uuid) is
  'Queues the invoice email (the worker attaches the PDF) and records the sending on the timeline.';

create function private.invoice_email_allowance(p_agency_id uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- A relay guard: invoice emails people send (not the jobs') per agency per hour. An agency's
  -- real month-end run fits; a signed-up stranger mailing the world does not.
  if (select count(*) from public.invoice_activity a
      where a.agency_id = p_agency_id and a.kind in ('sent', 'reminded') and a.actor_id is not null
        and a.created_at > private.clock_now() - interval '1 hour') >= 200 then
    raise exception 'too many invoice emails in the last hour; try again later' using errcode = 'P0001', hint = 'rate_limited';
  end if;
end;
$$;
comment on function private.invoice_email_allowance(uuid) is
  'At most 200 invoice emails sent or reminded by people per agency per hour (hint rate_limited).';

create function public.send_invoice(p_invoice_id uuid, p_to_email text default null, p_message text default null)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_status public.invoice_status;
begin
  if char_length(p_message) > 5000 then
    raise exception 'the message is too long' using errcode = 'P0001', hint = 'too_long', column = 'message';
  end if;
  v_invoice := private.lock_managed_invoice(p_invoice_id);
  perform private.invoice_email_allowance(v_invoice.agency_id);
  if v_invoice.status = 'draft' then
    v_invoice := private.issue_locked_invoice(v_invoice);
  end if;
  v_status := private.invoice_status_for(v_invoice.status, v_invoice.total_cents, v_invoice.amount_paid_cents,
                                         v_invoice.due_date, private.agency_today(v_invoice.agency_id));
  if v_status in ('void', 'paid') then
    raise exception 'a % invoice is not sent', v_status using errcode = 'P0001', hint = 'invoice_not_sendable';
  end if;
  return private.email_invoice(v_invoice, p_to_email, p_message, (select auth.uid()));
end;
$$;
comment on function public.send_invoice(uuid, text, text) is
  'Issues a draft (number, dates) and emails it with its pay link, or emails an issued unpaid invoice '
  'again, in one transaction: a refused number sends nothing, a queued email always has its number.';

-- ============================================================================================
-- Functions: the client's pay link
-- ============================================================================================
create function public.invoice_for_token(p_token text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_staff boolean;
begin
  if p_token is null or p_token !~ '^[0-9a-f]{64}$' then
    return null;
  end if;
  select * into v_invoice from public.invoices i where i.public_token = p_token and i.status <> 'draft';
  if v_invoice.id is null then
    return null;
  end if;
  -- The agency's own people opening the link do not count as the client viewing it.
  v_staff := v_invoice.agency_id in (select private.member_agency_ids());
  if not v_staff and v_invoice.viewed_at is null then
    update public.invoices set viewed_at = clock_timestamp() where id = v_invoice.id;
    insert into public.invoice_activity (agency_id, invoice_id, kind) values (v_invoice.agency_id, v_invoice.id, 'viewed');
  end if;
  return private.invoice_document(v_invoice.id) || private.invoice_checkout_state(v_invoice.id);
end;
$$;
comment on function public.invoice_for_token(text) is
  'The pay page''s read (anon): the invoice behind a pay link, or null. The first view by someone '
  'outside the agency is recorded (viewed_at and the timeline).';

create function public.attach_checkout_session(p_token text, p_session_id text, p_url text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_session_id is null or p_url is null or p_session_id !~ '^cs_[A-Za-z0-9_]{1,250}$' or char_length(p_url) > 2048
     or (p_url !~ '^https://checkout\.stripe\.com/' and p_url is distinct from '/dev/checkout/' || p_session_id) then
    raise exception 'that is not a checkout session' using errcode = '22023', hint = 'invalid_checkout_session';
  end if;
  update public.invoices i
  set stripe_checkout_session_id = p_session_id, checkout_url = p_url
  where i.public_token = p_token and i.status in ('sent', 'partially_paid', 'overdue');
end;
$$;
comment on function public.attach_checkout_session(text, text, text) is
  'Remembers the checkout session made for a pay link so the next click reuses it. Only a hint: the '
  'app retrieves the session from Stripe with its own key before sending anyone to it, so a session '
  'id planted by a link holder leads nowhere.';

-- ============================================================================================
-- Functions: Stripe events (the webhook's one call)
-- ============================================================================================
create function private.notify_invoice_managers(p_invoice public.invoices, p_kind text, p_title text, p_body text)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (agency_id, user_id, kind, title, body, link_path, data)
  select p_invoice.agency_id, m.user_id, p_kind, left(p_title, 300), p_body, '/invoices/' || p_invoice.id,
         jsonb_build_object('invoice_id', p_invoice.id)
  from public.agency_members m
  where m.agency_id = p_invoice.agency_id and m.is_active and m.role in ('owner', 'manager');
$$;

create function public.record_stripe_event(
  p_event_id text,
  p_event_type text,
  p_agency_id uuid,
  p_invoice_id uuid,
  p_payment_intent_id text,
  p_amount_cents bigint,
  p_currency text,
  p_occurred_at timestamptz,
  p_stripe_account_id text default null
)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_invoice_id uuid := p_invoice_id;
  v_refunded bigint;
  v_delta bigint;
  v_payment public.invoice_payments;
  v_label text;
begin
  if current_setting('role', true) is distinct from 'service_role' and coalesce(current_setting('role', true), 'none') <> 'none' then
    raise exception 'only the payment provider records its events' using errcode = '42501';
  end if;
  if p_event_id is null or p_event_id !~ '^evt_[A-Za-z0-9_]{1,250}$' then
    raise exception 'an event id is required' using errcode = '22023', hint = 'invalid_event';
  end if;
  if exists (select 1 from public.invoice_payments p where p.stripe_event_id = p_event_id)
     or exists (select 1 from public.invoice_activity a where a.stripe_event_id = p_event_id) then
    return 'duplicate';
  end if;
  -- A refund belongs to the invoice its payment intent paid: metadata cannot point it elsewhere,
  -- and a refund of nothing we recorded (no intent, or money for a void invoice) is not ours.
  if p_event_type = 'charge.refunded' then
    v_invoice_id := null;
    select p.invoice_id into v_invoice_id from public.invoice_payments p
    where p.stripe_payment_intent_id = p_payment_intent_id and p.amount_cents > 0;
  end if;
  -- Everything about one invoice queues on its row: the session and intent events of one payment,
  -- refunds and replays are decided one at a time. Only the Stripe account the agency's checkouts
  -- run on (its connected account, or the platform's when it has none) can pay or refund its
  -- invoices: another tenant's connected account cannot credit or debit them.
  select i.* into v_invoice from public.invoices i join public.agencies a on a.id = i.agency_id
  where i.id = v_invoice_id and (p_agency_id is null or i.agency_id = p_agency_id)
    and a.stripe_account_id is not distinct from p_stripe_account_id
  for update of i;
  if v_invoice.id is null then
    return 'unknown_invoice';
  end if;
  if p_currency is not null and upper(p_currency) <> v_invoice.currency then
    return 'currency_mismatch';
  end if;
  v_label := coalesce(v_invoice.invoice_number, 'A draft invoice');

  if p_event_type in ('checkout.session.completed', 'checkout.session.async_payment_succeeded', 'payment_intent.succeeded') then
    if p_payment_intent_id is not null and exists (
         select 1 from public.invoice_payments p where p.stripe_payment_intent_id = p_payment_intent_id and p.amount_cents > 0) then
      return 'duplicate';
    end if;
    if coalesce(p_amount_cents, 0) <= 0 then
      return 'ignored';
    end if;
    if v_invoice.status in ('draft', 'void') then
      -- Money arrived for an invoice that no longer takes it: the agency must refund or re-bill by hand.
      insert into public.invoice_activity (agency_id, invoice_id, kind, detail, stripe_event_id)
      values (v_invoice.agency_id, v_invoice.id, 'payment_unmatched',
              format('%s %s paid online for a %s invoice', p_amount_cents, v_invoice.currency, v_invoice.status), p_event_id);
      perform private.notify_invoice_managers(v_invoice, 'invoice_payment_unmatched',
        format('A payment arrived for %s, which is %s', v_label, v_invoice.status),
        'Refund it in Stripe or record it against another invoice.');
      return 'ignored';
    end if;
    v_payment := public.record_payment(v_invoice.id, p_amount_cents, 'stripe', p_occurred_at, p_payment_intent_id, p_event_id);
    update public.invoice_payments set stripe_payment_intent_id = p_payment_intent_id where id = v_payment.id;
    select * into v_invoice from public.invoices where id = v_invoice.id;
    perform private.notify_invoice_managers(v_invoice, 'invoice_paid',
      format('%s: %s %s paid online', v_label, to_char(p_amount_cents / 100.0, 'FM999G999G999G990D00'), v_invoice.currency),
      case when v_invoice.status = 'paid' then 'The invoice is paid in full.' else 'The invoice is partly paid.' end);
    if private.invoice_recipient(v_invoice) is not null then
      perform private.enqueue_email(v_invoice.agency_id, private.invoice_recipient(v_invoice), 'payment_received',
        private.invoice_email_data(v_invoice) || jsonb_build_object(
          'amount_cents', p_amount_cents, 'paid_at', p_occurred_at,
          'pay_path', case when v_invoice.status = 'paid' then null else '/pay/' || v_invoice.public_token end));
    end if;
    return 'recorded';
  end if;

  if p_event_type = 'charge.refunded' then
    -- Stripe reports the charge's refunded total so far: record what is new, whatever order events come in.
    select coalesce(-sum(p.amount_cents), 0) into v_refunded from public.invoice_payments p
    where p.stripe_payment_intent_id = p_payment_intent_id and p.amount_cents < 0;
    -- Never more than that intent brought in.
    v_delta := least(coalesce(p_amount_cents, 0),
                     (select coalesce(sum(p.amount_cents), 0) from public.invoice_payments p
                      where p.stripe_payment_intent_id = p_payment_intent_id and p.amount_cents > 0)) - v_refunded;
    if v_delta <= 0 then
      return 'duplicate';
    end if;
    v_payment := public.record_payment(v_invoice.id, -v_delta, 'stripe', p_occurred_at, p_payment_intent_id, p_event_id);
    update public.invoice_payments set stripe_payment_intent_id = p_payment_intent_id where id = v_payment.id;
    perform private.notify_invoice_managers(v_invoice, 'invoice_refunded',
      format('%s: %s %s refunded', v_label, to_char(v_delta / 100.0, 'FM999G999G999G990D00'), v_invoice.currency), null);
    return 'recorded';
  end if;

  if p_event_type = 'checkout.session.async_payment_failed' then
    insert into public.invoice_activity (agency_id, invoice_id, kind, detail, stripe_event_id)
    values (v_invoice.agency_id, v_invoice.id, 'payment_failed', 'the bank payment started online did not go through', p_event_id);
    perform private.notify_invoice_managers(v_invoice, 'invoice_payment_failed',
      format('A payment for %s failed', v_label), 'The client''s bank payment did not go through.');
    return 'recorded';
  end if;
  return 'ignored';
end;
$$;
comment on function public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text) is
  'The webhook''s one call (service role). Idempotent by event id and by payment intent (a session '
  'and its intent pay once), refunds from the cumulative refunded amount, payments for void invoices '
  'flagged rather than lost; the client''s receipt and the agency''s notifications are queued here.';

-- ============================================================================================
-- Functions: reminders
-- ============================================================================================
create function public.send_invoice_reminder(p_invoice_id uuid)
returns public.invoice_activity
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_to text;
  v_activity public.invoice_activity;
  v_today date;
begin
  v_invoice := private.lock_managed_invoice(p_invoice_id);
  if v_invoice.status in ('draft', 'void') or v_invoice.amount_paid_cents >= v_invoice.total_cents then
    raise exception 'only an issued invoice with money due gets reminders' using errcode = 'P0001', hint = 'invoice_not_remindable';
  end if;
  perform private.invoice_email_allowance(v_invoice.agency_id);
  v_to := private.invoice_recipient(v_invoice);
  if v_to is null then
    raise exception 'the client has no contact with an email address' using errcode = 'P0001', hint = 'invoice_no_recipient';
  end if;
  if exists (select 1 from public.invoice_activity a where a.invoice_id = v_invoice.id and a.kind in ('reminded', 'sent')
             and a.created_at > private.clock_now() - interval '1 hour') then
    raise exception 'this invoice was emailed less than an hour ago' using errcode = 'P0001', hint = 'reminder_too_soon';
  end if;
  v_today := private.agency_today(v_invoice.agency_id);
  insert into public.invoice_activity (agency_id, invoice_id, kind, to_email, actor_id)
  values (v_invoice.agency_id, v_invoice.id, 'reminded', v_to, (select auth.uid()))
  returning * into v_activity;
  perform private.enqueue_email(v_invoice.agency_id, v_to, 'invoice_reminder',
    private.invoice_email_data(v_invoice) || jsonb_build_object(
      'days_overdue', v_today - v_invoice.due_date, 'attach_invoice_pdf', v_invoice.id));
  return v_activity;
end;
$$;
comment on function public.send_invoice_reminder(uuid) is
  'The "send reminder" button: one reminder now (not within an hour of another email about it).';

create function public.send_due_reminders()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_invoice public.invoices;
begin
  -- Set-based (the hourly cost is one pass over the open invoices, not a query per invoice).
  -- Per invoice only the latest step that is due: a server that was down for a week sends one
  -- reminder, not a backlog. Steps on or before the issue date, or before the invoice was first
  -- emailed, are skipped (the invoice itself is the news; the client never had the earlier ones).
  -- The unique index on (invoice, step) makes each step once, whoever runs this twice.
  with today as (
    select a.id as agency_id, a.reminder_offsets_days, a.timezone,
           (private.clock_now() at time zone a.timezone)::date as d
    from public.agencies a
    where cardinality(a.reminder_offsets_days) > 0
  ),
  steps as (
    select i.agency_id, i.id, i.sent_to_email,
           (select max(o) from unnest(t.reminder_offsets_days) o
            where i.due_date + o <= t.d
              and i.due_date + o > greatest(i.issue_date,
                    (select (min(x.created_at) at time zone t.timezone)::date from public.invoice_activity x
                     where x.agency_id = i.agency_id and x.invoice_id = i.id and x.kind = 'sent'))) as step
    from public.invoices i join today t on t.agency_id = i.agency_id
    where i.status in ('sent', 'partially_paid', 'overdue') and i.amount_paid_cents < i.total_cents
      and i.sent_to_email is not null and i.due_date is not null
  ),
  inserted as (
    insert into public.invoice_activity (agency_id, invoice_id, kind, to_email, reminder_offset_days)
    select s.agency_id, s.id, 'reminded', s.sent_to_email, s.step from steps s where s.step is not null
    on conflict (agency_id, invoice_id, reminder_offset_days) where kind = 'reminded' and reminder_offset_days is not null
    do nothing
    returning invoice_id
  )
  select coalesce(array_agg(invoice_id), '{}') into v_ids from inserted;

  for v_invoice in select * from public.invoices i where i.id = any (v_ids) loop
    perform private.enqueue_email(v_invoice.agency_id, v_invoice.sent_to_email, 'invoice_reminder',
      private.invoice_email_data(v_invoice) || jsonb_build_object(
        'days_overdue', private.agency_today(v_invoice.agency_id) - v_invoice.due_date,
        'attach_invoice_pdf', v_invoice.id));
  end loop;
  return cardinality(v_ids);
end;
$$;
comment on function public.send_due_reminders() is
  'The reminder job (hourly; each agency''s day): each schedule step at most once per invoice, by a '
  'unique index, never for paid or void invoices. Running it twice sends nothing twice.';

-- ============================================================================================
-- Functions: recurring invoices
-- ============================================================================================
create function private.recurring_lines_valid(p_lines jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_line jsonb;
begin
  if jsonb_typeof(p_lines) <> 'array' or jsonb_array_length(p_lines) > 50 then
    return false;
  end if;
  for v_line in select value from jsonb_array_elements(p_lines) loop
    -- A missing key makes a test null, not true: coalesce, or such a line passed and broke the job.
    if coalesce(jsonb_typeof(v_line) <> 'object'
       or jsonb_typeof(v_line -> 'description') <> 'string'
       or char_length(btrim(v_line ->> 'description')) not between 1 and 500
       or jsonb_typeof(v_line -> 'quantity') <> 'number'
       -- Lines keep four decimals: a quantity that rounds to nothing would fail the invoice line's check.
       or round((v_line ->> 'quantity')::numeric, 4) <= 0 or (v_line ->> 'quantity')::numeric > 1000000
       or jsonb_typeof(v_line -> 'unit_price_cents') <> 'number'
       or (v_line ->> 'unit_price_cents')::numeric <> trunc((v_line ->> 'unit_price_cents')::numeric)
       or abs((v_line ->> 'unit_price_cents')::numeric) > 100000000000
       or coalesce(jsonb_typeof(v_line -> 'tax_rate_bps'), 'number') <> 'number'
       or coalesce((v_line ->> 'tax_rate_bps')::numeric, 0) not between 0 and 10000
       or coalesce((v_line ->> 'tax_rate_bps')::numeric, 0) <> trunc(coalesce((v_line ->> 'tax_rate_bps')::numeric, 0)), true) then
      return false;
    end if;
  end loop;
  return true;
end;
$$;
comment on function private.recurring_lines_valid(jsonb) is
  'A schedule''s lines have the shape of manual invoice lines (checked when saved, not when billed).';
alter table public.recurring_invoices
  add constraint recurring_invoices_lines_shape check (private.recurring_lines_valid(lines));

create function private.recurring_invoices_check()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' and (select auth.uid()) is not null then
    new.created_by := (select auth.uid());
  end if;
  -- A schedule may start up to a year back (a retainer entered late); not from year 1, which would
  -- have the job bill (and maybe email) thousands of periods.
  if tg_op = 'INSERT' and new.start_date < private.agency_today(new.agency_id) - 366 then
    raise exception 'a schedule starts at most a year ago' using errcode = 'P0001', hint = 'start_too_early', column = 'start_date';
  end if;
  if new.project_id is not null and not exists (
       select 1 from public.projects p where p.agency_id = new.agency_id and p.id = new.project_id and p.client_id = new.client_id) then
    raise exception 'the project belongs to another client' using errcode = 'P0001', hint = 'invoice_target_mismatch', column = 'project_id';
  end if;
  -- Resuming a paused schedule skips the periods that started after the day it was paused (a
  -- pause is a pause, not a deferral); a period that began before the pause is still billed, and
  -- downtime of the job is caught up. A schedule created paused skips everything until resumed.
  if tg_op = 'INSERT' and not new.active then
    new.paused_on := new.start_date - 1;
  elsif tg_op = 'UPDATE' and old.active and not new.active then
    new.paused_on := private.agency_today(new.agency_id);
  elsif tg_op = 'UPDATE' and not old.active and new.active then
    insert into public.recurring_invoice_runs (agency_id, recurring_invoice_id, period_start, skipped)
    select new.agency_id, new.id, p.period_start, true
    from generate_series(0, 10000) n
    cross join lateral (select private.recurring_period_start(new, n) as period_start) p
    where p.period_start > coalesce(old.paused_on, p.period_start)
      and p.period_start <= private.agency_today(new.agency_id)
      and (new.end_date is null or p.period_start <= new.end_date)
    on conflict do nothing;
    new.paused_on := null;
  end if;
  return new;
end;
$$;
create trigger recurring_invoices_check before insert or update on public.recurring_invoices
  for each row execute function private.recurring_invoices_check();

create function private.recurring_step(p_frequency text)
returns interval
language sql
immutable
set search_path = ''
as $$
  select case p_frequency when 'weekly' then interval '1 week' when 'monthly' then interval '1 month'
                          when 'quarterly' then interval '3 months' else interval '1 year' end;
$$;

create function private.recurring_period_start(p_schedule public.recurring_invoices, p_n integer)
returns date
language sql
immutable
set search_path = ''
as $$
  -- From the start date each time (never from the previous period), so 31 January is followed by
  -- 28 February and then 31 March, not 28 March.
  select (p_schedule.start_date + p_n * private.recurring_step(p_schedule.frequency))::date;
$$;

create function private.generate_recurring_period(p_schedule public.recurring_invoices, p_period_start date, p_period_end date)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_label text;
  v_currency text;
begin
  v_label := case when p_schedule.frequency = 'monthly' and extract(day from p_period_start) = 1
                  then to_char(p_period_start, 'FMMonth YYYY')
                  else to_char(p_period_start, 'FMDD Mon YYYY') || ' – ' || to_char(p_period_end, 'FMDD Mon YYYY') end;
  select coalesce(p.currency, c.currency, a.currency) into v_currency
  from public.clients c join public.agencies a on a.id = c.agency_id
  left join public.projects p on p.agency_id = c.agency_id and p.id = p_schedule.project_id
  where c.agency_id = p_schedule.agency_id and c.id = p_schedule.client_id;
  insert into public.invoices (agency_id, client_id, project_id, currency, period_from, period_to, notes, created_by)
  values (p_schedule.agency_id, p_schedule.client_id, p_schedule.project_id, v_currency, p_period_start, p_period_end,
          p_schedule.notes, p_schedule.created_by)
  returning * into v_invoice;
  if p_schedule.retainer_amount_cents is not null then
    insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps, project_id)
    values (p_schedule.agency_id, v_invoice.id, 0, 'manual', left(p_schedule.name || ' — ' || v_label, 500), 1,
            p_schedule.retainer_amount_cents, p_schedule.tax_rate_bps, p_schedule.project_id);
  end if;
  insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps, project_id)
  select p_schedule.agency_id, v_invoice.id, l.ord::integer,
         case when (l.value ->> 'unit_price_cents')::bigint < 0 then 'discount' else 'manual' end::public.invoice_line_kind,
         left(btrim(l.value ->> 'description') || ' (' || v_label || ')', 500),
         (l.value ->> 'quantity')::numeric, (l.value ->> 'unit_price_cents')::bigint,
         coalesce((l.value ->> 'tax_rate_bps')::integer, p_schedule.tax_rate_bps), p_schedule.project_id
  from jsonb_array_elements(p_schedule.lines) with ordinality l (value, ord);
  insert into public.recurring_invoice_runs (agency_id, recurring_invoice_id, period_start, invoice_id)
  values (p_schedule.agency_id, p_schedule.id, p_period_start, v_invoice.id);
  select * into v_invoice from public.invoices where id = v_invoice.id for update;
  if p_schedule.auto_send and v_invoice.total_cents > 0 then
    v_invoice := private.issue_locked_invoice(v_invoice);
    if private.invoice_recipient(v_invoice) is not null then
      perform private.email_invoice(v_invoice, null, null, null);
    end if;
  end if;
  return v_invoice.id;
end;
$$;
comment on function private.generate_recurring_period(public.recurring_invoices, date, date) is
  'One period of a schedule: the invoice, its lines and the run row, all or nothing.';

create function private.notify_recurring_failure(p_schedule public.recurring_invoices, p_error text)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (agency_id, user_id, kind, title, body, link_path, data)
  select p_schedule.agency_id, m.user_id, 'recurring_invoice_failed',
         left(format('The recurring invoice "%s" could not be generated', p_schedule.name), 300), left(p_error, 2000),
         '/invoices/recurring/' || p_schedule.id, jsonb_build_object('recurring_invoice_id', p_schedule.id)
  from public.agency_members m
  where m.agency_id = p_schedule.agency_id and m.is_active and m.role in ('owner', 'manager');
$$;

create function public.generate_recurring_invoices()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_schedule public.recurring_invoices;
  v_today date;
  v_n integer;
  v_start date;
  v_count integer := 0;
  v_per_run constant integer := 24;
  v_made integer;
  v_error text;
begin
  -- Every active schedule, locked so two runs of the job take turns; a run that finds the period's
  -- row already there moves on. Missed periods are caught up (at most v_per_run per schedule a run).
  for v_schedule in
    select * from public.recurring_invoices s where s.active order by s.agency_id, s.id for update
  loop
    v_today := private.agency_today(v_schedule.agency_id);
    v_n := 0;
    v_made := 0;
    v_error := null;
    loop
      v_start := private.recurring_period_start(v_schedule, v_n);
      exit when v_start > v_today or (v_schedule.end_date is not null and v_start > v_schedule.end_date) or v_made >= v_per_run;
      if not exists (select 1 from public.recurring_invoice_runs r
                     where r.agency_id = v_schedule.agency_id and r.recurring_invoice_id = v_schedule.id and r.period_start = v_start) then
        begin
          perform private.generate_recurring_period(v_schedule, v_start, private.recurring_period_start(v_schedule, v_n + 1) - 1);
        exception when others then
          -- One broken schedule (a closed project, a changed currency) must not stop every agency's
          -- billing: it keeps its error, its owners and managers hear once, the job goes on.
          get stacked diagnostics v_error = message_text;
          if v_schedule.last_error is distinct from v_error then
            perform private.notify_recurring_failure(v_schedule, v_error);
          end if;
          update public.recurring_invoices set last_error = v_error, last_error_at = clock_timestamp() where id = v_schedule.id;
          exit;
        end;
        v_made := v_made + 1;
        v_count := v_count + 1;
      end if;
      v_n := v_n + 1;
    end loop;
    if v_error is null and v_schedule.last_error is not null then
      update public.recurring_invoices set last_error = null, last_error_at = null where id = v_schedule.id;
    end if;
  end loop;
  return v_count;
end;
$$;
comment on function public.generate_recurring_invoices() is
  'The recurring job (hourly; each agency''s day): every period up to today that has no run row gets '
  'its invoice. The run''s primary key makes each period exactly once, whatever runs twice or was down.';

create function public.recurring_next_period(p_schedule public.recurring_invoices)
returns date
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_n integer := 0;
  v_start date;
begin
  loop
    v_start := private.recurring_period_start(p_schedule, v_n);
    if p_schedule.end_date is not null and v_start > p_schedule.end_date then
      return null;
    end if;
    if not exists (select 1 from public.recurring_invoice_runs r
                   where r.agency_id = p_schedule.agency_id and r.recurring_invoice_id = p_schedule.id
                     and r.period_start = v_start) then
      return v_start;
    end if;
    v_n := v_n + 1;
  end loop;
end;
$$;
comment on function public.recurring_next_period(public.recurring_invoices) is
  'The next period a schedule will bill (null once it has ended): for lists and the API.';

-- ============================================================================================
-- Billing time does not re-evaluate budgets
-- ============================================================================================
-- Linking entries to invoice lines (and releasing them) changes nothing a budget reads; without
-- this every linked entry re-summed its project (a draft from a year of time took a second).
create or replace function private.time_entries_evaluate_budget()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE'
     and (new.project_id, new.duration_seconds, new.is_billable, new.billable_rate_cents, new.cost_rate_cents,
          new.status, new.entry_date)
         is not distinct from
         (old.project_id, old.duration_seconds, old.is_billable, old.billable_rate_cents, old.cost_rate_cents,
          old.status, old.entry_date) then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.evaluate_project_budget(old.project_id);
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.project_id is distinct from old.project_id) then
    perform private.evaluate_project_budget(new.project_id);
  end if;
  return null;
end;
$$;

-- ============================================================================================
-- Grants, triggers
-- ============================================================================================
revoke execute on function public.invoice_document(uuid), public.send_invoice(uuid, text, text),
  public.invoice_for_token(text), public.attach_checkout_session(text, text, text),
  public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text),
  public.send_invoice_reminder(uuid), public.send_due_reminders(), public.generate_recurring_invoices(),
  public.recurring_next_period(public.recurring_invoices)
  from public, anon, authenticated;
grant execute on function public.invoice_document(uuid), public.send_invoice(uuid, text, text),
  public.send_invoice_reminder(uuid), public.recurring_next_period(public.recurring_invoices) to authenticated;
grant execute on function public.invoice_for_token(text), public.attach_checkout_session(text, text, text)
  to anon, authenticated;
grant execute on function public.record_stripe_event(text, text, uuid, uuid, text, bigint, text, timestamptz, text),
  public.send_due_reminders(), public.generate_recurring_invoices() to service_role;
revoke execute on all functions in schema private from public;
grant execute on function private.recurring_step(text), private.recurring_period_start(public.recurring_invoices, integer),
  private.recurring_lines_valid(jsonb) to authenticated, service_role;

create trigger recurring_invoices_touch_updated_at before update on public.recurring_invoices
  for each row execute function private.touch_updated_at();
create trigger recurring_invoices_audit after insert or update or delete on public.recurring_invoices
  for each row execute function private.audit_row_change('agency_id', 'id');
