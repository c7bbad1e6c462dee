-- A won deal becomes a project, once: its fields, the template's tasks in order, what moving out of
-- won and back does, deals inserted straight into won, the client's relationship, the timeline
-- events a deal's life writes, and who can see (and nobody can delete) the project.
begin;
select plan(36);

-- ============================================================================================
-- Arrange
-- ============================================================================================
select tests.create_user('wp-owner@a18.test');
select tests.create_user('wp-manager@a18.test');
select tests.create_user('wp-member@a18.test');
select tests.create_user('wp-other-member@a18.test');

insert into tests.labels (label, id) values ('a', tests.create_agency('wp-owner@a18.test', 'Agency Eighteen'));
select tests.add_member(tests.id('a'), 'wp-manager@a18.test', 'manager');
select tests.add_member(tests.id('a'), 'wp-member@a18.test', 'member');
select tests.add_member(tests.id('a'), 'wp-other-member@a18.test', 'member');

insert into tests.labels (label, id)
select 'a:' || s.key, s.id from public.pipeline_stages s where s.agency_id = tests.id('a');
insert into tests.labels (label, id)
select 'default-template', t.id from public.project_templates t where t.agency_id = tests.id('a') and t.is_default;

with t as (
  insert into public.project_templates (agency_id, name, billing_type)
  values (tests.id('a'), 'Retainer plan', 'retainer') returning id
)
insert into tests.labels (label, id) select 'retainer-template', id from t;
-- Inserted out of order: the project must follow position, not insertion order.
insert into public.project_template_tasks (agency_id, template_id, title, position) values
  (tests.id('a'), tests.id('retainer-template'), 'Monthly report', 2),
  (tests.id('a'), tests.id('retainer-template'), 'Quarterly review', 3),
  (tests.id('a'), tests.id('retainer-template'), 'Onboarding', 1);

with c as (
  insert into public.clients (agency_id, name, relationship, currency) values
    (tests.id('a'), 'Lead Co', 'lead', null),
    (tests.id('a'), 'Prospect Co', 'prospect', 'EUR'),
    (tests.id('a'), 'Inactive Co', 'inactive', null),
    (tests.id('a'), 'Direct Co', 'lead', null),
    (tests.id('a'), 'Lost Co', 'prospect', null)
  returning lower(split_part(name, ' ', 1)) as label, id
)
insert into tests.labels (label, id) select label, id from c;

with d as (
  insert into public.deals (agency_id, client_id, stage_id, title, description, value_cents, billing_type, template_id, assigned_to) values
    (tests.id('a'), tests.id('lead'), tests.id('a:lead'), 'Website relaunch', 'New site on the new brand', 1250000, 'fixed', null,
     tests.user_id('wp-member@a18.test')),
    (tests.id('a'), tests.id('prospect'), tests.id('a:proposal'), 'Support retainer', null, 300000, 'retainer',
     tests.id('retainer-template'), null),
    (tests.id('a'), tests.id('inactive'), tests.id('a:negotiation'), 'Win-back', null, 10000, 'hourly', null, null),
    (tests.id('a'), tests.id('lost'), tests.id('a:lead'), 'Shelved idea', null, 20000, 'fixed', null, null)
  returning lower(split_part(title, ' ', 1)) as label, id
)
insert into tests.labels (label, id) select 'deal:' || label, id from d;

-- ============================================================================================
-- Winning a deal creates its project
-- ============================================================================================
select tests.authenticate_as('wp-manager@a18.test');
select lives_ok(format($$ select * from public.move_deal(%L, 'proposal') $$, tests.id('deal:website')),
  'a manager moves the deal on to proposal');
select results_eq(
  format($$ select project_created, project_id is not null from public.move_deal(%L, 'won') $$, tests.id('deal:website')),
  $$ values (true, true) $$,
  'moving the deal to won creates a project, and move_deal says so'
);
select tests.reset_role();
insert into tests.labels (label, id) select 'project:website', id from public.projects where source_deal_id = tests.id('deal:website');
select is((select count(*)::int from public.projects where source_deal_id = tests.id('deal:website')), 1,
  'the won deal has exactly one project');
select results_eq(
  format($$ select name, description, status::text, billing_type::text, budget_cents, currency, client_id, template_id, created_by
            from public.projects where source_deal_id = %L $$, tests.id('deal:website')),
  format($$ values ('Website relaunch', 'New site on the new brand', 'planning', 'fixed', 1250000::bigint, 'USD', %L::uuid, %L::uuid, %L::uuid) $$,
         tests.id('lead'), tests.id('default-template'), tests.user_id('wp-manager@a18.test')),
  'the project takes the deal''s title, description, value, billing type, currency and client, and the agency''s default template'
);
select results_eq(
  format($$ select title, position, status::text from public.tasks where project_id = %L order by position $$, tests.id('project:website')),
  $$ values ('Kick-off meeting', 1, 'todo'), ('Discovery and requirements', 2, 'todo'), ('Design', 3, 'todo'), ('Build', 4, 'todo'),
            ('Review with the client', 5, 'todo'), ('Launch', 6, 'todo') $$,
  'the project starts with the default template''s tasks, in order, all to do'
);

