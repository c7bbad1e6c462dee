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
