import { Redis } from "ioredis";

/**
 * For code that answers a request (ingest, dashboard): a command fails at once when Redis is
 * away instead of waiting in an offline queue, so the caller can answer in time.
 */
export function connectProducer(url: string): Redis {
  return quiet(
    new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      lazyConnect: false,
    }),
  );
}

/** Resolves once the connection is up, or after `timeoutMs` (a producer still works once it connects). */
export async function waitForConnection(connection: Redis, timeoutMs = 5_000): Promise<boolean> {
  if (connection.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ready: boolean) => {
      clearTimeout(timer);
      connection.off("ready", onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    connection.on("ready", onReady);
  });
}

/** For workers: blocking commands must never time out, and the connection retries forever. */
export function connectWorker(url: string): Redis {
  return quiet(
    new Redis(url, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy: (times) => Math.min(times * 500, 5_000),
    }),
  );
}

/**
 * Connection errors reach callers through the commands that fail and through /readyz; without a
 * listener ioredis would also print every reconnection attempt.
 */
function quiet(connection: Redis): Redis {
  connection.on("error", () => {});
  return connection;
}

/** Redis' eviction policy must be `noeviction`, or queued jobs can silently disappear. */
export async function readEvictionPolicy(connection: Redis): Promise<string> {
  const reply = (await connection.config("GET", "maxmemory-policy")) as string[];
  return reply[1] ?? "unknown";
}
