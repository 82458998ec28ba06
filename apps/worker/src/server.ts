// The worker process: applies queued deliveries, queues again those not yet applied, and answers health checks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkDependencies, relayDeliveries } from "@hookloop/core";
import { createDb } from "@hookloop/db/client";
import { connectProducer, connectWorker, openQueue, readEvictionPolicy, startWorker, waitForConnection } from "@hookloop/queue";
import { pino } from "pino";
import type { WorkerEnv } from "./env";
import { createDeliveryHandler } from "./handle-delivery";

export type WorkerServer = { healthUrl: string; close: () => Promise<void> };

export async function startWorkerServer(env: WorkerEnv, logger = pino({ level: env.LOG_LEVEL })): Promise<WorkerServer> {
  const db = createDb({
    connectionString: env.DATABASE_URL,
    role: env.DATABASE_ROLE,
    max: env.WORKER_CONCURRENCY + 2,
    queryTimeoutMs: 10_000,
  });
  const redis = connectWorker(env.REDIS_URL);
  const producer = connectProducer(env.REDIS_URL);
  await waitForConnection(producer);
  if (env.NODE_ENV === "production") {
    const policy = await readEvictionPolicy(producer);
    if (policy !== "noeviction") {
      redis.disconnect();
      producer.disconnect();
      throw new Error(`Redis maxmemory-policy is "${policy}"; Hookloop needs "noeviction" so queued jobs are never evicted.`);
    }
  }

  const worker = startWorker("deliveries", createDeliveryHandler(db, logger), {
    connection: redis,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
  });
  worker.on("error", (error) => logger.warn({ err: error }, "worker connection error"));

  const relayQueue = openQueue("deliveries", { connection: producer, prefix: env.REDIS_PREFIX });
  let relaying: Promise<unknown> | null = null;
  const relayTimer = setInterval(() => {
    // One pass at a time: while Postgres or Redis hangs, passes would otherwise pile up and take
    // the connections the jobs need.
    if (relaying) return;
    relaying = relayDeliveries(db, { queue: relayQueue })
      .then((count) => count && logger.info({ count }, "queued deliveries not yet applied"))
      .catch((error: unknown) => logger.warn({ err: error }, "relay pass failed"))
      .finally(() => (relaying = null));
  }, env.RELAY_INTERVAL_MS);

  const health: Server = createServer(async (request, response) => {
    if (request.url === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return;
    }
    if (request.url === "/readyz") {
      const checks = { ...(await checkDependencies(db, { redis: producer })), worker: worker.isRunning() ? "ok" : "not running" };
      const ready = Object.values(checks).every((value) => value === "ok");
      response
        .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: ready ? "ok" : "unavailable", checks }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => health.listen(env.WORKER_HEALTH_PORT, env.HOST, resolve));
  const { port } = health.address() as AddressInfo;

  return {
    healthUrl: `http://${env.HOST}:${port}`,
    close: async () => {
      clearInterval(relayTimer);
      // Lets the jobs in hand finish; takes no new ones.
      await worker.close();
      await relaying;
      await relayQueue.close();
      health.close();
      redis.disconnect();
      producer.disconnect();
      await db.$disconnect();
    },
  };
}
