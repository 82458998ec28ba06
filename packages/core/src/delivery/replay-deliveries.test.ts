// Bulk replay from the endpoint page: what the filter selects that a replay can take is queued
// again in batches, each with its outbox row, and its progress is read back.
import { expect } from "vitest";
import { connectProducer, openQueue } from "@hookloop/queue";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { createEndpoint } from "../endpoint/create-endpoint";
import { deleteEndpoint } from "../endpoint/delete-endpoint";
import { applyDelivery } from "./apply-delivery";
import { countDeliveries } from "./count-deliveries";
import { getReplayProgress } from "./get-replay-progress";
import { replayDeliveries } from "./replay-deliveries";

const test2 = test.extend("failedDeliveries", ({ newEndpoint, db }) => async () => {
  const endpoint = await newEndpoint();
  const { workspaceId, endpointId } = endpoint;
  const record = async (type: string, status: "failed" | "ignored" | "processed", email = "ada@example.com") => {
    const delivery = await recordTestDelivery(db, {
      workspaceId,
      endpointId,
      event: stripeEvent(type, { customerId: `cus_${email.split("@")[0]}`, email }),
    });
    await db.delivery.update({ where: { id: delivery.id }, data: { status, reason: "Earlier outcome." } });
    return delivery.id;
  };
  const failed = [];
  for (let i = 0; i < 5; i++) failed.push(await record("invoice.paid", "failed"));
  const ignored = await record("customer.created", "ignored", "grace@example.com");
  const unsupported = await record("customer.tax_id.created", "ignored");
  const processed = await record("invoice.paid", "processed");
  return { ...endpoint, failed, ignored, unsupported, processed };
});

test2(
  "replaying the failed deliveries counts them, queues them in batches with outbox rows, and reports them applied",
  async ({ failedDeliveries, db, appDb, queue }) => {
    const { workspaceId, endpointId, inWorkspace, failed, ignored, unsupported, processed } = await failedDeliveries();
    const filter = { workspaceId, endpointId, status: "failed" as const };
    expect(await inWorkspace((tx) => countDeliveries(tx, { ...filter, replayable: true }))).toBe(5);
    // Every replayable one, whatever its status, unless the filter says which.
    expect(await inWorkspace((tx) => countDeliveries(tx, { workspaceId, endpointId, replayable: true }))).toBe(6);
    expect(await inWorkspace((tx) => countDeliveries(tx, { workspaceId, endpointId }))).toBe(8);

    const replayedAt = new Date();
    const batches: number[] = [];
    let replayed: number;
    do {
      replayed = await inWorkspace((tx) => replayDeliveries(tx, { filter, queue, replayedAt, batchSize: 2 }));
      batches.push(replayed);
    } while (replayed);
    expect(batches).toEqual([2, 2, 1, 0]);

    const rows = await db.delivery.findMany({
      where: { endpointId },
      select: { id: true, status: true, reason: true, replayedAt: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of failed) {
      expect(byId.get(id)).toMatchObject({ status: "queued", reason: "Replayed.", replayedAt });
      expect((await queue.queue.getJob(id))?.data).toEqual({ deliveryId: id, workspaceId });
    }
    expect(await db.deliveryOutbox.count({ where: { deliveryId: { in: failed } } })).toBe(5);
    for (const id of [ignored, unsupported, processed]) expect(byId.get(id)?.replayedAt).toBeNull();
    expect(await inWorkspace((tx) => getReplayProgress(tx, { workspaceId, endpointId, replayedAt }))).toEqual({
      total: 5,
      queued: 5,
      processed: 0,
      ignored: 0,
      failed: 0,
    });

    for (const id of failed.slice(0, 3)) await applyDelivery(appDb, { deliveryId: id, workspaceId });
    expect(await inWorkspace((tx) => getReplayProgress(tx, { workspaceId, endpointId, replayedAt }))).toEqual({
      total: 5,
      queued: 2,
      processed: 3,
      ignored: 0,
      failed: 0,
    });
  },
);

test2(
  "an event type Hookloop does not handle, and another endpoint's deliveries, are never replayed",
  async ({ failedDeliveries, db, box, queue }) => {
    const { workspaceId, endpointId, inWorkspace, ignored, unsupported } = await failedDeliveries();
    const other = await inWorkspace((tx) => createEndpoint(tx, { box, workspaceId, name: "Other" }));
    const elsewhere = await recordTestDelivery(db, { workspaceId, endpointId: other.id, event: stripeEvent("invoice.paid") });
    await db.delivery.update({ where: { id: elsewhere.id }, data: { status: "failed" } });

    const filter = { workspaceId, endpointId, status: "ignored" as const };
    expect(await inWorkspace((tx) => countDeliveries(tx, { ...filter, replayable: true }))).toBe(1);
    expect(await inWorkspace((tx) => replayDeliveries(tx, { filter, queue, replayedAt: new Date() }))).toBe(1);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: ignored } })).toMatchObject({ status: "queued" });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: unsupported } })).toMatchObject({
      status: "ignored",
      replayedAt: null,
    });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: elsewhere.id } })).toMatchObject({
      status: "failed",
      replayedAt: null,
    });

    // A deleted endpoint's deliveries are not replayed either.
    await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId: other.id }));
    const all = { workspaceId, status: "failed" as const };
    expect(await inWorkspace((tx) => replayDeliveries(tx, { filter: all, queue, replayedAt: new Date() }))).toBe(5);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: elsewhere.id } })).toMatchObject({ status: "failed" });
  },
);

test2(
  "with Redis away, a bulk replay still queues every delivery in Postgres' outbox, for the relay",
  async ({ failedDeliveries, db, environment }) => {
    const { workspaceId, endpointId, inWorkspace, failed } = await failedDeliveries();
    const away = connectProducer("redis://127.0.0.1:1");
    const queue = openQueue("deliveries", { connection: away, prefix: environment.redisPrefix });
    try {
      const filter = { workspaceId, endpointId, status: "failed" as const };
      expect(await inWorkspace((tx) => replayDeliveries(tx, { filter, queue, replayedAt: new Date() }))).toBe(5);
    } finally {
      await queue.close().catch(() => undefined);
      away.disconnect();
    }
    expect(await db.delivery.count({ where: { id: { in: failed }, status: "queued" } })).toBe(5);
    expect(await db.deliveryOutbox.count({ where: { deliveryId: { in: failed } } })).toBe(5);
  },
);
