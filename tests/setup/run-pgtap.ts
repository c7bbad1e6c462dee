import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensurePgTapExtension, MissingToolError, requirePgProve } from "./pgtap.ts";
import { startTestCluster } from "./test-database.ts";

/**
 * `npm run test:db`: the pgTAP suite against a freshly migrated database on a throwaway embedded
 * PostgreSQL 15. Fails (never skips) when pgTAP or pg_prove is missing, saying what to install.
 * Pass file names to run only those (the setup file always runs first).
 */
const testsDir = path.resolve("supabase", "tests", "database");

async function main(): Promise<number> {
  requirePgProve();
  await ensurePgTapExtension();

  const only = process.argv.slice(2).map((f) => path.basename(f));
  const files = fs
    .readdirSync(testsDir)
    .filter((f) => f.endsWith(".test.sql"))
    .sort()
    .filter((f, index) => index === 0 || only.length === 0 || only.includes(f))
    .map((f) => path.join(testsDir, f));

  const cluster = await startTestCluster("pgtap");
  try {
    await cluster.database("crm_pgtap");
    const url = new URL(cluster.serverUrl);
    const result = spawnSync(
      "pg_prove",
      [
        "--host",
        url.hostname,
        "--port",
        url.port,
        "--username",
        "postgres",
        "--dbname",
        "crm_pgtap",
        "--failures",
        "--verbose",
        ...files,
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
        encoding: "utf8",
        env: {
          ...process.env,
          PGPASSWORD: decodeURIComponent(url.password),
          // pgTAP lives in `extensions`, as on Supabase; make its functions callable unqualified.
          PGOPTIONS: "-c search_path=public,extensions -c client_min_messages=warning",
        },
      },
    );
    const output = result.stdout ?? "";
    // pg_prove --verbose echoes every passing assertion and psql's query output; keep files,
    // failures, diagnostics and the summary.
    const relevant = /^(\/|not ok|\s*not ok|\s*#|Files=|Result|All tests|Failed|\s+(Failed|Parse|Non-zero|Tests:))/;
    process.stdout.write(
      output
        .split("\n")
        .filter((line) => relevant.test(line))
        .join("\n"),
    );
    const assertions = (output.match(/^\s*ok \d+/gm) ?? []).length;
    const failures = (output.match(/^\s*not ok \d+/gm) ?? []).length;
    console.log(`\npgTAP: ${files.length} files, ${assertions} assertions passed, ${failures} failed`);
    return result.status ?? 1;
  } finally {
    await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof MissingToolError ? `\n${error.message}\n` : error);
    process.exit(1);
  },
);
