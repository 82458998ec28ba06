// Wires the ingest app to real Postgres and Redis.
import type { FastifyInstance } from "fastify";
import {
  checkDependencies,
  createBurstPriority,
  createDeliveryReceiver,
  createEndpointCache,
  createRefusalCounter,
  type RefusalCounter,
} from "@hookloop/core";
import { checkServiceRole, createDb } from "@hookloop/db/client";
import { connectProducer, openQueue, readEvictionPolicy, waitForConnection } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { pino, type DestinationStream } from "pino";
import { buildIngestApp, type IngestTimeouts } from "./app";
import type { IngestEnv } from "./env";

/** `refusals`: what verification refused, counted in memory and flushed to Postgres every few seconds. */
export type IngestServer = { app: FastifyInstance; refusals: RefusalCounter; close: () => Promise<void> };

/** Production passes none: the timeouts default to INGEST_TIMEOUTS, the log goes to stdout. */
export type IngestServerOptions = { timeouts?: IngestTimeouts; logDestination?: DestinationStream };

export async function createIngestServer(env: IngestEnv, options: IngestServerOptions = {}): Promise<IngestServer> {
  const box = new SecretBox(parseKeyring(env.ENCRYPTION_KEYS));
  const db = createDb({
    connectionString: env.DATABASE_URL,
    refusePrivilegedRole: env.NODE_ENV === "production",
    max: 20,
    queryTimeoutMs: 2_500,
  });
  const redis = connectProducer(env.REDIS_URL);
  await waitForConnection(redis);
  if (env.NODE_ENV === "production") {
    const policy = await readEvictionPolicy(redis);
    if (policy !== "noeviction") {
      await redis.quit();
      throw new Error(`Redis maxmemory-policy is "${policy}"; Hookloop needs "noeviction" so queued jobs are never evicted.`);
    }
  }
  const logger = pino(
    {
      level: env.LOG_LEVEL,
      redact: ["req.headers.authorization", 'req.headers["stripe-signature"]', "req.headers.cookie"],
    },
    options.logDestination,
  );
  await checkServiceRole(db, (message) => logger.warn(message));
  const queue = openQueue("deliveries", { connection: redis, prefix: env.REDIS_PREFIX });
  // A delivery's outbox row stays until the worker has applied it, not just until Redis took the
  // job: Redis can still lose the job afterwards, and the worker's relay re-queues every row left
  // (see core's relay-deliveries).
  const endpoints = createEndpointCache(db, { box });
  const refusals = createRefusalCounter(db, {
    onError: (error) => logger.warn({ err: error }, "could not write the refusal counts; they are kept for the next try"),
  });
  const app = buildIngestApp(
    {
      receiveDelivery: createDeliveryReceiver(db, {
        endpoints,
        queue,
        onQueueError: (error, deliveryId) => logger.warn({ err: error, deliveryId }, "queue refused a delivery"),
        refusals,
        priorityOf: createBurstPriority({ budget: env.INGEST_BURST_BUDGET, windowMs: 10_000 }),
      }),
      knowsEndpoint: endpoints.knows,
      readiness: () => checkDependencies(db, { redis }),
    },
    { logger, ...(options.timeouts ? { timeouts: options.timeouts } : {}) },
  );

  return {
    app,
    refusals,
    close: async () => {
      await app.close();
      await refusals.close().catch((error: unknown) => logger.warn({ err: error }, "could not write the last refusal counts"));
      await queue.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
