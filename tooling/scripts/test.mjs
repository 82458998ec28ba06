// `npm test`: every test against real Postgres and Redis. Each run works in databases of its own
// (a migrated template cloned per test file) and Redis keys under its own prefix, so a developer's
// data is never touched. Then the dashboard in a real browser. Extra arguments go to Vitest alone
// (`npm test -- packages/domain`).
import { spawnSync } from "node:child_process";
import { installIfNeeded, prepareTestServices, root, say } from "./bootstrap.mjs";

installIfNeeded();
await prepareTestServices();

/** @param {string} command @param {string[]} args */
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env }).status ?? 1;

const extraArgs = process.argv.slice(2);
let failed = run("npx", ["vitest", "run", ...extraArgs]) !== 0;
if (!extraArgs.length) {
  say("browser tests (Playwright, Debian's Chromium)");
  failed = run("npm", ["run", "test:browser", "-w", "@hookloop/dashboard"]) !== 0 || failed;
}
process.exit(failed ? 1 : 0);
