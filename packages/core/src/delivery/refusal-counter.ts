// Counts requests to known endpoints that fail verification, per (endpoint, cause, hour), for the
// endpoint page's diagnosis. Counting is a map increment in memory: no I/O on the request's path.
// Every few seconds what was counted goes to Postgres in one statement, one row per key
// (hookloop_count_refusals), so a flood of bad requests costs a flush no more than a trickle does,
// and nothing of a refused request (body, headers, address) is ever kept.
import { sqlPool, type Db } from "@hookloop/db/client";
import type { RefusalCause } from "@hookloop/domain";
import { z } from "zod";

export type RefusalCounter = {
  /** Counts one refused request to `endpointId`. */
  count: (endpointId: string, cause: RefusalCause, at?: Date) => void;
  /** Writes what was counted so far; resolves once it is in Postgres. */
  flush: () => Promise<void>;
  /** Stops the timer and flushes what is left. */
  close: () => Promise<void>;
};

export type RefusalCounterOptions = {
  /** How often counts go to Postgres (5 s). */
  flushEveryMs?: number;
  /**
   * Keys (endpoint × cause × hour) held between flushes, at most: only known endpoints are
   * counted, so this is reached only with more failing endpoints than that, or a long Postgres
   * outage; past it, new keys wait for the next flush and are dropped (existing ones still count).
   */
  maxKeys?: number;
  /** Hours of counts kept per endpoint (8 days: the page's 7, and the hour under way). */
  keepHours?: number;
  onError?: (error: unknown) => void;
};

type Tally = { endpointId: string; cause: RefusalCause; hour: Date; count: number; lastAt: Date };

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

export function createRefusalCounter(db: Db, options: RefusalCounterOptions = {}): RefusalCounter {
  const pool = sqlPool(db);
  const maxKeys = options.maxKeys ?? 10_000;
  const keepHours = options.keepHours ?? 8 * 24;
  let pending = new Map<string, Tally>();
  let flushing: Promise<void> = Promise.resolve();

  const add = (tally: Tally) => {
    const key = `${tally.endpointId} ${tally.cause} ${tally.hour.getTime()}`;
    const existing = pending.get(key);
    if (existing) {
      existing.count += tally.count;
      if (tally.lastAt > existing.lastAt) existing.lastAt = tally.lastAt;
    } else if (pending.size < maxKeys) {
      pending.set(key, tally);
    }
  };

  const write = async () => {
    if (!pending.size) return;
    const tallies = [...pending.values()];
    pending = new Map();
    try {
      const result = await pool.query({
        name: "hookloop_count_refusals",
        text: "SELECT hookloop_count_refusals($1, $2, $3::timestamptz[], $4::integer[], $5::timestamptz[], $6) AS rows",
        values: [
          tallies.map((t) => t.endpointId),
          tallies.map((t) => t.cause),
          tallies.map((t) => t.hour.toISOString()),
          tallies.map((t) => t.count),
          tallies.map((t) => t.lastAt.toISOString()),
          keepHours,
        ],
      });
      z.array(z.object({ rows: z.number() })).parse(result.rows);
    } catch (error) {
      // Kept for the next flush (within maxKeys): a diagnosis loses nothing to a short outage.
      tallies.forEach(add);
      throw error;
    }
  };

  const flush = () => {
    flushing = flushing.then(write, write);
    return flushing;
  };
  const timer = setInterval(() => {
    flush().catch((error: unknown) => options.onError?.(error));
  }, options.flushEveryMs ?? 5_000);
  timer.unref();

  return {
    count: (endpointId, cause, at = new Date()) => add({ endpointId, cause, hour: hourOf(at), count: 1, lastAt: at }),
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
