// The worker process: applies queued deliveries, queues again those not yet applied, sends
// destination messages (and queues again those due and lost), and answers health checks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkDependencies, relayDeliveries, relayImports, relayMessages } from "@hookloop/core";
import { checkServiceRole, createDb } from "@hookloop/db/client";
import { connectProducer, connectWorker, openQueue, readEvictionPolicy, startWorker, waitForConnection } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { pino } from "pino";
import type { WorkerEnv } from "./env";
import { createDeliveryHandler } from "./handle-delivery";
import { createImportHandler } from "./handle-import";
import { createMessageHandler } from "./handle-message";
import { createWorkerMetrics } from "./metrics";
import { startAlertChecks } from "./alert-checks";
import { dailyPurges } from "./daily-purges";

/** One import at a time per worker process, writing 4 customers at once, plus its page's transaction. */
const IMPORT_CONNECTIONS = 5;

export type WorkerServer = { healthUrl: string; close: () => Promise<void> };

export async function startWorkerServer(env: WorkerEnv, logger = pino({ level: env.LOG_LEVEL })): Promise<WorkerServer> {
  const db = createDb({
    connectionString: env.DATABASE_URL,
    refusePrivilegedRole: env.NODE_ENV === "production",
    // Deliveries, the relays and message sends; a send holds a connection only for its two statements.
    max: env.WORKER_CONCURRENCY + 4 + IMPORT_CONNECTIONS,
    queryTimeoutMs: 10_000,
  });
  await checkServiceRole(db, (message) => logger.warn(message));
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

  const box = new SecretBox(parseKeyring(env.ENCRYPTION_KEYS));
  const messageQueue = openQueue("messages", { connection: producer, prefix: env.REDIS_PREFIX });
  const relayQueue = openQueue("deliveries", { connection: producer, prefix: env.REDIS_PREFIX });
  const metrics = createWorkerMetrics([relayQueue, messageQueue]);
  const stripeApi = { apiBase: env.STRIPE_API_BASE, requestsPerSecond: env.STRIPE_REQUESTS_PER_SECOND };
  const deliveryHandler = createDeliveryHandler(db, logger, { messages: messageQueue, metrics, stripe: { box, api: stripeApi } });
  const worker = startWorker("deliveries", deliveryHandler, {
    connection: redis,
    prefix: env.REDIS_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
  });
  worker.on("error", (error) => logger.warn({ err: error }, "worker connection error"));
  // Its own queue, so a slow or dead destination never delays applying Stripe events.
  const messageWorker = startWorker(
    "messages",
    createMessageHandler(db, logger, {
      box,
      queue: messageQueue,
      allowPrivateTargets: env.DESTINATIONS_ALLOW_PRIVATE_TARGETS,
      timeoutMs: env.MESSAGE_SEND_TIMEOUT_MS,
      metrics,
    }),
    { connection: redis, prefix: env.REDIS_PREFIX, concurrency: env.MESSAGE_CONCURRENCY },
  );
  messageWorker.on("error", (error) => logger.warn({ err: error }, "message worker connection error"));
  // Imports of existing Stripe customers: long jobs of their own, one at a time per process, each
  // stopping after its page at shutdown (and queued again) rather than holding the shutdown up.
  const importQueue = openQueue("imports", { connection: producer, prefix: env.REDIS_PREFIX });
  const shutdown = new AbortController();
  const importWorker = startWorker(
    "imports",
    createImportHandler(db, logger, {
      box,
      api: stripeApi,
      messages: messageQueue,
      signal: shutdown.signal,
      leaseMs: env.IMPORT_LEASE_SECONDS * 1000,
    }),
    { connection: redis, prefix: env.REDIS_PREFIX, concurrency: 1 },
  );
  importWorker.on("error", (error) => logger.warn({ err: error }, "import worker connection error"));
  // At start, every unfinished import is queued again as a job of its own, so one a killed worker
  // held resumes from its checkpoint once its lease lapses, not when BullMQ finds its job stalled.
  await relayImports(db, { queue: importQueue, graceSeconds: 0, occasion: `start-${Date.now()}` }).then(
    (count) => count && logger.info({ count }, "queued imports not finished"),
    (error: unknown) => logger.warn({ err: error }, "could not queue unfinished imports; the relay will"),
  );
  if (env.DESTINATIONS_ALLOW_PRIVATE_TARGETS) {
    logger.warn("destinations may reach private and loopback addresses (DESTINATIONS_ALLOW_PRIVATE_TARGETS)");
  }

  const purgeExpired = dailyPurges(db, logger);
  const alertChecks = startAlertChecks(db, env, logger);
  let relaying: Promise<unknown> | null = null;
  const relayTimer = setInterval(() => {
    // One pass at a time: while Postgres or Redis hangs, passes would otherwise pile up and take
    // the connections the jobs need.
    if (relaying) return;
    relaying = relayDeliveries(db, { queue: relayQueue })
      .then((count) => count && logger.info({ count }, "queued deliveries not yet applied"))
      .then(() => relayMessages(db, { queue: messageQueue }))
      .then((count) => count && logger.info({ count }, "queued messages due and not sent"))
      .then(() => relayImports(db, { queue: importQueue }))
      .then((count) => count && logger.info({ count }, "queued imports whose job was lost"))
      .then(purgeExpired)
      .catch((error: unknown) => logger.warn({ err: error }, "relay pass failed"))
      .finally(() => (relaying = null));
  }, env.RELAY_INTERVAL_MS);

  async function answerHealth(request: IncomingMessage, response: ServerResponse) {
    if (request.url === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return;
    }
    if (request.url === "/readyz") {
      const checks = {
        ...(await checkDependencies(db, { redis: producer })),
        worker: worker.isRunning() && messageWorker.isRunning() && importWorker.isRunning() ? "ok" : "not running",
      };
      const ready = Object.values(checks).every((value) => value === "ok");
      response
        .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: ready ? "ok" : "unavailable", checks }));
      return;
    }
    if (request.url === "/metrics") {
      const body = await metrics.registry.metrics();
      response.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
      return;
    }
    response.writeHead(404).end();
  }
  const health: Server = createServer((request, response) => {
    answerHealth(request, response).catch((error: unknown) => {
      logger.warn({ err: error }, "health check failed");
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => health.listen(env.WORKER_HEALTH_PORT, env.HOST, resolve));
  const { port } = health.address() as AddressInfo;

  return {
    healthUrl: `http://${env.HOST}:${port}`,
    close: async () => {
      clearInterval(relayTimer);
      await alertChecks.close();
      shutdown.abort();
      // Lets the jobs in hand finish (an import, its page); takes no new ones.
      await Promise.all([worker.close(), messageWorker.close(), importWorker.close()]);
      await relaying;
      await relayQueue.close();
      await messageQueue.close();
      await importQueue.close();
      health.close();
      redis.disconnect();
      producer.disconnect();
      await db.$disconnect();
    },
  };
}
