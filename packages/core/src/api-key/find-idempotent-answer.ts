import type { WorkspaceTx } from "../workspace/with-workspace";

/** How long the first answer to an `Idempotency-Key` is kept, as Stripe keeps it. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export type FindIdempotentAnswerOptions = { workspaceId: string; key: string };

export type IdempotentAnswer = { requestHash: string; statusCode: number; body: unknown };

/** The answer first given to this key within the last 24 hours, or null. */
export async function findIdempotentAnswer(
  tx: WorkspaceTx,
  options: FindIdempotentAnswerOptions,
): Promise<IdempotentAnswer | null> {
  return tx.idempotencyKey.findFirst({
    where: {
      workspaceId: options.workspaceId,
      key: options.key,
      createdAt: { gt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) },
    },
    select: { requestHash: true, statusCode: true, body: true },
  });
}
