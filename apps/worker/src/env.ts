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
    /** Where alert emails go: `smtp://user:pass@host:587` (or `smtps://…:465`); without it they are written to the log. */
    SMTP_URL: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
    ),
    MAIL_FROM: z.string().min(3).default("Hookloop <hookloop@localhost>"),
    /** The dashboard's public URL, for the link each alert email carries. */
    DASHBOARD_URL: z.url().default("http://localhost:3000"),
    /** How often the worker checks for trouble to alert owners and admins about. */
    ALERT_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
    /** An endpoint that usually receives events is silent after this long without one. */
    ALERT_SILENCE_MINUTES: z.coerce.number().int().min(5).max(10_080).default(360),
    /** "Usually receives": at least this many deliveries in the 7 days before the silence. */
    ALERT_USUAL_DELIVERIES: z.coerce.number().int().min(1).default(20),
    /** Failed deliveries plus refused signatures in an hour that make an endpoint failing. */
    ALERT_FAILURES_PER_HOUR: z.coerce.number().int().min(1).default(10),
  });

export type WorkerEnv = z.output<typeof workerEnvSchema>;

export const readWorkerEnv = (source: Record<string, string | undefined> = process.env): WorkerEnv =>
  parseEnv(workerEnvSchema, source);
