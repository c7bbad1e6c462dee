import { desc, eq, or, sql } from "drizzle-orm";
import { clientActivities, profiles, projects } from "#db/schema.ts";
import { asUser, type JwtClaims } from "#app/utils/db.server.ts";

/**
 * A project's recent history for its overview: the client-timeline events written for the project
 * (created, milestones reached and approved) and for the deal it came from. The client timeline's
 * RLS decides what the viewer sees — a member does not see events of deals not assigned to them.
 */
export type ProjectActivity = {
  id: string;
  kind: string;
  event: string | null;
  body: string | null;
  occurred_at: string;
  created_by_name: string | null;
  deal_id: string | null;
};

export function recentProjectActivity({
  claims,
  projectId,
  limit = 8,
}: {
  claims: JwtClaims;
  projectId: string;
  limit?: number;
}): Promise<ProjectActivity[]> {
  return asUser(claims, (tx) =>
    tx
      .select({
        id: clientActivities.id,
        kind: clientActivities.kind,
        event: clientActivities.event,
        body: clientActivities.body,
        occurred_at: clientActivities.occurred_at,
        created_by_name: profiles.name,
        deal_id: clientActivities.deal_id,
      })
      .from(clientActivities)
      .leftJoin(profiles, eq(profiles.user_id, clientActivities.created_by))
      .where(
        or(
          eq(clientActivities.project_id, projectId),
          // The deal's own history (won, created) is the project's prehistory.
          sql`${clientActivities.deal_id} = (select ${projects.source_deal_id} from ${projects} where ${projects.id} = ${projectId})`,
        ),
      )
      .orderBy(desc(clientActivities.occurred_at), desc(clientActivities.created_at))
      .limit(Math.min(50, Math.max(1, limit))),
  );
}
