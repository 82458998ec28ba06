import { databaseEnv, encryptionEnv, parseEnv, redisEnv, runtimeEnv } from "@hookloop/config";
import { z } from "zod";

export const ingestEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(encryptionEnv.shape)
  .extend(runtimeEnv.shape)
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3100),
    HOST: z.string().default("127.0.0.1"),
    /**
     * Deliveries one workspace may queue in 10 s before its next ones are queued behind every
     * other workspace's (a burst must not starve the others; core's burst-priority.ts).
     */
    INGEST_BURST_BUDGET: z.coerce.number().int().min(1).default(300),
  });

export type IngestEnv = z.output<typeof ingestEnvSchema>;

export const readIngestEnv = (source: Record<string, string | undefined> = process.env): IngestEnv =>
  parseEnv(ingestEnvSchema, source);
