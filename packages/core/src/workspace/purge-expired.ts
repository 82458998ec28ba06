import type { Db } from "@hookloop/db/client";
import { auditRetentionCutoff } from "@hookloop/domain";
import { z } from "zod";
import { IDEMPOTENCY_WINDOW_MS } from "../api-key/find-idempotent-answer";

export type PurgeExpiredOptions = { now?: Date };

const purgedSchema = z.object({
  auditEntries: z.coerce.number().int().nonnegative(),
  idempotentAnswers: z.coerce.number().int().nonnegative(),
});

/**
 * Deletes, in every workspace, what is kept only for a while: audit entries past their 400 days,
 * Idempotency-Key answers past their 24 hours (hookloop_purge_expired names each workspace in turn
 * for row-level security). The worker runs it once a day. Returns how many of each went.
 */
export async function purgeExpired(db: Db, options: PurgeExpiredOptions = {}): Promise<z.infer<typeof purgedSchema>> {
  const now = options.now ?? new Date();
  const idempotencyBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
  const rows = await db.$queryRaw<Array<{ purged: unknown }>>`
    SELECT hookloop_purge_expired(${auditRetentionCutoff(now)}, ${idempotencyBefore}) AS purged`;
  return purgedSchema.parse(rows[0]?.purged);
}
