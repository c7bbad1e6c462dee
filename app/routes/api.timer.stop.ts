import { stopTimer } from "#app/models/timer.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimerStopBody } from "#app/utils/api/schemas.ts";

/**
 * POST /api/timer/stop {ended_at?} (the body may be left out) — the timer becomes entries, split
 * at midnight like any other. Refused entries leave the timer running: nothing is lost.
 */
const stop = apiRoute({ body: TimerStopBody, bodyOptional: true }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  return { data: { data: await stopTimer({ claims: viewer.claims, agencyId: agency_id, endedAt: body.ended_at }) } };
});

export const { loader, action } = apiMethods({ POST: stop });
