-- CSV import of clients. Each row (client plus optional primary contact) is all or nothing: it
-- runs in its own subtransaction, so a bad row leaves no half-created client behind while the
-- good rows import. A dry run checks every row against the real constraints and policies and
-- writes nothing — that is the preview the person confirms.

create function public.import_clients(p_agency_id uuid, p_rows jsonb, p_dry_run boolean)
returns table (
  row_number integer,
  ok boolean,
  client_id uuid,
  error_state text,
  error_table text,
  error_constraint text,
  error_column text,
  error_message text
)
language plpgsql
set search_path = ''
as $$
declare
  v_row jsonb;
  v_index integer := 0;
  v_client_id uuid;
  v_state text;
  v_table text;
  v_constraint text;
  v_column text;
  v_message text;
begin
  if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) > 5000 then
    raise exception using errcode = 'P0001', message = 'import at most 5000 rows at a time', hint = 'import_too_large';
  end if;
  for v_row in select value from jsonb_array_elements(p_rows) loop
    v_index := v_index + 1;
    begin
      insert into public.clients (agency_id, name, industry, tags, size, website, address, country, currency,
                                  relationship, notes)
      values (
        p_agency_id,
        v_row ->> 'name',
        nullif(btrim(v_row ->> 'industry'), ''),
        coalesce(array(select jsonb_array_elements_text(coalesce(v_row -> 'tags', '[]'::jsonb))), '{}'),
        nullif(btrim(v_row ->> 'size'), ''),
        nullif(btrim(v_row ->> 'website'), ''),
        nullif(btrim(v_row ->> 'address'), ''),
        upper(nullif(btrim(v_row ->> 'country'), '')),
        upper(nullif(btrim(v_row ->> 'currency'), '')),
        coalesce(nullif(lower(btrim(v_row ->> 'relationship')), ''), 'lead')::public.client_relationship,
        nullif(btrim(v_row ->> 'notes'), '')
      )
      returning id into v_client_id;

      if nullif(btrim(v_row ->> 'contact_name'), '') is not null then
        insert into public.client_contacts (agency_id, client_id, name, email, phone, title, is_primary)
        values (p_agency_id, v_client_id, btrim(v_row ->> 'contact_name'),
                lower(nullif(btrim(v_row ->> 'contact_email'), '')), nullif(btrim(v_row ->> 'contact_phone'), ''),
                nullif(btrim(v_row ->> 'contact_title'), ''), true);
      elsif nullif(btrim(v_row ->> 'contact_email'), '') is not null then
        raise exception using errcode = '23502', message = 'a contact email needs a contact name',
          table = 'client_contacts', column = 'name';
      end if;

      if p_dry_run then
        -- Undo this row's inserts: the preview must write nothing.
        raise exception using errcode = 'P0004', message = 'dry run';
      end if;
      return query select v_index, true, v_client_id, null::text, null::text, null::text, null::text, null::text;
    exception
      when sqlstate 'P0004' then
        return query select v_index, true, null::uuid, null::text, null::text, null::text, null::text, null::text;
      when others then
        get stacked diagnostics v_state = returned_sqlstate, v_table = table_name, v_constraint = constraint_name,
          v_column = column_name, v_message = message_text;
        return query select v_index, false, null::uuid, v_state, nullif(v_table, ''), nullif(v_constraint, ''),
          nullif(v_column, ''), v_message;
    end;
  end loop;
end;
$$;
comment on function public.import_clients(uuid, jsonb, boolean) is
  'Imports client rows ({name, industry, tags[], size, website, address, country, currency, '
  'relationship, notes, contact_name, contact_email, contact_phone, contact_title}) as the caller, '
  'under RLS and every constraint. One result per row; a failed row imports nothing. With '
  'p_dry_run nothing is written (the preview).';
revoke execute on function public.import_clients(uuid, jsonb, boolean) from public, anon;
grant execute on function public.import_clients(uuid, jsonb, boolean) to authenticated;
