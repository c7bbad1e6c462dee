import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import { TimeExportQuery } from "#app/utils/api/schemas.ts";
import { requireStaff } from "#app/utils/auth/guards.server.ts";
import { timeCsvResponse } from "#app/utils/time-csv.server.ts";
import { mayReadTimeOf, toEntryFilters } from "#app/utils/time-filters.server.ts";

/**
 * GET /time/export.csv?from=&to=&user_id=&project_id=&billable=&status= — the staff pages'
 * download, the same file as the API's. A malformed filter is refused, not dropped: an export
 * that silently widened to everything would be worse than none.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, agencyId } = await requireStaff(request, context.app);
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
  const parsed = TimeExportQuery.safeParse(raw);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`);
    throw new Response(messages.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const account = await getAccount({ claims: viewer.claims });
  const membership = account ? pickMembership(account, agencyId) : undefined;
  if (!membership || !mayReadTimeOf(membership.role, viewer.userId, parsed.data.user_id)) {
    throw new Response("Members export only their own time.", { status: 403 });
  }
  return timeCsvResponse({ claims: viewer.claims, agencyId, filters: toEntryFilters(parsed.data) });
}
