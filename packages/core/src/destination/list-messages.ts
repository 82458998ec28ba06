import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListMessagesOptions = {
  workspaceId: string;
  destinationId: string;
  status?: "pending" | "delivered" | "failed";
  limit?: number;
  /** Paging: messages created before this one. */
  before?: { createdAt: Date; id: string };
};

/** A destination's message log, newest first, each message with its attempts in the order they were made. */
export async function listMessages(tx: WorkspaceTx, options: ListMessagesOptions) {
  const destination = await tx.destination.findFirst({
    where: { id: options.destinationId, workspaceId: options.workspaceId },
    select: { id: true },
  });
  if (!destination) throw new NotFoundError("destination");
  const { before } = options;
  return tx.message.findMany({
    where: {
      destinationId: options.destinationId,
      ...(options.status ? { status: options.status } : {}),
      ...(before
        ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 50, 500),
    select: {
      id: true,
      messageId: true,
      type: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
      payload: true,
      attemptLog: {
        orderBy: { attemptedAt: "asc" },
        select: { attemptedAt: true, httpStatus: true, latencyMs: true, responseExcerpt: true, error: true },
      },
    },
  });
}
