import { problemResponse } from "#app/utils/api/problem.server.ts";
import { AppError } from "#app/utils/errors.server.ts";

/** Unknown API paths answer in the API's error format, not with an HTML page. */
const notFound = async () => problemResponse(new AppError(404, "not_found", "There is no such API endpoint."));
export const loader = notFound;
export const action = notFound;
