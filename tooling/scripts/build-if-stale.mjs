// What `npm start` and the browser tests run is built JavaScript: packages/db's migrate script,
// ingest's, the API's and the worker's bundles, the dashboard's standalone server. Each is rebuilt
// (with its workspace's own `npm run build`, as `npm run build` does for all of them) only when it
// is missing or older than a file its build reads, so a start with nothing changed builds nothing.
//
//   node tooling/scripts/build-if-stale.mjs   (the browser tests run it so)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { root, say } from "./bootstrap.mjs";

const packageSources = readdirSync(`${root}packages`).map((name) => `packages/${name}/src`);
const shared = ["package-lock.json", ...packageSources];
const bundled = ["tooling/scripts/bundle.mjs", ...shared];

export const builds = [
  {
    name: "the migrations runner",
    workspace: "@hookloop/db",
    output: "packages/db/dist/migrate.js",
    sources: ["packages/db/scripts", "packages/db/package.json", ...bundled],
  },
  {
    name: "ingest",
    workspace: "@hookloop/ingest",
    output: "apps/ingest/dist/main.js",
    sources: ["apps/ingest/src", "apps/ingest/package.json", ...bundled],
  },
  {
    name: "the API",
    workspace: "@hookloop/api",
    output: "apps/api/dist/main.js",
    sources: ["apps/api/src", "apps/api/package.json", ...bundled],
  },
  {
    name: "the worker",
    workspace: "@hookloop/worker",
    output: "apps/worker/dist/main.js",
    sources: ["apps/worker/src", "apps/worker/package.json", ...bundled],
  },
  {
    name: "the dashboard",
    workspace: "@hookloop/dashboard",
    // Written last by its build, so it is only there, and newer, once the whole build succeeded.
    output: "apps/dashboard/.next/standalone/apps/dashboard/serve.mjs",
    sources: [
      "apps/dashboard/src",
      "apps/dashboard/next.config.ts",
      "apps/dashboard/scripts",
      "apps/dashboard/package.json",
      ...shared,
    ],
  },
];

/**
 * The newest modification time of the given files, or of any file inside the given folders.
 * @param {string[]} sources
 */
function newestModification(sources) {
  let newest = 0;
  for (const source of sources) {
    const path = `${root}${source}`;
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, encoding: "utf8" }).map((file) => `${path}/${file}`)
      : [path];
    for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

export function buildIfStale() {
  for (const build of builds) {
    const output = `${root}${build.output}`;
    if (existsSync(output) && statSync(output).mtimeMs >= newestModification(build.sources)) continue;
    say(`building ${build.name} (first run, or its sources changed)…`);
    execFileSync("npm", ["run", "--silent", "build", "-w", build.workspace], { cwd: root, stdio: "inherit" });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildIfStale();
