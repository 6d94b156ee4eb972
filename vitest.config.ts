import { defineConfig } from "vitest/config";

// One vitest run across the workspace. `unit` needs nothing; `integration` gets a Postgres server
// from its global setup: this machine's (TEST_DATABASE_URL) or an embedded one started for the run.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "unit",
          testTimeout: 30_000,
          include: ["{packages,services,infra}/**/src/**/*.test.ts", "apps/*/lib/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          globalSetup: ["./tooling/vitest/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          include: ["{packages,services,infra}/**/test/int/**/*.int.test.ts"],
          fileParallelism: false,
        },
      },
    ],
  },
});
