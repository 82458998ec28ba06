import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../../", import.meta.url).pathname,
    // `npm run test:faults` only: these files are named *.faults.ts so `npm test` never runs them.
    include: ["tooling/faults/*.faults.ts"],
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Faults are timed against real processes: one file at a time keeps them from starving each other.
    fileParallelism: false,
  },
});
