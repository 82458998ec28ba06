import { z } from "zod";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetReplayProgressOptions = { workspaceId: string; endpointId: string; replayedAt: Date };

export type ReplayProgress = { total: number; queued: number; processed: number; ignored: number; failed: number };

/**
 * Where the deliveries a bulk replay queued stand now: still queued, or applied (processed,
 * ignored or failed again). A delivery replayed once more since counts with its newer replay.
 */
export async function getReplayProgress(tx: WorkspaceTx, options: GetReplayProgressOptions): Promise<ReplayProgress> {
  const rows = z.array(z.object({ status: z.enum(["queued", "processed", "ignored", "failed"]), count: z.number() })).parse(
    await tx.$queryRaw`
      SELECT status::text AS status, count(*)::int AS count FROM delivery
      WHERE workspace_id = ${options.workspaceId} AND endpoint_id = ${options.endpointId} AND replayed_at = ${options.replayedAt}
      GROUP BY status`,
  );
  const progress: ReplayProgress = { total: 0, queued: 0, processed: 0, ignored: 0, failed: 0 };
  for (const row of rows) {
    progress[row.status] = row.count;
    progress.total += row.count;
  }
  return progress;
}
