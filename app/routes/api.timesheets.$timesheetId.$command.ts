import { decideWeek } from "#app/models/timesheets.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { DecideWeekBody, uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/**
 * POST /api/timesheets/:id/approve and /reject {reason} — owners and managers, not on their own
 * week (a lone owner may). Approved entries are final; a rejected week goes back to its member.
 * The reason is the database's to require (rejection_reason_required); on approve it is only
 * kept in the audit log.
 */
const decide = apiRoute({ body: DecideWeekBody, bodyOptional: true }, async ({ viewer, params, body }) => {
  if (params.command !== "approve" && params.command !== "reject") {
    throw new AppError(404, "not_found", "There is no such API endpoint.");
  }
  const sheet = await decideWeek({
    claims: viewer.claims,
    timesheetId: uuid.parse(params.timesheetId),
    approve: params.command === "approve",
    reason: body.reason,
  });
  return { data: { data: sheet } };
});

export const { loader, action } = apiMethods({ POST: decide });
