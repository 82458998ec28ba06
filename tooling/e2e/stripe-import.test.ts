// The Stripe connection and import as an operator runs them, against a local fake of Stripe's API
// over HTTP (STRIPE_API_BASE): endpoint:connect and backfill:start as CLI processes, and an import
// run by the worker process, killed with SIGKILL mid-way and resumed by the next worker from its
// checkpoint, without duplicates.
import { expect } from "vitest";
import { createEndpoint, createWorkspace, startImport, withWorkspace } from "@hookloop/core";
import { openQueue } from "@hookloop/queue";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { spawn } from "node:child_process";
import { freePort, root, startApp, waitUntil } from "./processes";

const test = baseTest
  .extend("stripe", { scope: "file" }, async ({}, { onCleanup }) => {
    const fake = await startFakeStripe({ customers: 400 });
    onCleanup(() => fake.close());
    return fake;
  })
  .extend("stack", { scope: "file" }, ({ environment, stripe }) => ({
    env: {
      ...environment.env,
      STRIPE_API_BASE: stripe.url,
      STRIPE_REQUESTS_PER_SECOND: "1000",
      INGEST_PUBLIC_URL: "http://127.0.0.1:3100",
      RELAY_INTERVAL_MS: "200",
      IMPORT_LEASE_SECONDS: "2",
    },
  }))
  .extend("newEndpointId", ({ appDb, box }) => async () => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const endpoint = await withWorkspace(appDb, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", enable: [] }),
    );
    return { workspaceId: workspace.id, endpointId: endpoint.id };
  });

/** The CLI as a process, awaited (not spawnSync: the fake Stripe answers from this process's event loop). */
function runCli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (status) => resolve({ status, stdout, stderr })));
}

const json = (result: { status: number | null; stdout: string; stderr: string }) => {
  if (result.status !== 0) throw new Error(`CLI failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

test(
  "endpoint:connect tests and stores a key (a wrong one is one line on stderr), and backfill:start imports with progress and a summary",
  { timeout: 180_000 },
  async ({ stack, newEndpointId, db }) => {
    const { workspaceId, endpointId } = await newEndpointId();
    const refused = await runCli(
      ["endpoint:connect", "--endpoint", endpointId, "--key", "rk_test_51NotAKeyStripeKnowsAtAll"],
      stack.env,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^hookloop: Stripe refused this key \(Invalid API Key provided: rk_test_\*+tAll\)/);

    expect(json(await runCli(["endpoint:connect", "--endpoint", endpointId, "--key", fakeStripeTestKey], stack.env))).toEqual({
      endpoint: endpointId,
      account: { id: "acct_1FakeHookloop", name: "Fake Stripe Inc." },
      mode: "test",
      key: `rk_test_…${fakeStripeTestKey.slice(-4)}`,
    });

    const backfill = await runCli(["backfill:start", "--endpoint", endpointId], stack.env);
    expect(json(backfill)).toMatchObject({
      status: "succeeded",
      customersTotal: 400,
      customersRead: 400,
      skipped: 0,
      triggerEventsFired: 0,
    });
    expect(backfill.stderr).toContain("hookloop: 0/400 customers");
    expect(backfill.stderr).toContain("hookloop: 400/400 customers");
    expect(await db.contact.count({ where: { workspaceId } })).toBe(400);
  },
);

test(
  "an import the worker was running when it was killed is resumed by the next worker from its checkpoint, without duplicates",
  { timeout: 240_000 },
  async ({ stack, stripe, newEndpointId, db, redis, environment }) => {
    const { workspaceId, endpointId } = await newEndpointId();
    json(await runCli(["endpoint:connect", "--endpoint", endpointId, "--key", fakeStripeTestKey], stack.env));
    const run = await withWorkspace(db, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId }));
    const imports = openQueue("imports", { connection: redis, prefix: environment.redisPrefix });
    await imports.add(run.id, { importRunId: run.id, workspaceId });
    await imports.close();

    const start = async () => {
      const env = { ...stack.env, WORKER_HEALTH_PORT: String(await freePort()) };
      return startApp("apps/worker/src/main.ts", env);
    };
    const progress = () => db.importRun.findUniqueOrThrow({ where: { id: run.id } });
    const first = await start();
    const halfway = await waitUntil(
      async () => {
        const row = await progress();
        return row.customersRead >= 100 && row;
      },
      { what: "the import to read 100 customers", timeoutMs: 60_000 },
    );
    await first.stop("SIGKILL");
    const afterKill = await progress();
    expect(afterKill.status).toBe("running");
    expect(afterKill.customersRead).toBeLessThan(400);
    expect(afterKill.customersRead).toBeGreaterThanOrEqual(halfway.customersRead);

    const second = await start();
    try {
      const done = await waitUntil(
        async () => {
          const row = await progress();
          return row.status !== "running" && row;
        },
        { what: "the import to finish in the second worker", timeoutMs: 90_000 },
      );
      expect(done).toMatchObject({ status: "succeeded", customersTotal: 400, customersRead: 400 });
    } finally {
      await second.stop("SIGTERM");
    }
    expect(await db.contact.count({ where: { workspaceId } })).toBe(400);
    const records = stripe.customers.reduce((sum, entry) => sum + 1 + entry.subscriptions.length + entry.invoices.length, 0);
    expect(await db.contactEvent.count({ where: { workspaceId } })).toBe(records);
    expect(await db.triggerEvent.count({ where: { workspaceId } })).toBe(0);
  },
);

test(
  "a worker stopped with SIGTERM mid-import lets go of it after its page, and the next worker finishes it",
  { timeout: 240_000 },
  async ({ stack, newEndpointId, db, redis, environment }) => {
    const { workspaceId, endpointId } = await newEndpointId();
    json(await runCli(["endpoint:connect", "--endpoint", endpointId, "--key", fakeStripeTestKey], stack.env));
    const run = await withWorkspace(db, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId }));
    const imports = openQueue("imports", { connection: redis, prefix: environment.redisPrefix });
    await imports.add(run.id, { importRunId: run.id, workspaceId });
    await imports.close();
    // A long lease: only letting go of it at shutdown lets the next worker take the import at once.
    const start = async () =>
      startApp("apps/worker/src/main.ts", {
        ...stack.env,
        IMPORT_LEASE_SECONDS: "600",
        WORKER_HEALTH_PORT: String(await freePort()),
      });
    const progress = () => db.importRun.findUniqueOrThrow({ where: { id: run.id } });

    const first = await start();
    await waitUntil(async () => (await progress()).customersRead >= 100, {
      what: "the import to read 100 customers",
      timeoutMs: 60_000,
    });
    expect(await first.stop("SIGTERM")).toBe(0);
    const stopped = await progress();
    expect(stopped).toMatchObject({ status: "running", leaseUntil: null });
    expect(stopped.customersRead).toBeLessThan(400);

    const second = await start();
    try {
      const done = await waitUntil(
        async () => {
          const row = await progress();
          return row.status !== "running" && row;
        },
        { what: "the import to finish in the second worker", timeoutMs: 90_000 },
      );
      expect(done).toMatchObject({ status: "succeeded", customersRead: 400 });
    } finally {
      await second.stop("SIGTERM");
    }
    expect(await db.contact.count({ where: { workspaceId } })).toBe(400);
  },
);
