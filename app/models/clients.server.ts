import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import {
  clientActivities,
  clientContacts,
  clients,
  deals,
  pipelineStages,
  profiles,
  projects,
  type ActivityKind,
  type ClientRelationship,
} from "#db/schema.ts";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { insertRow } from "#app/utils/insert.server.ts";

/**
 * Clients, their contacts and timeline. Who sees which client (owners and managers: all;
 * members: clients of their deals) is RLS; search, filters and sorting are one SQL query.
 */
export type ClientSort = "name" | "revenue" | "activity" | "created";

export interface ClientFilters {
  q?: string;
  tags?: string[];
  industry?: string;
  relationship?: ClientRelationship;
  archived?: boolean;
  sort?: ClientSort;
  page?: number;
  perPage?: number;
}

export type ClientListRow = {
  id: string;
  name: string;
  industry: string | null;
  tags: string[];
  relationship: ClientRelationship;
  website: string | null;
  currency: string | null;
  archived_at: string | null;
  last_activity_at: string | null;
  created_at: string;
  primary_contact_name: string | null;
  primary_contact_email: string | null;
  open_deals: number;
  lifetime_revenue_cents: number;
};

export interface ClientInput {
  name: string;
  industry?: string | null;
  tags?: string[];
  size?: string | null;
  website?: string | null;
  address?: string | null;
  country?: string | null;
  currency?: string | null;
  relationship?: ClientRelationship;
  notes?: string | null;
}

export interface ContactInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
}

const SEARCH_THRESHOLD = 0.3;

/**
 * Lifetime revenue comes from paid invoices, which arrive with the invoicing feature; until then
 * every client has earned nothing through the app, and the column says so honestly.
 */
const lifetimeRevenue = sql<number>`0::bigint`;

function filtersToWhere(agencyId: string, filters: ClientFilters): SQL {
  const conditions: SQL[] = [sql`c.agency_id = ${agencyId}`];
  conditions.push(filters.archived ? sql`c.archived_at is not null` : sql`c.archived_at is null`);
  if (filters.q) {
    const q = filters.q.trim().toLowerCase();
    conditions.push(
      sql`(c.search_text like ${"%" + q.replace(/[\\%_]/g, (m) => "\\" + m) + "%"} or ${q} operator(extensions.<%) c.search_text)`,
    );
  }
  if (filters.tags?.length) {
    conditions.push(sql`c.tags @> ${sql.param(filters.tags.map((t) => t.toLowerCase()))}::text[]`);
  }
  if (filters.industry) conditions.push(sql`lower(c.industry) = lower(${filters.industry})`);
  if (filters.relationship) conditions.push(sql`c.relationship = ${filters.relationship}::public.client_relationship`);
  return sql.join(conditions, sql` and `);
}

function orderBy(filters: ClientFilters): SQL {
  const byName = sql`lower(c.name) asc, c.id`;
  switch (filters.sort) {
    case "revenue":
      return sql`lifetime_revenue_cents desc, ${byName}`;
    case "activity":
      return sql`c.last_activity_at desc nulls last, ${byName}`;
    case "created":
      return sql`c.created_at desc, c.id`;
    case "name":
      return byName;
    default:
      return filters.q
        ? sql`extensions.word_similarity(${filters.q.trim().toLowerCase()}, c.search_text) desc, ${byName}`
        : byName;
  }
}

