// The services as processes, logged in as the owner (a superuser here) instead of hookloop_app: in
// production they stop before serving anything and say why; in development they start and warn.
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { freePort, runCli, startApp, waitUntil, type AppProcess } from "./processes";

const refusal = /Refusing this database connection: the database login postgres can act as .*\(a superuser\)/;

async function exitCodeOf(app: AppProcess, what: string): Promise<number | null> {
  await waitUntil(async () => app.child.exitCode !== null, { what: `${what} to exit\n${app.output()}`, timeoutMs: 25_000 });
  return app.child.exitCode;
}

test("in production, ingest and the worker logged in as the owner exit before serving, saying why", async ({ environment }) => {
  const [port, healthPort] = [await freePort(), await freePort()];
  const env = {
    ...environment.env,
    NODE_ENV: "production",
    DATABASE_URL: environment.databaseUrl,
    PORT: String(port),
    WORKER_HEALTH_PORT: String(healthPort),
  };
  const ingest = startApp("apps/ingest/src/main.ts", env);
  const worker = startApp("apps/worker/src/main.ts", env);
  try {
    expect(await exitCodeOf(ingest, "ingest")).toBe(1);
    expect(ingest.output()).toMatch(refusal);
    expect(await exitCodeOf(worker, "the worker")).toBe(1);
    expect(worker.output()).toMatch(refusal);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  } finally {
    await ingest.stop("SIGKILL");
    await worker.stop("SIGKILL");
  }
});

test("in production the CLI refuses the owner's login too, and runs as hookloop_app", ({ environment }) => {
  const args = ["contacts:list", "--workspace", "ws_nobody"];
  const asOwner = runCli(args, {
    ...environment.env,
    NODE_ENV: "production",
    DATABASE_URL: environment.databaseUrl,
    INGEST_PUBLIC_URL: "http://127.0.0.1:1",
  });
  expect(asOwner.status).toBe(1);
  expect(asOwner.stderr).toMatch(refusal);
  const asService = runCli(args, { ...environment.env, NODE_ENV: "production", INGEST_PUBLIC_URL: "http://127.0.0.1:1" });
  expect(asService.stderr).toBe("");
  expect(asService.status).toBe(0);
});

test("logged in as hookloop_app, ingest serves in production; as the owner in development, it serves and warns", async ({
  environment,
}) => {
  const [servicePort, ownerPort] = [await freePort(), await freePort()];
  const asService = startApp("apps/ingest/src/main.ts", {
    ...environment.env,
    NODE_ENV: "production",
    PORT: String(servicePort),
  });
  const asOwner = startApp("apps/ingest/src/main.ts", {
    ...environment.env,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    DATABASE_URL: environment.databaseUrl,
    PORT: String(ownerPort),
  });
  try {
    for (const [app, port] of [
      [asService, servicePort],
      [asOwner, ownerPort],
    ] as const) {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
        what: `ingest to be ready\n${app.output()}`,
        timeoutMs: 25_000,
      });
    }
    expect(asService.output()).not.toMatch(/row-level security/);
    expect(asOwner.output()).toMatch(/the database login postgres can act as .*\(a superuser\).*refused in production/);
  } finally {
    await asService.stop();
    await asOwner.stop();
  }
});
