// `npm run test:faults`: the fault-injection suite (tooling/faults). Real ingest and worker
// processes, real Postgres and Redis behind proxies that add latency and blackholes, a private
// Redis server to stop and kill. Extra arguments go to Vitest.
import { spawnSync } from "node:child_process";
import { installIfNeeded, prepareTestServices, root } from "./bootstrap.mjs";

installIfNeeded();
await prepareTestServices();
const args = ["vitest", "run", "--config", "tooling/faults/vitest.config.ts", ...process.argv.slice(2)];
process.exit(spawnSync("npx", args, { cwd: root, stdio: "inherit", env: process.env }).status ?? 1);
