import { databaseEnv, encryptionEnv, parseEnv, redisEnv, runtimeEnv } from "@hookloop/config";
import { z } from "zod";

export const ingestEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(encryptionEnv.shape)
  .extend(runtimeEnv.shape)
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3100),
    HOST: z.string().default("127.0.0.1"),
  });

export type IngestEnv = z.output<typeof ingestEnvSchema>;

export const readIngestEnv = (source: Record<string, string | undefined> = process.env): IngestEnv =>
  parseEnv(ingestEnvSchema, source);
