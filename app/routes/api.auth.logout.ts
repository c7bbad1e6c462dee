import { authProvider } from "#app/utils/auth/provider.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";

/** POST /api/auth/logout — ends the token's session: its refresh tokens stop working. */
const handle = apiRoute({}, async ({ viewer }) => {
  await authProvider().signOut(viewer.claims, viewer.accessToken);
  return { status: 204, data: null };
});

export const { loader, action } = apiMethods({ POST: handle });
