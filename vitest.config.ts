import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["apps/**/*.test.ts", "packages/**/*.test.ts", "tooling/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", "apps/dashboard/**"],
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time keeps process-spawning tests from starving each other.
    maxWorkers: 2,
  },
});
