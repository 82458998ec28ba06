// One configuration for the repository, so the architecture is stated once with the paths it
// names; each workspace's `npm run lint` (`eslint .`) finds this file from its own folder.
import { architecture } from "@hookloop/eslint-config/architecture";
import { base, react } from "@hookloop/eslint-config/base";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig(
  globalIgnores(["**/.next/", "**/dist/", "**/next-env.d.ts", "packages/db/src/generated/", "**/test-results/"]),
  base(import.meta.dirname),
  { files: ["apps/dashboard/**/*.tsx"], extends: [react] },
  architecture,
);
