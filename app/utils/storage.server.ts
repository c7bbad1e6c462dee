import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

import { env } from "./env.server.ts";
import { serverSupabase } from "./supabase.server.ts";
import { AppError } from "./errors.server.ts";

/**
 * Public assets (agency logos): Supabase Storage in Supabase mode, DATA_DIR/storage served at
 * /storage/… in local mode. Files are named by content hash, so a re-upload of the same image is
 * free and a name never points at different bytes.
 */
export const imageTypes: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};
export const MAX_IMAGE_BYTES = 1024 * 1024;
const BUCKET = "public-assets";

export async function storePublicImage(file: File, folder: string, field: string): Promise<string> {
  const extension = imageTypes[file.type];
  // SVG is refused on purpose: it can carry script and would be served from this origin.
  if (!extension)
    throw new AppError(422, "unsupported_image", "Use a PNG, JPEG, WebP or GIF image.", {
      [field]: ["Use a PNG, JPEG, WebP or GIF image."],
    });
  if (file.size > MAX_IMAGE_BYTES)
    throw new AppError(422, "image_too_large", "Use an image of at most 1 MB.", {
      [field]: ["Use an image of at most 1 MB."],
    });
  const bytes = Buffer.from(await file.arrayBuffer());
  const name = `${folder}/${createHash("sha256").update(bytes).digest("hex").slice(0, 32)}.${extension}`;
  const config = env();
  if (config.isSupabaseMode && config.SUPABASE_SERVICE_ROLE_KEY) {
    const supabase = serverSupabase(config.SUPABASE_URL!, config.SUPABASE_SERVICE_ROLE_KEY);
    const { error } = await supabase.storage.from(BUCKET).upload(name, bytes, { contentType: file.type, upsert: true });
    if (error) throw new AppError(502, "storage_unavailable", "The image could not be stored. Try again.");
    return supabase.storage.from(BUCKET).getPublicUrl(name).data.publicUrl;
  }
  const target = localPath(name);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, bytes);
  return `${config.siteUrl}/storage/${name}`;
}

export function localPath(name: string): string {
  const root = path.resolve(env().DATA_DIR, "storage");
  const target = path.resolve(root, name);
  if (!target.startsWith(root + path.sep)) throw new AppError(404, "not_found", "No such file.");
  return target;
}
