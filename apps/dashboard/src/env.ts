import { databaseEnv, destinationsEnv, encryptionEnv, ingestUrlEnv, parseEnv, redisEnv, runtimeEnv } from "@hookloop/config";
import { z } from "zod";

const dashboardEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(encryptionEnv.shape)
  .extend(ingestUrlEnv.shape)
  .extend(runtimeEnv.shape)
  // The same rule as the worker's, so a destination the worker would refuse is refused when saved.
  .extend(destinationsEnv.shape)
  .extend({
    BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters"),
    /** Where marketers open the dashboard; session cookies and CSRF checks are bound to it. */
    DASHBOARD_URL: z.url(),
    /** Where the dashboard itself reaches ingest (Send test event) when that is not the public URL, as between containers. */
    INGEST_INTERNAL_URL: z.url().optional(),
  });

let cached: z.output<typeof dashboardEnvSchema> | undefined;

/** Read at first use rather than import, so `next build` needs no secrets. */
export function env() {
  cached ??= parseEnv(dashboardEnvSchema, process.env);
  return cached;
}
