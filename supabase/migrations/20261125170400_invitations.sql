-- Invitations: how people join an agency (staff, with a role) or a client portal (contacts).
-- A 256-bit token goes out by email once; only its SHA-256 hash is stored. Tokens are single-use
-- and expire after 7 days. Issuing, re-sending, revoking and accepting are SQL functions so each
-- change and its email happen in one transaction, checked in one place.

-- ============================================================================================
-- Tables
-- ============================================================================================
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references public.agencies (id) on delete cascade,
  email text not null check (private.is_email(email)),
  name text check (char_length(btrim(name)) between 1 and 120),
  role public.agency_role,
  client_contact_id uuid,
  token_hash bytea not null unique,
  invited_by uuid not null references public.profiles (user_id),
  expires_at timestamptz not null,
  last_sent_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by uuid references public.profiles (user_id),
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint invitations_staff_or_portal check ((role is null) <> (client_contact_id is null)),
  foreign key (agency_id, client_contact_id) references public.client_contacts (agency_id, id) on delete cascade
);
create index invitations_agency_id_idx on public.invitations (agency_id, created_at desc);
create unique index invitations_one_pending_staff_idx on public.invitations (agency_id, email)
  where role is not null and accepted_at is null and revoked_at is null;
create unique index invitations_one_pending_portal_idx on public.invitations (agency_id, client_contact_id)
  where client_contact_id is not null and accepted_at is null and revoked_at is null;
comment on table public.invitations is
  'Staff invitations (role set) and portal invitations (client_contact_id set). Pending while '
  'neither accepted nor revoked; at most one pending invitation per person and agency.';

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================
revoke all on table public.invitations from anon, authenticated;
grant select (id, agency_id, email, name, role, client_contact_id, invited_by, expires_at,
  last_sent_at, accepted_at, accepted_by, revoked_at, created_at, updated_at)
  on table public.invitations to authenticated;
alter table public.invitations enable row level security;

create policy "owners and managers read their agency's invitations"
  on public.invitations for select to authenticated
  using (agency_id in (select private.manager_agency_ids()));
-- No insert, update or delete policies: the functions below are the only writers.

create trigger invitations_touch_updated_at before update on public.invitations
  for each row execute function private.touch_updated_at();
create trigger invitations_audit after insert or update or delete on public.invitations
  for each row execute function private.audit_row_change('agency_id', 'id', 'token_hash');

-- ============================================================================================
-- Functions: helpers
-- Invitation commands return the invitation's id, never the row: the row holds token_hash,
-- which no caller may read.
-- ============================================================================================
create function private.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
  select translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/=', '-_');
$$;
comment on function private.new_token() is '256 random bits, URL-safe base64 without padding.';

create function private.token_hash(p_token text)
returns bytea
language sql
immutable
set search_path = ''
as $$
  select extensions.digest(coalesce(p_token, ''), 'sha256');
$$;

