import { purgeExpired } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";

const dayMs = 24 * 60 * 60 * 1000;

type Logger = { info: (fields: object, message: string) => void };

/**
 * What is kept only for a while, deleted from the relay loop: on the first pass after the worker
 * starts, then once a day (every worker runs it; a second run the same day deletes nothing). A
 * pass that fails is tried again on the next one.
 * - the audit log's entries past their 400 days;
 * - the API's Idempotency-Key answers past their 24 hours (already ignored, so only space).
 */
export function dailyPurges(db: Db, logger: Logger, now: () => number = Date.now) {
  let lastRun = Number.NEGATIVE_INFINITY;
  return async () => {
    if (now() - lastRun < dayMs) return;
    const { auditEntries, idempotentAnswers } = await purgeExpired(db);
    lastRun = now();
    if (auditEntries) logger.info({ purged: auditEntries }, "deleted audit entries past their retention (400 days)");
    if (idempotentAnswers) logger.info({ purged: idempotentAnswers }, "deleted Idempotency-Key answers past their 24 hours");
  };
}