-- A plain update wins a deal just as well, and the deal's own template is used.
select tests.authenticate_as('wp-manager@a18.test');
update public.deals set stage_id = tests.id('a:won') where id = tests.id('deal:support');
select tests.reset_role();
select results_eq(
  format($$ select name, billing_type::text, budget_cents, currency, template_id from public.projects where source_deal_id = %L $$,
         tests.id('deal:support')),
  format($$ values ('Support retainer', 'retainer', 300000::bigint, 'EUR', %L::uuid) $$, tests.id('retainer-template')),
  'a deal won by a plain update gets its project with the deal''s template, billing type and (client''s) currency'
);
select results_eq(
  format($$ select t.title from public.tasks t join public.projects p on p.id = t.project_id
            where p.source_deal_id = %L order by t.position $$, tests.id('deal:support')),
  $$ values ('Onboarding'), ('Monthly report'), ('Quarterly review') $$,
  'the project has the deal''s template''s tasks in the template''s order'
);

-- ============================================================================================
-- Once per deal
-- ============================================================================================
select tests.authenticate_as('wp-manager@a18.test');
select lives_ok(format($$ select * from public.move_deal(%L, 'negotiation') $$, tests.id('deal:website')),
  'the won deal is moved back to negotiation');
select results_eq(
  format($$ select project_id, project_created from public.move_deal(%L, 'won') $$, tests.id('deal:website')),
  format($$ values (%L::uuid, false) $$, tests.id('project:website')),
  'winning it again creates nothing: move_deal returns the existing project and project_created false'
);
select tests.reset_role();
select is((select count(*)::int from public.projects where source_deal_id = tests.id('deal:website')), 1,
  'the deal still has exactly one project');
select is((select count(*)::int from public.tasks where project_id = tests.id('project:website')), 6,
  'and its tasks were not added twice');

-- ============================================================================================
-- Straight into won
-- ============================================================================================
select tests.authenticate_as('wp-manager@a18.test');
select lives_ok(
  format($$ insert into public.deals (agency_id, client_id, stage_id, title, value_cents, billing_type) values (%L, %L, %L, 'Direct win', 5000, 'hourly') $$,
         tests.id('a'), tests.id('direct'), tests.id('a:won')),
  'a manager adds a deal straight into the won stage');
select tests.reset_role();
insert into tests.labels (label, id) select 'deal:direct', id from public.deals where title = 'Direct win';
select results_eq(
  format($$ select name, budget_cents, billing_type::text, currency from public.projects where source_deal_id = %L $$, tests.id('deal:direct')),
  $$ values ('Direct win', 5000::bigint, 'hourly', 'USD') $$,
  'a deal inserted as won gets its project too'
);
select is(
  (select count(*)::int from public.tasks t join public.projects p on p.id = t.project_id where p.source_deal_id = tests.id('deal:direct')),
  6,
  'with the default template''s tasks'
);

-- ============================================================================================
-- The client's relationship
-- ============================================================================================
select tests.authenticate_as('wp-manager@a18.test');
select lives_ok(format($$ select * from public.move_deal(%L, 'won') $$, tests.id('deal:win-back')),
  'a manager wins a deal of an inactive client');
select lives_ok(format($$ select * from public.move_deal(%L, 'lost', 'Client went in-house') $$, tests.id('deal:shelved')),
  'a manager loses a deal with a reason');
select tests.reset_role();
select results_eq(
  format($$ select name, relationship::text from public.clients where agency_id = %L order by name $$, tests.id('a')),
  $$ values ('Direct Co', 'active'), ('Inactive Co', 'inactive'), ('Lead Co', 'active'), ('Lost Co', 'prospect'),
            ('Prospect Co', 'active') $$,
  'winning makes a lead or prospect an active client, leaves an inactive client inactive, and losing changes nothing'
);
select isnt_empty(format($$ select from public.projects where source_deal_id = %L $$, tests.id('deal:win-back')),
  'the inactive client''s won deal still gets its project');
select is_empty(format($$ select from public.projects where source_deal_id = %L $$, tests.id('deal:shelved')),
  'a lost deal gets no project');

