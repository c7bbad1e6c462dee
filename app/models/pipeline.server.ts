import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import {
  clients,
  deals,
  pipelineStages,
  profiles,
  projectTemplateTasks,
  projectTemplates,
  type BillingType,
  type StageKind,
} from "#db/schema.ts";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { insertRow } from "#app/utils/insert.server.ts";
import { createClientInTx, type ClientInput, type ContactInput } from "./clients.server.ts";

/**
 * Stages, deals and the forecast. Moving a deal is public.move_deal; what a move means (closed_at,
 * probability, lost reason, the project of a won deal, the timeline) is in the database triggers.
 */
export type Stage = typeof pipelineStages.$inferSelect;

export type DealCard = {
  id: string;
  title: string;
  client_id: string;
  client_name: string;
  stage_id: string;
  value_cents: number;
  currency: string;
  probability: number;
  weighted_cents: number;
  expected_close_date: string | null;
  assigned_to: string | null;
  assigned_name: string | null;
  position: number;
  closed_at: string | null;
  lost_reason: string | null;
};

export interface BoardFilters {
  assignedTo?: string;
  /** "YYYY-MM" */
  closeMonth?: string;
}

export interface StageColumn extends Stage {
  deal_count: number;
  /** In the agency currency; deals in other currencies are counted but not added. */
  value_cents: number;
  weighted_cents: number;
  other_currencies: string[];
  deals: DealCard[];
}

function dealFilters(agencyId: string, filters: BoardFilters, alias = "d"): SQL {
  const conditions = [sql`${sql.raw(alias)}.agency_id = ${agencyId}`];
  if (filters.assignedTo) conditions.push(sql`${sql.raw(alias)}.assigned_to = ${filters.assignedTo}`);
  if (filters.closeMonth) {
    conditions.push(
      sql`date_trunc('month', ${sql.raw(alias)}.expected_close_date) = ${filters.closeMonth + "-01"}::date`,
    );
  }
  return sql.join(conditions, sql` and `);
}

const cardColumns = sql`
  d.id, d.title, d.client_id, c.name as client_name, d.stage_id, d.value_cents, d.currency, d.probability,
  private.weighted_cents(d.value_cents, d.probability) as weighted_cents, d.expected_close_date, d.assigned_to,
  p.name as assigned_name, d.position, d.closed_at, d.lost_reason`;

/** The board: every stage with its cards and its totals from the pipeline_forecast view. */
export function getBoard({
  claims,
  agencyId,
  filters,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters: BoardFilters;
}): Promise<StageColumn[]> {
  return asUser(claims, async (tx) => {
    const stages = await listStagesInTx(tx, agencyId);
    const cards = await tx.execute<DealCard>(sql`
      select ${cardColumns}
      from public.deals d
      join public.clients c on c.id = d.client_id and c.agency_id = d.agency_id
      left join public.profiles p on p.user_id = d.assigned_to
      where ${dealFilters(agencyId, filters)}
      order by d.position, d.created_at`);
    // Per stage and currency: money of different currencies is never added together. The column
    // shows the agency currency's sums and names the other currencies it holds.
    const totals = await tx.execute<{
      stage_id: string;
      currency: string | null;
      deal_count: number;
      value_cents: string;
      weighted_cents: string;
    }>(sql`
      select f.stage_id, f.currency, sum(f.deal_count)::integer as deal_count, sum(f.value_cents) as value_cents,
             sum(f.weighted_cents) as weighted_cents
      from public.pipeline_forecast f
      where f.agency_id = ${agencyId}
        ${filters.assignedTo ? sql`and f.assigned_to = ${filters.assignedTo}` : sql``}
        ${filters.closeMonth ? sql`and f.close_month = ${filters.closeMonth + "-01"}::date` : sql``}
      group by f.stage_id, f.currency`);
    const [agency] = await tx.execute<{ currency: string }>(
      sql`select currency from public.agencies where id = ${agencyId}`,
    );
    return stages.map((stage) => {
      const rows = totals.filter((t) => t.stage_id === stage.id);
      const own = rows.find((t) => t.currency === agency?.currency);
      return {
        ...stage,
        deal_count: rows.reduce((sum, t) => sum + t.deal_count, 0),
        value_cents: Number(own?.value_cents ?? 0),
        weighted_cents: Number(own?.weighted_cents ?? 0),
        other_currencies: rows
          .map((t) => t.currency)
          .filter((c): c is string => c !== null && c !== agency?.currency)
          .sort(),
        deals: cards
          .filter((card) => card.stage_id === stage.id)
          .map((card) => ({
            ...card,
            value_cents: Number(card.value_cents),
            weighted_cents: Number(card.weighted_cents),
          })),
      };
    });
  });
}

