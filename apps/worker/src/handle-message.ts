import {
  deliverDestinationBacklog,
  deliverMessage,
  messageJobId,
  type AttemptOutcome,
  type DeliverMessageOptions,
} from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { JobAttempt, QueuePayload, TypedQueue } from "@hookloop/queue";
import type { SecretBox } from "@hookloop/secrets";
import type { Logger } from "pino";
import type { WorkerMetrics } from "./metrics";

export type MessageHandlerOptions = Pick<
  DeliverMessageOptions,
  "allowPrivateTargets" | "maxInFlight" | "retryDelay" | "timeoutMs"
> & {
  box: SecretBox;
  /** Where the next attempt of a failed send is queued, delayed until it is due. */
  queue: TypedQueue<"messages">;
  /** Where each send's result is counted; nowhere without it. */
  metrics?: Pick<WorkerMetrics, "messageAttempts">;
};

/**
 * Sends one destination message (core deliverMessage), then, keeping the destination's lane, its
 * next due messages (deliverDestinationBacklog) up to a budget, and queues a job for the one after
 * when more are due. Each failed send's next attempt is queued, delayed. A job refused because its
 * destination has as many messages in flight as it may ends: those sends' jobs reach its message.
 * Should an add fail, the relay queues the message once it is due.
 */
export function createMessageHandler(db: Db, logger: Logger, options: MessageHandlerOptions) {
  const { box, queue, metrics, ...sendOptions } = options;
  const queueAttempt = async (workspaceId: string, messageId: string, outcome: AttemptOutcome) => {
    metrics?.messageAttempts.inc({ result: outcome.kind });
    if (outcome.kind !== "retry") {
      logger.info({ messageId, outcome: outcome.kind, status: outcome.attempt.status }, "message attempt recorded");
      return;
    }
    logger.info(
      { messageId, status: outcome.attempt.status, error: outcome.attempt.error, nextAttemptAt: outcome.nextAttemptAt },
      "message attempt failed; retrying later",
    );
    await queue
      .add(
        messageJobId(messageId, outcome.attemptNumber),
        { messageId, workspaceId },
        { delayMs: outcome.nextAttemptAt.getTime() - Date.now() },
      )
      .catch((error: unknown) => logger.warn({ err: error, messageId }, "could not queue the retry; the relay will"));
  };

  return async (payload: QueuePayload<"messages">, job: JobAttempt) => {
    const { messageId, workspaceId } = payload;
    const startedAt = Date.now();
    const outcome = await deliverMessage(db, { ...sendOptions, box, messageId, workspaceId });
    switch (outcome.kind) {
      case "later":
        if (outcome.busy) {
          logger.debug({ messageId, reason: outcome.reason }, "message left to its destination's sending jobs");
          return;
        }
        return job.runAgainAt(outcome.at);
      case "skipped":
        logger.debug({ messageId, reason: outcome.reason }, "message not sent");
        return;
    }
    await queueAttempt(workspaceId, messageId, outcome);
    if (outcome.kind === "paused") return;

    const backlog = await deliverDestinationBacklog(db, {
      ...sendOptions,
      box,
      workspaceId,
      destinationId: outcome.destinationId,
      sent: 1,
      startedAt,
    });
    for (const { messageId: sentId, outcome: sentOutcome } of backlog.sent) {
      await queueAttempt(workspaceId, sentId, sentOutcome);
    }
    if (backlog.next) {
      await queue
        .add(messageJobId(backlog.next, `next-${Date.now()}`), { messageId: backlog.next, workspaceId })
        .catch((error: unknown) =>
          logger.warn({ err: error, messageId: backlog.next }, "could not queue the destination's next message; the relay will"),
        );
    }
  };
}
