// `npm run build`: `next build` to a standalone server, then the static files copied next to it,
// as Next's standalone docs say (its server.js serves them from there), and src/serve.ts bundled
// beside it with everything it imports. The result, .next/standalone/apps/dashboard/serve.mjs,
// runs with `node` alone: `npm start` and the browser tests run it here, the Dockerfile copies
// .next/standalone into its image.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dashboardDir = fileURLToPath(new URL("../", import.meta.url));
const standaloneDir = `${dashboardDir}.next/standalone/apps/dashboard/`;
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

execFileSync(process.execPath, [nextBin, "build"], {
  cwd: dashboardDir,
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: "inherit",
});
rmSync(`${standaloneDir}.next/static`, { recursive: true, force: true });
cpSync(`${dashboardDir}.next/static`, `${standaloneDir}.next/static`, { recursive: true });
if (existsSync(`${dashboardDir}public`)) cpSync(`${dashboardDir}public`, `${standaloneDir}public`, { recursive: true });
await build({
  absWorkingDir: dashboardDir,
  entryPoints: ["src/serve.ts"],
  outfile: `${standaloneDir}serve.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  external: ["./server.js"],
  logLevel: "warning",
});
