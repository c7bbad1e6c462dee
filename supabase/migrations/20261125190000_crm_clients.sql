-- CRM clients: the full client record (contact details, tags, industry, size, relationship,
-- address, currency override), typo-tolerant search across company and contact names and
-- emails, and the client timeline (notes, calls, meetings, emails, and system events written by
-- the database). Portal users lose direct row access to clients and contacts: the rows now hold
-- internal notes, and the portal reads what it may show through security-definer functions.

-- ============================================================================================
-- Extensions
-- ============================================================================================
create extension if not exists pg_trgm with schema extensions;

-- ============================================================================================
-- Types
-- ============================================================================================
create type public.client_relationship as enum ('lead', 'prospect', 'active', 'inactive');
comment on type public.client_relationship is
  'lead: first contact; prospect: talking about work; active: work won or running; inactive: past client.';

create type public.activity_kind as enum ('note', 'call', 'meeting', 'email', 'system');

-- ============================================================================================
-- Tables: clients and contacts (extended)
-- ============================================================================================
alter table public.clients
  add column industry text check (char_length(industry) <= 80),
  add column tags text[] not null default '{}' check (cardinality(tags) <= 20),
  add column size text check (size in ('1-10', '11-50', '51-200', '201-1000', '1000+')),
  add column website text check (website ~ '^https?://[^\s]+$' and char_length(website) <= 2048),
  add column address text check (char_length(address) <= 500),
  add column country text check (country ~ '^[A-Z]{2}$'),
  add column currency text references public.currencies (code),
  add column relationship public.client_relationship not null default 'lead',
  add column notes text check (char_length(notes) <= 20000),
  add column stripe_customer_id text check (char_length(stripe_customer_id) <= 255),
  add column last_activity_at timestamptz,
  add column search_text text not null default '';
comment on column public.clients.tags is 'Lower-case, trimmed, unique, sorted (normalised by trigger).';
comment on column public.clients.currency is 'Overrides the agency currency for this client''s deals and invoices.';
comment on column public.clients.last_activity_at is 'Latest timeline entry; maintained by the database.';
comment on column public.clients.search_text is
  'Company, contact names and emails in one string for the trigram index; maintained by triggers.';

create index clients_search_text_idx on public.clients using gin (search_text extensions.gin_trgm_ops);
create index clients_tags_idx on public.clients using gin (tags);
create index clients_agency_name_idx on public.clients (agency_id, lower(name));
create index clients_agency_activity_idx on public.clients (agency_id, last_activity_at desc nulls last);

alter table public.client_contacts
  add column title text check (char_length(title) <= 120),
  add column is_primary boolean not null default false;
create unique index client_contacts_one_primary_idx on public.client_contacts (client_id) where is_primary;

-- ============================================================================================
-- Tables: timeline
-- ============================================================================================
create table public.client_activities (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  client_id uuid not null,
  kind public.activity_kind not null,
  event text check (event ~ '^[a-z_]+$'),
  body text check (char_length(body) <= 10000),
  data jsonb not null default '{}'::jsonb,
  occurred_at timestamptz not null default now(),
  created_by uuid references public.profiles (user_id),
  -- clock_timestamp: several events of one transaction (deal won, project created) keep their order.
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  foreign key (agency_id, client_id) references public.clients (agency_id, id) on delete cascade,
  constraint client_activities_system_has_event check ((kind = 'system') = (event is not null)),
  constraint client_activities_logged_has_body check (kind = 'system' or char_length(btrim(body)) > 0)
);
create index client_activities_client_idx on public.client_activities (agency_id, client_id, occurred_at desc);
create index client_activities_created_by_idx on public.client_activities (created_by);
comment on table public.client_activities is
  'A client''s timeline. People log notes, calls, meetings and emails; the database writes system '
  'events (deal moved, project created, invoice sent or paid) when they happen. System events are '
  'immutable.';

-- ============================================================================================
-- Portal: narrower access
-- ============================================================================================
drop policy "portal users read their own client" on public.clients;
drop policy "portal users read the contacts of their client" on public.client_contacts;

-- ============================================================================================
-- Grants and RLS: clients and contacts (new columns)
-- ============================================================================================
grant insert (industry, tags, size, website, address, country, currency, relationship, notes)
  on table public.clients to authenticated;
grant update (industry, tags, size, website, address, country, currency, relationship, notes)
  on table public.clients to authenticated;
-- stripe_customer_id is written by the service role (payments), search_text and
-- last_activity_at by triggers.
grant insert (title, is_primary) on table public.client_contacts to authenticated;
grant update (title, is_primary) on table public.client_contacts to authenticated;

-- ============================================================================================
-- Grants and RLS: client_activities
-- ============================================================================================
revoke all on table public.client_activities from anon, authenticated;
grant select on table public.client_activities to authenticated;
grant insert (agency_id, client_id, kind, body, occurred_at) on table public.client_activities to authenticated;
grant update (kind, body, occurred_at) on table public.client_activities to authenticated;
grant delete on table public.client_activities to authenticated;
alter table public.client_activities enable row level security;
-- Policies that depend on who may see a client are created with the pipeline (next migration),
-- where "members see clients of their deals" is defined.

