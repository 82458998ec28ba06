// Queues, again and again until they are applied, the deliveries recorded in Postgres. An outbox
// row lives until apply-delivery removes it with the delivery's outcome, because Redis taking a
// job does not make it safe: a Redis restarted without persistence, killed or failed over loses
// its jobs, and only Postgres still knows those deliveries.
//
// Re-adding a job that still exists is a no-op (the job id is the delivery id), and applying is
// idempotent, so a row relayed while its job waits, runs or retries costs one Redis round-trip.
import type { DbClient } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";

export type RelayDeliveriesOptions = {
  queue: TypedQueue<"deliveries">;
  /** How long a row is left alone after it was recorded or last relayed. */
  graceSeconds?: number;
  batchSize?: number;
};

/**
 * Queues one batch of the oldest unapplied deliveries; returns how many it queued. Any client, not
 * a WorkspaceTx: it scans every workspace's outbox rows, which hold ids only and have no policy.
 */
export async function relayDeliveries(db: DbClient, options: RelayDeliveriesOptions): Promise<number> {
  const { queue } = options;
  const due = await db.deliveryOutbox.findMany({
    where: { recordedAt: { lt: new Date(Date.now() - (options.graceSeconds ?? 10) * 1000) } },
    orderBy: { recordedAt: "asc" },
    take: options.batchSize ?? 500,
  });
  if (!due.length) return 0;
  await queue.addBulk(
    due.map((row) => ({ jobId: row.deliveryId, payload: { deliveryId: row.deliveryId, workspaceId: row.workspaceId } })),
  );
  // Relayed rows wait another grace period and go to the back, so a long backlog is walked through
  // instead of the same oldest batch being re-added on every pass.
  await db.deliveryOutbox.updateMany({
    where: { deliveryId: { in: due.map((row) => row.deliveryId) } },
    data: { recordedAt: new Date() },
  });
  return due.length;
}
