import { openApiDocument } from "#app/utils/api/openapi.server.ts";
import { env } from "#app/utils/env.server.ts";

/** GET /api/openapi.json */
export function loader() {
  return Response.json(openApiDocument(env().siteUrl));
}
