import {
  ContactNotResolvableError,
  applyDelivery,
  completeFromStripe,
  failDelivery,
  messageJobId,
  type StripeApiSettings,
} from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { QueuePayload, TypedQueue } from "@hookloop/queue";
import type { SecretBox } from "@hookloop/secrets";
import type { Logger } from "pino";
import type { WorkerMetrics } from "./metrics";

export type DeliveryHandlerOptions = {
  /** Where the destination messages a delivery records are queued once it commits; without it the relay queues them. */
  messages?: TypedQueue<"messages">;
  /** Where the time each apply takes is recorded; nowhere without it. */
  metrics?: Pick<WorkerMetrics, "applySeconds">;
  /**
   * Reading a customer from Stripe, for an event that names them only by id when the endpoint has
   * a Stripe connection (completeFromStripe): from its second attempt on, so a customer event
   * merely late is waited for first. Without it, such an event waits for the customer's event.
   */
  stripe?: { box: SecretBox; api: StripeApiSettings };
};

/** Applies one delivery; on its last attempt, a failure is written on the delivery in plain words. */
export function createDeliveryHandler(db: Db, logger: Logger, options: DeliveryHandlerOptions = {}) {
  return async (payload: QueuePayload<"deliveries">, attempt: { attemptsMade: number; attemptsAllowed: number }) => {
    const { deliveryId, workspaceId } = payload;
    const timer = options.metrics?.applySeconds.startTimer();
    const apply = async () => {
      try {
        return await applyDelivery(db, { deliveryId, workspaceId });
      } catch (error) {
        if (!(error instanceof ContactNotResolvableError) || !options.stripe || attempt.attemptsMade < 1) throw error;
        const completion = await completeFromStripe(db, { workspaceId, deliveryId, ...options.stripe });
        if (completion.status !== "completed") throw new ContactNotResolvableError(`${error.message} ${completion.reason}`);
        logger.info({ deliveryId, customerId: completion.customerId }, "read the event's customer from Stripe");
        return applyDelivery(db, { deliveryId, workspaceId });
      }
    };
    try {
      const outcome = await apply();
      timer?.({ outcome: outcome.status });
      // The reason names the contact's email: it stays in the database, where erasure can reach it.
      logger.info({ deliveryId, status: outcome.status }, "delivery applied");
      const messageIds = outcome.status === "processed" ? (outcome.messageIds ?? []) : [];
      if (messageIds.length && options.messages) {
        // Committed already: a refused add leaves the messages to the relay.
        await options.messages
          .addBulk(messageIds.map((messageId) => ({ jobId: messageJobId(messageId, 0), payload: { messageId, workspaceId } })))
          .catch((error: unknown) => logger.warn({ err: error, deliveryId }, "could not queue its messages; the relay will"));
      }
    } catch (error) {
      const lastAttempt = attempt.attemptsMade + 1 >= attempt.attemptsAllowed;
      timer?.({ outcome: lastAttempt ? "failed" : "retry" });
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
