-- Invoicing core: invoices and their lines with every total kept by the database, gapless numbers
-- given when an invoice is issued, exclusive links from time entries and milestones to one invoice
-- line (a single column each, so nothing is billed twice), release on draft delete and on void,
-- payments recorded idempotently (by Stripe event id) with the status derived from them.
-- Owners and managers only: members never see invoices.

-- ============================================================================================
-- Types and settings
-- ============================================================================================
create type public.invoice_status as enum ('draft', 'sent', 'partially_paid', 'paid', 'overdue', 'void');
create type public.invoice_line_kind as enum ('time', 'milestone', 'manual', 'discount', 'expense');
create type public.payment_method as enum ('stripe', 'bank_transfer', 'cash', 'card', 'other');

alter table public.agencies
  add column invoice_requires_approved_time boolean not null default false;
comment on column public.agencies.invoice_requires_approved_time is
  'When set, only approved time can be invoiced; otherwise any time that is not rejected.';
grant update (invoice_requires_approved_time) on table public.agencies to authenticated;

alter table public.projects
  add column invoice_rounding text not null default 'none' check (invoice_rounding in ('none', 'up', 'down', 'nearest')),
  add column invoice_rounding_minutes smallint not null default 15 check (invoice_rounding_minutes in (6, 15, 30));
comment on column public.projects.invoice_rounding is
  'How each entry''s time is rounded when invoiced (to invoice_rounding_minutes); the entry itself never changes.';
grant insert (invoice_rounding, invoice_rounding_minutes), update (invoice_rounding, invoice_rounding_minutes)
  on table public.projects to authenticated;

-- ============================================================================================
-- Tables
-- ============================================================================================
create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  client_id uuid not null,
  project_id uuid,
  invoice_number text,
  sequence_number integer,
  status public.invoice_status not null default 'draft',
  currency text not null references public.currencies (code),
  issue_date date,
  due_date date,
  period_from date,
  period_to date,
  notes text check (char_length(notes) <= 5000),
  terms text check (char_length(terms) <= 5000),
  subtotal_cents bigint not null default 0,
  tax_cents bigint not null default 0,
  total_cents bigint not null default 0,
  amount_paid_cents bigint not null default 0,
  checkout_url text check (char_length(checkout_url) <= 2048),
  stripe_checkout_session_id text,
  sent_at timestamptz,
  viewed_at timestamptz,
  paid_at timestamptz,
  voided_at timestamptz,
  void_reason text check (char_length(void_reason) <= 2000),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  unique (agency_id, invoice_number),
  unique (agency_id, sequence_number),
  foreign key (agency_id, client_id) references public.clients (agency_id, id),
  foreign key (agency_id, project_id) references public.projects (agency_id, id),
  constraint invoices_number_when_issued check ((status = 'draft') = (invoice_number is null)),
  constraint invoices_due_after_issue check (due_date is null or issue_date is null or due_date >= issue_date),
  constraint invoices_period_in_order check (period_from is null or period_to is null or period_to >= period_from)
);
create index invoices_list_idx on public.invoices (agency_id, status, due_date);
create index invoices_client_idx on public.invoices (agency_id, client_id);
comment on table public.invoices is
  'An invoice to a client (optionally for one project). Totals and the paid amount are written only '
  'by triggers from lines and payments; the number is given by issue_invoice(), gapless per agency.';

create table public.invoice_lines (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  invoice_id uuid not null,
  position integer not null default 0,
  kind public.invoice_line_kind not null default 'manual',
  description text not null check (char_length(btrim(description)) between 1 and 500),
  quantity numeric(14, 4) not null check (quantity > 0 and quantity <= 1000000),
  unit_price_cents bigint not null check (unit_price_cents between -100000000000 and 100000000000),
  tax_rate_bps integer not null default 0 check (tax_rate_bps between 0 and 10000),
  amount_cents bigint not null default 0,
  tax_cents bigint not null default 0,
  project_id uuid,
  created_at timestamptz not null default now(),
  unique (agency_id, id),
  unique (agency_id, invoice_id, id),
  foreign key (agency_id, invoice_id) references public.invoices (agency_id, id) on delete cascade,
  foreign key (agency_id, project_id) references public.projects (agency_id, id),
  constraint invoice_lines_sign_by_kind check ((kind = 'discount') = (unit_price_cents < 0) or unit_price_cents = 0)
);
create index invoice_lines_invoice_idx on public.invoice_lines (agency_id, invoice_id, position);
comment on table public.invoice_lines is
  'One line: amount = quantity × unit price rounded half away from zero to the cent, tax = amount × '
  'rate rounded the same way; both written by a trigger (ADR 011). A discount is a negative price.';

