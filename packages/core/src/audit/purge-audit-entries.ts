import type { Db } from "@hookloop/db/client";
import { auditRetentionCutoff } from "@hookloop/domain";
import { z } from "zod";

export type PurgeAuditEntriesOptions = { now?: Date };

const purgedSchema = z.coerce.number().int().nonnegative();

/**
 * Deletes every workspace's audit entries older than the retention (400 days), in one statement
 * (hookloop_purge_audit_entries names each workspace in turn for row-level security). The worker
 * runs it once a day. Returns how many were deleted.
 */
export async function purgeAuditEntries(db: Db, options: PurgeAuditEntriesOptions = {}): Promise<number> {
  const before = auditRetentionCutoff(options.now ?? new Date());
  const rows = await db.$queryRaw<Array<{ purged: unknown }>>`SELECT hookloop_purge_audit_entries(${before}) AS purged`;
  return purgedSchema.parse(rows[0]?.purged ?? 0);
}