create function private.require_manager(p_agency_id uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_agency_id is null or p_agency_id not in (select private.manager_agency_ids()) then
    raise exception using
      errcode = '42501',
      message = 'only an owner or manager of this agency can do that',
      hint = 'manager_required';
  end if;
end;
$$;

-- Queues the email that carries an invitation's token. The raw token exists only in this
-- transaction and in the email; the table keeps its hash.
create function private.queue_invitation_email(p_invitation public.invitations, p_token text)
returns void
language sql
security definer
set search_path = ''
as $$
  select private.enqueue_email(
    p_invitation.agency_id,
    p_invitation.email,
    case when p_invitation.role is null then 'portal_invitation' else 'staff_invitation' end,
    private.agency_branding(p_invitation.agency_id) || jsonb_build_object(
      'invitee_name', p_invitation.name,
      'inviter_name', (select p.name from public.profiles p where p.user_id = p_invitation.invited_by),
      'role', p_invitation.role,
      'accept_path', '/invite/' || p_token,
      'expires_at', p_invitation.expires_at
    )
  );
$$;

-- ============================================================================================
-- Functions: staff invitations
-- ============================================================================================
create function public.invite_member(
  p_agency_id uuid,
  p_email text,
  p_role public.agency_role,
  p_name text default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_token text := private.new_token();
  v_member public.agency_members;
  v_invitation public.invitations;
begin
  perform private.require_manager(p_agency_id);
  if p_role = 'owner' and p_agency_id not in (select private.owner_agency_ids()) then
    raise exception using errcode = '42501', message = 'only an owner can invite another owner', hint = 'owner_required';
  end if;

  select m.* into v_member
  from public.agency_members m join public.profiles p on p.user_id = m.user_id
  where m.agency_id = p_agency_id and p.email = v_email;
  if found and v_member.is_active then
    raise exception using errcode = 'P0001', message = 'this person is already a member of the agency', hint = 'already_member';
  elsif found then
    raise exception using errcode = 'P0001',
      message = 'this person was deactivated; reactivate them in the team list instead', hint = 'member_deactivated';
  end if;

  begin
    insert into public.invitations (agency_id, email, name, role, token_hash, invited_by, expires_at)
    values (p_agency_id, v_email, nullif(btrim(p_name), ''), coalesce(p_role, 'member'),
            private.token_hash(v_token), (select auth.uid()), private.clock_now() + interval '7 days')
    returning * into v_invitation;
  exception when unique_violation then
    raise exception using errcode = 'P0001',
      message = 'this person already has a pending invitation; re-send it instead', hint = 'already_invited';
  end;
  perform private.queue_invitation_email(v_invitation, v_token);
  return v_invitation.id;
end;
$$;
comment on function public.invite_member(uuid, text, public.agency_role, text) is
  'Owner/manager invites a person by email with a role (only owners invite owners). Security '
  'definer because it writes the token hash and the outbox, which callers may not touch.';

-- ============================================================================================
-- Functions: portal invitations and access
-- ============================================================================================
create function public.invite_portal_contact(p_contact_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := private.new_token();
  v_contact public.client_contacts;
  v_invitation public.invitations;
begin
  select * into v_contact from public.client_contacts where id = p_contact_id;
  perform private.require_manager(v_contact.agency_id);
  if v_contact.email is null then
    raise exception using errcode = 'P0001', message = 'this contact has no email address', hint = 'contact_email_missing';
  end if;
  if v_contact.portal_access_granted_at is not null and v_contact.portal_access_revoked_at is null then
    raise exception using errcode = 'P0001', message = 'this contact already has portal access', hint = 'portal_access_active';
  end if;
  begin
    insert into public.invitations (agency_id, email, name, client_contact_id, token_hash, invited_by, expires_at)
    values (v_contact.agency_id, v_contact.email, v_contact.name, v_contact.id,
            private.token_hash(v_token), (select auth.uid()), private.clock_now() + interval '7 days')
    returning * into v_invitation;
  exception when unique_violation then
    raise exception using errcode = 'P0001',
      message = 'this contact already has a pending invitation; re-send it instead', hint = 'already_invited';
  end;
  perform private.queue_invitation_email(v_invitation, v_token);
  return v_invitation.id;
end;
$$;
comment on function public.invite_portal_contact(uuid) is
  'Grants portal access to a contact by emailing them an invitation; access starts when they accept.';

create function public.revoke_portal_access(p_contact_id uuid)
returns public.client_contacts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact public.client_contacts;
begin
  select * into v_contact from public.client_contacts where id = p_contact_id;
  perform private.require_manager(v_contact.agency_id);
  update public.invitations set revoked_at = now()
  where client_contact_id = p_contact_id and accepted_at is null and revoked_at is null;
  update public.client_contacts set portal_access_revoked_at = now()
  where id = p_contact_id and portal_access_granted_at is not null and portal_access_revoked_at is null;
  select * into v_contact from public.client_contacts where id = p_contact_id;
  return v_contact;
end;
$$;
comment on function public.revoke_portal_access(uuid) is
  'Ends a contact''s portal access at once (and cancels a pending invitation). Re-inviting restores it.';

-- ============================================================================================
-- Functions: managing pending invitations
-- ============================================================================================
create function public.resend_invitation(p_invitation_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := private.new_token();
  v_invitation public.invitations;
begin
  select * into v_invitation from public.invitations where id = p_invitation_id for update;
  perform private.require_manager(v_invitation.agency_id);
  if v_invitation.accepted_at is not null or v_invitation.revoked_at is not null then
    raise exception using errcode = 'P0001', message = 'this invitation is no longer pending', hint = 'invitation_closed';
  end if;
  update public.invitations
  set token_hash = private.token_hash(v_token), expires_at = private.clock_now() + interval '7 days', last_sent_at = now()
  where id = p_invitation_id
  returning * into v_invitation;
  perform private.queue_invitation_email(v_invitation, v_token);
  return v_invitation.id;
end;
$$;
comment on function public.resend_invitation(uuid) is
  'Issues a new token (the old link stops working), restarts the 7 days and emails it again.';

create function public.revoke_invitation(p_invitation_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.invitations;
begin
  select * into v_invitation from public.invitations where id = p_invitation_id for update;
  perform private.require_manager(v_invitation.agency_id);
  if v_invitation.accepted_at is not null then
    raise exception using errcode = 'P0001', message = 'this invitation was already accepted', hint = 'invitation_closed';
  end if;
  update public.invitations set revoked_at = coalesce(revoked_at, now())
  where id = p_invitation_id;
  return p_invitation_id;
end;
$$;

-- ============================================================================================
-- Functions: the invitee's side
-- ============================================================================================
create function public.invitation_preview(p_token text)
returns table (
  agency_name text,
  logo_url text,
  brand_color text,
  email text,
  name text,
  role public.agency_role,
  kind text,
  status text
)
language sql
stable
security definer
set search_path = ''
as $$
  select a.name, a.logo_url, a.brand_color, i.email, i.name, i.role,
         case when i.role is null then 'portal' else 'staff' end,
         case
           when i.revoked_at is not null then 'revoked'
           when i.accepted_at is not null then 'accepted'
           when i.expires_at <= private.clock_now() then 'expired'
           else 'pending'
         end
  from public.invitations i
  join public.agencies a on a.id = i.agency_id
  where i.token_hash = private.token_hash(p_token);
$$;
comment on function public.invitation_preview(text) is
  'What the invitation page shows before anyone signs in. Holding the token (from the email) is '
  'what entitles the caller to see it; unknown tokens return no row.';

create function public.accept_invitation(p_token text)
returns table (agency_id uuid, kind text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
  v_email text;
  v_invitation public.invitations;
  v_member public.agency_members;
begin
  if v_user_id is null then
    raise exception using errcode = '42501', message = 'sign in to accept an invitation', hint = 'not_authenticated';
  end if;
  select p.email into v_email from public.profiles p where p.user_id = v_user_id;

  select * into v_invitation from public.invitations i
  where i.token_hash = private.token_hash(p_token)
  for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'this invitation link is not valid', hint = 'invitation_invalid';
  elsif v_invitation.revoked_at is not null then
    raise exception using errcode = 'P0001', message = 'this invitation was withdrawn', hint = 'invitation_revoked';
  elsif v_invitation.accepted_at is not null then
    raise exception using errcode = 'P0001', message = 'this invitation was already used', hint = 'invitation_used';
  elsif v_invitation.expires_at <= private.clock_now() then
    raise exception using errcode = 'P0001', message = 'this invitation has expired; ask for a new one', hint = 'invitation_expired';
  elsif v_invitation.email is distinct from v_email then
    raise exception using errcode = 'P0001',
      message = 'this invitation was sent to another email address', hint = 'invitation_email_mismatch';
  end if;

  if v_invitation.role is not null then
    select * into v_member from public.agency_members m
    where m.agency_id = v_invitation.agency_id and m.user_id = v_user_id;
    if found and not v_member.is_active then
      raise exception using errcode = 'P0001',
        message = 'your membership was deactivated; ask an owner to reactivate it', hint = 'member_deactivated';
    elsif not found then
      insert into public.agency_members (agency_id, user_id, role)
      values (v_invitation.agency_id, v_user_id, v_invitation.role);
    end if;
  else
    update public.client_contacts
    set user_id = v_user_id, portal_access_granted_at = now(), portal_access_revoked_at = null
    where id = v_invitation.client_contact_id and client_contacts.agency_id = v_invitation.agency_id;
  end if;

  update public.invitations set accepted_at = now(), accepted_by = v_user_id where id = v_invitation.id;
  return query select v_invitation.agency_id, case when v_invitation.role is null then 'portal' else 'staff' end;
end;
$$;
comment on function public.accept_invitation(text) is
  'Turns a valid, unexpired, unused invitation addressed to the caller''s email into a membership '
  '(staff) or live portal access (contact), and burns the token. Security definer: the invitee '
  'is not yet allowed to see the invitation or write memberships.';

-- ============================================================================================
-- Function privileges
-- ============================================================================================
revoke execute on function public.invite_member(uuid, text, public.agency_role, text),
  public.invite_portal_contact(uuid), public.revoke_portal_access(uuid),
  public.resend_invitation(uuid), public.revoke_invitation(uuid),
  public.accept_invitation(text), public.invitation_preview(text) from public, anon;
grant execute on function public.invite_member(uuid, text, public.agency_role, text),
  public.invite_portal_contact(uuid), public.revoke_portal_access(uuid),
  public.resend_invitation(uuid), public.revoke_invitation(uuid),
  public.accept_invitation(text), public.invitation_preview(text) to authenticated;
grant execute on function public.invitation_preview(text) to anon;

-- Functions in `private` are for the grants above only (see the foundation migration).
revoke execute on all functions in schema private from public;
