import { databaseEnv, destinationsEnv, encryptionEnv, parseEnv, redisEnv, runtimeEnv, stripeApiEnv } from "@hookloop/config";
import { z } from "zod";

export const workerEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  // Destination signing secrets are sealed like endpoint secrets: the worker opens them to sign.
  .extend(encryptionEnv.shape)
  .extend(destinationsEnv.shape)
  // Imports of existing customers read Stripe's API there (a local fake in tests).
  .extend(stripeApiEnv.shape)
  .extend({
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    /** Port of the worker's /healthz and /readyz; 0 picks a free one. */
    WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3101),
    HOST: z.string().default("127.0.0.1"),
    RELAY_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
    /** How many destination messages one worker sends at once (each destination gets at most 4 of them). */
    MESSAGE_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(32),
    /** How long a destination has to answer (at most 15 s); a message's lease is 4 times this. Shorter in the fault suite. */
    MESSAGE_SEND_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(15_000).default(15_000),
    /** How long an import is held between two pages of customers before another worker may resume it (a killed worker's, say). */
    IMPORT_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  });

export type WorkerEnv = z.output<typeof workerEnvSchema>;

export const readWorkerEnv = (source: Record<string, string | undefined> = process.env): WorkerEnv =>
  parseEnv(workerEnvSchema, source);
