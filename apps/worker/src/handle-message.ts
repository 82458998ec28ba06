import { deliverMessage, messageJobId, type DeliverMessageOptions } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { JobAttempt, QueuePayload, TypedQueue } from "@hookloop/queue";
import type { SecretBox } from "@hookloop/secrets";
import type { Logger } from "pino";

export type MessageHandlerOptions = Pick<
  DeliverMessageOptions,
  "allowPrivateTargets" | "maxInFlight" | "retryDelay" | "timeoutMs"
> & {
  box: SecretBox;
  /** Where the next attempt of a failed send is queued, delayed until it is due. */
  queue: TypedQueue<"messages">;
};

/**
 * Sends one destination message (core deliverMessage) and queues its next attempt, delayed, when
 * it failed. Should that add fail, the relay queues the message once it is due.
 */
export function createMessageHandler(db: Db, logger: Logger, options: MessageHandlerOptions) {
  const { box, queue, ...sendOptions } = options;
  return async (payload: QueuePayload<"messages">, job: JobAttempt) => {
    const { messageId, workspaceId } = payload;
    const outcome = await deliverMessage(db, { ...sendOptions, box, messageId, workspaceId });
    switch (outcome.kind) {
      case "later":
        return job.runAgainAt(outcome.at);
      case "skipped":
        logger.debug({ messageId, reason: outcome.reason }, "message not sent");
        return;
      case "retry":
        logger.info(
          { messageId, status: outcome.attempt.status, error: outcome.attempt.error, nextAttemptAt: outcome.nextAttemptAt },
          "message attempt failed; retrying later",
        );
        await queue
          .add(messageJobId(messageId, outcome.attemptNumber), payload, { delayMs: outcome.nextAttemptAt.getTime() - Date.now() })
          .catch((error: unknown) => logger.warn({ err: error, messageId }, "could not queue the retry; the relay will"));
        return;
      default:
        logger.info({ messageId, outcome: outcome.kind, status: outcome.attempt.status }, "message attempt recorded");
    }
  };
}
