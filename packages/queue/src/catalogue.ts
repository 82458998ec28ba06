// Every queue Hookloop uses: its name, its payload and its retry policy. Producers and workers
// both come through here, so every enqueue is type-checked against the payload it must carry.
// Payloads carry ids only: no secrets and no personal data ever sit in Redis.
import { DelayedError, Queue, Worker, type JobsOptions, type Processor, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";

export const queueCatalogue = {
  deliveries: {
    name: "deliveries",
    payload: z.object({ deliveryId: z.uuid(), workspaceId: z.string().min(1) }),
    jobOptions: {
      // ~1s, 2s, 4s … 128s between tries, each spread by up to 50 % so retries do not stampede.
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
      removeOnComplete: { age: 3_600, count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    } satisfies JobsOptions,
  },
  /**
   * One destination message to send (the message row's id). Its retries over days are not BullMQ's:
   * each attempt's outcome is recorded in Postgres and the next one is a new, delayed job (see
   * @hookloop/core deliver-message and relay-messages). BullMQ retries only a run that threw (the
   * database was unreachable, say). Finished jobs go at once, so the relay may add the same id again.
   */
  messages: {
    name: "messages",
    payload: z.object({ messageId: z.uuid(), workspaceId: z.string().min(1) }),
    jobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
      removeOnComplete: true,
      removeOnFail: true,
    } satisfies JobsOptions,
  },
  /**
   * One import of an endpoint's existing Stripe customers (the import_run row's id; its progress and
   * checkpoint are in Postgres, see @hookloop/core run-import). A run that threw (Stripe or
   * Postgres unreachable) is tried again from its checkpoint; the worker's relay queues again a
   * run whose job Redis lost. Finished jobs go at once, so the relay may add the same id again.
   */
  imports: {
    name: "imports",
    payload: z.object({ importRunId: z.uuid(), workspaceId: z.string().min(1) }),
    jobOptions: {
      // ~5 s, 10 s, 20 s … about 21 minutes in all, each spread by up to 50 %.
      attempts: 9,
      backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
      removeOnComplete: true,
      removeOnFail: true,
    } satisfies JobsOptions,
  },
} as const;

export type QueueName = keyof typeof queueCatalogue;
export type QueuePayload<Name extends QueueName> = z.infer<(typeof queueCatalogue)[Name]["payload"]>;

export type QueueTarget = {
  connection: Redis;
  /** Redis key prefix; tests give each run its own. */
  prefix?: string;
};

export type TypedQueue<Name extends QueueName> = {
  queue: Queue;
  /** Adds one job; the job id makes a second add of the same id a no-op while the job exists. */
  add: (
    jobId: string,
    payload: QueuePayload<Name>,
    /** `priority`: BullMQ's (1 first … 2^21 − 1 last), taken after every job without one. */
    options?: { delayMs?: number; priority?: number },
  ) => Promise<void>;
  addBulk: (jobs: Array<{ jobId: string; payload: QueuePayload<Name> }>) => Promise<void>;
  close: () => Promise<void>;
};

export function openQueue<Name extends QueueName>(name: Name, target: QueueTarget): TypedQueue<Name> {
  const entry = queueCatalogue[name];
  const queue = new Queue(entry.name, {
    connection: target.connection,
    prefix: target.prefix,
    defaultJobOptions: entry.jobOptions,
    // Producers fail fast: no waiting for a connection, no INFO round-trip before the first add.
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  return {
    queue,
    add: async (jobId, payload, options) => {
      const delay = options?.delayMs ? { delay: Math.max(0, Math.round(options.delayMs)) } : {};
      const priority = options?.priority ? { priority: options.priority } : {};
      await queue.add(entry.name, entry.payload.parse(payload), { jobId, ...delay, ...priority });
    },
    addBulk: async (jobs) => {
      await queue.addBulk(
        jobs.map(({ jobId, payload }) => ({ name: entry.name, data: entry.payload.parse(payload), opts: { jobId } })),
      );
    },
    close: () => queue.close(),
  };
}

export type JobAttempt = {
  attemptsMade: number;
  attemptsAllowed: number;
  /** Puts the job back, delayed until `at`, without counting an attempt: the handler returns what this returns. */
  runAgainAt: (at: Date) => Promise<never>;
};

export function startWorker<Name extends QueueName>(
  name: Name,
  handler: (payload: QueuePayload<Name>, attempt: JobAttempt) => Promise<void>,
  options: QueueTarget & Pick<WorkerOptions, "concurrency" | "autorun">,
): Worker {
  const entry = queueCatalogue[name];
  const processor: Processor = async (job, token) =>
    handler(entry.payload.parse(job.data) as QueuePayload<Name>, {
      attemptsMade: job.attemptsMade,
      attemptsAllowed: job.opts.attempts ?? 1,
      runAgainAt: async (at) => {
        await job.moveToDelayed(Math.max(Date.now(), at.getTime()), token);
        throw new DelayedError();
      },
    });
  return new Worker(entry.name, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 16,
    autorun: options.autorun ?? true,
    // Lets a worker recover on its own after a long Redis outage.
    maxStalledCount: 10,
  });
}
