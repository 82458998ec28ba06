import {
  databaseEnv,
  destinationsEnv,
  encryptionEnv,
  ingestUrlEnv,
  parseEnv,
  redisEnv,
  runtimeEnv,
  stripeApiEnv,
} from "@hookloop/config";
import { z } from "zod";
import { parseTrustedProxies } from "@hookloop/accounts/client-address";

const dashboardEnvSchema = databaseEnv
  .extend(redisEnv.shape)
  .extend(encryptionEnv.shape)
  .extend(ingestUrlEnv.shape)
  .extend(runtimeEnv.shape)
  // The same rule as the worker's, so a destination the worker would refuse is refused when saved.
  .extend(destinationsEnv.shape)
  // "Test connection" reaches Stripe's API there (a local fake in tests).
  .extend(stripeApiEnv.shape)
  .extend({
    BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters"),
    /** Where marketers open the dashboard; session cookies and CSRF checks are bound to it. */
    DASHBOARD_URL: z.url(),
    /** Where the dashboard itself reaches ingest (Send test event) when that is not the public URL, as between containers. */
    INGEST_INTERNAL_URL: z.url().optional(),
    /** Where account emails go: `smtp://user:pass@host:587` (or `smtps://…:465`). */
    SMTP_URL: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
    ),
    /** Without SMTP_URL, emails are written to the log instead: what `npm start` sets on a developer's machine. */
    MAIL_TO_LOG: z
      .enum(["true", "false", "1", "0"], { error: "MAIL_TO_LOG must be true or false" })
      .default("false")
      .transform((value) => value === "true" || value === "1"),
    MAIL_FROM: z.string().min(3).default("Hookloop <hookloop@localhost>"),
    /**
     * The proxies in front of the dashboard (IPs or CIDR ranges, comma-separated) whose
     * X-Forwarded-For is believed. None by default: the client is the socket's peer.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((list, context) => {
        try {
          return parseTrustedProxies(list);
        } catch (error) {
          context.addIssue({ code: "custom", message: `TRUSTED_PROXIES: ${(error as Error).message}` });
          return z.NEVER;
        }
      }),
  })
  .refine((settings) => settings.SMTP_URL || settings.MAIL_TO_LOG || settings.NODE_ENV !== "production", {
    path: ["SMTP_URL"],
    message:
      "SMTP_URL is required in production, so sign-up, invitation and password emails reach people (MAIL_TO_LOG=true writes them to the log instead)",
  });

let cached: z.output<typeof dashboardEnvSchema> | undefined;

/** Read at first use rather than import, so `next build` needs no secrets. */
export function env() {
  cached ??= parseEnv(dashboardEnvSchema, process.env);
  return cached;
}
