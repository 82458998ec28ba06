// The worker's import job, handed its attempts as BullMQ hands them, against the local fake of
// Stripe's API over HTTP: a run Stripe cannot be reached for is retried with its checkpoint kept,
// and on its last attempt marked failed with the reason the panel shows; a run another worker
// holds is put back until its lease ends.
import { pino } from "pino";
import { expect } from "vitest";
import { connectStripe, createEndpoint, createWorkspace, getImportRun, startImport, withWorkspace } from "@hookloop/core";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createImportHandler } from "../src/handle-import";

const test = baseTest.extend("importRun", async ({ appDb, box }, { onCleanup }) => {
  const fake = await startFakeStripe({ customers: 30 });
  onCleanup(() => fake.close());
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const workspaceId = workspace.id;
  const endpoint = await withWorkspace(appDb, workspaceId, (tx) =>
    createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [] }),
  );
  const api = { apiBase: fake.url, requestsPerSecond: 1_000, maxNetworkRetries: 0 };
  await connectStripe(appDb, { workspaceId, endpointId: endpoint.id, box, key: fakeStripeTestKey, api });
  const run = await withWorkspace(appDb, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId: endpoint.id }));
  const handle = createImportHandler(appDb, pino({ level: "silent" }), { box, api });
  const view = () => withWorkspace(appDb, workspaceId, (tx) => getImportRun(tx, { workspaceId, endpointId: endpoint.id }));
  return { fake, handle, view, payload: { importRunId: run.id, workspaceId } };
});

const attempt = (attemptsMade: number, delays: Date[] = []) => ({
  attemptsMade,
  attemptsAllowed: 9,
  runAgainAt: (at: Date) => {
    delays.push(at);
    return Promise.reject(new Error("delayed"));
  },
});

test("an import Stripe cannot be reached for is retried, and marked failed with the reason on its last attempt", async ({
  importRun,
}) => {
  const { fake, handle, view, payload } = importRun;
  fake.dropConnections();
  await expect(handle(payload, attempt(0))).rejects.toThrow(/connection to Stripe/);
  expect(await view()).toMatchObject({ status: "running", error: null });

  await expect(handle(payload, attempt(8))).rejects.toThrow(/connection to Stripe/);
  expect(await view()).toMatchObject({
    status: "failed",
    error: expect.stringMatching(/^The import stopped: An error occurred with our connection to Stripe/),
  });
});

test("a run another worker holds is put back until that worker's lease ends, then finished", async ({ importRun, db }) => {
  const { handle, view, payload } = importRun;
  const leaseUntil = new Date(Date.now() + 60_000);
  await db.importRun.update({ where: { id: payload.importRunId }, data: { status: "running", leaseUntil } });
  const delays: Date[] = [];
  await expect(handle(payload, attempt(0, delays))).rejects.toThrow("delayed");
  expect(delays).toEqual([leaseUntil]);

  await db.importRun.update({ where: { id: payload.importRunId }, data: { leaseUntil: null } });
  await handle(payload, attempt(1));
  expect(await view()).toMatchObject({ status: "succeeded", customersRead: 30, percent: 100 });
});
