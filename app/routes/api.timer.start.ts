import { startTimer } from "#app/models/timer.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimerStartBody } from "#app/utils/api/schemas.ts";

/**
 * POST /api/timer/start — a running timer is stopped first, at the same instant; its entries are
 * answered as `stopped`. A forgotten one (over 12 hours) is refused: stop it with ended_at first.
 */
const start = apiRoute({ body: TimerStartBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  return { status: 201, data: { data: await startTimer({ claims: viewer.claims, agencyId: agency_id, timer: body }) } };
});

export const { loader, action } = apiMethods({ POST: start });
