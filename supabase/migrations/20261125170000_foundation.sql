-- Foundation: extensions, the `private` schema for helpers the API never exposes, the request
-- login role, shared trigger helpers and ISO 4217 reference data.
-- Runs unchanged on Supabase (`supabase db push`) and on the local bootstrap.

-- ============================================================================================
-- Extensions
-- ============================================================================================
create extension if not exists pgcrypto with schema extensions;

-- ============================================================================================
-- Schemas
-- ============================================================================================
-- Helpers used by policies and triggers. PostgREST exposes only `public`, so nothing here is
-- reachable as an endpoint; `authenticated` gets usage because policies call these functions.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
-- PostgreSQL lets every role execute a new function, and a per-schema default privilege cannot
-- take that back, so each migration that adds functions to `private` ends with
-- `revoke execute on all functions in schema private from public` and grants what policies need.
-- 02-catalog.test.sql fails if a private function is left executable by PUBLIC.

-- ============================================================================================
-- Roles
-- ============================================================================================
-- The app's request-path login. Like Supabase's `authenticator` it has no rights of its own
-- (noinherit) and can only become anon or authenticated for one transaction, so every request
-- query runs under RLS. Login and password are set per environment, never in a migration.
do $$
begin
  if not exists (select from pg_roles where rolname = 'crm_request') then
    create role crm_request noinherit nologin;
  end if;
end
$$;
grant anon, authenticated to crm_request;

-- ============================================================================================
-- Shared helpers
-- ============================================================================================
create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_updated_at() is 'Keeps updated_at honest without trusting the app to set it.';

create function private.clock_now()
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select now();
$$;
comment on function private.clock_now() is
  'The one clock business rules read (expiry, "no future time"). pgTAP tests freeze it by '
  'redefining it inside their own transaction, which is rolled back; nothing else overrides it.';
grant execute on function private.clock_now() to authenticated, service_role;

create function private.is_iana_timezone(p_name text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select from pg_catalog.pg_timezone_names where name = p_name);
$$;
comment on function private.is_iana_timezone(text) is
  'True for names in the IANA tz database (Europe/Berlin), false for abbreviations or offsets '
  'that would make local dates and DST handling ambiguous.';
-- Check constraints call it as whoever writes the row, including the service role.
grant execute on function private.is_iana_timezone(text) to authenticated, service_role;

