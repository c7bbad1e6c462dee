import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";

/**
 * Local mode's Edge Functions: supabase/functions served by Deno (the npm `deno` package) the way
 * Supabase serves them, at http://localhost:<port>/functions/v1/<name>. Supabase's own
 * `functions serve` needs Docker, which local mode does without.
 */
export interface FunctionsOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Given to the functions as SUPABASE_DB_URL, like Supabase does. */
  databaseUrl: string;
  webhookSecret: string;
  /** The Connect endpoint's secret, when agencies' connected accounts report there. */
  connectWebhookSecret?: string;
  stripeSecretKey?: string;
  log?: (line: string) => void;
}

export interface FunctionsServer {
  /** Base URL: append /<function name>. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..");
const deno = path.join(root, "node_modules", ".bin", "deno");
const entry = path.join(root, "supabase", "functions", "_local", "serve.ts");
const config = path.join(root, "supabase", "functions", "deno.json");
const READY_TIMEOUT_MS = 60_000;
/** What the functions may read, set or not; postgres.js looks up libpq's PG* for options it is not given. */
const functionEnv = [
  "FUNCTIONS_PORT",
  "SUPABASE_DB_URL",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_CONNECT_WEBHOOK_SECRET",
  "STRIPE_SECRET_KEY",
  "PG*",
];

export async function startFunctions(options: FunctionsOptions): Promise<FunctionsServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const port = options.port === 0 ? await freePort() : options.port;
  await assertPortFree(port);
  const db = new URL(options.databaseUrl);
  const env: Record<string, string> = {
    // Only what the functions need: they never see the app's session or JWT secrets.
    PATH: process.env.PATH ?? "",
    DENO_DIR: path.join(root, ".cache", "deno"),
    NO_COLOR: "1",
    FUNCTIONS_PORT: String(port),
    SUPABASE_DB_URL: options.databaseUrl,
    STRIPE_WEBHOOK_SECRET: options.webhookSecret,
    ...(options.connectWebhookSecret ? { STRIPE_CONNECT_WEBHOOK_SECRET: options.connectWebhookSecret } : {}),
    ...(options.stripeSecretKey ? { STRIPE_SECRET_KEY: options.stripeSecretKey } : {}),
  };
  const args = [
    "run",
    `--config=${config}`,
    // Reuse the app's node_modules (stripe and postgres are its dependencies too): nothing is
    // downloaded at start. Not in deno.json, because Supabase's deploy has no node_modules.
    "--node-modules-dir=manual",
    "--no-prompt",
    `--allow-net=127.0.0.1:${port},${db.hostname}:${db.port || 5432}`,
    `--allow-env=${functionEnv.join(",")}`,
    entry,
  ];
  // The cast: Remix's globals declare NODE_ENV required in every environment; Deno needs none.
  const child = spawn(deno, args, { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      output.push(line);
      if (output.length > 20) output.shift();
      log(`[functions] ${line}`);
    });
  }
  // If this process ends without close() (a crash), do not leave Deno holding the port.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const url = `http://localhost:${port}/functions/v1`;
  try {
    await waitUntilReady(child, `${url}/_health`);
  } catch (error) {
    process.off("exit", killOnExit);
    await stopChild(child);
    const detail = output.length ? `\n${output.join("\n")}` : "";
    throw new Error(`The Edge Functions server did not start: ${(error as Error).message}${detail}`);
  }
  return {
    url,
    port,
    async stop() {
      process.off("exit", killOnExit);
      await stopChild(child);
    },
  };
}

async function waitUntilReady(child: ChildProcess, healthUrl: string): Promise<void> {
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `deno exited (${signal ?? code})`));
  child.once("error", (error) => (exited = error.message));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet (first start compiles the TypeScript into DENO_DIR).
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${healthUrl} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A clear message instead of Deno's AddrInUse stack trace. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `FUNCTIONS_PORT ${port} is already in use (another \`npm start\`, or \`supabase start\`?). ` +
                "Stop that program, set FUNCTIONS_PORT to a free port, or FUNCTIONS=off to run without Edge Functions.",
            )
          : error,
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