async function listStagesInTx(tx: Tx, agencyId: string): Promise<Stage[]> {
  return tx
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.agency_id, agencyId))
    .orderBy(
      sql`case ${pipelineStages.kind} when 'open' then 0 when 'won' then 1 else 2 end`,
      asc(pipelineStages.position),
    );
}

export function listStages({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) => listStagesInTx(tx, agencyId));
}

export function listDeals({
  claims,
  agencyId,
  stage,
  page = 1,
  perPage = 50,
}: {
  claims: JwtClaims;
  agencyId: string;
  stage?: string;
  page?: number;
  perPage?: number;
}): Promise<{ data: DealCard[]; total: number; page: number; per_page: number }> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<DealCard & { total: number }>(sql`
      select ${cardColumns}, count(*) over ()::integer as total
      from public.deals d
      join public.clients c on c.id = d.client_id and c.agency_id = d.agency_id
      join public.pipeline_stages s on s.id = d.stage_id
      left join public.profiles p on p.user_id = d.assigned_to
      where d.agency_id = ${agencyId}
        ${stage ? sql`and (s.key = ${stage} or s.id::text = ${stage})` : sql``}
      order by s.position, d.position
      limit ${perPage} offset ${(page - 1) * perPage}`);
    return {
      data: rows.map(({ total: _total, ...row }) => ({
        ...row,
        value_cents: Number(row.value_cents),
        weighted_cents: Number(row.weighted_cents),
      })),
      total: rows[0]?.total ?? 0,
      page,
      per_page: perPage,
    };
  });
}

export interface DealInput {
  title: string;
  description?: string | null;
  value_cents?: number;
  currency?: string | null;
  stage?: string;
  probability?: number | null;
  expected_close_date?: string | null;
  assigned_to?: string | null;
  billing_type?: BillingType;
  template_id?: string | null;
  /** Required by the database when the deal is recorded as lost. */
  lost_reason?: string | null;
}

async function resolveStageId(tx: Tx, agencyId: string, stage: string | undefined): Promise<string> {
  const rows = await tx.execute<{ id: string }>(sql`
    select id from public.pipeline_stages
    where agency_id = ${agencyId} and ${stage ? sql`(key = ${stage} or id::text = ${stage})` : sql`kind = 'open'`}
    order by position limit 1`);
  if (!rows[0]) {
    throw new AppError(422, "unknown_stage", `There is no stage "${stage}".`, {
      stage: [`There is no stage "${stage}".`],
    });
  }
  return rows[0].id;
}

/** A deal for an existing client, or for a new client created in the same transaction. */
export function createDeal({
  claims,
  agencyId,
  clientId,
  newClient,
  deal,
}: {
  claims: JwtClaims;
  agencyId: string;
  clientId?: string;
  newClient?: { client: ClientInput; contact?: ContactInput | null };
  deal: DealInput;
}) {
  return asUser(claims, async (tx) => {
    const client = newClient ? await createClientInTx(tx, agencyId, newClient.client, newClient.contact) : undefined;
    const stageId = await resolveStageId(tx, agencyId, deal.stage);
    const { stage: _stage, ...columns } = deal;
    const created = await insertRow<{ id: string }>(tx, deals, {
      ...columns,
      agency_id: agencyId,
      client_id: client?.id ?? clientId,
      stage_id: stageId,
    });
    const project = await tx.execute<{ id: string }>(
      sql`select id from public.projects where source_deal_id = ${created!.id}`,
    );
    return { id: created!.id, client_id: client?.id ?? clientId!, project_id: project[0]?.id ?? null };
  });
}

