import type { Prisma } from "@hookloop/db/client";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { IDEMPOTENCY_WINDOW_MS } from "./find-idempotent-answer";

export type RecordIdempotentAnswerOptions = {
  workspaceId: string;
  apiKeyId: string;
  key: string;
  requestHash: string;
  statusCode: number;
  body: Prisma.InputJsonValue;
};

/**
 * Keeps the answer to a write in the write's own transaction, so it is kept exactly when the
 * write is. Returns false when another request with the same key got there first (it waited on
 * the key's row until that one committed): the caller rolls its own work back and answers with
 * that one's answer.
 */
export async function recordIdempotentAnswer(tx: WorkspaceTx, options: RecordIdempotentAnswerOptions): Promise<boolean> {
  const { workspaceId, key } = options;
  // An expired answer makes way for the new one.
  await tx.idempotencyKey.deleteMany({
    where: { workspaceId, key, createdAt: { lte: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) } },
  });
  const inserted = await tx.$executeRaw`
    INSERT INTO idempotency_key (workspace_id, key, api_key_id, request_hash, status_code, body)
    VALUES (${workspaceId}, ${key}, ${options.apiKeyId}::uuid, ${options.requestHash}, ${options.statusCode},
            ${JSON.stringify(options.body)}::jsonb)
    ON CONFLICT (workspace_id, key) DO NOTHING`;
  return inserted === 1;
}
