// The safety net under ingest: deliveries recorded in Postgres whose outbox row was never cleared
// (Redis was down, or ingest died between recording and queueing) are queued here. Job ids are
// delivery ids and applying is idempotent, so a delivery queued twice applies once.
import type { DbClient } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";

export type RelayDeliveriesOptions = {
  /** Leave younger rows to ingest, which is still queueing them. */
  graceSeconds?: number;
  batchSize?: number;
};

/** Queues one batch of stranded deliveries; returns how many it queued. */
export async function relayDeliveries(
  db: DbClient,
  queue: TypedQueue<"deliveries">,
  options: RelayDeliveriesOptions = {},
): Promise<number> {
  const stranded = await db.deliveryOutbox.findMany({
    where: { recordedAt: { lt: new Date(Date.now() - (options.graceSeconds ?? 10) * 1000) } },
    orderBy: { recordedAt: "asc" },
    take: options.batchSize ?? 500,
  });
  if (!stranded.length) return 0;
  await queue.addBulk(
    stranded.map((row) => ({ jobId: row.deliveryId, payload: { deliveryId: row.deliveryId, workspaceId: row.workspaceId } })),
  );
  await db.deliveryOutbox.deleteMany({ where: { deliveryId: { in: stranded.map((row) => row.deliveryId) } } });
  return stranded.length;
}
