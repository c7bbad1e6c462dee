import postgres from "postgres";
import { env, requireSetting } from "../env.server.ts";
import { LocalAuth } from "./local-issuer.server.ts";
import { SupabaseAuth } from "./supabase-auth.server.ts";
import type { AuthProvider } from "./types.ts";

/** Supabase Auth when SUPABASE_URL and SUPABASE_ANON_KEY are set, the built-in issuer otherwise. */
let provider: AuthProvider | undefined;
let authSql: postgres.Sql | undefined;

export function authProvider(): AuthProvider {
  if (provider) return provider;
  const config = env();
  if (config.isSupabaseMode) {
    provider = new SupabaseAuth({
      url: requireSetting("SUPABASE_URL"),
      anonKey: requireSetting("SUPABASE_ANON_KEY"),
      serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
      siteUrl: config.siteUrl,
    });
  } else {
    authSql = postgres(requireSetting("AUTH_DATABASE_URL"), {
      max: 5,
      onnotice: () => {},
      connection: { application_name: "agency-crm:auth" },
    });
    provider = new LocalAuth(authSql, { jwtSecret: requireSetting("JWT_SECRET"), siteUrl: config.siteUrl });
  }
  return provider;
}

export async function closeAuthProvider(): Promise<void> {
  await authSql?.end({ timeout: 5 });
  authSql = undefined;
  provider = undefined;
}
