import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import {
  agencyMembers,
  clients,
  deals,
  profiles,
  projectMembers,
  projects,
  type BillingType,
  type ProjectStatus,
} from "#db/schema.ts";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError, fromDatabaseError } from "#app/utils/errors.server.ts";
import { insertRow } from "#app/utils/insert.server.ts";

/**
 * Projects, their teams and budgets. RLS decides who sees which project (owners and managers: all;
 * members: the ones whose team they are on); budget figures come from public.project_budgets(),
 * which derives them from time entries — nothing here computes or stores a spent amount.
 */
export interface ProjectFilters {
  clientId?: string;
  status?: ProjectStatus | "open";
  managerId?: string;
  overBudget?: boolean;
  search?: string;
}

export interface Budget {
  budget_cents: number | null;
  spent_cents: number | null;
  remaining_cents: number | null;
  percent_used: number | null;
  budget_hours: number | null;
  spent_hours: number;
  remaining_hours: number | null;
  percent_hours_used: number | null;
}

export type ProjectListRow = {
  id: string;
  name: string;
  status: ProjectStatus;
  billing_type: BillingType;
  currency: string;
  client_id: string;
  client_name: string | null;
  manager_id: string | null;
  manager_name: string | null;
  start_date: string | null;
  deadline: string | null;
  created_at: string;
  open_tasks: number;
  budget: Budget;
};

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

type BudgetRow = Record<keyof Budget, unknown>;

export function toBudget(row: BudgetRow | undefined): Budget {
  return {
    budget_cents: num(row?.budget_cents),
    spent_cents: num(row?.spent_cents),
    remaining_cents: num(row?.remaining_cents),
    percent_used: num(row?.percent_used),
    budget_hours: num(row?.budget_hours),
    spent_hours: num(row?.spent_hours) ?? 0,
    remaining_hours: num(row?.remaining_hours),
    percent_hours_used: num(row?.percent_hours_used),
  };
}

function listConditions(agencyId: string, filters: ProjectFilters): SQL {
  const conditions: SQL[] = [sql`p.agency_id = ${agencyId}`];
  if (filters.clientId) conditions.push(sql`p.client_id = ${filters.clientId}`);
  if (filters.status === "open") conditions.push(sql`p.status in ('planning', 'active', 'on_hold')`);
  else if (filters.status) conditions.push(sql`p.status = ${filters.status}::public.project_status`);
  if (filters.managerId) conditions.push(sql`p.manager_id = ${filters.managerId}`);
  if (filters.search) conditions.push(sql`p.name ilike ${"%" + filters.search.replace(/[\\%_]/g, "\\$&") + "%"}`);
  if (filters.overBudget) {
    conditions.push(sql`(coalesce(b.percent_used, 0) >= 100 or coalesce(b.percent_hours_used, 0) >= 100)`);
  }
  return sql.join(conditions, sql` and `);
}

export function listProjects({
  claims,
  agencyId,
  filters = {},
}: {
  claims: JwtClaims;
  agencyId: string;
  filters?: ProjectFilters;
}): Promise<ProjectListRow[]> {
  return asUser(claims, async (tx) => (await selectProjects(tx, agencyId, filters, 500, 0)).rows);
}

/** The API's list: the same filters and order, one page at a time with the total. */
export function listProjectsPage({
  claims,
  agencyId,
  filters = {},
  page = 1,
  perPage = 50,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters?: ProjectFilters;
  page?: number;
  perPage?: number;
}): Promise<{ data: ProjectListRow[]; total: number; page: number; per_page: number }> {
  return asUser(claims, async (tx) => {
    const { rows, total } = await selectProjects(tx, agencyId, filters, perPage, (page - 1) * perPage);
    return { data: rows, total, page, per_page: perPage };
  });
}

