import { purgeAuditEntries } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";

const dayMs = 24 * 60 * 60 * 1000;

type Logger = { info: (fields: object, message: string) => void };

/**
 * The audit log's retention, run from the relay loop: on the first pass after the worker starts,
 * then once a day (every worker runs it; a second run the same day deletes nothing). A pass that
 * fails is tried again on the next one.
 */
export function dailyAuditPurge(db: Db, logger: Logger, now: () => number = Date.now) {
  let lastRun = Number.NEGATIVE_INFINITY;
  return async () => {
    if (now() - lastRun < dayMs) return;
    const purged = await purgeAuditEntries(db);
    lastRun = now();
    if (purged) logger.info({ purged }, "deleted audit entries past their retention (400 days)");
  };
}
