import { databaseEnv, destinationsEnv, encryptionEnv, ingestUrlEnv, parseEnv, runtimeEnv, stripeApiEnv } from "@hookloop/config";
import type { z } from "zod";

export const cliEnvSchema = databaseEnv
  .extend(encryptionEnv.shape)
  .extend(ingestUrlEnv.shape)
  // The same rule as the worker's, so a destination the worker would refuse is refused when made.
  .extend(destinationsEnv.shape)
  // endpoint:connect and backfill:start reach Stripe's API there (a local fake in tests).
  .extend(stripeApiEnv.shape)
  // In production a login that could step outside row-level security is refused, as the services refuse it.
  .extend(runtimeEnv.pick({ NODE_ENV: true }).shape);

export type CliEnv = z.output<typeof cliEnvSchema>;

export const readCliEnv = (source: Record<string, string | undefined> = process.env): CliEnv => parseEnv(cliEnvSchema, source);
