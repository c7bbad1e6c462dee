import { apiMethods } from "#app/utils/api/handler.server.ts";
import { openApiDocument } from "#app/utils/api/openapi.server.ts";
import { env } from "#app/utils/env.server.ts";

/** GET /api/openapi.json */
export const { loader, action } = apiMethods({
  GET: async () => Response.json(openApiDocument(env().siteUrl)),
});