export function getDeal({ claims, dealId }: { claims: JwtClaims; dealId: string }) {
  return asUser(claims, async (tx) => {
    const [deal] = await tx
      .select({
        deal: deals,
        client_name: clients.name,
        stage_key: pipelineStages.key,
        stage_name: pipelineStages.name,
        stage_kind: pipelineStages.kind,
        assigned_name: profiles.name,
        weighted_cents: sql<string>`private.weighted_cents(${deals.value_cents}, ${deals.probability})`,
      })
      .from(deals)
      .innerJoin(clients, and(eq(clients.id, deals.client_id), eq(clients.agency_id, deals.agency_id)))
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stage_id))
      .leftJoin(profiles, eq(profiles.user_id, deals.assigned_to))
      .where(eq(deals.id, dealId));
    if (!deal) return null;
    const project = await tx.execute<{ id: string; name: string }>(
      sql`select id, name from public.projects where source_deal_id = ${dealId}`,
    );
    return {
      ...deal.deal,
      client_name: deal.client_name,
      stage_key: deal.stage_key,
      stage_name: deal.stage_name,
      stage_kind: deal.stage_kind as StageKind,
      assigned_name: deal.assigned_name,
      weighted_cents: Number(deal.weighted_cents),
      project: project[0] ?? null,
    };
  });
}

export function updateDeal({
  claims,
  dealId,
  changes,
}: {
  claims: JwtClaims;
  dealId: string;
  changes: Partial<Omit<DealInput, "stage">> & { client_id?: string };
}) {
  return asUser(claims, async (tx) => {
    const visible = await tx.select({ id: deals.id }).from(deals).where(eq(deals.id, dealId));
    if (visible.length === 0) throw new AppError(404, "not_found", "There is no such deal.");
    if (Object.keys(changes).length === 0) return { id: dealId };
    const [updated] = await tx
      .update(deals)
      .set(changes as Partial<typeof deals.$inferInsert>)
      .where(eq(deals.id, dealId))
      .returning({ id: deals.id });
    if (!updated) throw new AppError(403, "manager_required", "Only an owner or manager can change deals.");
    return updated;
  });
}

export function moveDeal({
  claims,
  dealId,
  stage,
  lostReason,
  position,
}: {
  claims: JwtClaims;
  dealId: string;
  stage: string;
  lostReason?: string | null;
  position?: number | null;
}): Promise<{ deal_id: string; project_id: string | null; project_created: boolean }> {
  return asUser(claims, async (tx) => {
    const rows = await tx.execute<{ deal_id: string; project_id: string | null; project_created: boolean }>(
      sql`select * from public.move_deal(${dealId}, ${stage}, ${lostReason ?? null}, ${position ?? null})`,
    );
    return rows[0]!;
  });
}

export function deleteDeal({ claims, dealId }: { claims: JwtClaims; dealId: string }) {
  return asUser(claims, async (tx) => {
    const removed = await tx.delete(deals).where(eq(deals.id, dealId)).returning({ id: deals.id });
    if (removed.length === 0) throw new AppError(404, "not_found", "There is no such deal, or you may not remove it.");
  });
}

// ------------------------------------------------------------------------------------------
// Forecast
// ------------------------------------------------------------------------------------------
export type ForecastRow = { currency: string; deal_count: number; value_cents: number; weighted_cents: number };

export function getForecast({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, async (tx) => {
    const byStage = await tx.execute<
      ForecastRow & { stage_id: string; stage_key: string; stage_name: string; stage_kind: StageKind }
    >(sql`
      select stage_id, stage_key, stage_name, stage_kind, currency, deal_count, value_cents::bigint, weighted_cents::bigint
      from public.pipeline_forecast_by_stage
      where agency_id = ${agencyId} and currency is not null
      order by case stage_kind when 'open' then 0 when 'won' then 1 else 2 end, position, currency`);
    const byMonth = await tx.execute<ForecastRow & { month: string }>(sql`
      select month, currency, deal_count, value_cents::bigint, weighted_cents::bigint
      from public.pipeline_forecast_by_month
      where agency_id = ${agencyId}
      order by month, currency`);
    const money = <T extends ForecastRow>(rows: T[]) =>
      rows.map((r) => ({ ...r, value_cents: Number(r.value_cents), weighted_cents: Number(r.weighted_cents) }));
    return { by_stage: money([...byStage]), by_month: money([...byMonth]) };
  });
}