create table public.invoice_payments (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  invoice_id uuid not null,
  amount_cents bigint not null check (amount_cents <> 0),
  method public.payment_method not null,
  paid_at timestamptz not null,
  reference text check (char_length(reference) <= 500),
  stripe_event_id text unique,
  recorded_by uuid,
  created_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, invoice_id) references public.invoices (agency_id, id)
);
create index invoice_payments_invoice_idx on public.invoice_payments (agency_id, invoice_id);
comment on table public.invoice_payments is
  'Money in (positive) and refunds (negative) for an invoice. Written only by record_payment(); a '
  'Stripe event id is unique, so a replayed webhook event changes nothing.';

create table private.invoice_counters (
  agency_id uuid primary key references public.agencies (id) on delete cascade,
  last_number integer not null
);
alter table private.invoice_counters enable row level security;
comment on table private.invoice_counters is
  'The last invoice number of each agency. Issuing updates the row in the issuing transaction: '
  'concurrent issues queue on it and a rolled-back issue gives its number back, so numbers have no gaps.';

-- The links: one column per billable thing, so an entry or milestone is on one line at most. The
-- pair (invoice_id, invoice_line_id) references the line together with its invoice: the line is on
-- that invoice, both are set or neither, and removing the line (a draft's line deleted, or the draft
-- itself, whose lines cascade) clears both, so what it billed is free again, never stranded on an
-- invoice that no longer bills it.
alter table public.time_entries
  add column invoice_line_id uuid,
  add constraint time_entries_invoice_line_fkey foreign key (agency_id, invoice_id, invoice_line_id)
    references public.invoice_lines (agency_id, invoice_id, id) on delete set null (invoice_id, invoice_line_id),
  add constraint time_entries_invoice_link_whole check ((invoice_id is null) = (invoice_line_id is null));
create index time_entries_invoice_line_idx on public.time_entries (agency_id, invoice_line_id) where invoice_line_id is not null;
comment on column public.time_entries.invoice_line_id is
  'The one invoice line that bills this entry (with invoice_id); set and cleared by the invoicing functions.';

alter table public.milestones
  add column invoice_id uuid,
  add column invoice_line_id uuid,
  add constraint milestones_invoice_line_fkey foreign key (agency_id, invoice_id, invoice_line_id)
    references public.invoice_lines (agency_id, invoice_id, id) on delete set null (invoice_id, invoice_line_id),
  add constraint milestones_invoice_link_whole check ((invoice_id is null) = (invoice_line_id is null));
create index milestones_invoice_line_idx on public.milestones (agency_id, invoice_line_id) where invoice_line_id is not null;
comment on column public.milestones.invoice_line_id is
  'The one invoice line that bills this milestone (with invoice_id); set and cleared by the invoicing functions.';

-- ============================================================================================
-- Grants and RLS: owners and managers only; writes of money go through functions
-- ============================================================================================
revoke all on table public.invoices, public.invoice_lines, public.invoice_payments from anon, authenticated;
grant select on table public.invoices, public.invoice_lines, public.invoice_payments to authenticated;
grant insert (agency_id, client_id, project_id, currency, due_date, period_from, period_to, notes, terms, created_by)
  on table public.invoices to authenticated;
grant update (due_date, notes, terms) on table public.invoices to authenticated;
grant delete on table public.invoices to authenticated;
grant insert (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps, project_id)
  on table public.invoice_lines to authenticated;
grant update (position, description, quantity, unit_price_cents, tax_rate_bps) on table public.invoice_lines to authenticated;
grant delete on table public.invoice_lines to authenticated;
alter table public.invoices enable row level security;
alter table public.invoice_lines enable row level security;
alter table public.invoice_payments enable row level security;

create policy "owners and managers read invoices" on public.invoices for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers draft invoices" on public.invoices for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers edit invoices" on public.invoices for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers delete draft invoices" on public.invoices for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

create policy "owners and managers read invoice lines" on public.invoice_lines for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers add invoice lines" on public.invoice_lines for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers edit invoice lines" on public.invoice_lines for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove invoice lines" on public.invoice_lines for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()));

create policy "owners and managers read payments" on public.invoice_payments for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));

