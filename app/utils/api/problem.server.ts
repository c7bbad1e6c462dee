import { z } from "zod";
import { AppError, fromDatabaseError, validationError } from "../errors.server.ts";

/** RFC 9457 problem details with the app's extensions: a stable `code` and per-field `errors`. */
const statusTitles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function problemResponse(error: AppError, headers: HeadersInit = {}): Response {
  const body = {
    type: "about:blank",
    title: statusTitles[error.status] ?? "Error",
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(Object.keys(error.fieldErrors).length > 0 && { errors: error.fieldErrors }),
    ...error.extra,
  };
  const responseHeaders = new Headers(headers);
  responseHeaders.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(body), { status: error.status, headers: responseHeaders });
}

/** Whatever went wrong, as an AppError; unknown failures are logged and become a plain 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  const fromDb = fromDatabaseError(error);
  if (fromDb) return fromDb;
  console.error(error);
  return new AppError(500, "internal_error", "Something went wrong on our side. Please try again.");
}
