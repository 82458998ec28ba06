import type { TypedQueue } from "@hookloop/queue";
import { z } from "zod";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { deliveryCondition, replayableCondition, type DeliveryFilter } from "./delivery-filter";

export type ReplayDeliveriesOptions = {
  filter: DeliveryFilter;
  queue: TypedQueue<"deliveries">;
  /** Names this bulk replay: every delivery it queues is stamped with it (getReplayProgress reads it back). */
  replayedAt: Date;
  /** How many deliveries one call (one transaction) queues. */
  batchSize?: number;
};

/**
 * One batch of a bulk replay: queues again up to `batchSize` of the deliveries the filter selects
 * that a replay can take (replayDelivery's rules: failed or ignored, of a handled event type, on an
 * endpoint not deleted) and this replay has not queued yet. Call it again, each time in a
 * transaction of its own, until it returns 0. As replayDelivery does, each delivery gets its
 * outbox row in the same transaction, so Redis refusing the jobs loses none: the relay queues them.
 */
export async function replayDeliveries(tx: WorkspaceTx, options: ReplayDeliveriesOptions): Promise<number> {
  const { filter, queue, replayedAt } = options;
  const batchSize = Math.min(Math.max(options.batchSize ?? 200, 1), 1_000);
  // Locks the batch; a delivery the worker is applying right now (locked) waits for the next call.
  const picked = z.array(z.object({ id: z.string() })).parse(
    await tx.$queryRaw`
      SELECT d.id::text AS id FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
      WHERE ${deliveryCondition(filter)} AND ${replayableCondition} AND e.deleted_at IS NULL
        AND d.replayed_at IS DISTINCT FROM ${replayedAt}
      ORDER BY d.received_at DESC, d.id DESC
      LIMIT ${batchSize}
      FOR UPDATE OF d SKIP LOCKED`,
  );
  if (!picked.length) return 0;
  const ids = picked.map((row) => row.id);
  await tx.delivery.updateMany({
    where: { id: { in: ids }, workspaceId: filter.workspaceId },
    data: { status: "queued", reason: "Replayed.", processedAt: null, replayedAt },
  });
  await tx.$executeRaw`
    INSERT INTO delivery_outbox (delivery_id, workspace_id)
    SELECT id, ${filter.workspaceId} FROM unnest(${ids}::uuid[]) AS id
    ON CONFLICT (delivery_id) DO UPDATE SET recorded_at = now()`;
  // A failed job is kept under the delivery's id; make room for the new one. Redis refusing any of
  // this leaves the outbox rows to the relay.
  try {
    await Promise.all(ids.map((id) => queue.queue.remove(id)));
    await queue.addBulk(ids.map((id) => ({ jobId: id, payload: { deliveryId: id, workspaceId: filter.workspaceId } })));
  } catch {
    // the relay has them
  }
  return ids.length;
}
