import { discardTimer, getTimer, updateTimer } from "#app/models/timer.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimerPatchBody } from "#app/utils/api/schemas.ts";

/** GET /api/timer — the caller's running timer, or null. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  return { data: { data: await getTimer({ claims: viewer.claims, agencyId: agency_id }) } };
});

/** PATCH /api/timer — change what the running timer is for, or when it started (404 no_timer). */
const patch = apiRoute({ body: TimerPatchBody }, async ({ viewer, membership, body }) => {
  const { agency_id } = await membership();
  return { data: { data: await updateTimer({ claims: viewer.claims, agencyId: agency_id, changes: body }) } };
});

/** DELETE /api/timer — discard the running timer without an entry. */
const remove = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id } = await membership();
  await discardTimer({ claims: viewer.claims, agencyId: agency_id });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch, DELETE: remove });
