import { markImportFailed, messageJobId, runImport, type StripeApiSettings } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { JobAttempt, QueuePayload, TypedQueue } from "@hookloop/queue";
import type { SecretBox } from "@hookloop/secrets";
import type { Logger } from "pino";

export type ImportHandlerOptions = {
  box: SecretBox;
  api: StripeApiSettings;
  /** Where the contact-change messages an import records are queued once committed; without it the relay queues them. */
  messages?: TypedQueue<"messages">;
  /** How long a run is held between pages before another worker may take it over. */
  leaseMs?: number;
  /** Aborted at shutdown: a run in hand stops after its page and is queued again. */
  signal?: AbortSignal;
};

/**
 * Runs one import of an endpoint's Stripe customers (core runImport), from its checkpoint. A run
 * another worker holds is put back until its lease ends; one that throws is retried by BullMQ with
 * backoff, and on its last attempt marked failed with the reason.
 */
export function createImportHandler(db: Db, logger: Logger, options: ImportHandlerOptions) {
  return async (payload: QueuePayload<"imports">, job: JobAttempt) => {
    const { importRunId, workspaceId } = payload;
    try {
      const outcome = await runImport(db, {
        workspaceId,
        importRunId,
        box: options.box,
        api: options.api,
        ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (counts) => logger.debug({ importRunId, ...counts }, "import progress"),
        onRateLimited: (waitMs) => logger.info({ importRunId, waitMs }, "Stripe answered 429; waiting"),
        onMessages: async (messageIds) => {
          await options.messages
            ?.addBulk(messageIds.map((messageId) => ({ jobId: messageJobId(messageId, 0), payload: { messageId, workspaceId } })))
            .catch((error: unknown) => logger.warn({ err: error, importRunId }, "could not queue its messages; the relay will"));
        },
      });
      if (outcome.status === "busy") return job.runAgainAt(outcome.leaseUntil);
      logger.info({ importRunId, status: outcome.status, ...outcome.counts }, "import finished");
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= job.attemptsAllowed;
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ importRunId, attempt: job.attemptsMade + 1, lastAttempt, reason }, "import attempt failed");
      if (lastAttempt) await markImportFailed(db, { workspaceId, importRunId, error: `The import stopped: ${reason}` });
      throw error;
    }
  };
}