async function selectProjects(
  tx: Tx,
  agencyId: string,
  filters: ProjectFilters,
  limit: number,
  offset: number,
): Promise<{ rows: ProjectListRow[]; total: number }> {
  // Owners and managers manage every project of their agency, so one answer serves all rows.
  const rows = await tx.execute<Record<string, unknown>>(sql`
    select p.id, p.name, p.status, p.billing_type, p.currency, p.client_id, c.name as client_name,
           p.manager_id, mp.name as manager_name, p.start_date, p.deadline, p.created_at,
           (select count(*)::int from public.tasks t where t.project_id = p.id and t.status <> 'done') as open_tasks,
           case when ${agencyId}::uuid in (select private.manager_agency_ids()) then b.budget_cents end as budget_cents,
           b.spent_cents, b.remaining_cents, b.percent_used, b.budget_hours, b.spent_hours,
           b.remaining_hours, b.percent_hours_used, count(*) over () as total
    from public.projects p
    left join public.clients c on c.id = p.client_id and c.agency_id = p.agency_id
    left join public.profiles mp on mp.user_id = p.manager_id
    left join public.project_budgets() b on b.project_id = p.id
    where ${listConditions(agencyId, filters)}
    order by (p.status in ('completed', 'archived')), p.deadline nulls last, p.created_at desc, p.id
    limit ${limit} offset ${offset}
  `);
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && offset > 0) {
    // Past the last page: count(*) over () had no row to ride on.
    const [row] = await tx.execute<{ total: number }>(sql`
      select count(*)::int as total from public.projects p
      left join public.project_budgets() b on b.project_id = p.id
      where ${listConditions(agencyId, filters)}`);
    total = Number(row?.total ?? 0);
  }
  return {
    total,
    rows: rows.map((row) => ({
      id: row.id as string,
      name: row.name as string,
      status: row.status as ProjectStatus,
      billing_type: row.billing_type as BillingType,
      currency: row.currency as string,
      client_id: row.client_id as string,
      client_name: (row.client_name as string | null) ?? null,
      manager_id: (row.manager_id as string | null) ?? null,
      manager_name: (row.manager_name as string | null) ?? null,
      start_date: dateString(row.start_date),
      deadline: dateString(row.deadline),
      created_at: String(row.created_at),
      open_tasks: Number(row.open_tasks),
      budget: toBudget(row as BudgetRow),
    })),
  };
}

/** postgres.js returns `date` as a Date at UTC midnight when read through raw SQL. */
function dateString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export async function budgetFor(tx: Tx, projectId: string): Promise<Budget> {
  const rows = await tx.execute<BudgetRow>(sql`select * from public.project_budgets(array[${projectId}]::uuid[])`);
  return toBudget(rows[0]);
}

export type TeamMember = {
  user_id: string;
  name: string;
  email: string;
  avatar_url: string | null;
  role: string;
  /** Owners and managers only (null for members, and when no project rate is set). */
  billable_rate_cents: number | null;
  effective_rate_cents: number | null;
};

export async function teamOf(tx: Tx, projectId: string): Promise<TeamMember[]> {
  const rows = await tx.execute<Record<string, unknown>>(sql`
    select pm.user_id, pr.name, pr.email, pr.avatar_url, m.role, r.billable_rate_cents, r.effective_rate_cents
    from public.project_members pm
    join public.profiles pr on pr.user_id = pm.user_id
    left join public.agency_members m on m.agency_id = pm.agency_id and m.user_id = pm.user_id
    left join public.project_member_rates(${projectId}) r on r.user_id = pm.user_id
    where pm.project_id = ${projectId}
    order by pr.name
  `);
  return rows.map((row) => ({
    user_id: row.user_id as string,
    name: row.name as string,
    email: row.email as string,
    avatar_url: (row.avatar_url as string | null) ?? null,
    role: String(row.role ?? "member"),
    billable_rate_cents: num(row.billable_rate_cents),
    effective_rate_cents: num(row.effective_rate_cents),
  }));
}

