// The back half as `npm start` runs it, for the end-to-end tests: ingest and the worker as
// processes on the test file's database and Redis prefix, and the admin CLI as a user runs it.
import { test as baseTest } from "@hookloop/testing/fixtures";
import { freePort, runCli, startApp, waitUntil } from "./processes";

export const test = baseTest
  /** Ingest and the worker as processes, as `npm start` runs them, on the file's database and Redis prefix. */
  .extend("apps", { scope: "file" }, async ({ environment }, { onCleanup }) => {
    const [ingestPort, healthPort] = [await freePort(), await freePort()];
    const ingestUrl = `http://127.0.0.1:${ingestPort}`;
    const workerHealthUrl = `http://127.0.0.1:${healthPort}`;
    const env = {
      ...environment.env,
      PORT: String(ingestPort),
      WORKER_HEALTH_PORT: String(healthPort),
      RELAY_INTERVAL_MS: "200",
      INGEST_PUBLIC_URL: ingestUrl,
    };
    const ingest = startApp("apps/ingest/src/main.ts", env);
    const worker = startApp("apps/worker/src/main.ts", env);
    onCleanup(async () => {
      await ingest.stop("SIGKILL");
      await worker.stop("SIGKILL");
    });
    await waitUntil(async () => (await fetch(`${ingestUrl}/readyz`)).ok, { what: "ingest to be ready" });
    await waitUntil(async () => (await fetch(`${workerHealthUrl}/readyz`)).ok, { what: "worker to be ready" });
    return { env, ingest, worker, ingestUrl };
  })
  /** The CLI's JSON answer to one command, run as a user runs it. */
  .extend("cli", ({ apps: { env } }) => (...args: string[]) => {
    const result = runCli(args, env);
    if (result.status !== 0) throw new Error(`CLI ${args[0]} failed: ${result.stderr}`);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the CLI's JSON, as loose as the tests read it
    return JSON.parse(result.stdout);
  });
