// What every file is held to: ESLint's and typescript-eslint's recommended rules with type
// information, promises that are never dropped, and no rule that Prettier already decides.
import js from "@eslint/js";
import prettier from "eslint-config-prettier/flat";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/**
 * @param {string} tsconfigRootDir the repository root: where each file's tsconfig is looked up from
 * and where the files outside any tsconfig (the root's own configs) are listed.
 */
export const base = (tsconfigRootDir) =>
  defineConfig(
    js.configs.recommended,
    tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: {
          // Each file is checked with the tsconfig of its workspace, as `tsc -p <workspace>` sees it.
          // The root's own configs and the .mjs build scripts of workspaces whose tsconfig takes no JS.
          projectService: { allowDefaultProject: ["*.js", "*.ts", "apps/*/scripts/*.mjs", "packages/*/scripts/*.mjs"] },
          tsconfigRootDir,
        },
      },
      linterOptions: { reportUnusedDisableDirectives: "error" },
      rules: {
        // A promise nobody awaits loses its error: await it, return it, or say `void` on purpose.
        "@typescript-eslint/no-floating-promises": "error",
        // An async callback where a plain one is expected (an event handler, forEach) drops its rejection.
        "@typescript-eslint/no-misused-promises": "error",
        // TypeScript reports undefined names itself, with the right globals for each workspace.
        "no-undef": "off",
        // Next.js server actions and functions matching an async signature are async without awaiting.
        "@typescript-eslint/require-await": "off",
        // Vitest fixtures must destructure their first argument even when they use none of it.
        "no-empty-pattern": ["error", { allowObjectPatternsAsParameters: true }],
        // A leading underscore marks a parameter or binding that is there for its position only.
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
        ],
      },
    },
    {
      files: ["**/*.test.ts", "**/*.spec.ts", "**/*.faults.ts", "**/test/**"],
      rules: {
        // Tests read JSON bodies and Vitest's matchers (`expect.any`) as `any`, and assert on them:
        // a wrong shape fails the assertion, so the unsafe-any rules would only ask for casts.
        "@typescript-eslint/no-unsafe-argument": "off",
        "@typescript-eslint/no-unsafe-assignment": "off",
        "@typescript-eslint/no-unsafe-call": "off",
        "@typescript-eslint/no-unsafe-member-access": "off",
        "@typescript-eslint/no-unsafe-return": "off",
      },
    },
    prettier,
  );

/** React's rules of hooks, for the dashboard. */
export const react = defineConfig({
  // The plugin's own type declares its legacy configs too, which ESLint's Plugin type does not allow.
  plugins: { "react-hooks": /** @type {import("eslint").ESLint.Plugin} */ (/** @type {unknown} */ (reactHooks)) },
  rules: {
    "react-hooks/rules-of-hooks": "error",
    "react-hooks/exhaustive-deps": "error",
  },
});
