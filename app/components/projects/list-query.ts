import { z } from "zod";
import { allStatuses } from "./statuses.ts";

/**
 * The project list's filters live in the URL (?q=&client=&status=&manager=&over=1), so a filtered
 * list can be shared and bookmarked, and the GET form works without JavaScript. A bad value is
 * dropped on its own rather than discarding the others.
 */
export const ProjectListQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  client: z.uuid().optional().catch(undefined),
  status: z
    .enum([...allStatuses, "open"])
    .optional()
    .catch(undefined),
  manager: z.uuid().optional().catch(undefined),
  over: z.literal("1").optional().catch(undefined),
});

export function readProjectQuery(url: URL) {
  const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ""));
  return ProjectListQuery.parse(raw);
}
