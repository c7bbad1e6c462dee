import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimeExportQuery } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";
import { timeCsvResponse } from "#app/utils/time-csv.server.ts";
import { mayReadTimeOf, toEntryFilters } from "#app/utils/time-filters.server.ts";

/** GET /api/time-entries/export.csv?from=&to=&user_id=&project_id=&billable=&status= — RFC 4180. */
const exportCsv = apiRoute({ query: TimeExportQuery }, async ({ viewer, membership, query }) => {
  const { agency_id, role } = await membership();
  if (!mayReadTimeOf(role, viewer.userId, query.user_id)) {
    throw new AppError(403, "forbidden", "Members export only their own time.");
  }
  return timeCsvResponse({ claims: viewer.claims, agencyId: agency_id, filters: toEntryFilters(query) });
});

export const { loader, action } = apiMethods({ GET: exportCsv });
