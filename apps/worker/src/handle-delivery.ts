import { ContactNotResolvableError, applyDelivery, failDelivery } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { QueuePayload } from "@hookloop/queue";
import type { Logger } from "pino";

/** Applies one delivery; on its last attempt, a failure is written on the delivery in plain words. */
export function createDeliveryHandler(db: Db, logger: Logger) {
  return async (payload: QueuePayload<"deliveries">, attempt: { attemptsMade: number; attemptsAllowed: number }) => {
    const { deliveryId, workspaceId } = payload;
    try {
      const outcome = await applyDelivery(db, { deliveryId, workspaceId });
      // The reason names the contact's email: it stays in the database, where erasure can reach it.
      logger.info({ deliveryId, status: outcome.status }, "delivery applied");
    } catch (error) {
      const lastAttempt = attempt.attemptsMade + 1 >= attempt.attemptsAllowed;
      const reason =
        error instanceof ContactNotResolvableError
          ? error.message
          : `Could not apply the event: ${error instanceof Error ? error.message : String(error)}`;
      logger.warn({ deliveryId, attempt: attempt.attemptsMade + 1, lastAttempt, reason }, "delivery attempt failed");
      if (lastAttempt)
        await failDelivery(db, {
          deliveryId,
          workspaceId,
          reason: `${reason} (gave up after ${attempt.attemptsAllowed} attempts)`,
        });
      throw error;
    }
  };
}
