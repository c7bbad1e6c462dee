import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { AppError } from "./errors.server.ts";
import { MAX_IMAGE_BYTES } from "./storage.server.ts";

/**
 * Reads a multipart form whose files are small images (logos, avatars), keeping the text fields
 * so a failed submission can be shown again with what the person typed.
 */
export async function readImageForm(
  request: Request,
): Promise<{ values: Record<string, string>; files: Record<string, File> }> {
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMAGE_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      throw new AppError(422, "image_too_large", "Use an image of at most 1 MB.", {
        [error.field]: ["Use an image of at most 1 MB."],
      });
    }
    throw error;
  }
  const values: Record<string, string> = {};
  const files: Record<string, File> = {};
  for (const [name, value] of formData.entries()) {
    if (typeof value === "string") values[name] = value;
    else if (value.size > 0) files[name] = value;
  }
  return { values, files };
}
