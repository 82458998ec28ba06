// Reading Stripe's API with the official SDK, at an address the deployment sets (STRIPE_API_BASE:
// Stripe's own, or a local fake in tests), paced to a request rate, with Stripe's 429s waited out.
//
// Retries: the SDK retries connection errors, 409s and 5xx itself (maxNetworkRetries, exponential
// backoff from 0.5 s to 5 s with jitter), but not a 429, and it ignores Retry-After; so
// `withRateLimitRetry` waits out a 429 for Retry-After seconds (else 1 s, 2 s, 4 s … up to 30 s)
// and tries again, up to `rateLimitRetries` times.
import { setTimeout as sleep } from "node:timers/promises";
import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible";
import Stripe from "stripe";

export type StripeApiSettings = {
  /** `https://api.stripe.com`, or a fake's `http://127.0.0.1:<port>`. */
  apiBase: string;
  /** At most this many requests a second per client (Stripe allows 25 a second in test mode, 100 in live mode). */
  requestsPerSecond?: number;
  /** The SDK's own retries of connection errors and 5xx (default 3). */
  maxNetworkRetries?: number;
  /** 429s waited out before giving up (default 8). */
  rateLimitRetries?: number;
  timeoutMs?: number;
};

/** Requests a second when nothing says otherwise: under Stripe's test-mode limit of 25. */
export const DEFAULT_STRIPE_REQUESTS_PER_SECOND = 20;

export type StripeClient = { stripe: Stripe; settings: StripeApiSettings };

export function createStripeClient(key: string, settings: StripeApiSettings): StripeClient {
  const base = new URL(settings.apiBase);
  const protocol = base.protocol === "http:" ? "http" : "https";
  const limiter = new RateLimiterQueue(
    new RateLimiterMemory({ points: settings.requestsPerSecond ?? DEFAULT_STRIPE_REQUESTS_PER_SECOND, duration: 1 }),
    { maxQueueSize: 10_000 },
  );
  const inner = Stripe.createNodeHttpClient();
  // Every request the SDK makes, auto-pagination's included, waits for its turn first.
  const pacedHttpClient: Stripe.HttpClient = {
    getClientName: () => inner.getClientName(),
    makeRequest: async (...args) => {
      await limiter.removeTokens(1);
      return inner.makeRequest(...args);
    },
  };
  const stripe = new Stripe(key, {
    host: base.hostname,
    port: base.port || (protocol === "http" ? 80 : 443),
    protocol,
    httpClient: pacedHttpClient,
    maxNetworkRetries: settings.maxNetworkRetries ?? 3,
    timeout: settings.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: "Hookloop" },
  });
  return { stripe, settings };
}

const isRateLimited = (error: unknown): error is Stripe.errors.StripeError =>
  error instanceof Stripe.errors.StripeError && error.statusCode === 429;

/** How long a 429 asks to wait: its Retry-After (seconds), else an exponential backoff. */
function rateLimitWaitMs(error: Stripe.errors.StripeError, attempt: number): number {
  const retryAfter = Number(error.headers?.["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, 60) * 1000;
  return Math.min(1000 * 2 ** attempt, 30_000);
}

/** Runs `call`, again after each 429 once Stripe's wait is over; `onRateLimited` hears of each. */
export async function withRateLimitRetry<T>(
  client: StripeClient,
  call: () => Promise<T>,
  onRateLimited?: (waitMs: number) => void,
): Promise<T> {
  const retries = client.settings.rateLimitRetries ?? 8;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRateLimited(error) || attempt >= retries) throw error;
      const waitMs = rateLimitWaitMs(error, attempt);
      onRateLimited?.(waitMs);
      await sleep(waitMs);
    }
  }
}

export { isRateLimited };
