import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** POST /logout — revokes the session (its refresh token stops working) and clears the cookies. */
export async function action({ context }: ActionFunctionArgs) {
  const portal = await context.app.isPortalSession();
  await context.app.signOut();
  return redirect(portal ? "/portal/login" : "/login");
}

export const loader = () => redirect("/");
