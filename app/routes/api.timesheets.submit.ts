import { submitWeek } from "#app/models/timesheets.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { SubmitWeekBody } from "#app/utils/api/schemas.ts";

/**
 * POST /api/timesheets/submit {week_start} — sends the caller's week (a Monday) for approval; its
 * entries are locked until a decision, and the approvers get a notification and an email.
 */
const submit = apiRoute({ body: SubmitWeekBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  return {
    data: { data: await submitWeek({ claims: viewer.claims, agencyId: agency_id, weekStart: body.week_start }) },
  };
});

export const { loader, action } = apiMethods({ POST: submit });
