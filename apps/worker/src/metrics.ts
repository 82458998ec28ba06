// What the worker tells Prometheus (GET /metrics on its health port): how long applying a
// delivery takes and what it came to, every destination send by result, each queue's depth, and
// Node's own process metrics.
import type { QueueName, TypedQueue } from "@hookloop/queue";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

const jobStates = ["waiting", "active", "delayed", "failed"] as const;

export function createWorkerMetrics(queues: Array<TypedQueue<QueueName>>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hookloop_" });
  new Gauge({
    name: "hookloop_queue_jobs",
    help: "Jobs in each BullMQ queue by state (waiting, active, delayed, failed), read from Redis when scraped.",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      for (const { queue } of queues) {
        const counts = await queue.getJobCounts(...jobStates);
        for (const state of jobStates) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  return {
    registry,
    applySeconds: new Histogram({
      name: "hookloop_worker_apply_seconds",
      help: "Applying one delivery to contacts and trigger events, by outcome (processed, ignored, skipped, retry, failed).",
      labelNames: ["outcome"] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    messageAttempts: new Counter({
      name: "hookloop_worker_message_attempts_total",
      help: "Messages sent to destinations, by result (delivered, retry, failed, paused).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
  };
}
