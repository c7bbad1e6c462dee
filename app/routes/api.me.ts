import { getAccount, pickMembership, updateProfile } from "#app/models/account.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { MePatchBody } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** GET /api/me — the caller, their memberships and the agency this request acts in. */
const get = apiRoute({}, async ({ viewer, request }) => {
  const account = await getAccount({ claims: viewer.claims });
  if (!account) throw new AppError(404, "not_found", "This account has no profile.");
  const requested = request.headers.get("X-Agency-Id");
  const active = pickMembership(account, requested);
  if (requested && !active) throw new AppError(403, "agency_forbidden", "You are not an active member of that agency.");
  const membership = (m: NonNullable<typeof active>) => ({
    agency_id: m.agency_id,
    agency_name: m.agency_name,
    agency_slug: m.agency_slug,
    role: m.role,
  });
  return {
    data: {
      user: {
        id: account.profile.user_id,
        email: account.profile.email,
        name: account.profile.name,
        timezone: account.profile.timezone,
        avatar_url: account.profile.avatar_url,
      },
      memberships: account.memberships.map(membership),
      active_agency: active ? membership(active) : null,
    },
  };
});

/** PATCH /api/me — the caller's own name and IANA time zone. */
const patch = apiRoute({ body: MePatchBody }, async ({ viewer, body }) => {
  const profile = await updateProfile({ claims: viewer.claims, ...body });
  const { user_id, ...rest } = profile;
  return { data: { user: { id: user_id, ...rest } } };
});

export const { loader, action } = apiMethods({ GET: get, PATCH: patch });
