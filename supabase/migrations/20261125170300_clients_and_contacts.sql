-- Clients and their contacts, in the minimal form the foundation needs: contacts are the people
-- who may sign in to the client portal. The CRM issue extends both tables.

-- ============================================================================================
-- Tables
-- ============================================================================================
create table public.clients (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id)
);
create index clients_agency_id_idx on public.clients (agency_id);
comment on table public.clients is 'Client companies of an agency. Archived, never deleted, once they have history.';

create table public.client_contacts (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null,
  client_id uuid not null,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  email text check (private.is_email(email)),
  phone text check (char_length(phone) <= 40),
  user_id uuid references auth.users (id) on delete set null,
  portal_access_granted_at timestamptz,
  portal_access_revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, id),
  foreign key (agency_id, client_id) references public.clients (agency_id, id) on delete cascade
);
create index client_contacts_agency_id_idx on public.client_contacts (agency_id, client_id);
create index client_contacts_user_id_idx on public.client_contacts (user_id) where user_id is not null;
comment on table public.client_contacts is
  'People at a client. A contact becomes a portal identity when they accept a portal invitation '
  '(user_id is set); access is revoked by stamping portal_access_revoked_at.';
comment on column public.client_contacts.user_id is
  'The account that proved it owns this contact''s email by accepting a portal invitation.';

-- ============================================================================================
-- Portal helpers
-- ============================================================================================
create function private.portal_client_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select c.client_id
  from public.client_contacts c
  where c.user_id = (select auth.uid())
    and c.portal_access_granted_at is not null
    and c.portal_access_revoked_at is null;
$$;
comment on function private.portal_client_ids() is
  'Clients whose portal the caller may see: those where they are a contact with live access.';

grant execute on function private.portal_client_ids() to authenticated;


-- ============================================================================================
-- Grants and RLS: clients
-- ============================================================================================
revoke all on table public.clients from anon, authenticated;
grant select on table public.clients to authenticated;
grant insert (agency_id, name) on table public.clients to authenticated;
grant update (name, archived_at) on table public.clients to authenticated;
alter table public.clients enable row level security;

create policy "members read their agency's clients"
  on public.clients for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "portal users read their own client"
  on public.clients for select to authenticated
  using (id in (select private.portal_client_ids()));
create policy "owners and managers add clients"
  on public.clients for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers update clients"
  on public.clients for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
-- No delete: clients are archived.

-- ============================================================================================
-- Grants and RLS: client_contacts
-- ============================================================================================
revoke all on table public.client_contacts from anon, authenticated;
grant select on table public.client_contacts to authenticated;
grant insert (agency_id, client_id, name, email, phone) on table public.client_contacts to authenticated;
grant update (name, email, phone) on table public.client_contacts to authenticated;
grant delete on table public.client_contacts to authenticated;
alter table public.client_contacts enable row level security;

create policy "members read their agency's contacts"
  on public.client_contacts for select to authenticated
  using (agency_id in (select private.member_agency_ids()));
create policy "portal users read the contacts of their client"
  on public.client_contacts for select to authenticated
  using (client_id in (select private.portal_client_ids()));
create policy "owners and managers add contacts"
  on public.client_contacts for insert to authenticated
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers update contacts"
  on public.client_contacts for update to authenticated
  using (agency_id in (select private.manager_agency_ids()))
  with check (agency_id in (select private.manager_agency_ids()));
create policy "owners and managers remove contacts without portal history"
  on public.client_contacts for delete to authenticated
  using (agency_id in (select private.manager_agency_ids()) and user_id is null);

-- ============================================================================================
-- Functions
-- ============================================================================================
create function public.portal_access()
returns table (
  client_id uuid,
  client_name text,
  agency_id uuid,
  agency_name text,
  logo_url text,
  brand_color text
)
language sql
stable
security definer
set search_path = ''
as $$
  select c.id, c.name, a.id, a.name, a.logo_url, a.brand_color
  from public.client_contacts cc
  join public.clients c on c.id = cc.client_id and c.agency_id = cc.agency_id
  join public.agencies a on a.id = c.agency_id
  where cc.user_id = (select auth.uid())
    and cc.portal_access_granted_at is not null
    and cc.portal_access_revoked_at is null
  order by c.name;
$$;
comment on function public.portal_access() is
  'The clients whose portal the caller may open, with their agency''s name and branding. Security '
  'definer so a portal user sees an agency''s branding without reading its settings (rates, tax).';
revoke execute on function public.portal_access() from public, anon;
grant execute on function public.portal_access() to authenticated;

-- ============================================================================================
-- Triggers
-- ============================================================================================
create trigger clients_touch_updated_at before update on public.clients
  for each row execute function private.touch_updated_at();
create trigger client_contacts_touch_updated_at before update on public.client_contacts
  for each row execute function private.touch_updated_at();
create trigger client_contacts_audit after insert or update or delete on public.client_contacts
  for each row execute function private.audit_row_change('agency_id', 'id');

-- Functions in `private` are for the grants above only (see the foundation migration).
revoke execute on all functions in schema private from public;
