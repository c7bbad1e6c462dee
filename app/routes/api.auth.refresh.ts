import { authProvider } from "#app/utils/auth/provider.server.ts";
import { apiMethods, publicApiRoute } from "#app/utils/api/handler.server.ts";
import { RefreshBody } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** POST /api/auth/refresh — exchanges a refresh token (once) for a new pair. */
const handle = publicApiRoute({ body: RefreshBody }, async ({ body }) => {
  const session = await authProvider().refresh(body.refresh_token);
  if (!session) throw new AppError(401, "invalid_refresh_token", "The refresh token is invalid, used or expired.");
  return { data: session };
});

export const { loader, action } = apiMethods({ POST: handle });
