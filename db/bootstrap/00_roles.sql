-- Supabase-compatibility bootstrap, part 1: the roles Supabase creates in every project.
-- Applied by db/prepare.ts only to a database that is not a Supabase project; every statement is
-- guarded so a partial earlier run, or a database that already has some of these, is left alone.

do $$
begin
  -- Requests without a user. Policies never grant it anything here unless they say `to anon`.
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  -- Requests with a verified user JWT.
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  -- Trusted server code acting for the platform; as on Supabase it bypasses RLS.
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  -- Owner of the auth schema. On Supabase the Auth server (GoTrue) logs in with it; in local mode
  -- the built-in issuer does. Login and password are set by db/prepare.ts.
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin noinherit nologin;
  end if;
end
$$;

-- The same schema-level defaults a Supabase project starts with.
grant usage on schema public to anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
