import { defineConfig } from "vitest/config";

/**
 * unit: pure modules next to their code (app/**\/*.test.ts).
 * integration: the real app over HTTP against a throwaway PostgreSQL 15 (tests/integration).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/fail-on-console.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/integration-global.ts"],
          setupFiles: ["tests/setup/fail-on-console.ts"],
          pool: "forks",
          testTimeout: 30_000,
          // A file starts the whole app; on a busy two-core CI machine that can take a while.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
