// Wires the API app to real Postgres and Redis.
import { checkDependencies } from "@hookloop/core";
import { checkServiceRole, createDb } from "@hookloop/db/client";
import { connectProducer, openQueue, waitForConnection } from "@hookloop/queue";
import type { FastifyInstance } from "fastify";
import { pino, type DestinationStream } from "pino";
import { buildApiApp } from "./app";
import type { ApiEnv } from "./env";
import { createKeyRateLimit } from "./rate-limit";

export type ApiServer = { app: FastifyInstance; close: () => Promise<void> };

/** Production passes none: the log goes to stdout. */
export type ApiServerOptions = { logDestination?: DestinationStream };

export async function createApiServer(env: ApiEnv, options: ApiServerOptions = {}): Promise<ApiServer> {
  const db = createDb({
    connectionString: env.DATABASE_URL,
    refusePrivilegedRole: env.NODE_ENV === "production",
    max: 20,
    queryTimeoutMs: 10_000,
  });
  const redis = connectProducer(env.REDIS_URL);
  await waitForConnection(redis);
  const logger = pino(
    {
      level: env.LOG_LEVEL,
      // Fastify logs no headers by default; these stay out if anything ever does.
      redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["idempotency-key"]'],
    },
    options.logDestination,
  );
  try {
    await checkServiceRole(db, (message) => logger.warn(message));
  } catch (error) {
    redis.disconnect();
    await db.$disconnect();
    throw error;
  }
  const messages = openQueue("messages", { connection: redis, prefix: env.REDIS_PREFIX });
  const app = buildApiApp(
    {
      db,
      messages,
      rateLimit: createKeyRateLimit({ redis, prefix: env.REDIS_PREFIX, perMinute: env.API_RATE_LIMIT_PER_MINUTE }),
      readiness: () => checkDependencies(db, { redis }),
    },
    { logger },
  );
  return {
    app,
    close: async () => {
      await app.close();
      await messages.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
