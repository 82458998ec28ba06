// Queues again the imports not finished whose job Redis may have lost (restarted without
// persistence, say). Re-adding a job that still exists is a no-op (the job id is the run id), and a
// run held by a live worker is left to it (its lease), so relaying a healthy run costs one round trip.
import type { DbClient } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";

export type RelayImportsOptions = {
  queue: TypedQueue<"imports">;
  /** How long a row is left alone after it was recorded or last relayed. */
  graceSeconds?: number;
  /**
   * Queues a job of its own for each run (`<run id>.<occasion>`), not a no-op beside the job Redis
   * still has: at a worker's start, where a job a killed worker held would otherwise wait for
   * BullMQ to find it stalled. The run's lease keeps two jobs from running it at once.
   */
  occasion?: string;
};

/** Any client: the outbox holds ids only and has no policy. Returns how many runs it queued. */
export async function relayImports(db: DbClient, options: RelayImportsOptions): Promise<number> {
  const due = await db.importOutbox.findMany({
    where: { recordedAt: { lt: new Date(Date.now() - (options.graceSeconds ?? 30) * 1000) } },
    orderBy: { recordedAt: "asc" },
    take: 100,
  });
  if (!due.length) return 0;
  await options.queue.addBulk(
    due.map((row) => ({
      jobId: options.occasion ? `${row.importRunId}.${options.occasion}` : row.importRunId,
      payload: { importRunId: row.importRunId, workspaceId: row.workspaceId },
    })),
  );
  await db.importOutbox.updateMany({
    where: { importRunId: { in: due.map((row) => row.importRunId) } },
    data: { recordedAt: new Date() },
  });
  return due.length;
}
