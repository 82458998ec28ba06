import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // `npm test`. Every file belongs to one run only: the fault suite (tooling/faults, *.faults.ts)
    // has its own config, and the dashboard's browser tests are Playwright's.
    include: ["apps/**/*.test.ts", "packages/**/*.test.ts", "tooling/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", "apps/dashboard/**", "tooling/faults/**"],
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time keeps process-spawning tests from starving each other.
    maxWorkers: 2,
  },
});
