import type { z } from "zod";
import type { ClientFilters } from "#app/models/clients.server.ts";
import { ClientListQuery } from "./api/schemas.ts";

/**
 * The client list's view lives in the URL (search, filters, sort, page) so a filtered list can be
 * shared and exported as shown. Unknown or malformed parameters are ignored, not fatal.
 */
export function readClientFilters(url: URL): ClientFilters {
  const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ""));
  const parsed = ClientListQuery.safeParse(raw);
  return toClientFilters(parsed.success ? parsed.data : {});
}

/** The list query (API or page URL) as the model's filters. */
export function toClientFilters(query: Partial<z.infer<typeof ClientListQuery>>): ClientFilters {
  return {
    q: query.q,
    tags: query.tag,
    industry: query.industry,
    relationship: query.relationship,
    archived: query.archived === "true",
    sort: query.sort,
    page: query.page,
    perPage: query.per_page ?? 25,
  };
}
