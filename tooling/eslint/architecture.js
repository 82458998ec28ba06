// The house's layout as rules (ARCHITECTURE.md draws it): each app reads its environment in its
// own src/env.ts, apps never import apps, packages never import apps, and a workspace reaches
// another only through that workspace's package exports.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "eslint/config";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** @param {string} file */
const packageNameIn = (file) => {
  /** @type {unknown} */
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  return typeof manifest === "object" && manifest !== null && "name" in manifest && typeof manifest.name === "string"
    ? [manifest.name]
    : [];
};

/** The package names of the deployables under apps/, so a new app is covered the day it appears. */
const appPackages = readdirSync(path.join(repositoryRoot, "apps"))
  .map((folder) => path.join(repositoryRoot, "apps", folder, "package.json"))
  .filter((file) => existsSync(file))
  .flatMap(packageNameIn);

/**
 * Reading the environment: `process.env.X`, `process.env[x]`, `const { X } = process.env`,
 * `import { env } from "node:process"`. Handing the whole environment to a child process
 * (`{ ...process.env, PORT }`, `env: process.env`) reads nothing and stays allowed.
 */
const readsOfTheEnvironment = [
  "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']",
  "VariableDeclarator[init.type='MemberExpression'][init.object.name='process'][init.property.name='env']",
  "AssignmentExpression[right.type='MemberExpression'][right.object.name='process'][right.property.name='env']",
  "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
].map((selector) => ({
  selector,
  message: "Read the environment only in the app's src/env.ts (parsed once, at boot); packages take config as arguments.",
}));

/**
 * Where reading the environment is the job. Keep this list short: anything else takes its
 * settings from an app's env.ts, as arguments.
 */
const environmentReaders = [
  // Each deployable's one parse of its environment.
  "apps/*/src/env.ts",
  // The test kit is the tests' env.ts: which database server and Redis a test run uses.
  "packages/testing/src/**",
  "packages/db/src/testing.ts",
  // Commands that run before any app: `npm start`/`npm test` bootstrap .env; db:migrate takes MIGRATION_DATABASE_URL.
  "tooling/scripts/**",
  "packages/db/scripts/**",
  // The benchmark runner and the baseline processes it starts with their settings.
  "bench/src/**",
  // The browser tests' runner, and the tests reading the addresses it hands them (the mailbox).
  "apps/dashboard/e2e/**",
  // Tool configs (Next, Playwright, Vitest), read by their tool before any of our code runs.
  "**/*.config.{js,mjs,ts}",
];

const intoAnotherPackagesSource = {
  group: ["@hookloop/*/src", "@hookloop/*/src/**"],
  message: "Import the package's exports (its package.json), not its src/.",
};

const anApp = {
  group: appPackages,
  message: "Apps are deployables: nothing imports them. Move what is shared into a package.",
};

/** @param {string} file */
const workspaceOf = (file) => {
  let directory = path.dirname(file);
  while (!existsSync(path.join(directory, "package.json"))) {
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
  return directory;
};

/** @type {import("eslint").Rule.RuleModule} */
const noRelativeImportOutsideWorkspace = {
  meta: {
    type: "problem",
    docs: { description: "A relative import stays inside its workspace; another workspace is imported by its package name." },
    messages: {
      outside: "'{{specifier}}' reaches into {{target}}: import it by its package name (and its exports) instead.",
    },
    schema: [],
  },
  create(context) {
    const here = workspaceOf(context.filename);
    /** @param {import("estree").Node & { source?: import("estree").Node | null }} node */
    const check = (node) => {
      const source = node.source;
      if (source?.type !== "Literal" || typeof source.value !== "string" || !source.value.startsWith(".")) return;
      const target = path.resolve(path.dirname(context.filename), source.value);
      const there = workspaceOf(path.join(target, "_"));
      if (there === here || there === undefined) return;
      const specifier = source.value;
      context.report({ node: source, messageId: "outside", data: { specifier, target: path.relative(repositoryRoot, there) } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const architecture = defineConfig(
  {
    plugins: { hookloop: { rules: { "no-relative-import-outside-workspace": noRelativeImportOutsideWorkspace } } },
    rules: {
      "hookloop/no-relative-import-outside-workspace": "error",
      "no-restricted-syntax": ["error", ...readsOfTheEnvironment],
      "no-restricted-imports": ["error", { patterns: [intoAnotherPackagesSource] }],
    },
  },
  {
    files: ["apps/**", "packages/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [intoAnotherPackagesSource, anApp] }] },
  },
  {
    files: environmentReaders,
    rules: { "no-restricted-syntax": "off" },
  },
);