// ------------------------------------------------------------------------------------------
// Stages
// ------------------------------------------------------------------------------------------
export function createStage({
  claims,
  agencyId,
  name,
  defaultProbability,
}: {
  claims: JwtClaims;
  agencyId: string;
  name: string;
  defaultProbability: number;
}) {
  return asUser(claims, async (tx) => {
    const [last] = await tx.execute<{ position: number }>(sql`
      select coalesce(max(position), 0) as position from public.pipeline_stages where agency_id = ${agencyId} and kind = 'open'`);
    const key = await uniqueStageKey(tx, agencyId, name);
    return (await insertRow<Stage>(
      tx,
      pipelineStages,
      { agency_id: agencyId, key, name, position: (last?.position ?? 0) + 1, default_probability: defaultProbability },
      ["id", "key", "name", "position", "default_probability", "kind"],
    ))!;
  });
}

async function uniqueStageKey(tx: Tx, agencyId: string, name: string): Promise<string> {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 30) || "stage";
  const taken = new Set(
    (await tx.execute<{ key: string }>(sql`select key from public.pipeline_stages where agency_id = ${agencyId}`)).map(
      (r) => r.key,
    ),
  );
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}

/** Renames, probabilities and the open stages' order, all or nothing. */
export function updateStages({
  claims,
  agencyId,
  changes,
  order,
}: {
  claims: JwtClaims;
  agencyId: string;
  changes: { id: string; name?: string; default_probability?: number }[];
  order?: string[];
}) {
  return asUser(claims, async (tx) => {
    for (const { id, ...columns } of changes) {
      if (Object.keys(columns).length === 0) continue;
      const [updated] = await tx
        .update(pipelineStages)
        .set(columns)
        .where(and(eq(pipelineStages.id, id), eq(pipelineStages.agency_id, agencyId)))
        .returning({ id: pipelineStages.id });
      if (!updated) {
        const visible = await tx
          .select({ id: pipelineStages.id })
          .from(pipelineStages)
          .where(eq(pipelineStages.id, id));
        throw visible.length > 0
          ? new AppError(403, "manager_required", "Only an owner or manager can change stages.")
          : new AppError(404, "not_found", "There is no such stage in this agency.");
      }
    }
    if (order) await tx.execute(sql`select public.reorder_pipeline_stages(${agencyId}, ${sql.param(order)}::uuid[])`);
    return listStagesInTx(tx, agencyId);
  });
}

export function deleteStage({ claims, stageId }: { claims: JwtClaims; stageId: string }) {
  return asUser(claims, async (tx) => {
    const removed = await tx
      .delete(pipelineStages)
      .where(eq(pipelineStages.id, stageId))
      .returning({ id: pipelineStages.id });
    if (removed.length === 0) {
      throw new AppError(409, "stage_locked", "Won and lost stages stay; only owners and managers remove open stages.");
    }
  });
}

// ------------------------------------------------------------------------------------------
// Project templates
// ------------------------------------------------------------------------------------------
export function listTemplates({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, async (tx) => {
    const templates = await tx
      .select()
      .from(projectTemplates)
      .where(eq(projectTemplates.agency_id, agencyId))
      .orderBy(sql`${projectTemplates.is_default} desc`, asc(projectTemplates.name));
    const taskRows = await tx
      .select({
        template_id: projectTemplateTasks.template_id,
        title: projectTemplateTasks.title,
        position: projectTemplateTasks.position,
      })
      .from(projectTemplateTasks)
      .where(eq(projectTemplateTasks.agency_id, agencyId))
      .orderBy(asc(projectTemplateTasks.position));
    return templates.map((t) => ({ ...t, tasks: taskRows.filter((r) => r.template_id === t.id).map((r) => r.title) }));
  });
}

export function createTemplate({
  claims,
  agencyId,
  template,
}: {
  claims: JwtClaims;
  agencyId: string;
  template: {
    name: string;
    description?: string | null;
    billing_type?: BillingType;
    is_default?: boolean;
    tasks: string[];
  };
}) {
  return asUser(claims, async (tx) => {
    const { tasks, ...columns } = template;
    const created = await insertRow<{ id: string }>(tx, projectTemplates, { ...columns, agency_id: agencyId });
    for (const [index, title] of tasks.entries()) {
      await insertRow(tx, projectTemplateTasks, {
        agency_id: agencyId,
        template_id: created!.id,
        title,
        position: index + 1,
      });
    }
    return created!;
  });
}
