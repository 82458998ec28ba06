// Idempotency-Key on writes, as Stripe has it: the same key with the same request answers the
// first answer again without doing the work twice (for 24 hours); the same key with another
// request is refused. The answer is kept in Postgres, in the write's own transaction, so it is
// kept exactly when the write commits: a crash between the two cannot leave a write done whose
// answer is lost (a retry would do it again) nor an answer kept for a write rolled back. Redis
// would need the write and the answer to agree across two stores. Only successful answers are
// kept: a refused or failed write changed nothing, so running it again is safe.
import { createHash } from "node:crypto";
import {
  findIdempotentAnswer,
  recordIdempotentAnswer,
  withWorkspace,
  type ApiKeyIdentity,
  type WorkspaceTx,
} from "@hookloop/core";
import type { Db, Prisma } from "@hookloop/db/client";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./api-error";

export type WriteAnswer = {
  statusCode: number;
  body: Prisma.InputJsonValue;
  /** Runs once the write has committed, never for a replayed answer: queueing what it recorded, say. */
  afterCommit?: () => Promise<void>;
};

/** Lost the race to another request with the same key, which committed first: this one rolls back. */
class AnsweredMeanwhile extends Error {}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** Runs a write in the key's workspace, once per Idempotency-Key when the request has one. */
export async function runWrite(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  identity: ApiKeyIdentity,
  work: (tx: WorkspaceTx) => Promise<WriteAnswer>,
): Promise<FastifyReply> {
  const { workspaceId } = identity;
  const header = request.headers["idempotency-key"];
  if (header === undefined) return send(reply, await withWorkspace(db, workspaceId, work));
  if (typeof header !== "string" || !idempotencyKeyPattern.test(header)) {
    throw new ApiError(422, "invalid_input", "Idempotency-Key must be 1 to 255 printable ASCII characters.", [
      { path: "headers.idempotency-key", message: "1 to 255 printable ASCII characters, no spaces." },
    ]);
  }
  const requestHash = createHash("sha256")
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest("hex");
  const replay = async (tx: WorkspaceTx) => {
    const prior = await findIdempotentAnswer(tx, { workspaceId, key: header });
    if (!prior) return null;
    if (prior.requestHash !== requestHash) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was used with another request in the last 24 hours; use a new key for a new request.",
      );
    }
    reply.header("Idempotent-Replayed", "true");
    return { statusCode: prior.statusCode, body: prior.body as Prisma.InputJsonValue };
  };
  try {
    return send(
      reply,
      await withWorkspace(db, workspaceId, async (tx) => {
        const prior = await replay(tx);
        if (prior) return prior;
        const answer = await work(tx);
        const recorded = await recordIdempotentAnswer(tx, {
          workspaceId,
          apiKeyId: identity.apiKeyId,
          key: header,
          requestHash,
          statusCode: answer.statusCode,
          body: answer.body,
        });
        if (!recorded) throw new AnsweredMeanwhile();
        return answer;
      }),
    );
  } catch (error) {
    if (!(error instanceof AnsweredMeanwhile)) throw error;
    const prior = await withWorkspace(db, workspaceId, replay);
    if (!prior) throw error;
    return send(reply, prior);
  }
}

async function send(reply: FastifyReply, answer: WriteAnswer) {
  await answer.afterCommit?.();
  return reply.code(answer.statusCode).send(answer.body);
}