-- ============================================================================================
-- The timeline
-- ============================================================================================
select results_eq(
  format($$ select event, body, deal_id, project_id from public.client_activities where client_id = %L order by occurred_at $$,
         tests.id('lead')),
  format($$ values
    ('deal_created', 'Deal "Website relaunch" added in Lead', %1$L::uuid, null::uuid),
    ('deal_moved', 'Deal "Website relaunch" moved from Lead to Proposal', %1$L::uuid, null::uuid),
    ('deal_won', 'Deal "Website relaunch" won', %1$L::uuid, null::uuid),
    ('project_created', 'Project "Website relaunch" created', %1$L::uuid, %2$L::uuid),
    ('deal_moved', 'Deal "Website relaunch" moved from Won to Negotiation', %1$L::uuid, null::uuid),
    ('deal_won', 'Deal "Website relaunch" won', %1$L::uuid, null::uuid) $$,
    tests.id('deal:website'), tests.id('project:website')),
  'the client''s timeline tells the deal''s story in order: created, moved, won, project created, moved back, won again'
);
select is(
  (select count(*)::int from public.client_activities
   where client_id = tests.id('lead') and kind = 'system'
     and created_by is not distinct from tests.user_id('wp-manager@a18.test')),
  5,
  'every event the manager caused names the manager as its author'
);
select results_eq(
  format($$ select data ->> 'from', data ->> 'to' from public.client_activities
            where client_id = %L and event = 'deal_moved' order by body $$, tests.id('lead')),
  $$ values ('lead', 'proposal'), ('won', 'negotiation') $$,
  'deal_moved events carry the stage keys they moved between'
);
select results_eq(
  format($$ select body, data ->> 'lost_reason', deal_id from public.client_activities where client_id = %L and event = 'deal_lost' $$,
         tests.id('lost')),
  format($$ values ('Deal "Shelved idea" lost: Client went in-house', 'Client went in-house', %L::uuid) $$, tests.id('deal:shelved')),
  'a lost deal''s event gives the reason'
);
select results_eq(
  format($$ select event, deal_id, project_id is not null from public.client_activities where client_id = %L order by occurred_at $$,
         tests.id('direct')),
  format($$ values ('deal_created', %1$L::uuid, false), ('deal_won', %1$L::uuid, false), ('project_created', %1$L::uuid, true) $$,
         tests.id('deal:direct')),
  'a deal inserted as won writes deal_created, deal_won and project_created, in that order'
);
select results_eq(
  format($$ select event, deal_id, project_id from public.client_activities where client_id = %L and event = 'project_created' $$,
         tests.id('prospect')),
  format($$ select 'project_created', %L::uuid, id from public.projects where source_deal_id = %L $$,
         tests.id('deal:support'), tests.id('deal:support')),
  'project_created points at both the deal and the project'
);

-- ============================================================================================
-- Who sees the project
-- ============================================================================================
select tests.authenticate_as('wp-member@a18.test');
select results_eq($$ select id from public.projects $$, format($$ values (%L::uuid) $$, tests.id('project:website')),
  'the member assigned to the deal reads its project, and no other');
select is((select count(*)::int from public.tasks), 6, 'the member reads the project''s tasks');
select isnt_empty(
  format($$ select from public.client_activities where project_id = %L $$, tests.id('project:website')),
  'the member sees the project_created event on their client''s timeline'
);
select tests.authenticate_as('wp-other-member@a18.test');
select is_empty($$ select id from public.projects $$, 'another member reads no project');
select is_empty($$ select id from public.tasks $$, 'another member reads no task');
select tests.authenticate_as('wp-owner@a18.test');
select is((select count(*)::int from public.projects), 4, 'the owner reads every project of the agency');

-- ============================================================================================
-- Projects are archived, never deleted
-- ============================================================================================
select tests.authenticate_as('wp-owner@a18.test');
select throws_ok(format($$ delete from public.projects where id = %L $$, tests.id('project:website')),
  '42501', null, 'an owner cannot delete a project');
select tests.authenticate_as('wp-manager@a18.test');
select throws_ok(format($$ delete from public.projects where id = %L $$, tests.id('project:website')),
  '42501', null, 'a manager cannot delete a project');
select tests.authenticate_as('wp-member@a18.test');
select throws_ok(format($$ delete from public.projects where id = %L $$, tests.id('project:website')),
  '42501', null, 'the assigned member cannot delete the project');
select tests.authenticate_as('wp-manager@a18.test');
select lives_ok(format($$ update public.projects set status = 'archived' where id = %L $$, tests.id('project:website')),
  'a manager archives the project instead');
select tests.reset_role();
select is((select status::text from public.projects where id = tests.id('project:website')), 'archived',
  'the project is archived and still there');

select * from finish();
rollback;
