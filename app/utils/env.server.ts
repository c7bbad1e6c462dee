import { z } from "zod";

/**
 * Server configuration, read once and validated. server.ts resolves the database URLs (starting
 * the embedded server in local mode) and the generated secrets before the app reads this.
 */
const optional = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().nonnegative().default(3000),
  SITE_URL: optional,
  DATA_DIR: z.string().default(".data"),
  DATABASE_URL: optional,
  REQUEST_DATABASE_URL: optional,
  AUTH_DATABASE_URL: optional,
  JWT_SECRET: optional,
  SESSION_SECRET: optional,
  SUPABASE_URL: optional,
  SUPABASE_ANON_KEY: optional,
  SUPABASE_SERVICE_ROLE_KEY: optional,
  SUPABASE_OAUTH_PROVIDERS: optional,
  RESEND_API_KEY: optional,
  EMAIL_FROM: z.string().default("Agency CRM <no-reply@agency-crm.local>"),
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  FUNCTIONS_PORT: z.coerce.number().int().nonnegative().default(54321),
  FUNCTIONS_URL: optional,
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(200),
  DEV_MAILBOX: z.enum(["on", "off"]).optional(),
  LOCAL_CHECKOUT: z.enum(["on", "off"]).optional(),
});

export type Env = z.infer<typeof schema> & {
  siteUrl: string;
  isSupabaseMode: boolean;
  devMailbox: boolean;
  /** The local stand-in for Stripe Checkout (/dev/checkout) is in use: see below. */
  localCheckout: boolean;
  /** Base URL of the Edge Functions (no trailing slash): append /stripe-webhook. */
  functionsUrl: string;
};

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const result = schema.safeParse(process.env);
  // A configuration problem is the operator's, never a client's bad input: plain Error, not ZodError.
  if (!result.success) throw new Error(`Invalid configuration: ${z.prettifyError(result.error)}`);
  const parsed = result.data;
  const siteUrl = (parsed.SITE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, "");
  const isSupabaseMode = Boolean(parsed.SUPABASE_URL && parsed.SUPABASE_ANON_KEY);
  const isLocalSite = ["localhost", "127.0.0.1", "[::1]"].includes(new URL(siteUrl).hostname);
  cached = {
    ...parsed,
    siteUrl,
    isSupabaseMode,
    // npm start sets FUNCTIONS_URL to the Deno server it runs; on Supabase they live beside the API.
    functionsUrl:
      parsed.FUNCTIONS_URL?.replace(/\/$/, "") ??
      (isSupabaseMode
        ? `${parsed.SUPABASE_URL!.replace(/\/$/, "")}/functions/v1`
        : `http://localhost:${parsed.FUNCTIONS_PORT}/functions/v1`),
    // Without an email provider, mail lands in the dev mailbox. Its page needs no sign-in (it is
    // how a signed-out person finds their link), so it only opens for a site on this machine
    // unless DEV_MAILBOX=on says otherwise.
    devMailbox:
      !parsed.RESEND_API_KEY && !isSupabaseMode && (parsed.DEV_MAILBOX ? parsed.DEV_MAILBOX === "on" : isLocalSite),
    // Without a Stripe key, the local checkout stand-in marks invoices paid with no money moving.
    // Anyone holding a pay link could do that, so it only runs for a site on this machine unless
    // LOCAL_CHECKOUT=on says otherwise (a demo); elsewhere online payment is simply not offered.
    localCheckout: !parsed.STRIPE_SECRET_KEY && (parsed.LOCAL_CHECKOUT ? parsed.LOCAL_CHECKOUT === "on" : isLocalSite),
  };
  return cached;
}

/** Tests change the environment between suites. */
export function resetEnvCache(): void {
  cached = undefined;
}

export function requireSetting<K extends keyof Env>(name: K): NonNullable<Env[K]> {
  const value = env()[name];
  if (value === undefined || value === null || value === "") {
    throw new Error(
      `${String(name)} is not configured; start the app with \`npm start\` or set it in the environment.`,
    );
  }
  return value as NonNullable<Env[K]>;
}