const detailColumns = {
  id: projects.id,
  agency_id: projects.agency_id,
  name: projects.name,
  description: projects.description,
  status: projects.status,
  billing_type: projects.billing_type,
  currency: projects.currency,
  budget_cents: projects.budget_cents,
  budget_hours: projects.budget_hours,
  hourly_rate_cents: projects.hourly_rate_cents,
  time_billable_default: projects.time_billable_default,
  invoice_rounding: projects.invoice_rounding,
  invoice_rounding_minutes: projects.invoice_rounding_minutes,
  start_date: projects.start_date,
  deadline: projects.deadline,
  template_id: projects.template_id,
  client_id: projects.client_id,
  client_name: clients.name,
  manager_id: projects.manager_id,
  source_deal_id: projects.source_deal_id,
  source_deal_title: deals.title,
  created_at: projects.created_at,
  updated_at: projects.updated_at,
};

export type ProjectDetail = Omit<
  Awaited<ReturnType<typeof selectProject>>[number],
  "budget_hours" | "invoice_rounding" | "invoice_rounding_minutes"
> & {
  budget_hours: number | null;
  // The database's check constraints keep these to the named values.
  invoice_rounding: InvoiceRounding;
  invoice_rounding_minutes: InvoiceRoundingMinutes;
  manager_name: string | null;
  budget: Budget;
  team: TeamMember[];
  can_manage: boolean;
};

function selectProject(tx: Tx, projectId: string) {
  return tx
    .select(detailColumns)
    .from(projects)
    .leftJoin(clients, and(eq(clients.id, projects.client_id), eq(clients.agency_id, projects.agency_id)))
    .leftJoin(deals, and(eq(deals.id, projects.source_deal_id), eq(deals.agency_id, projects.agency_id)))
    .where(eq(projects.id, projectId));
}

export async function projectInTx(tx: Tx, projectId: string): Promise<ProjectDetail | null> {
  const [project] = await selectProject(tx, projectId);
  if (!project) return null;
  const [budget, team, manages] = await Promise.all([
    budgetFor(tx, projectId),
    teamOf(tx, projectId),
    tx.execute<{ manages: boolean }>(sql`select private.manages_project(${projectId}) as manages`),
  ]);
  const manager = team.find((m) => m.user_id === project.manager_id);
  let managerName = manager?.name ?? null;
  if (!managerName && project.manager_id) {
    const [row] = await tx
      .select({ name: profiles.name })
      .from(profiles)
      .where(eq(profiles.user_id, project.manager_id));
    managerName = row?.name ?? null;
  }
  const canManage = Boolean(manages[0]?.manages);
  // Members see hours, never money: the budget and the project rate would let them infer rates.
  return {
    ...project,
    budget_cents: canManage ? project.budget_cents : null,
    hourly_rate_cents: canManage ? project.hourly_rate_cents : null,
    budget_hours: num(project.budget_hours),
    invoice_rounding: project.invoice_rounding as InvoiceRounding,
    invoice_rounding_minutes: project.invoice_rounding_minutes as InvoiceRoundingMinutes,
    manager_name: managerName,
    budget: canManage ? budget : { ...budget, budget_cents: null },
    team,
    can_manage: canManage,
  };
}

export function getProject({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, (tx) => projectInTx(tx, projectId));
}

/**
 * The visible project's agency, or 404: the cheap check for work on a project's tasks, milestones or
 * fields (requireProject also loads budget and team, which those do not need).
 */
export async function requireVisibleProject(tx: Tx, projectId: string): Promise<{ agency_id: string }> {
  const [project] = await tx.select({ agency_id: projects.agency_id }).from(projects).where(eq(projects.id, projectId));
  if (!project) throw new AppError(404, "not_found", "There is no such project.");
  return project;
}

export async function requireProject(tx: Tx, projectId: string): Promise<ProjectDetail> {
  const project = await projectInTx(tx, projectId);
  if (!project) throw new AppError(404, "not_found", "There is no such project.");
  return project;
}

export type InvoiceRounding = "none" | "up" | "down" | "nearest";
export type InvoiceRoundingMinutes = 6 | 15 | 30;

