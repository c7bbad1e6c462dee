import { createAgency } from "#app/models/agency.server.ts";
import { authProvider } from "#app/utils/auth/provider.server.ts";
import { apiMethods, publicApiRoute } from "#app/utils/api/handler.server.ts";
import { SignupBody } from "#app/utils/api/schemas.ts";

/** POST /api/auth/signup — a new account and its agency, owned by it; answers with tokens. */
const handle = publicApiRoute({ body: SignupBody }, async ({ body }) => {
  const auth = authProvider();
  const session = await auth.signUp({ email: body.email, password: body.password, name: body.name });
  const claims = (await auth.verifyAccessToken(session.access_token))!;
  const agency = await createAgency({
    claims,
    name: body.agency_name,
    currency: body.currency,
    timezone: body.timezone,
  })
    // All or nothing: an account without the agency it was signed up for is not left behind.
    .catch(async (error: unknown) => {
      await auth.deleteUser(session.user.id);
      throw error;
    });
  return {
    status: 201,
    data: { ...session, agency: { id: agency.id, name: agency.name, slug: agency.slug } },
  };
});

export const { loader, action } = apiMethods({ POST: handle });