-- ============================================================================================
-- Functions: totals and the draft-only rule
-- ============================================================================================
create function private.round_half_away(p_value numeric)
returns bigint
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- numeric round() rounds halves away from zero: 0.5 → 1, -0.5 → -1 (a discount rounds like a charge).
  select round(p_value)::bigint;
$$;
comment on function private.round_half_away(numeric) is 'The one money rounding of invoices (ADR 011).';
-- The lines trigger runs as the caller (a manager adding a line), so the caller may round.
grant execute on function private.round_half_away(numeric) to authenticated, service_role;

create function private.invoice_lines_compute()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.amount_cents := private.round_half_away(new.quantity * new.unit_price_cents);
  -- numeric before multiplying: a bigint amount times a rate can pass the bigint range.
  new.tax_cents := private.round_half_away(new.amount_cents::numeric * new.tax_rate_bps / 10000);
  return new;
end;
$$;
comment on function private.invoice_lines_compute() is 'Line amount and tax, from quantity, unit price and rate only.';
create trigger invoice_lines_compute before insert or update on public.invoice_lines
  for each row execute function private.invoice_lines_compute();

create function private.invoice_must_be_draft()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_line public.invoice_lines := case when tg_op = 'DELETE' then old else new end;
  v_status public.invoice_status;
