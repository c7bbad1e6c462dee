import type { z } from "zod";
import type { EntryFilters } from "#app/models/time-entries.server.ts";
import type { AgencyRole } from "#db/schema.ts";
import type { TimeExportQuery } from "./api/schemas.ts";

/** The entry list and export filters (API query or page URL) as the model's filters. */
export function toEntryFilters(query: z.output<typeof TimeExportQuery>): EntryFilters {
  return {
    from: query.from,
    to: query.to,
    userId: query.user_id,
    projectId: query.project_id,
    status: query.status,
    billable: query.billable,
  };
}

/**
 * Members see their own time only (row-level security filters the rest). Asking for someone
 * else's is answered with 403 rather than an empty list that would look like "no time".
 */
export function mayReadTimeOf(role: AgencyRole, viewerId: string, userId: string | undefined): boolean {
  return role !== "member" || userId === undefined || userId === viewerId;
}
