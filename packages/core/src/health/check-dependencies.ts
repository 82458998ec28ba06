import type { Db } from "@hookloop/db/client";
import type { Redis } from "ioredis";

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type CheckDependenciesOptions = { redis: Redis };

/** Whether Postgres and Redis answer now, each within a second: "ok" or what went wrong. Reads no tenant data. */
export async function checkDependencies(db: Db, options: CheckDependenciesOptions): Promise<{ postgres: string; redis: string }> {
  const [postgres, redis] = await Promise.allSettled([
    withTimeout(db.$queryRaw`SELECT 1`, 1_000),
    withTimeout(options.redis.ping(), 1_000),
  ]);
  return {
    postgres: postgres.status === "fulfilled" ? "ok" : describe(postgres.reason),
    redis: redis.status === "fulfilled" ? "ok" : describe(redis.reason),
  };
}
