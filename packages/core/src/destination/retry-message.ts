import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RetryMessageOptions = {
  workspaceId: string;
  /** The message row's id (a uuid), as the message log links it. */
  messageId: string;
  /** Who retries it, for the audit log. */
  actor?: AuditActor;
};

/**
 * Makes one pending or failed message due now, for one more attempt: a failed one is pending again
 * and, should that attempt fail too, failed again (its schedule is spent); a pending one keeps its
 * schedule from where it is. Returns the id to queue once the transaction commits (queueMessages);
 * the outbox row has it otherwise. A paused or disabled destination's message waits for a resume.
 */
export async function retryMessage(tx: WorkspaceTx, options: RetryMessageOptions): Promise<string[]> {
  const message = await tx.message.findFirst({
    where: { id: options.messageId, workspaceId: options.workspaceId },
    select: {
      id: true,
      status: true,
      workspaceId: true,
      destinationId: true,
      messageId: true,
      type: true,
      destination: { select: { enabled: true, pausedAt: true, name: true } },
    },
  });
  if (!message) throw new NotFoundError("message");
  if (message.status === "delivered") throw new InvalidInputError("This message is already delivered.");
  const due = await makeMessagesDue(tx, [message]);
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "destination.message_retried",
    target: { type: "destination", id: message.destinationId, label: message.destination.name },
    details: { messageId: message.messageId, type: message.type, wasStatus: message.status },
  });
  return due;
}

type RetriedMessage = {
  id: string;
  workspaceId: string;
  destinationId: string;
  destination: { enabled: boolean; pausedAt: Date | null };
};

/** Pending and due now, each with an outbox row (due unless its destination holds it). */
export async function makeMessagesDue(tx: WorkspaceTx, messages: readonly RetriedMessage[]): Promise<string[]> {
  if (!messages.length) return [];
  const now = new Date();
  const ids = messages.map((message) => message.id);
  await tx.message.updateMany({ where: { id: { in: ids } }, data: { status: "pending", nextAttemptAt: now } });
  for (const message of messages) {
    const dueAt = message.destination.enabled && !message.destination.pausedAt ? now : null;
    await tx.messageOutbox.upsert({
      where: { messageId: message.id },
      create: { messageId: message.id, workspaceId: message.workspaceId, destinationId: message.destinationId, dueAt },
      update: { dueAt },
    });
  }
  return ids;
}