-- ============================================================================================
-- Functions
-- ============================================================================================
create function private.normalize_tags(p_tags text[])
returns text[]
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct t order by t), '{}')
  from (select lower(btrim(tag)) as t from unnest(p_tags) as tag) tags
  where t <> '';
$$;

create function private.clients_normalize()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.tags := private.normalize_tags(new.tags);
  if exists (select from unnest(new.tags) as tag where char_length(tag) > 40) then
    raise exception using errcode = '23514', message = 'a tag is longer than 40 characters',
      hint = 'tag_too_long', table = 'clients', column = 'tags';
  end if;
  new.name := btrim(new.name);
  return new;
end;
$$;
comment on function private.clients_normalize() is 'Tags are compared and filtered as lower-case, trimmed, unique values.';

create function private.refresh_client_search_text(p_client_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.clients c
  set search_text = lower(concat_ws(' ', c.name, (
    select string_agg(concat_ws(' ', cc.name, cc.email), ' ' order by cc.created_at)
    from public.client_contacts cc where cc.client_id = c.id
  )))
  where c.id = p_client_id;
$$;
comment on function private.refresh_client_search_text(uuid) is
  'Rebuilds one client''s search string. Security definer: contact edits by people who may not '
  'update clients must still keep the search index right.';

create function private.clients_refresh_search()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.refresh_client_search_text(new.id);
  return null;
end;
$$;

create function private.contacts_refresh_search()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.refresh_client_search_text(old.client_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.client_id <> old.client_id) then
    perform private.refresh_client_search_text(new.client_id);
  end if;
  return null;
end;
$$;

create function private.activities_touch_client()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_client_id uuid := coalesce(new.client_id, old.client_id);
begin
  update public.clients c
  set last_activity_at = (select max(a.occurred_at) from public.client_activities a where a.client_id = v_client_id)
  where c.id = v_client_id;
  return null;
end;
$$;
comment on function private.activities_touch_client() is
  'Keeps clients.last_activity_at equal to the newest timeline entry (sort by activity).';

create function private.guard_system_activities()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Database code (security definer functions, the service role) may write system events.
  if current_user not in ('authenticated', 'anon') then
    return coalesce(new, old);
  end if;
  if (tg_op in ('UPDATE', 'DELETE') and old.kind = 'system') or (tg_op in ('INSERT', 'UPDATE') and new.kind = 'system') then
    raise exception using errcode = '42501', message = 'system events are written by the database and cannot be changed',
      hint = 'system_event';
  end if;
  if tg_op = 'INSERT' then
    new.created_by := (select auth.uid());
  end if;
  return coalesce(new, old);
end;
$$;
comment on function private.guard_system_activities() is
  'People log notes, calls, meetings and emails; only the database writes (and nobody edits) system events.';

create function private.log_client_event(
  p_agency_id uuid,
  p_client_id uuid,
  p_event text,
  p_body text,
  p_data jsonb default '{}'::jsonb
)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.client_activities (agency_id, client_id, kind, event, body, data, occurred_at, created_by)
  values (p_agency_id, p_client_id, 'system', p_event, p_body, coalesce(p_data, '{}'::jsonb), clock_timestamp(),
          (select auth.uid()));
$$;
comment on function private.log_client_event(uuid, uuid, text, text, jsonb) is
  'The one way system events reach a client timeline; called by triggers of deals, projects and '
  '(later) invoices.';

-- ============================================================================================
-- Triggers
-- ============================================================================================
create trigger clients_normalize before insert or update on public.clients
  for each row execute function private.clients_normalize();
create trigger clients_refresh_search after insert or update of name on public.clients
  for each row execute function private.clients_refresh_search();
create trigger client_contacts_refresh_search after insert or update of name, email, client_id or delete
  on public.client_contacts
  for each row execute function private.contacts_refresh_search();
create trigger client_activities_guard before insert or update or delete on public.client_activities
  for each row execute function private.guard_system_activities();
create trigger client_activities_touch_client after insert or update of occurred_at or delete
  on public.client_activities
  for each row execute function private.activities_touch_client();
create trigger client_activities_touch_updated_at before update on public.client_activities
  for each row execute function private.touch_updated_at();
create trigger clients_audit after insert or update or delete on public.clients
  for each row execute function private.audit_row_change('agency_id', 'id', 'search_text,last_activity_at');

-- Existing rows: normalise and index.
update public.clients set tags = tags;
select private.refresh_client_search_text(id) from public.clients;

-- ============================================================================================
-- Function privileges
-- ============================================================================================
revoke execute on all functions in schema private from public;
-- The clients trigger runs as whoever writes the row.
grant execute on function private.normalize_tags(text[]) to authenticated, service_role;
