// Strangers guessing endpoint ids are slowed down per address, before ingest reads the database
// for them. Only misses count (Stripe posting to real endpoints never adds up), and an address
// over its limit is still served for endpoints ingest already knows. rate-limiter-flexible's
// in-memory limiter can be read without counting, which is what makes "only misses" possible.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type ProbeLimiter = {
  /** Seconds until the address may look up unknown endpoints again, or 0 when it may now. */
  retryAfterSeconds: (address: string) => Promise<number>;
  /** Counts a request that named no endpoint. */
  countMiss: (address: string) => Promise<void>;
};

export function createProbeLimiter({ maxMisses, windowMs }: { maxMisses: number; windowMs: number }): ProbeLimiter {
  const misses = new RateLimiterMemory({ points: maxMisses, duration: windowMs / 1000 });
  return {
    async retryAfterSeconds(address) {
      const state = await misses.get(address);
      return state && state.consumedPoints >= maxMisses ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
    },
    async countMiss(address) {
      // Past the limit `consume` rejects with the limiter's state, which is no error here.
      await misses.consume(address).catch((rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      });
    },
  };
}
