import { sql } from "drizzle-orm";
import { asUser, type JwtClaims, type Tx } from "#app/utils/db.server.ts";

/**
 * In-app notifications of the caller in one agency. SQL functions write them (budget alerts,
 * later approvals and payments); RLS limits a person to their own, and the only change they may
 * make is marking them read.
 */
export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link_path: string | null;
  data: Record<string, unknown>;
  read_at: string | null;
  created_at: string;
};

export function listNotifications({
  claims,
  agencyId,
  unreadOnly = false,
  page = 1,
  perPage = 50,
}: {
  claims: JwtClaims;
  agencyId: string;
  unreadOnly?: boolean;
  page?: number;
  perPage?: number;
}): Promise<{ data: Notification[]; total: number; page: number; per_page: number; unread_count: number }> {
  return asUser(claims, async (tx) => {
    const where = sql`n.user_id = ${claims.sub} and n.agency_id = ${agencyId} and (not ${unreadOnly} or n.read_at is null)`;
    const [rows, [counted], unread] = await Promise.all([
      tx.execute<Notification>(sql`
        select n.id, n.kind, n.title, n.body, n.link_path, n.data, n.read_at, n.created_at
        from public.notifications n
        where ${where}
        order by n.created_at desc, n.id
        limit ${perPage} offset ${(page - 1) * perPage}`),
      tx.execute<{ total: number }>(sql`select count(*)::int as total from public.notifications n where ${where}`),
      unreadIn(tx, claims.sub, agencyId),
    ]);
    return { data: [...rows], total: Number(counted?.total ?? 0), page, per_page: perPage, unread_count: unread };
  });
}

async function unreadIn(tx: Tx, userId: string, agencyId: string): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from public.notifications
    where user_id = ${userId} and agency_id = ${agencyId} and read_at is null`);
  return Number(row?.n ?? 0);
}

export function unreadCount({ claims, agencyId }: { claims: JwtClaims; agencyId: string }): Promise<number> {
  return asUser(claims, (tx) => unreadIn(tx, claims.sub, agencyId));
}

/** Marks the given notifications (or all) read; answers how many changed and how many stay unread. */
export function markRead({
  claims,
  agencyId,
  ids,
}: {
  claims: JwtClaims;
  agencyId: string;
  /** Omitted: every unread notification in the agency. */
  ids?: string[];
}): Promise<{ marked: number; unread_count: number }> {
  return asUser(claims, async (tx) => {
    const only = ids ? sql`and id = any(${sql.param(ids)}::uuid[])` : sql``;
    const marked = await tx.execute(sql`
      update public.notifications set read_at = clock_timestamp()
      where user_id = ${claims.sub} and agency_id = ${agencyId} and read_at is null ${only}
      returning id`);
    return { marked: marked.length, unread_count: await unreadIn(tx, claims.sub, agencyId) };
  });
}
