// The worker's /metrics, scraped as Prometheus would from its health port while it works: the
// deliveries it applied, and the depth of each queue read from Redis.
import { expect } from "vitest";
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { openQueue } from "@hookloop/queue";
import { freePort, startApp, waitUntil } from "./processes";

const sample = (metrics: string, series: string) =>
  Number(
    metrics
      .split("\n")
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1) ?? 0,
  );

test("reports deliveries applied by outcome, queue depth by state, and Node's process metrics", async ({
  environment,
  db,
  box,
  redis,
}) => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", enable: [{ eventType: "customer.created" }] }),
  );
  const delivery = await recordTestDelivery(db, {
    workspaceId: workspace.id,
    endpointId: endpoint.id,
    event: stripeEvent("customer.created", { customerId: "cus_ada", email: "ada@example.com" }),
  });
  const queue = openQueue("deliveries", { connection: redis, prefix: environment.env.REDIS_PREFIX });
  await queue.add(delivery.id, { deliveryId: delivery.id, workspaceId: workspace.id });

  const port = await freePort();
  const worker = startApp("apps/worker/src/main.ts", { ...environment.env, WORKER_HEALTH_PORT: String(port) });
  try {
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    await waitUntil(async () => sample(await scrape(), 'hookloop_worker_apply_seconds_count{outcome="processed"}') === 1, {
      what: "the delivery to be applied and counted",
    });
    const metrics = await scrape();
    expect(sample(metrics, 'hookloop_queue_jobs{queue="deliveries",state="waiting"}')).toBe(0);
    expect(metrics).toContain('hookloop_queue_jobs{queue="messages",state="failed"} 0');
    expect(metrics).toContain("hookloop_process_cpu_seconds_total");
    expect(await db.contact.count({ where: { workspaceId: workspace.id, email: "ada@example.com" } })).toBe(1);
  } finally {
    await worker.stop("SIGTERM");
    await queue.close();
  }
});