begin
  -- Outside the caller's managed agencies the row-level policies answer (42501), not a message
  -- about someone else's invoice.
  if (select auth.uid()) is not null and v_line.agency_id not in (select private.manager_agency_ids()) then
    return v_line;
  end if;
  -- The invoice row is locked: a line written while the invoice is being issued waits for the
  -- issue and then sees it issued (the lines' totals refresh takes the same lock anyway).
  select i.status into v_status from public.invoices i
  where i.agency_id = v_line.agency_id and i.id = v_line.invoice_id
  for no key update;
  if v_status is not null and v_status <> 'draft' then
    raise exception 'this invoice is %; only drafts change', v_status using errcode = 'P0001', hint = 'invoice_not_draft';
  end if;
  return v_line;
end;
$$;
comment on function private.invoice_must_be_draft() is
  'Lines change only while their invoice is a draft (a deleted draft''s lines go with it: it is gone by then). '
  'Security definer: it reads the invoice whatever the caller may see, and says nothing outside the caller''s agencies.';
create trigger invoice_lines_draft_only before insert or update or delete on public.invoice_lines
  for each row execute function private.invoice_must_be_draft();

create function private.invoices_guard()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'an issued invoice is voided, never deleted' using errcode = 'P0001', hint = 'invoice_not_draft';
    end if;
    return old;
  end if;
  if old.status <> 'draft'
     and (new.due_date, new.notes, new.terms, new.subtotal_cents, new.tax_cents, new.total_cents, new.client_id,
          new.project_id, new.currency)
         is distinct from
         (old.due_date, old.notes, old.terms, old.subtotal_cents, old.tax_cents, old.total_cents, old.client_id,
          old.project_id, old.currency) then
    raise exception 'this invoice is %; only drafts change', old.status using errcode = 'P0001', hint = 'invoice_not_draft';
  end if;
  return new;
end;
$$;
comment on function private.invoices_guard() is 'Issued invoices keep their terms and are voided, never deleted.';
create trigger invoices_guard before update or delete on public.invoices
  for each row execute function private.invoices_guard();

create function private.invoice_refresh_totals(p_invoice_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.invoices i
  set subtotal_cents = t.subtotal, tax_cents = t.tax, total_cents = t.subtotal + t.tax
  from (select coalesce(sum(l.amount_cents), 0) as subtotal, coalesce(sum(l.tax_cents), 0) as tax
        from public.invoice_lines l where l.invoice_id = p_invoice_id) t
  where i.id = p_invoice_id
    and (i.subtotal_cents, i.tax_cents, i.total_cents) is distinct from (t.subtotal, t.tax, t.subtotal + t.tax);
$$;

create function private.invoice_lines_refresh_totals()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.invoice_refresh_totals(old.invoice_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.invoice_refresh_totals(new.invoice_id);
  end if;
  return null;
end;
$$;
comment on function private.invoice_lines_refresh_totals() is 'Subtotal, tax and total follow the lines; the app never writes a total.';
create trigger invoice_lines_refresh_totals after insert or update or delete on public.invoice_lines
  for each row execute function private.invoice_lines_refresh_totals();

-- ============================================================================================
-- Functions: status from payments and dates
-- ============================================================================================
create function private.invoice_status_for(
  p_status public.invoice_status, p_total bigint, p_paid bigint, p_due date, p_today date
)
returns public.invoice_status
language sql
immutable
set search_path = ''
as $$
  select case
    when p_status in ('draft', 'void') then p_status
    when p_paid >= p_total and p_total > 0 then 'paid'
    when p_paid > 0 then 'partially_paid'
    when p_due is not null and p_due < p_today then 'overdue'
    else 'sent'
  end::public.invoice_status;
$$;
comment on function private.invoice_status_for(public.invoice_status, bigint, bigint, date, date) is
  'The one derivation of an issued invoice''s status from its payments and due date (today in the agency''s zone).';

create function private.agency_today(p_agency_id uuid)
returns date
language sql
stable
security invoker
set search_path = ''
as $$
  select (private.clock_now() at time zone a.timezone)::date from public.agencies a where a.id = p_agency_id;
$$;
comment on function private.agency_today(uuid) is
  'Today in the agency''s time zone (due dates and aging are agency calendar days). Invoker: callers read only their agencies.';

create function private.invoice_apply_payments(p_invoice_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_paid bigint;
begin
  select * into v_invoice from public.invoices where id = p_invoice_id for update;
  select coalesce(sum(p.amount_cents), 0) into v_paid from public.invoice_payments p where p.invoice_id = p_invoice_id;
  update public.invoices i
  set amount_paid_cents = v_paid,
      status = private.invoice_status_for(i.status, i.total_cents, v_paid, i.due_date, private.agency_today(i.agency_id)),
      paid_at = case when v_paid >= i.total_cents and i.total_cents > 0
                     then coalesce(i.paid_at, (select max(p.paid_at) from public.invoice_payments p where p.invoice_id = i.id)) end
  where i.id = p_invoice_id;
end;
$$;
comment on function private.invoice_apply_payments(uuid) is
  'Paid amount and status from the sum of payments, whatever order they arrived in (refunds are negative).';

-- ============================================================================================
-- Functions: drafting from time, milestones and manual lines
-- ============================================================================================
create function private.rounded_seconds(p_seconds integer, p_mode text, p_minutes smallint)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case p_mode
    when 'up' then ((p_seconds + p_minutes * 60 - 1) / (p_minutes * 60)) * p_minutes * 60
    when 'down' then (p_seconds / (p_minutes * 60)) * p_minutes * 60
    when 'nearest' then ((p_seconds + p_minutes * 30) / (p_minutes * 60)) * p_minutes * 60
    else p_seconds
  end;
$$;
comment on function private.rounded_seconds(integer, text, smallint) is
  'An entry''s billed seconds under its project''s rounding rule (nearest: halves round up).';

create function public.create_invoice(
  p_agency_id uuid,
  p_project_id uuid default null,
  p_client_id uuid default null,
  p_period_from date default null,
  p_period_to date default null,
  p_include_time boolean default true,
  p_grouping text default 'task',
  p_milestone_ids uuid[] default '{}',
  p_lines jsonb default '[]',
  p_due_date date default null,
  p_notes text default null
)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_client_id uuid := p_client_id;
  v_currency text;
  v_agency public.agencies;
  v_position integer := 0;
  v_group record;
  v_line_id uuid;
  v_milestone record;
  v_manual jsonb;
  v_entry_ids uuid[];
  v_count integer;
begin
  if p_agency_id is null or p_agency_id not in (select private.manager_agency_ids()) then
    raise exception 'only owners and managers make invoices' using errcode = '42501';
  end if;
  if p_grouping not in ('task', 'person', 'date', 'single') then
    raise exception 'group time by task, person, date or in a single line'
      using errcode = 'P0001', hint = 'invalid_grouping', column = 'grouping';
  end if;
  select * into v_agency from public.agencies where id = p_agency_id;
  if p_project_id is not null then
    select p.client_id, p.currency into v_client_id, v_currency
    from public.projects p where p.agency_id = p_agency_id and p.id = p_project_id;
    if v_client_id is null then
      raise exception 'there is no such project' using errcode = 'P0002', hint = 'not_found';
    end if;
  else
    select coalesce(c.currency, v_agency.currency) into v_currency
    from public.clients c where c.agency_id = p_agency_id and c.id = v_client_id;
    if v_currency is null then
      raise exception 'there is no such client' using errcode = 'P0002', hint = 'not_found';
    end if;
  end if;

  insert into public.invoices (agency_id, client_id, project_id, currency, due_date, period_from, period_to, notes, created_by)
  values (p_agency_id, v_client_id, p_project_id, v_currency, p_due_date, p_period_from, p_period_to, p_notes, (select auth.uid()))
  returning * into v_invoice;

  if p_include_time then
    -- Lock the candidates first, in one order (two drafts queue rather than deadlock): a concurrent
    -- draft waits here, then finds them taken (read committed re-reads a changed row and drops it;
    -- repeatable read fails with 40001). Only locked entries are billed. The link column is the
    -- constraint: one entry, one line. A client-wide draft bills the projects in its currency.
    select coalesce(array_agg(c.id), '{}') into v_entry_ids
    from (
      select e.id from public.time_entries e
      join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
      where e.agency_id = p_agency_id and e.invoice_id is null and e.is_billable
        and (case when p_project_id is not null then e.project_id = p_project_id else p.client_id = v_client_id end)
        and p.currency = v_currency
        and (p_period_from is null or e.entry_date >= p_period_from)
        and (p_period_to is null or e.entry_date <= p_period_to)
        and case when v_agency.invoice_requires_approved_time then e.status = 'approved' else e.status <> 'rejected' end
      order by e.id
      for update of e
    ) c;

    for v_group in
      select
        case p_grouping
          when 'task' then coalesce(t.title, 'General work')
          when 'person' then coalesce(nullif(pr.name, ''), pr.email)
          when 'date' then to_char(e.entry_date, 'FMDD Mon YYYY')
          else 'Professional services'
        end || case when p_project_id is null then ' — ' || p.name else '' end as label,
        e.project_id, e.billable_rate_cents,
        sum(private.rounded_seconds(e.duration_seconds, p.invoice_rounding, p.invoice_rounding_minutes)) as seconds,
        array_agg(e.id) as entry_ids,
        min(e.entry_date) as first_date
      from public.time_entries e
      join public.projects p on p.agency_id = e.agency_id and p.id = e.project_id
      left join public.tasks t on t.agency_id = e.agency_id and t.id = e.task_id
      left join public.profiles pr on pr.user_id = e.user_id
      where e.agency_id = p_agency_id and e.id = any (v_entry_ids)
      group by 1, e.project_id, e.billable_rate_cents
      order by min(e.entry_date), 1
    loop
      continue when v_group.seconds <= 0;
      v_position := v_position + 1;
      insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents,
                                        tax_rate_bps, project_id)
      values (p_agency_id, v_invoice.id, v_position, 'time', left(v_group.label, 500),
              round(v_group.seconds / 3600.0, 4), v_group.billable_rate_cents, v_agency.default_tax_rate_bp, v_group.project_id)
      returning id into v_line_id;
      update public.time_entries e set invoice_id = v_invoice.id, invoice_line_id = v_line_id
      where e.agency_id = p_agency_id and e.id = any (v_group.entry_ids) and e.invoice_id is null;
      -- The line bills exactly what it links; anything else is a race this transaction lost.
      get diagnostics v_count = row_count;
      if v_count <> cardinality(v_group.entry_ids) then
        raise exception 'time on this invoice was invoiced at the same moment; try again' using errcode = '40001';
      end if;
    end loop;
  end if;

  if (select count(*) from public.milestones m where m.agency_id = p_agency_id and m.id = any (coalesce(p_milestone_ids, '{}')))
     <> (select count(distinct x) from unnest(coalesce(p_milestone_ids, '{}')) x) then
    raise exception 'some of those milestones do not exist' using errcode = 'P0001', hint = 'milestone_not_billable', column = 'milestone_ids';
  end if;
  for v_milestone in
    select m.*, p.client_id as project_client_id, p.currency as project_currency from public.milestones m
    join public.projects p on p.agency_id = m.agency_id and p.id = m.project_id
    where m.agency_id = p_agency_id and m.id = any (coalesce(p_milestone_ids, '{}'))
    order by m.id
    for update of m
  loop
    -- Only this invoice's project (or, client-wide, the client's projects in its currency).
    if v_milestone.project_client_id <> v_client_id or v_milestone.project_currency <> v_currency
       or (p_project_id is not null and v_milestone.project_id <> p_project_id) then
      raise exception 'milestone "%" belongs to another project or client', v_milestone.title
        using errcode = 'P0001', hint = 'milestone_not_billable', column = 'milestone_ids';
    end if;
    if v_milestone.invoice_id is not null or v_milestone.status = 'pending' or coalesce(v_milestone.amount_cents, 0) <= 0 then
      raise exception 'milestone "%" cannot be invoiced: it must be reached, have an amount and not be invoiced yet', v_milestone.title
        using errcode = 'P0001', hint = 'milestone_not_billable', column = 'milestone_ids';
    end if;
    v_position := v_position + 1;
    insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents,
                                      tax_rate_bps, project_id)
    values (p_agency_id, v_invoice.id, v_position, 'milestone', left('Milestone: ' || v_milestone.title, 500), 1,
            v_milestone.amount_cents, v_agency.default_tax_rate_bp, v_milestone.project_id)
    returning id into v_line_id;
    update public.milestones m set invoice_id = v_invoice.id, invoice_line_id = v_line_id where m.id = v_milestone.id;
  end loop;
  for v_manual in select * from jsonb_array_elements(coalesce(p_lines, '[]')) loop
    v_position := v_position + 1;
    insert into public.invoice_lines (agency_id, invoice_id, position, kind, description, quantity, unit_price_cents, tax_rate_bps)
    values (p_agency_id, v_invoice.id, v_position,
            case when (v_manual ->> 'unit_price_cents')::bigint < 0 then 'discount' else 'manual' end::public.invoice_line_kind,
            v_manual ->> 'description', coalesce((v_manual ->> 'quantity')::numeric, 1),
            (v_manual ->> 'unit_price_cents')::bigint,
            coalesce((v_manual ->> 'tax_rate_bps')::integer, v_agency.default_tax_rate_bp));
  end loop;

  if v_position = 0 then
    raise exception 'there is nothing to invoice: no unbilled time, milestones or lines'
      using errcode = 'P0001', hint = 'invoice_empty';
  end if;
  select * into v_invoice from public.invoices where id = v_invoice.id;
  return v_invoice;
end;
$$;
comment on function public.create_invoice(uuid, uuid, uuid, date, date, boolean, text, uuid[], jsonb, date, text) is
  'Drafts an invoice in one transaction: unbilled billable time (not rejected, or approved only when '
  'the agency says so) grouped into lines per group and rate with each entry rounded by its project''s '
  'rule, chosen reached milestones, and manual or discount lines; every included entry and milestone '
  'is linked to its line. Security definer: users cannot write the links; the caller must manage the agency.';

-- ============================================================================================
-- Functions: issuing, voiding, payments, overdue
-- ============================================================================================
create function public.issue_invoice(p_invoice_id uuid)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_agency public.agencies;
  v_number integer;
  v_today date;
begin
  -- Filtered before locking: another agency's invoice is neither locked nor waited for.
  select * into v_invoice from public.invoices i
  where i.id = p_invoice_id and i.agency_id in (select private.manager_agency_ids())
  for update;
  if v_invoice.id is null then
    raise exception 'there is no such invoice' using errcode = 'P0002', hint = 'not_found';
  end if;
  if v_invoice.status <> 'draft' then
    raise exception 'this invoice was issued already' using errcode = 'P0001', hint = 'invoice_not_draft';
  end if;
  if not exists (select 1 from public.invoice_lines l where l.invoice_id = p_invoice_id) then
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
  where i.id = p_invoice_id
  returning * into v_invoice;
  return v_invoice;
end;
$$;
comment on function public.issue_invoice(uuid) is
  'Gives a draft its number (prefix + year + a per-agency sequence without gaps, in issue order), '
  'issue date and due date (payment terms), and makes it sent. Sending the email and the payment '
  'link happen around it in the app; the number is the database''s.';

create function public.void_invoice(p_invoice_id uuid, p_reason text default null)
returns public.invoices
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
begin
  -- Filtered before locking: another agency's invoice is neither locked nor waited for.
  select * into v_invoice from public.invoices i
  where i.id = p_invoice_id and i.agency_id in (select private.manager_agency_ids())
  for update;
  if v_invoice.id is null then
    raise exception 'there is no such invoice' using errcode = 'P0002', hint = 'not_found';
  end if;
  if v_invoice.status not in ('sent', 'overdue') or v_invoice.amount_paid_cents <> 0
     or exists (select 1 from public.invoice_payments p where p.invoice_id = p_invoice_id) then
    raise exception 'only an issued invoice with nothing paid can be voided (this one is %)', v_invoice.status
      using errcode = 'P0001', hint = 'invoice_not_voidable';
  end if;
  -- Release what it billed: the entries and milestones can go on another invoice.
  update public.time_entries e set invoice_id = null, invoice_line_id = null
  where e.agency_id = v_invoice.agency_id and e.invoice_id = p_invoice_id;
  update public.milestones m set invoice_id = null, invoice_line_id = null
  where m.agency_id = v_invoice.agency_id and m.invoice_id = p_invoice_id;
  update public.invoices i
  set status = 'void', voided_at = clock_timestamp(), void_reason = nullif(btrim(coalesce(p_reason, '')), '')
  where i.id = p_invoice_id
  returning * into v_invoice;
  return v_invoice;
end;
$$;
comment on function public.void_invoice(uuid, text) is
  'Voids an issued, unpaid invoice (its number stays used) and releases its time and milestones for re-invoicing.';

create function public.record_payment(
  p_invoice_id uuid,
  p_amount_cents bigint,
  p_method public.payment_method,
  p_paid_at timestamptz default null,
  p_reference text default null,
  p_stripe_event_id text default null
)
returns public.invoice_payments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invoice public.invoices;
  v_payment public.invoice_payments;
  -- The database role decides, not the claims: the webhook runs as service_role, jobs and the
  -- database owner have no request role; a signed-in person is `authenticated` with a user id.
  v_is_service boolean := current_setting('role', true) = 'service_role'
    or (coalesce(current_setting('role', true), 'none') = 'none' and (select auth.uid()) is null);
begin
  -- Before anything is read: a person naming an event id must not learn about that payment, and
  -- only the provider records provider payments.
  if not v_is_service and ((select auth.uid()) is null or p_stripe_event_id is not null or p_method = 'stripe') then
    raise exception 'only the payment provider records its events' using errcode = '42501';
  end if;
  -- People date a payment today or before; the provider's event times are what they are.
  if p_paid_at is not null
     and (not isfinite(p_paid_at) or (not v_is_service and p_paid_at > private.clock_now() + interval '1 day')) then
    raise exception 'a payment is dated today or before' using errcode = 'P0001', hint = 'invalid_paid_at', column = 'paid_at';
  end if;
  if p_stripe_event_id is not null then
    select * into v_payment from public.invoice_payments p where p.stripe_event_id = p_stripe_event_id;
    if v_payment.id is not null then
      return v_payment; -- a replayed event changes nothing
    end if;
  end if;
  select * into v_invoice from public.invoices i
  where i.id = p_invoice_id and (v_is_service or i.agency_id in (select private.manager_agency_ids()))
  for update;
  if v_invoice.id is null then
    raise exception 'there is no such invoice' using errcode = 'P0002', hint = 'not_found';
  end if;
  if v_invoice.status in ('draft', 'void') then
    raise exception 'a % invoice takes no payments', v_invoice.status using errcode = 'P0001', hint = 'invoice_not_payable';
  end if;
  if p_amount_cents is null or p_amount_cents = 0 then
    raise exception 'a payment needs an amount' using errcode = 'P0001', hint = 'invalid_amount', column = 'amount_cents';
  end if;
  -- People record what is owed at most; a provider's events are the truth and are recorded as they come.
  if not v_is_service and p_amount_cents > v_invoice.total_cents - v_invoice.amount_paid_cents then
    raise exception 'that is more than the % cents still due', v_invoice.total_cents - v_invoice.amount_paid_cents
      using errcode = 'P0001', hint = 'payment_exceeds_due', column = 'amount_cents';
  end if;
  if not v_is_service and p_amount_cents < 0 and -p_amount_cents > v_invoice.amount_paid_cents then
    raise exception 'that refunds more than the % cents paid', v_invoice.amount_paid_cents
      using errcode = 'P0001', hint = 'refund_exceeds_paid', column = 'amount_cents';
  end if;
  insert into public.invoice_payments (agency_id, invoice_id, amount_cents, method, paid_at, reference, stripe_event_id, recorded_by)
  values (v_invoice.agency_id, p_invoice_id, p_amount_cents, p_method, coalesce(p_paid_at, clock_timestamp()),
          p_reference, p_stripe_event_id, (select auth.uid()))
  on conflict (stripe_event_id) do nothing
  returning * into v_payment;
  if v_payment.id is null then
    -- The same event recorded concurrently: the other transaction's row is the payment.
    select * into v_payment from public.invoice_payments p where p.stripe_event_id = p_stripe_event_id;
    return v_payment;
  end if;
  perform private.invoice_apply_payments(p_invoice_id);
  return v_payment;
end;
$$;
comment on function public.record_payment(uuid, bigint, public.payment_method, timestamptz, text, text) is
  'The one way money is recorded: manual payments by owners and managers, provider events by the '
  'service role (the webhook). Idempotent by Stripe event id; refunds are negative amounts; the '
  'invoice''s paid amount and status are derived after each payment.';

create function public.mark_overdue_invoices()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.invoices i set status = 'overdue'
  where i.status in ('sent', 'partially_paid') and i.amount_paid_cents = 0
    and i.due_date < private.agency_today(i.agency_id);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.mark_overdue_invoices() is
  'The daily job: sent invoices past due with nothing paid become overdue. Readers derive the same '
  'status on the fly (private.invoice_status_for), so a list is right before the job runs.';

revoke execute on function public.create_invoice(uuid, uuid, uuid, date, date, boolean, text, uuid[], jsonb, date, text),
  public.issue_invoice(uuid), public.void_invoice(uuid, text),
  public.record_payment(uuid, bigint, public.payment_method, timestamptz, text, text),
  public.mark_overdue_invoices() from public, anon;
grant execute on function public.create_invoice(uuid, uuid, uuid, date, date, boolean, text, uuid[], jsonb, date, text),
  public.issue_invoice(uuid), public.void_invoice(uuid, text),
  public.record_payment(uuid, bigint, public.payment_method, timestamptz, text, text) to authenticated;
grant execute on function public.record_payment(uuid, bigint, public.payment_method, timestamptz, text, text),
  public.mark_overdue_invoices() to service_role;
-- Default privileges in public grant every new function to authenticated: the daily job is the service's.
revoke execute on function public.mark_overdue_invoices() from authenticated;

-- ============================================================================================
-- Triggers: milestones keep what was invoiced; audit
-- ============================================================================================
create function private.milestones_keep_invoiced()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.invoice_id is not null then
      raise exception 'this milestone is invoiced' using errcode = 'P0001', hint = 'milestone_invoiced';
    end if;
    return old;
  end if;
  if old.invoice_id is not null and new.invoice_id is not null
     and ((new.amount_cents, new.title, new.project_id) is distinct from (old.amount_cents, old.title, old.project_id)
          or new.status = 'pending') then
    raise exception 'this milestone is invoiced; its amount and title stay and it stays reached' using errcode = 'P0001', hint = 'milestone_invoiced';
  end if;
  return new;
end;
$$;
create trigger milestones_keep_invoiced before update or delete on public.milestones
  for each row execute function private.milestones_keep_invoiced();

create trigger invoices_touch_updated_at before update on public.invoices
  for each row execute function private.touch_updated_at();
create trigger invoices_audit after insert or update or delete on public.invoices
  for each row execute function private.audit_row_change('agency_id', 'id');
create trigger invoice_lines_audit after insert or update or delete on public.invoice_lines
  for each row execute function private.audit_row_change('agency_id', 'id');
create trigger invoice_payments_audit after insert or update or delete on public.invoice_payments
  for each row execute function private.audit_row_change('agency_id', 'id');


-- ============================================================================================
-- Hand-made drafts and lines stay consistent (create_invoice writes the billed kinds)
-- ============================================================================================
create function private.invoices_check_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null and new.agency_id not in (select private.manager_agency_ids()) then
    return new; -- the policies answer (42501)
  end if;
  if (select auth.uid()) is not null then
    new.created_by := (select auth.uid());
  end if;
  if new.currency is distinct from (
       case when new.project_id is not null
            then (select p.currency from public.projects p
                  where p.agency_id = new.agency_id and p.id = new.project_id and p.client_id = new.client_id)
            else (select coalesce(c.currency, a.currency) from public.clients c join public.agencies a on a.id = c.agency_id
                  where c.agency_id = new.agency_id and c.id = new.client_id) end) then
    raise exception 'an invoice is in its project''s (or client''s) currency, to that project''s client'
      using errcode = 'P0001', hint = 'invoice_target_mismatch', column = 'project_id';
  end if;
  return new;
end;
$$;
comment on function private.invoices_check_insert() is
  'A draft bills its project''s client in that project''s currency (or a client in the client''s), and '
  'records who made it. Security definer: it reads the project and client whatever the policies say.';
create trigger invoices_check_insert before insert on public.invoices
  for each row execute function private.invoices_check_insert();

create policy "hand-made lines are manual, discount or expense" on public.invoice_lines
  as restrictive for insert to authenticated
  with check (kind in ('manual', 'discount', 'expense'));

revoke execute on all functions in schema private from public;
-- Readers compute the status and today's date the way the database does (the models' list and aging).
grant execute on function private.invoice_status_for(public.invoice_status, bigint, bigint, date, date),
  private.agency_today(uuid), private.entry_value_cents(integer, integer) to authenticated;
