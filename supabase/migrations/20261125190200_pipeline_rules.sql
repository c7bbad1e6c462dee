-- Pipeline rules: default stages and template for every agency, what a stage change means
-- (probability, closed_at, lost reason), the client timeline for deals and projects, and the won
-- deal → project step. All in triggers, so the board, the API and any future path obey them alike.

-- ============================================================================================
-- Timeline events can now point at their deal and project
-- ============================================================================================
drop function private.log_client_event(uuid, uuid, text, text, jsonb);
create function private.log_client_event(
  p_agency_id uuid,
  p_client_id uuid,
  p_event text,
  p_body text,
  p_data jsonb default '{}'::jsonb,
  p_deal_id uuid default null,
  p_project_id uuid default null
)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.client_activities (agency_id, client_id, kind, event, body, data, deal_id, project_id,
                                       occurred_at, created_by)
  values (p_agency_id, p_client_id, 'system', p_event, p_body, coalesce(p_data, '{}'::jsonb), p_deal_id, p_project_id,
          clock_timestamp(), (select auth.uid()));
$$;
comment on function private.log_client_event(uuid, uuid, text, text, jsonb, uuid, uuid) is
  'The one way system events reach a client timeline; called by triggers of deals, projects and '
  '(later) invoices.';

-- ============================================================================================
-- Agency defaults
-- ============================================================================================
create function private.create_agency_defaults(p_agency_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_template_id uuid;
begin
  insert into public.pipeline_stages (agency_id, key, name, position, default_probability, kind)
  values
    (p_agency_id, 'lead', 'Lead', 1, 10, 'open'),
    (p_agency_id, 'proposal', 'Proposal', 2, 40, 'open'),
    (p_agency_id, 'negotiation', 'Negotiation', 3, 70, 'open'),
    (p_agency_id, 'won', 'Won', 100, 100, 'won'),
    (p_agency_id, 'lost', 'Lost', 101, 0, 'lost')
  on conflict (agency_id, key) do nothing;

  if not exists (select from public.project_templates where agency_id = p_agency_id) then
    insert into public.project_templates (agency_id, name, description, billing_type, is_default)
    values (p_agency_id, 'Standard project', 'Discovery to launch: the default plan for a won deal.', 'fixed', true)
    returning id into v_template_id;
    insert into public.project_template_tasks (agency_id, template_id, title, position)
    select p_agency_id, v_template_id, title, position
    from (values ('Kick-off meeting', 1), ('Discovery and requirements', 2), ('Design', 3), ('Build', 4),
                 ('Review with the client', 5), ('Launch', 6)) as t (title, position);
  end if;
end;
$$;
comment on function private.create_agency_defaults(uuid) is
  'A new agency starts with lead 10 %, proposal 40 %, negotiation 70 %, won 100 %, lost 0 % and a '
  'default project template.';

create function private.agencies_create_defaults()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.create_agency_defaults(new.id);
  return null;
end;
$$;

create trigger agencies_create_defaults after insert on public.agencies
  for each row execute function private.agencies_create_defaults();

select private.create_agency_defaults(id) from public.agencies;

-- ============================================================================================
-- Stages
-- ============================================================================================
create function private.guard_stage_removal()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_deals integer;
begin
  select count(*) into v_deals from public.deals where stage_id = old.id;
  if v_deals > 0 then
    raise exception using errcode = 'P0001',
      message = format('move the %s deal(s) in "%s" to another stage first', v_deals, old.name),
      hint = 'stage_has_deals';
  end if;
  return old;
end;
$$;
comment on function private.guard_stage_removal() is
  'A stage with deals cannot be removed; the message says how many deals to move. Security definer '
  'to count deals a manager''s RLS would show anyway, and a member cannot delete stages at all.';

create trigger pipeline_stages_guard_removal before delete on public.pipeline_stages
  for each row execute function private.guard_stage_removal();
create trigger pipeline_stages_touch_updated_at before update on public.pipeline_stages
  for each row execute function private.touch_updated_at();

create function public.reorder_pipeline_stages(p_agency_id uuid, p_stage_ids uuid[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_open uuid[];
  v_updated integer;
begin
  select coalesce(array_agg(id order by id), '{}') into v_open
  from public.pipeline_stages where agency_id = p_agency_id and kind = 'open';
  if v_open is distinct from (select coalesce(array_agg(x order by x), '{}') from unnest(p_stage_ids) as x) then
    raise exception using errcode = 'P0001',
      message = 'list every open stage of the agency exactly once', hint = 'stage_list_mismatch';
  end if;
  update public.pipeline_stages s
  set position = ordered.ordinality
  from unnest(p_stage_ids) with ordinality as ordered (id, ordinality)
  where s.id = ordered.id and s.agency_id = p_agency_id;
  get diagnostics v_updated = row_count;
  -- RLS filters the update silently for people who may not change stages: say so instead.
  if v_updated < cardinality(p_stage_ids) then
    raise exception using errcode = '42501', message = 'only an owner or manager can reorder stages',
      hint = 'manager_required';
  end if;
end;
$$;
comment on function public.reorder_pipeline_stages(uuid, uuid[]) is
  'Puts the open stages in the given order. Won and lost stay last. RLS decides who may.';
revoke execute on function public.reorder_pipeline_stages(uuid, uuid[]) from public, anon;
grant execute on function public.reorder_pipeline_stages(uuid, uuid[]) to authenticated;

-- ============================================================================================
-- Templates: one default per agency
-- ============================================================================================
create function private.project_templates_single_default()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_default and (tg_op = 'INSERT' or not old.is_default) then
    update public.project_templates set is_default = false
    where agency_id = new.agency_id and id <> new.id and is_default;
  end if;
  return new;
end;
$$;
comment on function private.project_templates_single_default() is
  'Making a template the default takes the flag from the previous one.';

create trigger project_templates_single_default before insert or update of is_default on public.project_templates
  for each row execute function private.project_templates_single_default();
create trigger project_templates_touch_updated_at before update on public.project_templates
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Deals: what a stage means
-- ============================================================================================
create function private.deals_apply_stage_rules()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_stage public.pipeline_stages;
  v_stage_changed boolean := tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id;
begin
  select * into v_stage from public.pipeline_stages where id = new.stage_id and agency_id = new.agency_id;
  if not found then
    -- Said here, because NOT NULL checks (probability, currency) would otherwise speak first.
    raise exception using errcode = '23503', message = 'the stage does not belong to this agency',
      table = 'deals', column = 'stage_id', constraint = 'deals_agency_id_stage_id_fkey';
  end if;

  if tg_op = 'INSERT' then
    new.probability := coalesce(new.probability, v_stage.default_probability);
    new.currency := coalesce(
      new.currency,
      (select c.currency from public.clients c where c.id = new.client_id and c.agency_id = new.agency_id),
      (select a.currency from public.agencies a where a.id = new.agency_id)
    );
    new.created_by := coalesce((select auth.uid()), new.created_by);
    if new.position = 0 then
      new.position := coalesce((select max(d.position) from public.deals d where d.stage_id = new.stage_id), 0) + 1;
    end if;
  elsif new.probability is null or (v_stage_changed and new.probability is not distinct from old.probability) then
    -- Moving a card takes the new column's probability unless the move itself sets one; clearing
    -- the probability goes back to the stage's.
    new.probability := v_stage.default_probability;
  end if;

  if v_stage.kind <> 'open' then
    new.probability := v_stage.default_probability;
  end if;
  if v_stage_changed then
    new.closed_at := case when v_stage.kind = 'open' then null else private.clock_now() end;
  end if;
  if v_stage.kind = 'lost' and nullif(btrim(coalesce(new.lost_reason, '')), '') is null then
    raise exception using errcode = 'P0001', message = 'say why the deal was lost', hint = 'lost_reason_required';
  elsif v_stage.kind <> 'lost' then
    new.lost_reason := null;
  end if;

  if new.assigned_to is not null and (tg_op = 'INSERT' or new.assigned_to is distinct from old.assigned_to)
     and not exists (
       select from public.agency_members m
       where m.agency_id = new.agency_id and m.user_id = new.assigned_to and m.is_active
     ) then
    raise exception using errcode = 'P0001', message = 'deals can only be assigned to active members of the agency',
      hint = 'assignee_not_active';
  end if;
  return new;
end;
$$;
comment on function private.deals_apply_stage_rules() is
  'Probability defaults from the stage (won 100, lost 0); closed_at is stamped on entering won or '
  'lost and cleared on reopening; a lost deal needs a reason; assignees are active members; the '
  'currency defaults to the client''s, then the agency''s. Security definer to read the client and '
  'agency rows whoever moves the deal.';

create trigger deals_apply_stage_rules before insert or update on public.deals
  for each row execute function private.deals_apply_stage_rules();
create trigger deals_touch_updated_at before update on public.deals
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Won deal → project
-- ============================================================================================
create function private.create_project_from_deal(p_deal public.deals)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_template_id uuid := coalesce(
    p_deal.template_id,
    (select t.id from public.project_templates t where t.agency_id = p_deal.agency_id and t.is_default)
  );
  v_project_id uuid;
begin
  insert into public.projects (agency_id, client_id, source_deal_id, name, description, status, billing_type,
                               budget_cents, currency, template_id, created_by)
  values (p_deal.agency_id, p_deal.client_id, p_deal.id, p_deal.title, p_deal.description, 'planning',
          p_deal.billing_type, p_deal.value_cents, p_deal.currency, v_template_id, (select auth.uid()))
  on conflict (agency_id, source_deal_id) do nothing
  returning id into v_project_id;
  if v_project_id is null then
    return null; -- the deal was won before: its project exists already
  end if;
  insert into public.tasks (agency_id, project_id, title, position)
  select p_deal.agency_id, v_project_id, tt.title, tt.position
  from public.project_template_tasks tt
  where tt.template_id = v_template_id and tt.agency_id = p_deal.agency_id;
  return v_project_id;
end;
$$;
comment on function private.create_project_from_deal(public.deals) is
  'Creates the project of a won deal with the tasks of its template (or the agency default), at '
  'most once per deal (unique source_deal_id). Security definer: whoever may win a deal gets its '
  'project, as the agency''s process says, without needing to create projects themselves.';

create function private.deals_after_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from public.pipeline_stages;
  v_to public.pipeline_stages;
begin
  select * into v_to from public.pipeline_stages where id = new.stage_id;
  if tg_op = 'INSERT' then
    perform private.log_client_event(new.agency_id, new.client_id, 'deal_created',
      format('Deal "%s" added in %s', new.title, v_to.name),
      jsonb_build_object('stage', v_to.key, 'value_cents', new.value_cents, 'currency', new.currency), new.id);
  end if;
  if tg_op = 'INSERT' and v_to.kind <> 'open' then
    -- Recorded as already decided: the timeline says so as it would for a move.
    perform private.log_client_event(new.agency_id, new.client_id,
      case v_to.kind when 'won' then 'deal_won' else 'deal_lost' end,
      case v_to.kind when 'won' then format('Deal "%s" won', new.title)
        else format('Deal "%s" lost: %s', new.title, new.lost_reason) end,
      jsonb_build_object('to', v_to.key, 'lost_reason', new.lost_reason), new.id);
  elsif tg_op = 'UPDATE' and new.stage_id is distinct from old.stage_id then
    select * into v_from from public.pipeline_stages where id = old.stage_id;
    perform private.log_client_event(new.agency_id, new.client_id,
      case v_to.kind when 'won' then 'deal_won' when 'lost' then 'deal_lost' else 'deal_moved' end,
      case v_to.kind
        when 'won' then format('Deal "%s" won', new.title)
        when 'lost' then format('Deal "%s" lost: %s', new.title, new.lost_reason)
        else format('Deal "%s" moved from %s to %s', new.title, v_from.name, v_to.name)
      end,
      jsonb_build_object('from', v_from.key, 'to', v_to.key, 'lost_reason', new.lost_reason), new.id);
  end if;

  if v_to.kind = 'won' and (tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id) then
    perform private.create_project_from_deal(new);
    update public.clients set relationship = 'active'
    where id = new.client_id and relationship in ('lead', 'prospect');
  end if;
  return null;
end;
$$;
comment on function private.deals_after_change() is
  'Writes the client timeline for new and moved deals, and turns a won deal into its project.';

create trigger deals_after_change after insert or update of stage_id on public.deals
  for each row execute function private.deals_after_change();

-- ============================================================================================
-- Projects on the timeline
-- ============================================================================================
create function private.projects_log_created()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.log_client_event(new.agency_id, new.client_id, 'project_created',
    format('Project "%s" created', new.name), '{}'::jsonb, new.source_deal_id, new.id);
  return null;
end;
$$;

create trigger projects_log_created after insert on public.projects
  for each row execute function private.projects_log_created();
create trigger projects_touch_updated_at before update on public.projects
  for each row execute function private.touch_updated_at();
create trigger tasks_touch_updated_at before update on public.tasks
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Commands
-- ============================================================================================
create function public.move_deal(
  p_deal_id uuid,
  p_stage text,
  p_lost_reason text default null,
  p_position double precision default null
)
returns table (deal_id uuid, project_id uuid, project_created boolean)
language plpgsql
set search_path = ''
as $$
declare
  v_deal public.deals;
  v_stage_id uuid;
  v_project_before uuid;
  v_project_after uuid;
begin
  select * into v_deal from public.deals d where d.id = p_deal_id;
  if not found then
    raise exception using errcode = 'P0002', message = 'no such deal', hint = 'deal_not_found';
  end if;
  select s.id into v_stage_id from public.pipeline_stages s
  where s.agency_id = v_deal.agency_id and (s.key = p_stage or s.id::text = p_stage);
  if v_stage_id is null then
    raise exception using errcode = 'P0001', message = format('there is no stage "%s"', p_stage), hint = 'unknown_stage';
  end if;
  select p.id into v_project_before from public.projects p where p.source_deal_id = p_deal_id;

  update public.deals d
  set stage_id = v_stage_id,
      lost_reason = coalesce(p_lost_reason, d.lost_reason),
      position = coalesce(p_position, d.position)
  where d.id = p_deal_id;
  if not found then
    raise exception using errcode = '42501', message = 'only an owner or manager can move deals', hint = 'manager_required';
  end if;

  select p.id into v_project_after from public.projects p where p.source_deal_id = p_deal_id;
  return query select p_deal_id, v_project_after, v_project_before is null and v_project_after is not null;
end;
$$;
comment on function public.move_deal(uuid, text, text, double precision) is
  'Moves a deal to a stage (by key such as won, or by id) and/or position; the deal triggers do the '
  'rest. Returns the deal''s project and whether this move created it.';
revoke execute on function public.move_deal(uuid, text, text, double precision) from public, anon;
grant execute on function public.move_deal(uuid, text, text, double precision) to authenticated;

-- ============================================================================================
-- Function privileges
-- ============================================================================================
revoke execute on all functions in schema private from public;
grant execute on function private.weighted_cents(bigint, integer) to authenticated;
