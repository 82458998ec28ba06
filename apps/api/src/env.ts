import { databaseEnv, parseEnv, redisEnv, runtimeEnv } from "@hookloop/config";
import { z } from "zod";

export const apiEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3200),
    HOST: z.string().default("127.0.0.1"),
    /** Requests one key may make per minute; past it, 429 with Retry-After. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  });

export type ApiEnv = z.output<typeof apiEnvSchema>;

export const readApiEnv = (source: Record<string, string | undefined> = process.env): ApiEnv => parseEnv(apiEnvSchema, source);
