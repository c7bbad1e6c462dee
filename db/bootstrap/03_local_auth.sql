-- Local-mode sign-in state for the built-in token issuer (app/utils/auth/local-issuer.server.ts).
-- Supabase Auth keeps the equivalent in its own tables; this schema exists only where the bootstrap
-- runs. Every token is stored as a SHA-256 hash, is single-use and expires.

create schema if not exists local_auth authorization supabase_auth_admin;
revoke all on schema local_auth from public;

create table if not exists local_auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  refreshed_at timestamptz not null default now(),
  revoked_at timestamptz,
  -- How the person proved who they are ('password' or 'otp'); the amr claim repeats it.
  method text not null default 'password' check (method in ('password', 'otp'))
);
create index if not exists sessions_user_id_idx on local_auth.sessions (user_id);
comment on table local_auth.sessions is
  'One row per sign-in; its id is the session_id claim. Revoking it ends every refresh token in it.';

create table if not exists local_auth.refresh_tokens (
  id bigint generated always as identity primary key,
  session_id uuid not null references local_auth.sessions (id) on delete cascade,
  token_hash bytea not null unique,
  parent_id bigint references local_auth.refresh_tokens (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index if not exists refresh_tokens_session_id_idx on local_auth.refresh_tokens (session_id);
comment on table local_auth.refresh_tokens is
  'Rotating refresh tokens: each may be exchanged once. A token used again after the grace period '
  'is taken as stolen and its whole session is revoked.';

create table if not exists local_auth.one_time_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  purpose text not null check (purpose in ('magic_link')),
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  consumed_at timestamptz
);
create index if not exists one_time_tokens_user_id_idx on local_auth.one_time_tokens (user_id);
comment on table local_auth.one_time_tokens is 'Magic-link tokens: single use, short-lived.';

alter table local_auth.sessions owner to supabase_auth_admin;
alter table local_auth.refresh_tokens owner to supabase_auth_admin;
alter table local_auth.one_time_tokens owner to supabase_auth_admin;

-- Exchange a refresh token for its successor in one statement-safe step.
-- Returns the session's user, or nothing when the token is unknown, expired, revoked or reused.
create or replace function local_auth.rotate_refresh_token(
  p_token_hash bytea,
  p_next_hash bytea,
  p_lifetime interval,
  p_reuse_grace interval
)
returns table (user_id uuid, session_id uuid, method text)
language plpgsql
set search_path = ''
as $$
declare
  v_token local_auth.refresh_tokens;
  v_session local_auth.sessions;
begin
  select * into v_token from local_auth.refresh_tokens t where t.token_hash = p_token_hash for update;
  if not found then
    return;
  end if;
  select * into v_session from local_auth.sessions s where s.id = v_token.session_id for update;
  if v_session.revoked_at is not null or v_token.expires_at <= now() then
    return;
  end if;
  if v_token.used_at is not null then
    -- Two tabs refreshing at once present the same token; within the grace period both succeed.
    if v_token.used_at < now() - p_reuse_grace then
      update local_auth.sessions set revoked_at = now() where id = v_session.id;
      return;
    end if;
  else
    update local_auth.refresh_tokens set used_at = now() where id = v_token.id;
  end if;
  insert into local_auth.refresh_tokens (session_id, token_hash, parent_id, expires_at)
  values (v_session.id, p_next_hash, v_token.id, now() + p_lifetime);
  update local_auth.sessions set refreshed_at = now() where id = v_session.id;
  return query select v_session.user_id, v_session.id, v_session.method;
end;
$$;
alter function local_auth.rotate_refresh_token(bytea, bytea, interval, interval) owner to supabase_auth_admin;
revoke all on function local_auth.rotate_refresh_token(bytea, bytea, interval, interval) from public;
