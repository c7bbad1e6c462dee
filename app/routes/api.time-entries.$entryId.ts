import { deleteEntry, getEntry, updateEntry } from "#app/models/time-entries.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { TimeEntryPatchBody, uuid } from "#app/utils/api/schemas.ts";
import { toEntryChanges, withTimeFieldNames } from "#app/utils/api/time-input.server.ts";

const get = apiRoute({}, async ({ viewer, membership, params }) => {
  const { agency_id } = await membership();
  const entry = await getEntry({ claims: viewer.claims, agencyId: agency_id, entryId: uuid.parse(params.entryId) });
  return { data: { data: entry } };
});

/**
 * PATCH /api/time-entries/:id — only by the person who tracked it, only while it is a draft or
 * rejected. New times may cross midnight again, so the answer is every part: {data: [entry, …]}.
 */
const patch = apiRoute({ body: TimeEntryPatchBody }, async ({ viewer, membership, params, body }) => {
  const { agency_id } = await membership();
  const entries = await withTimeFieldNames(
    updateEntry({
      claims: viewer.claims,
      agencyId: agency_id,
      entryId: uuid.parse(params.entryId),
      changes: toEntryChanges(body),
    }),
  );
  return { data: { data: entries } };
});

/** DELETE /api/time-entries/:id — submitted, approved and invoiced time stays (entry_locked). */
const remove = apiRoute({}, async ({ viewer, membership, params }) => {
  const { agency_id } = await membership();
  await deleteEntry({ claims: viewer.claims, agencyId: agency_id, entryId: uuid.parse(params.entryId) });
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch, DELETE: remove });
