import type { FastifyReply } from "fastify";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "./api-error";

export type RateLimitState = { limited: boolean; remaining: number; msBeforeReset: number };

/** Counts one request of a key and says whether it may go on. */
export type KeyRateLimit = { perMinute: number; consume: (apiKeyId: string) => Promise<RateLimitState> };

/**
 * A fixed one-minute window per key, shared by every API process through Redis. While Redis is
 * away each process counts in its own memory instead (rate-limiter-flexible's insurance limiter),
 * so the API keeps answering and still limits, per process.
 */
export function createKeyRateLimit(options: { redis: Redis; prefix: string; perMinute: number }): KeyRateLimit {
  const { perMinute } = options;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:api-rate`,
    points: perMinute,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
  });
  const stateOf = (result: RateLimiterRes, limited: boolean) => ({
    limited,
    remaining: result.remainingPoints,
    msBeforeReset: result.msBeforeNext,
  });
  return {
    perMinute,
    consume: async (apiKeyId) => {
      try {
        return stateOf(await limiter.consume(apiKeyId), false);
      } catch (rejection) {
        // Past the limit `consume` rejects with the limiter's state rather than an error.
        if (rejection instanceof RateLimiterRes) return stateOf(rejection, true);
        throw rejection;
      }
    },
  };
}

/** Sets the RateLimit-* headers (the IETF draft's names), and refuses with 429 and Retry-After past the limit. */
export async function applyRateLimit(limit: KeyRateLimit, apiKeyId: string, reply: FastifyReply): Promise<void> {
  const state = await limit.consume(apiKeyId);
  const resetSeconds = Math.max(1, Math.ceil(state.msBeforeReset / 1000));
  reply.header("RateLimit-Limit", limit.perMinute);
  reply.header("RateLimit-Remaining", Math.max(0, state.remaining));
  reply.header("RateLimit-Reset", resetSeconds);
  if (state.limited) {
    reply.header("Retry-After", resetSeconds);
    throw new ApiError(
      429,
      "rate_limited",
      `This key made more than ${limit.perMinute} requests this minute; retry in ${resetSeconds} s.`,
    );
  }
}
