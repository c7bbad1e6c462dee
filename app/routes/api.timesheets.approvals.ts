import { listApprovals } from "#app/models/timesheets.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { ApprovalsQuery } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * GET /api/timesheets/approvals?status=&mine= — the approval queue (submitted weeks by default);
 * mine=true keeps the weeks with time on projects the caller manages. Owners and managers.
 */
const queue = apiRoute({ query: ApprovalsQuery }, async ({ viewer, membership, query }) => {
  const { agency_id, role } = await membership();
  if (role === "member") throw new AppError(403, "forbidden", "Only owners and managers approve timesheets.");
  const rows = await listApprovals({
    claims: viewer.claims,
    agencyId: agency_id,
    status: query.status,
    onlyMine: query.mine,
  });
  return { data: onePage(rows) };
});

export const { loader, action } = apiMethods({ GET: queue });
