import type { TypedQueue } from "@hookloop/queue";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { messageJobId } from "./relay-messages";

export type SetDestinationPausedOptions = {
  workspaceId: string;
  destinationId: string;
  paused: boolean;
  /** Why, in plain words, shown on the destination's page. */
  reason?: string;
  /** Who pauses or resumes it, for the audit log. */
  actor?: AuditActor;
};

/**
 * Pauses a destination (its messages wait) or resumes it: what waited is due again at once, and
 * the ids returned are the messages to queue once the transaction commits (queueResumedMessages),
 * or the relay queues them a little later.
 */
export async function setDestinationPaused(tx: WorkspaceTx, options: SetDestinationPausedOptions): Promise<string[]> {
  const found = await tx.destination.updateMany({
    where: { id: options.destinationId, workspaceId: options.workspaceId },
    data: options.paused
      ? { pausedAt: new Date(), pausedReason: options.reason ?? "Paused by a member of the workspace." }
      : // A resume gives a failing destination a fresh count towards the automatic pause.
        { pausedAt: null, pausedReason: null, failingSince: null },
  });
  if (found.count === 0) throw new NotFoundError("destination");
  const destination = await tx.destination.findFirst({ where: { id: options.destinationId }, select: { name: true } });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: options.paused ? "destination.paused" : "destination.resumed",
    target: { type: "destination", id: options.destinationId, label: destination?.name },
    details: options.paused && options.reason ? { reason: options.reason } : {},
  });
  if (options.paused) {
    await tx.messageOutbox.updateMany({ where: { destinationId: options.destinationId }, data: { dueAt: null } });
    return [];
  }
  const waiting = await tx.messageOutbox.findMany({
    where: { destinationId: options.destinationId },
    select: { messageId: true },
  });
  await tx.messageOutbox.updateMany({ where: { destinationId: options.destinationId }, data: { dueAt: new Date() } });
  await tx.message.updateMany({
    where: { destinationId: options.destinationId, status: "pending", nextAttemptAt: { gt: new Date() } },
    data: { nextAttemptAt: new Date() },
  });
  return waiting.map((row) => row.messageId);
}

/** Queues the messages a resume made due; a job still in Redis is left as it is. */
export async function queueMessages(
  queue: TypedQueue<"messages">,
  options: { workspaceId: string; messageIds: readonly string[] },
): Promise<void> {
  if (!options.messageIds.length) return;
  await queue.addBulk(
    options.messageIds.map((messageId) => ({
      jobId: messageJobId(messageId, `resume-${Date.now()}`),
      payload: { messageId, workspaceId: options.workspaceId },
    })),
  );
}
