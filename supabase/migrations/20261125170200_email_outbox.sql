-- Transactional email outbox. A change that causes an email writes the outbox row in the same
-- transaction (so an invitation never exists without its email, nor an email without its
-- invitation); the worker delivers rows with retries and exponential backoff.
-- Lives in `private`: only SQL functions and the worker's privileged connection touch it.

-- ============================================================================================
-- Tables
-- ============================================================================================
create table private.email_outbox (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid references public.agencies (id) on delete set null,
  to_email text not null check (private.is_email(to_email)),
  template text not null check (template ~ '^[a-z_]+$'),
  data jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider_message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index email_outbox_due_idx on private.email_outbox (next_attempt_at) where status = 'pending';
-- Not exposed, and only its owner's functions and the worker (privileged) touch it. RLS with no
-- policies is the safety net should a grant ever slip: any other role sees and writes nothing.
revoke all on table private.email_outbox from public;
alter table private.email_outbox enable row level security;
comment on table private.email_outbox is
  'Emails to send. agency_id is null for account emails (magic links) that belong to no agency.';

-- ============================================================================================
-- Functions
-- ============================================================================================
create function private.enqueue_email(p_agency_id uuid, p_to text, p_template text, p_data jsonb)
returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into private.email_outbox (agency_id, to_email, template, data)
  values (p_agency_id, lower(p_to), p_template, coalesce(p_data, '{}'::jsonb))
  returning id;
$$;
comment on function private.enqueue_email(uuid, text, text, jsonb) is
  'The one way to queue an email. Callers are SQL functions and the local token issuer.';
grant usage on schema private to supabase_auth_admin;
grant execute on function private.enqueue_email(uuid, text, text, jsonb) to supabase_auth_admin;

create function private.agency_branding(p_agency_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('agency_name', a.name, 'logo_url', a.logo_url, 'brand_color', a.brand_color)
  from public.agencies a
  where a.id = p_agency_id;
$$;
comment on function private.agency_branding(uuid) is 'Branding snapshot copied into an email''s data.';

create function private.notify_email_queued()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('email_outbox', new.id::text);
  return null;
end;
$$;
comment on function private.notify_email_queued() is
  'Wakes the worker at commit so emails leave within a second instead of at the next sweep.';

create trigger email_outbox_notify after insert on private.email_outbox
  for each row execute function private.notify_email_queued();

create function private.claim_due_emails(p_limit integer, p_lease interval)
returns setof private.email_outbox
language sql
set search_path = ''
as $$
  update private.email_outbox o
  set attempts = o.attempts + 1, next_attempt_at = now() + p_lease
  where o.id in (
    select d.id from private.email_outbox d
    where d.status = 'pending' and d.next_attempt_at <= now()
    order by d.next_attempt_at
    limit p_limit
    for update skip locked
  )
  returning o.*;
$$;
comment on function private.claim_due_emails(integer, interval) is
  'Hands due emails to one worker. The lease pushes next_attempt_at forward, so an email whose '
  'worker died is picked up again when the lease runs out; skip locked lets workers run side by side.';

create function private.complete_email(p_id uuid, p_provider_message_id text)
returns void
language sql
set search_path = ''
as $$
  update private.email_outbox
  set status = 'sent', sent_at = now(), provider_message_id = p_provider_message_id, last_error = null
  where id = p_id;
$$;

create function private.fail_email(p_id uuid, p_error text, p_max_attempts integer default 8)
returns private.email_outbox
language sql
set search_path = ''
as $$
  update private.email_outbox
  set last_error = left(p_error, 2000),
      status = case when attempts >= p_max_attempts then 'failed' else 'pending' end,
      next_attempt_at = now() + least(interval '1 hour', interval '30 seconds' * power(2, greatest(attempts - 1, 0)))
  where id = p_id
  returning *;
$$;
comment on function private.fail_email(uuid, text, integer) is
  'Records a failed delivery: retry after 30 s, 1, 2, 4 … minutes (at most an hour apart); after '
  'p_max_attempts the email is marked failed and stays for inspection.';

-- Functions in `private` are for the grants above only (see the foundation migration).
revoke execute on all functions in schema private from public;
