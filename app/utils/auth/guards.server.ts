import { redirect } from "@remix-run/node";
import { getAccount, pickMembership } from "#app/models/account.server.ts";
import type { RequestContext } from "../request-context.server.ts";
import type { Viewer } from "./types.ts";

/** Page guards: who is asking, and in which agency. Authorization itself is RLS's job. */
export async function requireViewer(request: Request, app: RequestContext): Promise<Viewer> {
  const viewer = await app.viewer();
  if (!viewer) throw redirect(`/login?${new URLSearchParams({ next: pathOf(request) })}`);
  return viewer;
}

/** A staff page: the signed-in viewer and the agency they are working in. */
export async function requireStaff(
  request: Request,
  app: RequestContext,
): Promise<{ viewer: Viewer; agencyId: string }> {
  const viewer = await requireViewer(request, app);
  const agencyId = await app.activeAgencyId();
  if (agencyId) return { viewer, agencyId };
  // First request after sign-in: no agency chosen yet, take the first one.
  const account = await getAccount({ claims: viewer.claims });
  const membership = account ? pickMembership(account, undefined) : undefined;
  if (!membership) throw redirect("/");
  await app.setActiveAgency(membership.agency_id);
  return { viewer, agencyId: membership.agency_id };
}

export function pathOf(request: Request): string {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

/** Only local paths may be redirect targets (no open redirects). */
export function safeNext(value: string | null | undefined, fallback = "/"): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : fallback;
}
