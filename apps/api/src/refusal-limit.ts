// Requests with a key that is not valid are counted per address, in memory, and an address past
// its limit is refused before its next key is looked up: a flood of made-up keys costs no query.
// Only refusals count, so a busy client with a valid key never adds up here. (rate-limiter-flexible's
// in-memory limiter can be read without counting, which is what makes "only refusals" possible.)
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type RefusalLimit = {
  /** Seconds until the address may try keys again, or 0 when it may now. */
  retryAfterSeconds: (address: string) => Promise<number>;
  countRefusal: (address: string) => Promise<void>;
};

export function createRefusalLimit({ perMinute }: { perMinute: number }): RefusalLimit {
  const refusals = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async retryAfterSeconds(address) {
      const state = await refusals.get(address);
      return state && state.consumedPoints >= perMinute ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
    },
    async countRefusal(address) {
      // Past the limit `consume` rejects with the limiter's state, which is no error here.
      await refusals.consume(address).catch((rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      });
    },
  };
}
