import fs from "node:fs/promises";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { imageTypes, localPath } from "#app/utils/storage.server.ts";

/** Local mode's public file storage (Supabase Storage serves these in Supabase mode). */
const typeByExtension = Object.fromEntries(Object.entries(imageTypes).map(([type, ext]) => [ext, type]));

export async function loader({ params }: LoaderFunctionArgs) {
  const name = params["*"] ?? "";
  const type = typeByExtension[path.extname(name).slice(1)];
  const bytes = type ? await fs.readFile(localPath(name)).catch(() => undefined) : undefined;
  if (!bytes || !type) return new Response("Not found", { status: 404 });
  return new Response(bytes, {
    headers: {
      "Content-Type": type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
