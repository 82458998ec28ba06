// Queues, again and again until each is delivered or given up, the messages recorded in Postgres.
// A message's job waits in Redis (delayed, for a retry), but Redis may lose it: a message_outbox
// row lives until the message's outcome is final, with the time it is next due, and whatever has
// been due for a grace period without being sent is queued again. A message sent twice this way
// keeps its webhook-id, and the lease (hookloop_lease_message) keeps two workers from sending it at once.
import type { DbClient } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";

/** A job id per message and occasion (its attempt number, a relay pass, a resume). */
export function messageJobId(messageId: string, occasion: string | number): string {
  return `${messageId}.${occasion}`;
}

export type RelayMessagesOptions = {
  queue: TypedQueue<"messages">;
  /** How long a message may have been due, or been relayed, before it is queued again. */
  graceSeconds?: number;
  batchSize?: number;
};

/**
 * Queues one batch of the messages due longest ago; returns how many. Any client, not a
 * WorkspaceTx: it scans every workspace's outbox rows, which hold ids only and have no policy.
 * A paused destination's rows are not due (due_at is null) until it resumes.
 */
export async function relayMessages(db: DbClient, options: RelayMessagesOptions): Promise<number> {
  const graceMs = (options.graceSeconds ?? 10) * 1000;
  const due = await db.messageOutbox.findMany({
    where: { dueAt: { lt: new Date(Date.now() - graceMs) } },
    orderBy: { dueAt: "asc" },
    take: options.batchSize ?? 500,
  });
  if (!due.length) return 0;
  await options.queue.addBulk(
    due.map((row) => ({
      jobId: messageJobId(row.messageId, `r${row.dueAt!.getTime()}`),
      payload: { messageId: row.messageId, workspaceId: row.workspaceId },
    })),
  );
  // Relayed rows wait another grace period and go to the back of the line.
  await db.messageOutbox.updateMany({
    where: { messageId: { in: due.map((row) => row.messageId) }, dueAt: { not: null } },
    data: { dueAt: new Date() },
  });
  return due.length;
}
