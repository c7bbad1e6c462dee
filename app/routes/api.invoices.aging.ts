import { agingSummary } from "#app/models/invoices.server.ts";
import { apiMethods, apiRoute, onePage } from "#app/utils/api/handler.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** GET /api/invoices/aging — money still owed per currency, by days past due. Owners and managers. */
const get = apiRoute({}, async ({ viewer, membership }) => {
  const { agency_id, role } = await membership();
  if (role === "member") throw new AppError(404, "not_found", "There is no such resource.");
  return { data: onePage(await agingSummary({ claims: viewer.claims, agencyId: agency_id })) };
});

export const { loader, action } = apiMethods({ GET: get });
