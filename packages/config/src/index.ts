// Environment schemas. Each deployable composes the pieces it needs and parses process.env once,
// at boot, in its own env.ts; packages never read process.env.
import { z } from "zod";

export const databaseEnv = z.object({
  /**
   * Logged in as hookloop_app (no superuser, no BYPASSRLS, owns nothing), so row-level security
   * always applies: a service never logs in as the owner. Migrations take MIGRATION_DATABASE_URL.
   */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgresql:// URL" }),
});

export const redisEnv = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "REDIS_URL must be a redis:// URL" }),
  /** Namespaces Hookloop's keys in a shared Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default("hookloop"),
});

export const encryptionEnv = z.object({
  /** `id:base64-32-byte-key[,id:key…]`: the first key encrypts, all decrypt. */
  ENCRYPTION_KEYS: z.string().min(1, "ENCRYPTION_KEYS is required"),
});

export const runtimeEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export const destinationsEnv = z.object({
  /**
   * Lets destinations reach loopback, private, link-local and metadata addresses, over plain http
   * too: for self-hosted set-ups and a developer's machine (`npm start` sets it). Off by default.
   */
  DESTINATIONS_ALLOW_PRIVATE_TARGETS: z
    .enum(["true", "false", "1", "0"], { error: "DESTINATIONS_ALLOW_PRIVATE_TARGETS must be true or false" })
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});

export const stripeApiEnv = z.object({
  /** Where Stripe's API is: Stripe's own, or a local fake in tests (the SDK's host, port and protocol come from it). */
  STRIPE_API_BASE: z
    .url({ protocol: /^https?$/, error: "STRIPE_API_BASE must be an http(s):// URL" })
    .default("https://api.stripe.com"),
  /** Requests a second an import makes to Stripe (Stripe allows 25 a second in test mode, 100 in live mode). */
  STRIPE_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(1_000).default(20),
});

export const ingestUrlEnv = z.object({
  /** Where Stripe reaches the ingest service; endpoint URLs are built on it. */
  INGEST_PUBLIC_URL: z.url(),
});

/** Parses an environment or throws one error naming every missing or malformed variable. */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, source: Record<string, string | undefined>): z.output<Schema> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function endpointUrl(ingestPublicUrl: string, endpointId: string): string {
  return new URL(`/webhooks/stripe/${endpointId}`, ingestPublicUrl).toString();
}