export interface ProjectInput {
  client_id: string;
  name: string;
  description?: string | null;
  status?: ProjectStatus;
  billing_type?: BillingType;
  currency?: string;
  budget_cents?: number | null;
  budget_hours?: number | null;
  hourly_rate_cents?: number | null;
  /** Whether new time on the project is billable unless the member says otherwise (default true). */
  time_billable_default?: boolean;
  /** How each entry is rounded when invoiced (default none); the entry itself never changes. */
  invoice_rounding?: InvoiceRounding;
  /** The step for invoice_rounding: 6, 15 (default) or 30 minutes. */
  invoice_rounding_minutes?: InvoiceRoundingMinutes;
  start_date?: string | null;
  deadline?: string | null;
  template_id?: string | null;
  manager_id?: string | null;
  /** Extra team members besides the manager: user ids, or with a project rate. */
  team?: (string | TeamEntry)[];
}

export type TeamEntry = { user_id: string; billable_rate_cents?: number | null };

export function createProject({
  claims,
  agencyId,
  input,
}: {
  claims: JwtClaims;
  agencyId: string;
  input: ProjectInput;
}): Promise<ProjectDetail> {
  return asUser(claims, async (tx) => {
    const { team = [], ...columns } = input;
    const currency =
      columns.currency ??
      (
        await tx.execute<{ currency: string }>(sql`
          select coalesce(c.currency, a.currency) as currency
          from public.agencies a left join public.clients c on c.id = ${columns.client_id} and c.agency_id = a.id
          where a.id = ${agencyId}`)
      )[0]?.currency;
    const row = await insertRow<{ id: string }>(tx, projects, {
      ...columns,
      budget_hours: columns.budget_hours ?? undefined,
      currency,
      agency_id: agencyId,
    });
    if (!row) throw new AppError(403, "manager_required", "Only an owner or manager can create projects.");
    // The named manager joins the team in the database (projects_seed); former members are refused there.
    for (const entry of team) {
      const { user_id, billable_rate_cents } = typeof entry === "string" ? { user_id: entry } : entry;
      await addTeamMemberInTx(tx, agencyId, row.id, user_id, billable_rate_cents, "team");
    }
    return requireProject(tx, row.id);
  });
}

export type ProjectChanges = Partial<Omit<ProjectInput, "client_id" | "team" | "template_id">>;

export function updateProject({
  claims,
  projectId,
  changes,
}: {
  claims: JwtClaims;
  projectId: string;
  changes: ProjectChanges;
}): Promise<ProjectDetail> {
  return asUser(claims, async (tx) => {
    await requireVisibleProject(tx, projectId);
    if (Object.keys(changes).length > 0) {
      const set = {
        ...changes,
        budget_hours:
          changes.budget_hours === undefined
            ? undefined
            : changes.budget_hours === null
              ? null
              : String(changes.budget_hours),
      };
      const updated = await tx
        .update(projects)
        .set(set as Partial<typeof projects.$inferInsert>)
        .where(eq(projects.id, projectId))
        .returning({ id: projects.id });
      if (updated.length === 0)
        throw new AppError(403, "manager_required", "Only an owner or manager can change projects.");
      // A new manager joins the team by trigger (projects_manager_joins_team).
    }
    return requireProject(tx, projectId);
  });
}

/**
 * Puts an active agency member on the team. Without a rate an existing member keeps theirs (naming
 * someone manager must not wipe their project rate); with one (null included) it is set.
 */
async function addTeamMemberInTx(
  tx: Tx,
  agencyId: string,
  projectId: string,
  userId: string,
  rate?: number | null,
  field = "user_id",
) {
  // Not one upsert: ON CONFLICT DO UPDATE needs SELECT on billable_rate_cents, which no user has.
  const inserted = await tx
    .execute(
      sql`
        insert into public.project_members (agency_id, project_id, user_id, billable_rate_cents)
        values (${agencyId}, ${projectId}, ${userId}, ${rate ?? null})
        on conflict (agency_id, project_id, user_id) do nothing
        returning user_id`,
    )
    .catch((error: unknown) => {
      // The database decides (not a member: foreign key; former member: member_inactive); the
      // message goes on the field the caller sent (team, manager_id or user_id).
      const refused = fromDatabaseError(error);
      if (refused?.status !== 422) throw error;
      throw new AppError(422, refused.code, refused.message, { [field]: [refused.message] });
    });
  if (inserted.length === 0 && rate !== undefined) {
    await tx.execute(sql`
      update public.project_members set billable_rate_cents = ${rate}
      where agency_id = ${agencyId} and project_id = ${projectId} and user_id = ${userId}`);
  }
}

