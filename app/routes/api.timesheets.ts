import { getWeek } from "#app/models/timesheets.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { WeekQuery } from "#app/utils/api/schemas.ts";

/**
 * GET /api/timesheets?week_start=&user_id= — one person's week: entries, the projects × days grid,
 * totals (billable and not) and the timesheet's status. Other people's weeks: owners and managers.
 */
const week = apiRoute({ query: WeekQuery }, async ({ viewer, membership, query }) => {
  const { agency_id } = await membership();
  return {
    data: {
      data: await getWeek({
        claims: viewer.claims,
        agencyId: agency_id,
        weekStart: query.week_start,
        userId: query.user_id,
      }),
    },
  };
});

export const { loader, action } = apiMethods({ GET: week });
