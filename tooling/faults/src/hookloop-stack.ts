// Hookloop as it runs in production, for one fault test file: its own database (cloned from the
// run's template), the ingest and worker processes on free ports, and tenants made with the CLI.
// The apps may be pointed at other Postgres and Redis addresses (a proxy, a private Redis) while
// the test itself reads the database directly.
//
// A fault file takes it as the `stack` fixture (and `privateRedis`, a Redis of its own to stop and
// kill); it says where the apps connect by redefining `stackOptions`:
//
//   const test = faultTest.extend("stackOptions", { scope: "file" }, ({ privateRedis }) => ({ redisUrl: privateRedis.url }));
import { spawn } from "node:child_process";
import type { Db } from "@hookloop/db/client";
import { freePort, root, startApp, waitUntil, type AppProcess } from "@hookloop/e2e/processes";
import { newTestSigningSecret, type TestEnvironment } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createPrivateRedis } from "./redis-server";
import type { StripeTarget } from "./stripe-harness";

export type Tenant = { workspaceId: string; endpointId: string; target: StripeTarget };

export type StackOptions = {
  /** Where the apps (not the test) reach Postgres and Redis, when not directly. */
  appDatabaseUrl?: (directUrl: string) => string;
  redisUrl?: string;
  /** Extra variables for both apps. */
  env?: Record<string, string>;
};

export type Stack = {
  environment: TestEnvironment;
  /** The test's own connection: direct, as the database owner (row-level security does not apply). */
  db: Db;
  ingestUrl: string;
  workerHealthUrl: string;
  ingest: () => AppProcess;
  worker: () => AppProcess;
  startIngest: (options?: { waitReady?: boolean }) => Promise<AppProcess>;
  startWorker: (options?: { waitReady?: boolean }) => Promise<AppProcess>;
  createTenants: (count: number, enable: string[]) => Promise<Tenant[]>;
  stop: () => Promise<void>;
};

export const test = baseTest
  /** Where the apps reach Postgres and Redis, and what else they are told: directly, unless a file redefines it. */
  .extend("stackOptions", { scope: "file" }, {} as StackOptions)
  /** The file's Hookloop, on the file's database and Redis prefix; the file starts its processes. Killed after the file. */
  .extend("stack", { scope: "file" }, async ({ environment, db, stackOptions }, { onCleanup }) => {
    const stack = await startStack({ environment, db }, stackOptions);
    onCleanup(() => stack.stop());
    return stack;
  })
  /** A Redis server of the file's own, started, without persistence: stopping or killing it loses its jobs. */
  .extend("privateRedis", { scope: "file" }, async ({}, { onCleanup }) => {
    const redis = await createPrivateRedis();
    onCleanup(() => redis.kill());
    await redis.start();
    return redis;
  });

/** The apps on `environment` (the test reading the database through `db`); `stop` kills them. */
export async function startStack(
  { environment, db }: { environment: TestEnvironment; db: Db },
  options: StackOptions = {},
): Promise<Stack> {
  const [ingestPort, healthPort] = [await freePort(), await freePort()];
  const ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const workerHealthUrl = `http://127.0.0.1:${healthPort}`;
  const cliEnv = { ...environment.env, INGEST_PUBLIC_URL: ingestUrl };
  const appEnv = {
    ...cliEnv,
    DATABASE_URL: options.appDatabaseUrl?.(environment.serviceDatabaseUrl) ?? environment.serviceDatabaseUrl,
    REDIS_URL: options.redisUrl ?? environment.redisUrl,
    PORT: String(ingestPort),
    WORKER_HEALTH_PORT: String(healthPort),
    RELAY_INTERVAL_MS: "500",
    ...options.env,
  };

  let ingest: AppProcess | null = null;
  let worker: AppProcess | null = null;
  const ready = (url: string, what: string) =>
    waitUntil(async () => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok, {
      what,
      timeoutMs: 60_000,
    });

  return {
    environment,
    db,
    ingestUrl,
    workerHealthUrl,
    ingest: () => ingest ?? fail("ingest is not running"),
    worker: () => worker ?? fail("the worker is not running"),
    startIngest: async ({ waitReady = true } = {}) => {
      ingest = startApp("apps/ingest/src/main.ts", appEnv);
      if (waitReady) await ready(ingestUrl, `ingest to be ready\n${ingest.output()}`);
      return ingest;
    },
    startWorker: async ({ waitReady = true } = {}) => {
      worker = startApp("apps/worker/src/main.ts", appEnv);
      if (waitReady) await ready(workerHealthUrl, `the worker to be ready\n${worker.output()}`);
      return worker;
    },
    createTenants: async (count, enable) => {
      // The CLI is a process each time: a few at once keeps set-up short on two cores.
      const indexes = Array.from({ length: count }, (_, index) => index);
      const tenants: Tenant[] = [];
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let index = indexes.shift(); index !== undefined; index = indexes.shift()) {
            const workspace = await cli(["workspace:create", "--name", `Faults ${index}`], cliEnv);
            const secret = newTestSigningSecret();
            const endpoint = await cli(
              [
                "endpoint:create",
                "--workspace",
                workspace.id,
                "--secret",
                secret,
                ...enable.flatMap((rule) => ["--enable", rule]),
              ],
              cliEnv,
            );
            tenants[index] = { workspaceId: workspace.id, endpointId: endpoint.id, target: { url: endpoint.url, secret } };
          }
        }),
      );
      return tenants;
    },
    stop: async () => {
      await Promise.all([ingest?.stop("SIGKILL"), worker?.stop("SIGKILL")]);
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}

/** Runs one CLI command and returns its JSON. */
export function cli(args: string[], env: Record<string, string>): Promise<{ id: string; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as { id: string; url: string })
        : reject(new Error(`CLI ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}
