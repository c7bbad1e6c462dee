import { redirect } from "@remix-run/node";
import { getAccount } from "#app/models/account.server.ts";
import type { RequestContext } from "../request-context.server.ts";
import { authProvider } from "./provider.server.ts";
import { safeNext } from "./guards.server.ts";
import type { AuthSession } from "./types.ts";

/**
 * Stores a new session and decides where the person lands. Someone who is only a client contact
 * gets a portal session (24 h inactivity limit) and lands in the portal; staff land on `next`.
 */
export async function completeSignIn(
  app: RequestContext,
  session: AuthSession,
  next: string | null,
): Promise<Response> {
  const claims = await authProvider().verifyAccessToken(session.access_token);
  const account = claims ? await getAccount({ claims }) : null;
  const portalOnly = Boolean(account && account.memberships.length === 0 && account.portal.length > 0);
  await app.signIn(session, { portal: portalOnly });
  const target = safeNext(next, portalOnly ? "/portal" : "/");
  return redirect(portalOnly && !target.startsWith("/portal") ? "/portal" : target);
}