export function listClients({
  claims,
  agencyId,
  filters,
}: {
  claims: JwtClaims;
  agencyId: string;
  filters: ClientFilters;
}): Promise<{ data: ClientListRow[]; total: number; page: number; per_page: number }> {
  const page = Math.max(1, filters.page ?? 1);
  const perPage = Math.min(100, Math.max(1, filters.perPage ?? 25));
  return asUser(claims, async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(SEARCH_THRESHOLD)}, true)`);
    const rows = await tx.execute<ClientListRow & { total: number }>(sql`
      select c.id, c.name, c.industry, c.tags, c.relationship, c.website, c.currency, c.archived_at,
             c.last_activity_at, c.created_at,
             pc.name as primary_contact_name, pc.email as primary_contact_email,
             (select count(*) from public.deals d join public.pipeline_stages s on s.id = d.stage_id
              where d.client_id = c.id and s.kind = 'open')::integer as open_deals,
             ${lifetimeRevenue} as lifetime_revenue_cents,
             count(*) over ()::integer as total
      from public.clients c
      left join public.client_contacts pc on pc.client_id = c.id and pc.is_primary
      where ${filtersToWhere(agencyId, filters)}
      order by ${orderBy(filters)}
      limit ${perPage} offset ${(page - 1) * perPage}
    `);
    const total = rows[0]?.total ?? (page > 1 ? await countClients(tx, agencyId, filters) : 0);
    return {
      data: rows.map(({ total: _total, ...row }) => ({
        ...row,
        lifetime_revenue_cents: Number(row.lifetime_revenue_cents),
      })),
      total,
      page,
      per_page: perPage,
    };
  });
}

/** Past the last page there are no rows to carry the window count. */
async function countClients(tx: Tx, agencyId: string, filters: ClientFilters): Promise<number> {
  const [row] = await tx.execute<{ total: number }>(
    sql`select count(*)::integer as total from public.clients c where ${filtersToWhere(agencyId, filters)}`,
  );
  return row?.total ?? 0;
}

/** Distinct tags and industries, for the filter menus. */
export function clientFacets({ claims, agencyId }: { claims: JwtClaims; agencyId: string }) {
  return asUser(claims, async (tx) => {
    const tags = await tx.execute<{ tag: string }>(sql`
      select distinct unnest(tags) as tag from public.clients where agency_id = ${agencyId} order by 1`);
    const industries = await tx.execute<{ industry: string }>(sql`
      select distinct industry from public.clients where agency_id = ${agencyId} and industry is not null order by 1`);
    return { tags: tags.map((r) => r.tag), industries: industries.map((r) => r.industry) };
  });
}

export function createClient({
  claims,
  agencyId,
  client,
  contact,
}: {
  claims: JwtClaims;
  agencyId: string;
  client: ClientInput;
  contact?: ContactInput | null;
}) {
  return asUser(claims, (tx) => createClientInTx(tx, agencyId, client, contact));
}

/** Also used when a deal brings its new client along, in the deal's transaction. */
export async function createClientInTx(tx: Tx, agencyId: string, client: ClientInput, contact?: ContactInput | null) {
  const created = await insertRow<{ id: string; name: string }>(tx, clients, { ...client, agency_id: agencyId }, [
    "id",
    "name",
  ]);
  if (contact) {
    await insertRow(tx, clientContacts, { ...contact, agency_id: agencyId, client_id: created!.id, is_primary: true });
  }
  return created!;
}

export function getClient({ claims, clientId }: { claims: JwtClaims; clientId: string }) {
  return asUser(claims, async (tx) => {
    const [client] = await tx.select().from(clients).where(eq(clients.id, clientId));
    if (!client) return null;
    const { search_text: _searchText, ...visible } = client;
    const contacts = await tx
      .select({
        id: clientContacts.id,
        name: clientContacts.name,
        email: clientContacts.email,
        phone: clientContacts.phone,
        title: clientContacts.title,
        is_primary: clientContacts.is_primary,
        portal_access: sql<boolean>`${clientContacts.portal_access_granted_at} is not null and ${clientContacts.portal_access_revoked_at} is null`,
      })
      .from(clientContacts)
      .where(eq(clientContacts.client_id, clientId))
      .orderBy(desc(clientContacts.is_primary), asc(clientContacts.name));
    const clientDeals = await tx
      .select({
        id: deals.id,
        title: deals.title,
        value_cents: deals.value_cents,
        currency: deals.currency,
        probability: deals.probability,
        stage_key: pipelineStages.key,
        stage_name: pipelineStages.name,
        stage_kind: pipelineStages.kind,
        expected_close_date: deals.expected_close_date,
        closed_at: deals.closed_at,
      })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stage_id))
      .where(eq(deals.client_id, clientId))
      .orderBy(desc(deals.created_at));
    const clientProjects = await tx
      .select({ id: projects.id, name: projects.name, status: projects.status, created_at: projects.created_at })
      .from(projects)
      .where(eq(projects.client_id, clientId))
      .orderBy(desc(projects.created_at));
    return {
      client: { ...visible, lifetime_revenue_cents: 0 },
      contacts,
      deals: clientDeals,
      projects: clientProjects,
    };
  });
}

/**
 * 404 unless RLS lets the caller see the client: a write that RLS then filters out is reported
 * as 403, not as "no such client".
 */
async function requireVisibleClient(tx: Tx, clientId: string): Promise<void> {
  const visible = await tx.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId));
  if (visible.length === 0) throw new AppError(404, "not_found", "There is no such client.");
}

export function updateClient({
  claims,
  clientId,
  changes,
}: {
  claims: JwtClaims;
  clientId: string;
  changes: Partial<ClientInput>;
}) {
  return asUser(claims, async (tx) => {
    await requireVisibleClient(tx, clientId);
    const [updated] = await tx
      .update(clients)
      .set(changes as Partial<typeof clients.$inferInsert>)
      .where(eq(clients.id, clientId))
      .returning({ id: clients.id });
    if (!updated) throw new AppError(403, "manager_required", "Only an owner or manager can change clients.");
    return updated;
  });
}

export function setClientArchived({
  claims,
  clientId,
  archived,
}: {
  claims: JwtClaims;
  clientId: string;
  archived: boolean;
}) {
  return asUser(claims, async (tx) => {
    await requireVisibleClient(tx, clientId);
    const [updated] = await tx
      .update(clients)
      .set({ archived_at: archived ? sql`now()` : null } as Partial<typeof clients.$inferInsert>)
      .where(eq(clients.id, clientId))
      .returning({ id: clients.id, archived_at: clients.archived_at });
    if (!updated) throw new AppError(403, "manager_required", "Only an owner or manager can archive clients.");
    return updated;
  });
}

export function addContact({
  claims,
  agencyId,
  clientId,
  contact,
  primary,
}: {
  claims: JwtClaims;
  agencyId: string;
  clientId: string;
  contact: ContactInput;
  primary?: boolean;
}) {
  return asUser(claims, async (tx) => {
    if (primary) {
      await tx
        .update(clientContacts)
        .set({ is_primary: false })
        .where(and(eq(clientContacts.client_id, clientId), eq(clientContacts.is_primary, true)));
    }
    const created = await insertRow<{ id: string }>(tx, clientContacts, {
      ...contact,
      agency_id: agencyId,
      client_id: clientId,
      is_primary: primary ?? false,
    });
    return created!;
  });
}

export function removeContact({ claims, contactId }: { claims: JwtClaims; contactId: string }) {
  return asUser(claims, async (tx) => {
    const removed = await tx
      .delete(clientContacts)
      .where(eq(clientContacts.id, contactId))
      .returning({ id: clientContacts.id });
    if (removed.length === 0) {
      throw new AppError(
        409,
        "contact_in_use",
        "This contact cannot be removed (it has portal history, or you may not).",
      );
    }
  });
}

export interface TimelineEntry {
  id: string;
  kind: ActivityKind;
  event: string | null;
  body: string | null;
  data: unknown;
  occurred_at: string;
  created_by_name: string | null;
  deal_id: string | null;
  project_id: string | null;
}

export function listTimeline({
  claims,
  clientId,
  page = 1,
  perPage = 50,
}: {
  claims: JwtClaims;
  clientId: string;
  page?: number;
  perPage?: number;
}): Promise<{ data: TimelineEntry[]; total: number; page: number; per_page: number }> {
  return asUser(claims, async (tx) => {
    await requireVisibleClient(tx, clientId);
    const rows = await tx
      .select({
        id: clientActivities.id,
        kind: clientActivities.kind,
        event: clientActivities.event,
        body: clientActivities.body,
        data: clientActivities.data,
        occurred_at: clientActivities.occurred_at,
        created_by_name: profiles.name,
        deal_id: clientActivities.deal_id,
        project_id: clientActivities.project_id,
        total: sql<number>`count(*) over ()::integer`,
      })
      .from(clientActivities)
      .leftJoin(profiles, eq(profiles.user_id, clientActivities.created_by))
      .where(eq(clientActivities.client_id, clientId))
      .orderBy(desc(clientActivities.occurred_at), desc(clientActivities.created_at))
      .limit(perPage)
      .offset((page - 1) * perPage);
    return {
      data: rows.map(({ total: _total, ...row }) => row),
      total: rows[0]?.total ?? 0,
      page,
      per_page: perPage,
    };
  });
}

export function logActivity({
  claims,
  agencyId,
  clientId,
  kind,
  body,
  occurredAt,
}: {
  claims: JwtClaims;
  agencyId: string;
  clientId: string;
  kind: Exclude<ActivityKind, "system">;
  body: string;
  occurredAt?: string;
}) {
  return asUser(claims, async (tx) => {
    await requireVisibleClient(tx, clientId);
    const created = await insertRow<{ id: string; occurred_at: string }>(
      tx,
      clientActivities,
      { agency_id: agencyId, client_id: clientId, kind, body, occurred_at: occurredAt },
      ["id", "occurred_at"],
    );
    return created!;
  });
}

/** Emails the contact a portal invitation; access starts when they accept. */
export function invitePortalContact({ claims, contactId }: { claims: JwtClaims; contactId: string }) {
  return asUser(claims, (tx) => tx.execute(sql`select public.invite_portal_contact(${contactId})`));
}

export function revokePortalAccess({ claims, contactId }: { claims: JwtClaims; contactId: string }) {
  return asUser(claims, (tx) => tx.execute(sql`select id from public.revoke_portal_access(${contactId})`));
}
