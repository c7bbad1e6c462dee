import { AppError } from "#app/utils/errors.server.ts";
import { uuidParam } from "#app/utils/params.server.ts";

/** The :projectId of a project tab's URL; anything but a uuid is a project that does not exist. */
export function projectIdParam(params: { projectId?: string }): string {
  return uuidParam(params, "projectId", "There is no such project.");
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
