import { createEntry, listEntries } from "#app/models/time-entries.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimeEntryCreateBody, TimeEntryListQuery } from "#app/utils/api/schemas.ts";
import { toNewEntry, withTimeFieldNames } from "#app/utils/api/time-input.server.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { mayReadTimeOf, toEntryFilters } from "#app/utils/time-filters.server.ts";

/**
 * GET /api/time-entries?from=&to=&user_id=&project_id=&status=&billable=&page=&per_page= —
 * members see their own time, owners and managers everyone's (with rates).
 */
const list = apiRoute({ query: TimeEntryListQuery }, async ({ viewer, membership, query }) => {
  const { agency_id, role } = await membership();
  if (!mayReadTimeOf(role, viewer.userId, query.user_id)) {
    throw new AppError(403, "forbidden", "Members see only their own time.");
  }
  return {
    data: await listEntries({
      claims: viewer.claims,
      agencyId: agency_id,
      filters: toEntryFilters(query),
      page: query.page,
      perPage: query.per_page,
    }),
  };
});

/**
 * POST /api/time-entries — start and end, or a date and a duration. Answers every stored part:
 * an entry across the member's midnight becomes two (or more), sharing split_group_id.
 */
const create = apiRoute({ body: TimeEntryCreateBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const entries = await withTimeFieldNames(
    createEntry({ claims: viewer.claims, agencyId: agency_id, entry: toNewEntry(body) }),
  );
  return { status: 201, data: { data: entries } };
});

export const { loader, action } = apiMethods({ GET: list, POST: create });
