import { getAccount, pickMembership, type Membership } from "#app/models/account.server.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import type { RequestContext } from "#app/utils/request-context.server.ts";
import type { Viewer } from "#app/utils/auth/types.ts";

export const INVOICES_NOT_ALLOWED = "Invoices are for owners and managers. Ask one of them if you need to see one.";

/**
 * Invoice pages are for owners and managers. RLS already hides invoices from members (they would
 * see empty lists and 404s); this answers them plainly with a 403 instead.
 */
export async function requireInvoicer(
  request: Request,
  app: RequestContext,
): Promise<{ viewer: Viewer; agencyId: string; membership: Membership; timeZone: string }> {
  const { viewer, agencyId } = await requireStaff(request, app);
  const account = await getAccount({ claims: viewer.claims });
  const membership = account ? pickMembership(account, agencyId) : undefined;
  if (!membership || (membership.role !== "owner" && membership.role !== "manager")) {
    throw new Response(INVOICES_NOT_ALLOWED, { status: 403 });
  }
  return { viewer, agencyId, membership, timeZone: account?.profile.timezone ?? "UTC" };
}
