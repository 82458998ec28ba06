// The safety net under ingest: deliveries recorded in Postgres but never confirmed in the queue
// (Redis was down, or ingest died between the two) are queued here. Job ids are delivery ids, so
// a delivery queued twice runs once.
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
  const stranded = await db.$queryRaw<Array<{ id: string; workspace_id: string }>>`
    SELECT id, workspace_id FROM delivery
    WHERE status = 'queued' AND enqueued_at IS NULL
      AND received_at < now() - make_interval(secs => ${options.graceSeconds ?? 10})
    ORDER BY received_at
    LIMIT ${options.batchSize ?? 500}`;
  if (!stranded.length) return 0;
  const ids = stranded.map((row) => row.id);
  await queue.addBulk(stranded.map((row) => ({ jobId: row.id, payload: { deliveryId: row.id, workspaceId: row.workspace_id } })));
  await db.$executeRaw`UPDATE delivery SET enqueued_at = now() WHERE id = ANY(${ids}::uuid[]) AND enqueued_at IS NULL`;
  return ids.length;
}