export function addTeamMember({
  claims,
  projectId,
  userId,
  billableRateCents,
}: {
  claims: JwtClaims;
  projectId: string;
  userId: string;
  billableRateCents?: number | null;
}): Promise<TeamMember[]> {
  return asUser(claims, async (tx) => {
    const project = await requireProject(tx, projectId);
    if (!project.can_manage)
      throw new AppError(403, "manager_required", "Only an owner or manager can change the team.");
    await addTeamMemberInTx(tx, project.agency_id, projectId, userId, billableRateCents);
    return teamOf(tx, projectId);
  });
}

export function removeTeamMember({
  claims,
  projectId,
  userId,
}: {
  claims: JwtClaims;
  projectId: string;
  userId: string;
}): Promise<TeamMember[]> {
  return asUser(claims, async (tx) => {
    const project = await requireProject(tx, projectId);
    const removed = await tx
      .delete(projectMembers)
      .where(and(eq(projectMembers.project_id, projectId), eq(projectMembers.user_id, userId)))
      .returning({ user_id: projectMembers.user_id });
    if (removed.length === 0) {
      if (!project.can_manage)
        throw new AppError(403, "manager_required", "Only an owner or manager can change the team.");
      throw new AppError(404, "not_found", "That person is not on this project's team.");
    }
    return teamOf(tx, projectId);
  });
}

/** Active agency members who could join a project (for pickers). */
export function assignableMembers({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) =>
    tx
      .select({ user_id: agencyMembers.user_id, name: profiles.name, role: agencyMembers.role })
      .from(agencyMembers)
      .innerJoin(profiles, eq(profiles.user_id, agencyMembers.user_id))
      .where(and(eq(agencyMembers.agency_id, agencyId), eq(agencyMembers.is_active, true)))
      .orderBy(asc(profiles.name)),
  );
}

export type WeeklyBurn = { week_start: string; hours: number; spent_cents: number | null };
export type MemberHours = {
  user_id: string;
  name: string;
  hours: number;
  billable_hours: number;
  spent_cents: number | null;
};

/** The overview's reports: burn per week, hours by person, budget alerts (managers). */
export function projectReports({ claims, projectId }: { claims: JwtClaims; projectId: string }) {
  return asUser(claims, async (tx) => {
    const [burn, byMember, alerts] = await Promise.all([
      tx.execute<Record<string, unknown>>(sql`select * from public.project_weekly_burn(${projectId}, 12)`),
      tx.execute<Record<string, unknown>>(sql`select * from public.project_hours_by_member(${projectId})`),
      tx.execute<Record<string, unknown>>(sql`
        select metric, threshold, percent_used, crossed_at from public.project_budget_alerts
        where project_id = ${projectId} and cleared_at is null order by crossed_at desc`),
    ]);
    return {
      burn: burn.map((r) => ({
        week_start: dateString(r.week_start)!,
        hours: Number(r.hours),
        spent_cents: num(r.spent_cents),
      })) as WeeklyBurn[],
      byMember: byMember.map((r) => ({
        user_id: r.user_id as string,
        name: r.name as string,
        hours: Number(r.hours),
        billable_hours: Number(r.billable_hours),
        spent_cents: num(r.spent_cents),
      })) as MemberHours[],
      alerts: alerts.map((r) => ({
        metric: r.metric as "money" | "hours",
        threshold: Number(r.threshold),
        percent_used: Number(r.percent_used),
        crossed_at: String(r.crossed_at),
      })),
    };
  });
}

/** Managers named on projects, for the list's filter. */
export function projectManagers({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, (tx) =>
    tx
      .selectDistinct({ user_id: profiles.user_id, name: profiles.name })
      .from(projects)
      .innerJoin(profiles, eq(profiles.user_id, projects.manager_id))
      .where(eq(projects.agency_id, agencyId))
      .orderBy(asc(profiles.name)),
  );
}
