// Everything a test needs to run the real services in isolation: its own database (cloned from
// the run's template), its own Redis key prefix, its own encryption key.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createTestDatabase } from "@hookloop/db/testing";

export type TestEnvironment = {
  /** The file's database as its owner, as migrations connect. */
  databaseUrl: string;
  /** The same database as hookloop_app, as the services connect (what `env.DATABASE_URL` holds). */
  serviceDatabaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  encryptionKeys: string;
  /** The variables the apps read, for spawning them as processes. */
  env: Record<string, string>;
  cleanup: () => Promise<void>;
};

export const testRedisUrl = () => process.env.HOOKLOOP_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export async function createTestEnvironment(): Promise<TestEnvironment> {
  const database = await createTestDatabase();
  const redisUrl = testRedisUrl();
  const redisPrefix = `hookloop-test-${randomBytes(4).toString("hex")}`;
  const encryptionKeys = `test:${randomBytes(32).toString("base64")}`;
  return {
    databaseUrl: database.url,
    serviceDatabaseUrl: database.serviceUrl,
    redisUrl,
    redisPrefix,
    encryptionKeys,
    env: {
      DATABASE_URL: database.serviceUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      ENCRYPTION_KEYS: encryptionKeys,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
    },
    cleanup: async () => {
      await deleteRedisKeys(redisUrl, `${redisPrefix}:*`);
      await database.drop();
    },
  };
}

async function deleteRedisKeys(url: string, pattern: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
