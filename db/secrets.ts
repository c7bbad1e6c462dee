import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Secrets that local mode generates once and keeps under DATA_DIR, so a fresh clone runs without
 * configuration and restarts keep sessions and the database password. Environment variables win.
 */
export interface LocalSecrets {
  postgresPassword: string;
  requestRolePassword: string;
  authRolePassword: string;
  jwtSecret: string;
  sessionSecret: string;
  /** Signs the local checkout stand-in's events and verifies them in the webhook function. */
  stripeWebhookSecret: string;
}

const secretNames: (keyof LocalSecrets)[] = [
  "postgresPassword",
  "requestRolePassword",
  "authRolePassword",
  "jwtSecret",
  "sessionSecret",
  "stripeWebhookSecret",
];

function generate(name: keyof LocalSecrets): string {
  const value = randomBytes(32).toString("base64url");
  // Stripe's format, so the SDK and `stripe listen` output look the same as the generated one.
  return name === "stripeWebhookSecret" ? `whsec_${value}` : value;
}

export function loadOrCreateSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): LocalSecrets {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "secrets.json");
  const stored: Partial<LocalSecrets> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  let changed = false;
  for (const name of secretNames) {
    if (!stored[name]) {
      stored[name] = generate(name);
      changed = true;
    }
  }
  if (changed) fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  const secrets = stored as LocalSecrets;
  return {
    ...secrets,
    jwtSecret: env.JWT_SECRET || secrets.jwtSecret,
    sessionSecret: env.SESSION_SECRET || secrets.sessionSecret,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || secrets.stripeWebhookSecret,
  };
}
