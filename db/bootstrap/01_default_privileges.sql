-- Supabase-compatibility bootstrap, part 2: default privileges.
-- On Supabase every table, sequence and function created in `public` is granted to anon,
-- authenticated and service_role by default, and RLS is what protects rows. Local mode must behave
-- the same, or a migration that forgets a `revoke` would be safe here and open on Supabase.
-- Applied by the role that runs the migrations, because default privileges belong to the creator.

alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
