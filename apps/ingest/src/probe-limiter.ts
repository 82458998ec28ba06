// Strangers guessing endpoint ids are slowed down per address, before ingest reads the database
// for them. Only misses count (Stripe posting to real endpoints never adds up), and an address
// over its limit is still served for endpoints ingest already knows.

export type ProbeLimiter = {
  /** Seconds until the address may look up unknown endpoints again, or 0 when it may now. */
  retryAfterSeconds: (address: string) => number;
  /** Counts a request that named no endpoint. */
  countMiss: (address: string) => void;
};

/** Fixed windows per address; the map is bounded so a spread of addresses cannot grow it forever. */
export function createProbeLimiter({ maxMisses, windowMs }: { maxMisses: number; windowMs: number }): ProbeLimiter {
  const windows = new Map<string, { misses: number; endsAt: number }>();
  const current = (address: string, now: number) => {
    const window = windows.get(address);
    return window && window.endsAt > now ? window : undefined;
  };
  return {
    retryAfterSeconds(address) {
      const now = Date.now();
      const window = current(address, now);
      return window && window.misses >= maxMisses ? Math.ceil((window.endsAt - now) / 1000) : 0;
    },
    countMiss(address) {
      const now = Date.now();
      const window = current(address, now) ?? { misses: 0, endsAt: now + windowMs };
      window.misses++;
      windows.delete(address);
      windows.set(address, window);
      if (windows.size > 10_000) windows.delete(windows.keys().next().value!);
    },
  };
}