create function private.is_email(p_value text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_value = lower(p_value)
     and char_length(p_value) <= 254
     and p_value ~ '^[^@\s]+@[^@\s]+\.[^@\s.]+$';
$$;
comment on function private.is_email(text) is
  'Stored emails are lower-case so lookups and uniqueness ignore case.';
grant execute on function private.is_email(text) to authenticated, service_role;

-- ============================================================================================
-- Reference data: currencies
-- ============================================================================================
create table public.currencies (
  code text primary key check (code ~ '^[A-Z]{3}$'),
  name text not null,
  minor_units smallint not null check (minor_units between 0 and 4)
);
comment on table public.currencies is
  'ISO 4217 currencies. Money is stored as integers in the minor unit, so formatting needs '
  'minor_units (JPY has none, KWD has three).';

revoke all on table public.currencies from anon, authenticated;
grant select on table public.currencies to anon, authenticated;
alter table public.currencies enable row level security;

create policy "currencies are public reference data for visitors"
  on public.currencies for select to anon using (true);
create policy "currencies are public reference data for users"
  on public.currencies for select to authenticated using (true);

insert into public.currencies (code, name, minor_units) values
  ('AED', 'UAE Dirham', 2), ('AFN', 'Afghani', 2), ('ALL', 'Lek', 2), ('AMD', 'Armenian Dram', 2),
  ('AOA', 'Kwanza', 2), ('ARS', 'Argentine Peso', 2), ('AUD', 'Australian Dollar', 2),
  ('AWG', 'Aruban Florin', 2), ('AZN', 'Azerbaijan Manat', 2), ('BAM', 'Convertible Mark', 2),
  ('BBD', 'Barbados Dollar', 2), ('BDT', 'Taka', 2), ('BGN', 'Bulgarian Lev', 2),
  ('BHD', 'Bahraini Dinar', 3), ('BIF', 'Burundi Franc', 0), ('BMD', 'Bermudian Dollar', 2),
  ('BND', 'Brunei Dollar', 2), ('BOB', 'Boliviano', 2), ('BRL', 'Brazilian Real', 2),
  ('BSD', 'Bahamian Dollar', 2), ('BTN', 'Ngultrum', 2), ('BWP', 'Pula', 2),
  ('BYN', 'Belarusian Ruble', 2), ('BZD', 'Belize Dollar', 2), ('CAD', 'Canadian Dollar', 2),
  ('CDF', 'Congolese Franc', 2), ('CHF', 'Swiss Franc', 2), ('CLP', 'Chilean Peso', 0),
  ('CNY', 'Yuan Renminbi', 2), ('COP', 'Colombian Peso', 2), ('CRC', 'Costa Rican Colon', 2),
  ('CUP', 'Cuban Peso', 2), ('CVE', 'Cabo Verde Escudo', 2), ('CZK', 'Czech Koruna', 2),
  ('DJF', 'Djibouti Franc', 0), ('DKK', 'Danish Krone', 2), ('DOP', 'Dominican Peso', 2),
  ('DZD', 'Algerian Dinar', 2), ('EGP', 'Egyptian Pound', 2), ('ERN', 'Nakfa', 2),
  ('ETB', 'Ethiopian Birr', 2), ('EUR', 'Euro', 2), ('FJD', 'Fiji Dollar', 2),
  ('FKP', 'Falkland Islands Pound', 2), ('GBP', 'Pound Sterling', 2), ('GEL', 'Lari', 2),
  ('GHS', 'Ghana Cedi', 2), ('GIP', 'Gibraltar Pound', 2), ('GMD', 'Dalasi', 2),
  ('GNF', 'Guinean Franc', 0), ('GTQ', 'Quetzal', 2), ('GYD', 'Guyana Dollar', 2),
  ('HKD', 'Hong Kong Dollar', 2), ('HNL', 'Lempira', 2), ('HTG', 'Gourde', 2),
  ('HUF', 'Forint', 2), ('IDR', 'Rupiah', 2), ('ILS', 'New Israeli Sheqel', 2),
  ('INR', 'Indian Rupee', 2), ('IQD', 'Iraqi Dinar', 3), ('IRR', 'Iranian Rial', 2),
  ('ISK', 'Iceland Krona', 0), ('JMD', 'Jamaican Dollar', 2), ('JOD', 'Jordanian Dinar', 3),
  ('JPY', 'Yen', 0), ('KES', 'Kenyan Shilling', 2), ('KGS', 'Som', 2), ('KHR', 'Riel', 2),
  ('KMF', 'Comorian Franc', 0), ('KPW', 'North Korean Won', 2), ('KRW', 'Won', 0),
  ('KWD', 'Kuwaiti Dinar', 3), ('KYD', 'Cayman Islands Dollar', 2), ('KZT', 'Tenge', 2),
  ('LAK', 'Lao Kip', 2), ('LBP', 'Lebanese Pound', 2), ('LKR', 'Sri Lanka Rupee', 2),
  ('LRD', 'Liberian Dollar', 2), ('LSL', 'Loti', 2), ('LYD', 'Libyan Dinar', 3),
  ('MAD', 'Moroccan Dirham', 2), ('MDL', 'Moldovan Leu', 2), ('MGA', 'Malagasy Ariary', 2),
  ('MKD', 'Denar', 2), ('MMK', 'Kyat', 2), ('MNT', 'Tugrik', 2), ('MOP', 'Pataca', 2),
  ('MRU', 'Ouguiya', 2), ('MUR', 'Mauritius Rupee', 2), ('MVR', 'Rufiyaa', 2),
  ('MWK', 'Malawi Kwacha', 2), ('MXN', 'Mexican Peso', 2), ('MYR', 'Malaysian Ringgit', 2),
  ('MZN', 'Mozambique Metical', 2), ('NAD', 'Namibia Dollar', 2), ('NGN', 'Naira', 2),
  ('NIO', 'Cordoba Oro', 2), ('NOK', 'Norwegian Krone', 2), ('NPR', 'Nepalese Rupee', 2),
  ('NZD', 'New Zealand Dollar', 2), ('OMR', 'Rial Omani', 3), ('PAB', 'Balboa', 2),
  ('PEN', 'Sol', 2), ('PGK', 'Kina', 2), ('PHP', 'Philippine Peso', 2),
  ('PKR', 'Pakistan Rupee', 2), ('PLN', 'Zloty', 2), ('PYG', 'Guarani', 0),
  ('QAR', 'Qatari Rial', 2), ('RON', 'Romanian Leu', 2), ('RSD', 'Serbian Dinar', 2),
  ('RUB', 'Russian Ruble', 2), ('RWF', 'Rwanda Franc', 0), ('SAR', 'Saudi Riyal', 2),
  ('SBD', 'Solomon Islands Dollar', 2), ('SCR', 'Seychelles Rupee', 2),
  ('SDG', 'Sudanese Pound', 2), ('SEK', 'Swedish Krona', 2), ('SGD', 'Singapore Dollar', 2),
  ('SHP', 'Saint Helena Pound', 2), ('SLE', 'Leone', 2), ('SOS', 'Somali Shilling', 2),
  ('SRD', 'Surinam Dollar', 2), ('SSP', 'South Sudanese Pound', 2), ('STN', 'Dobra', 2),
  ('SVC', 'El Salvador Colon', 2), ('SYP', 'Syrian Pound', 2), ('SZL', 'Lilangeni', 2),
  ('THB', 'Baht', 2), ('TJS', 'Somoni', 2), ('TMT', 'Turkmenistan New Manat', 2),
  ('TND', 'Tunisian Dinar', 3), ('TOP', 'Pa''anga', 2), ('TRY', 'Turkish Lira', 2),
  ('TTD', 'Trinidad and Tobago Dollar', 2), ('TWD', 'New Taiwan Dollar', 2),
  ('TZS', 'Tanzanian Shilling', 2), ('UAH', 'Hryvnia', 2), ('UGX', 'Uganda Shilling', 0),
  ('USD', 'US Dollar', 2), ('UYU', 'Peso Uruguayo', 2), ('UZS', 'Uzbekistan Sum', 2),
  ('VES', 'Bolivar Soberano', 2), ('VND', 'Dong', 0), ('VUV', 'Vatu', 0), ('WST', 'Tala', 2),
  ('XAF', 'CFA Franc BEAC', 0), ('XCD', 'East Caribbean Dollar', 2),
  ('XOF', 'CFA Franc BCEAO', 0), ('XPF', 'CFP Franc', 0), ('YER', 'Yemeni Rial', 2),
  ('ZAR', 'Rand', 2), ('ZMW', 'Zambian Kwacha', 2), ('ZWG', 'Zimbabwe Gold', 2);

-- ============================================================================================
-- Function privileges
-- ============================================================================================
revoke execute on all functions in schema private from public;
