import type { Db } from "@hookloop/db/client";
import { z } from "zod";
import { IDEMPOTENCY_WINDOW_MS } from "./find-idempotent-answer";

export type PurgeIdempotentAnswersOptions = { now?: Date };

const purgedSchema = z.coerce.number().int().nonnegative();

/**
 * Deletes every workspace's kept Idempotency-Key answers past their 24 hours, in one statement
 * (hookloop_purge_idempotency_keys). The worker runs it once a day. Returns how many were deleted.
 */
export async function purgeIdempotentAnswers(db: Db, options: PurgeIdempotentAnswersOptions = {}): Promise<number> {
  const before = new Date((options.now ?? new Date()).getTime() - IDEMPOTENCY_WINDOW_MS);
  const rows = await db.$queryRaw<Array<{ purged: unknown }>>`SELECT hookloop_purge_idempotency_keys(${before}) AS purged`;
  return purgedSchema.parse(rows[0]?.purged ?? 0);
}
