-- Rate-limit counters shared by every app instance (rate-limiter-flexible's Drizzle store).
-- Unlogged: counters are worthless after a crash and should not cost WAL.

create unlogged table private.rate_limits (
  key text primary key,
  points integer not null default 0,
  expire timestamptz
);
create index rate_limits_expire_idx on private.rate_limits (expire);
comment on table private.rate_limits is
  'Request counters per key (user id, or IP + email for sign-in). The request login role owns '
  'no data and is a member of anon/authenticated only; this table is the one thing it may write '
  'as itself, because limits apply before a user is known.';

grant usage on schema private to crm_request;
grant select, insert, update, delete on table private.rate_limits to crm_request;

-- The counters are keyed by user id or IP and email; the limiter reads and writes them all.
alter table private.rate_limits enable row level security;
create policy "the request role keeps the counters: read"
  on private.rate_limits for select to crm_request using (true);
create policy "the request role keeps the counters: add"
  on private.rate_limits for insert to crm_request with check (true);
create policy "the request role keeps the counters: count"
  on private.rate_limits for update to crm_request using (true) with check (true);
create policy "the request role keeps the counters: expire"
  on private.rate_limits for delete to crm_request using (true);
