import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { makeMessagesDue } from "./retry-message";

export type RetryFailedMessagesOptions = {
  workspaceId: string;
  destinationId: string;
  /** Messages created from this moment (inclusive)… */
  from: Date;
  /** …to this one (exclusive). */
  to: Date;
  /** Who retries them, for the audit log. */
  actor?: AuditActor;
};

/** At most this many messages are retried at once; a wider range is retried again for the rest. */
export const maxRetriedAtOnce = 10_000;

/**
 * Every failed message of the destination created in [from, to) gets one more attempt, due now (see
 * retryMessage). Returns how many, and the ids to queue once the transaction commits (queueMessages).
 */
export async function retryFailedMessages(tx: WorkspaceTx, options: RetryFailedMessagesOptions) {
  const { workspaceId, destinationId, from, to } = options;
  if (!(from < to)) throw new InvalidInputError("The start of the range must come before its end.", "from");
  const destination = await tx.destination.findFirst({
    where: { id: destinationId, workspaceId },
    select: { enabled: true, pausedAt: true, name: true },
  });
  if (!destination) throw new NotFoundError("destination");
  const failed = await tx.message.findMany({
    where: { destinationId, workspaceId, status: "failed", createdAt: { gte: from, lt: to } },
    select: { id: true, workspaceId: true, destinationId: true },
    orderBy: { createdAt: "asc" },
    take: maxRetriedAtOnce,
  });
  const messageIds = await makeMessagesDue(
    tx,
    failed.map((message) => ({ ...message, destination })),
  );
  await recordAudit(tx, {
    workspaceId,
    actor: options.actor,
    action: "destination.failed_messages_retried",
    target: { type: "destination", id: destinationId, label: destination.name },
    details: { from: from.toISOString(), to: to.toISOString(), count: messageIds.length },
  });
  return { count: messageIds.length, messageIds };
}
