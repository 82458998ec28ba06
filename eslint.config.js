// One configuration for the repository, so the architecture is stated once with the paths it
// names. The root's `npm run lint` lints every file in one process (the type information of the
// packages is built once, not once per workspace); each workspace's `eslint .`, as `turbo run lint`
// runs it, finds this file from its own folder.
import { architecture } from "@hookloop/eslint-config/architecture";
import { base, react } from "@hookloop/eslint-config/base";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig(
  globalIgnores(["**/.next/", "**/dist/", "**/next-env.d.ts", "packages/db/src/generated/", "**/test-results/"]),
  base(import.meta.dirname),
  { files: ["apps/dashboard/**/*.tsx"], extends: [react] },
  architecture,
);
