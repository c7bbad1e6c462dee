import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { loadDbConfig, type DbConfig } from "./db/config.ts";
import { startFunctions, type FunctionsServer } from "./db/functions.ts";
import { prepareDatabase, type PreparedDatabase } from "./db/prepare.ts";
import type * as AppEntry from "./app/entry.server.tsx";

/**
 * The process: database first (embedded PostgreSQL 15 unless DATABASE_URL is set), migrations,
 * the Edge Functions under Deno (the Stripe webhook), then the background worker and the Remix app
 * on one port. `npm start` runs main(); tests call startServer() with their own database and port.
 */
type AppModule = typeof AppEntry;
const buildPath = path.resolve("build", "index.js");

export interface StartOptions {
  port?: number;
  dbConfig?: DbConfig;
  /** Run the graphile-worker in this process (default true; WORKER=off disables). */
  worker?: boolean;
  /**
   * Serve supabase/functions locally under Deno (default: yes, unless FUNCTIONS=off or the
   * database is a Supabase project, whose functions Supabase hosts; FUNCTIONS=on forces it).
   */
  functions?: boolean;
  /** Default FUNCTIONS_PORT or 54321; 0 picks a free port. */
  functionsPort?: number;
  log?: (line: string) => void;
  quiet?: boolean;
}

export interface RunningServer {
  url: string;
  database: PreparedDatabase;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const database = await prepareDatabase({ config: options.dbConfig ?? loadDbConfig(), log });
  exposeToApp(database);
  let functions: FunctionsServer | undefined;
  const functionsSetting = process.env.FUNCTIONS;
  if (options.functions ?? (functionsSetting ? functionsSetting !== "off" : !database.isSupabase)) {
    try {
      functions = await startFunctions({
        port: options.functionsPort ?? Number(process.env.FUNCTIONS_PORT || 54321),
        databaseUrl: database.adminUrl,
        webhookSecret: process.env.STRIPE_WEBHOOK_SECRET!,
        connectWebhookSecret: process.env.STRIPE_CONNECT_WEBHOOK_SECRET || undefined,
        stripeSecretKey: process.env.STRIPE_SECRET_KEY || undefined,
        log,
      });
    } catch (error) {
      await database.embedded?.stop();
      throw error;
    }
    // Where the app (the local checkout stand-in) posts its signed events.
    process.env.FUNCTIONS_URL ||= functions.url;
  }

  let build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const entry = () => build.entry.module as unknown as AppModule;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "true");
  app.use(compression());
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  if (!options.quiet) app.use(morgan("tiny"));
  app.use((req, res, next) => {
    const crossSite = entry().isCrossSiteRequest({
      method: req.method,
      path: req.path,
      host: req.headers.host,
      protocol: req.protocol,
      headers: req.headers,
      siteUrl: process.env.SITE_URL!,
    });
    if (crossSite) res.status(403).type("text/plain").send("Cross-site request refused.");
    else next();
  });
  const handlers = new WeakMap<ServerBuild, ReturnType<typeof createRequestHandler>>();
  const handlerFor = (current: ServerBuild) => {
    let handler = handlers.get(current);
    if (!handler) {
      handler = createRequestHandler({
        build: current,
        mode: process.env.NODE_ENV,
        getLoadContext: (req, res) => ({
          app: entry().createRequestContext({
            cookieHeader: req.headers.cookie,
            clientIp: req.ip ?? "unknown",
            appendSetCookie: (value) => res.append("Set-Cookie", value),
          }),
        }),
      });
      handlers.set(current, handler);
    }
    return handler;
  };
  app.all("*", (req, res, next) => handlerFor(build)(req, res, next));

  const port = options.port ?? Number(process.env.PORT || 3000);
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const listening = app.listen(port, () => resolve(listening)).on("error", reject);
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  // Links in emails and token issuers use SITE_URL; default to where we actually listen.
  process.env.SITE_URL ||= url;
  const worker = (options.worker ?? process.env.WORKER !== "off") ? await entry().startWorker() : undefined;

  if (process.env.NODE_ENV === "development") {
    // `remix dev --manual`: reload the rebuilt app without restarting the database.
    fs.watch(path.dirname(buildPath), { persistent: false }, async () => {
      build = (await import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`)) as ServerBuild;
      await broadcastDevReady(build);
    });
    await broadcastDevReady(build);
  }

  return {
    url,
    database,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker?.stop();
      await functions?.stop();
      await entry().shutdownConnections();
      await database.embedded?.stop();
    },
  };
}

/** The app reads its connections and secrets from the environment (app/utils/env.server.ts). */
function exposeToApp(database: PreparedDatabase): void {
  process.env.DATABASE_URL = database.adminUrl;
  process.env.REQUEST_DATABASE_URL = database.requestUrl;
  if (database.authUrl) process.env.AUTH_DATABASE_URL = database.authUrl;
  process.env.JWT_SECRET ||= database.secrets.jwtSecret;
  process.env.SESSION_SECRET ||= database.secrets.sessionSecret;
  process.env.STRIPE_WEBHOOK_SECRET ||= database.secrets.stripeWebhookSecret;
}

async function main(): Promise<void> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  process.env.NODE_ENV ||= "production";
  if (!fs.existsSync(buildPath)) {
    console.error("No build found: run `npm run build` (npm start does it for you).");
    process.exit(1);
  }
  const running = await startServer();
  console.log(`\nAgency CRM is running at ${running.url}`);
  if (!process.env.RESEND_API_KEY) console.log(`Emails go to the dev mailbox: ${running.url}/dev/mailbox`);
  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
