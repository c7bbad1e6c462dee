import { uuid } from "#app/utils/api/schemas.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** The :projectId of a project tab's URL; anything but a uuid is a project that does not exist. */
export function projectIdParam(params: { projectId?: string }): string {
  const parsed = uuid.safeParse(params.projectId);
  if (!parsed.success) throw new Response("There is no such project.", { status: 404 });
  return parsed.data;
}

/**
 * Tab loaders run next to the layout's: a project the viewer may not see (the models' 404) must
 * end in the same "not found" page, not a 500.
 */
export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
