import { setWeekCell } from "#app/models/timesheets.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { WeekCellBody } from "#app/utils/api/schemas.ts";
import { withTimeFieldNames } from "#app/utils/api/time-input.server.ts";

/**
 * PUT /api/timesheets/cells {project_id, task_id, date, duration_seconds} — sets a week grid cell
 * to a total: timed entries stay, the rest is the cell's one manual entry (0 removes it).
 * Answers the cell's entries.
 */
const put = apiRoute({ body: WeekCellBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  const entries = await withTimeFieldNames(
    setWeekCell({ claims: viewer.claims, agencyId: agency_id, cell: { ...body, task_id: body.task_id ?? null } }),
  );
  return { data: { data: entries } };
});

export const { loader, action } = apiMethods({ PUT: put });
