// A Redis that may evict keys could silently drop queued jobs: in production, ingest and worker
// refuse to start on one, and say why.
import { expect } from "vitest";
import { Redis } from "ioredis";
import { freePort, startApp, waitUntil } from "@hookloop/e2e/processes";
import { test } from "./src/hookloop-stack";
import type { PrivateRedis } from "./src/redis-server";

async function setPolicy(redis: PrivateRedis, policy: string) {
  const client = new Redis(redis.url);
  await client.config("SET", "maxmemory-policy", policy);
  client.disconnect();
}

const apps = [
  { name: "ingest", entry: "apps/ingest/src/main.ts", readyPort: "PORT" },
  { name: "worker", entry: "apps/worker/src/main.ts", readyPort: "WORKER_HEALTH_PORT" },
] as const;

test.for(apps)(
  "$name refuses to start in production on a Redis that evicts keys",
  async ({ entry }, { environment, privateRedis: redis }) => {
    await setPolicy(redis, "allkeys-lru");
    const app = startApp(entry, { ...environment.env, REDIS_URL: redis.url, NODE_ENV: "production", LOG_LEVEL: "info" });
    const code = await waitUntil(async () => app.child.exitCode ?? (app.child.signalCode ? -1 : undefined), {
      what: "the app to exit",
      timeoutMs: 30_000,
    });
    expect(code).not.toBe(0);
    expect(app.output()).toContain('Redis maxmemory-policy is "allkeys-lru"; Hookloop needs "noeviction"');
  },
);

test.for(apps)(
  "$name starts in production on a Redis with noeviction",
  async ({ entry, readyPort }, { environment, privateRedis: redis }) => {
    await setPolicy(redis, "noeviction");
    const port = await freePort();
    const app = startApp(entry, {
      ...environment.env,
      REDIS_URL: redis.url,
      NODE_ENV: "production",
      PORT: String(await freePort()),
      [readyPort]: String(port),
    });
    try {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
        what: "the app to be ready",
        timeoutMs: 60_000,
      });
    } finally {
      expect(await app.stop("SIGTERM")).toBe(0);
    }
  },
);
