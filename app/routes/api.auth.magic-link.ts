import { authProvider } from "#app/utils/auth/provider.server.ts";
import { apiMethods, publicApiRoute } from "#app/utils/api/handler.server.ts";
import { consume } from "#app/utils/api/rate-limit.server.ts";
import { MagicLinkBody } from "#app/utils/api/schemas.ts";

/** POST /api/auth/magic-link — always 202, whether or not the account exists. */
const handle = publicApiRoute({ body: MagicLinkBody }, async ({ body, clientIp }) => {
  await consume("signIn", `${clientIp}:${body.email}`);
  await authProvider().sendMagicLink({ email: body.email, next: body.redirect_to ?? "/" });
  return { status: 202, data: { message: "If an account exists for this email, a sign-in link is on its way." } };
});

export const { loader, action } = apiMethods({ POST: handle });
