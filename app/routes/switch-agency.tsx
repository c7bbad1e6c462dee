import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import { requireViewer } from "#app/utils/auth/guards.server.ts";

/** POST /switch-agency — choose the agency this browser works in (must be one of yours). */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context.app);
  const agencyId = String((await request.formData()).get("agency_id") ?? "");
  const account = await getAccount({ claims: viewer.claims });
  const membership = account && agencyId ? pickMembership(account, agencyId) : undefined;
  if (membership) {
    await context.app.setActiveAgency(membership.agency_id);
    await context.app.toast({ kind: "info", message: `Switched to ${membership.agency_name}.` });
  }
  return redirect("/");
}

export const loader = () => redirect("/");
