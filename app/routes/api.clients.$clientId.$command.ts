import { setClientArchived } from "#app/models/clients.server.ts";
import { apiMethods, apiRoute } from "#app/utils/api/handler.server.ts";
import { uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** POST /api/clients/:id/archive and /unarchive — clients with history are archived, never deleted. */
const handle = apiRoute({}, async ({ viewer, params }) => {
  if (params.command !== "archive" && params.command !== "unarchive") {
    throw new AppError(404, "not_found", "There is no such API endpoint.");
  }
  const updated = await setClientArchived({
    claims: viewer.claims,
    clientId: uuid.parse(params.clientId),
    archived: params.command === "archive",
  });
  return { data: { data: updated } };
});

export const { loader, action } = apiMethods({ POST: handle });
