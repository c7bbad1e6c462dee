import { authProvider } from "#app/utils/auth/provider.server.ts";
import { apiMethods, publicApiRoute } from "#app/utils/api/handler.server.ts";
import { consume } from "#app/utils/api/rate-limit.server.ts";
import { TokenBody } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** POST /api/auth/token — email + password → tokens. Unknown email and wrong password look alike. */
const handle = publicApiRoute({ body: TokenBody }, async ({ body, clientIp }) => {
  await consume("signIn", `${clientIp}:${body.email}`);
  const session = await authProvider().signInWithPassword(body);
  if (!session) throw new AppError(401, "invalid_credentials", "Email or password is incorrect.");
  return { data: session };
});

export const { loader, action } = apiMethods({ POST: handle });
