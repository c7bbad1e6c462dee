import { uuid } from "#app/utils/api/schemas.ts";

/** A route's :id parameter; anything but a uuid is a record that does not exist (404, never a 500). */
export function uuidParam(params: Record<string, string | undefined>, name: string, notFound: string): string {
  const parsed = uuid.safeParse(params[name]);
  if (!parsed.success) throw new Response(notFound, { status: 404 });
  return parsed.data;
}
