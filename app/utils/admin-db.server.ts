import postgres from "postgres";
import { requireSetting } from "./env.server.ts";

/**
 * The privileged connection (DATABASE_URL): for the worker and webhooks only, never for work a
 * request does on a user's behalf — that goes through db.server.ts under RLS. Named `admin`
 * everywhere so its use stands out in review.
 */
let admin: postgres.Sql | undefined;

export function adminSql(): postgres.Sql {
  admin ??= postgres(requireSetting("DATABASE_URL"), {
    max: 5,
    onnotice: () => {},
    connection: { application_name: "agency-crm:admin", TimeZone: "UTC" },
  });
  return admin;
}

export async function closeAdminSql(): Promise<void> {
  await admin?.end({ timeout: 5 });
  admin = undefined;
}
