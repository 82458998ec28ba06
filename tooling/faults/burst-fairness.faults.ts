// Fairness: one workspace's burst (a billing run: thousands of events at once) must not starve
// the others. Acme's 3,000 customer.created are acknowledged and queued while no worker runs (the
// backlog a burst leaves); the worker starts draining them, and Globex posts 10. Ingest queued
// Acme's deliveries past its budget (INGEST_BURST_BUDGET, here 200 in 10 s) behind everyone
// else's (BullMQ priorities), so Globex's are applied while most of the backlog still waits, and
// Acme's all end applied too. Queued first in, first out, Globex's would wait for all 3,000.
import { describe, expect } from "vitest";
import { stripeEvent } from "@hookloop/testing";
import { waitUntil } from "@hookloop/e2e/processes";
import { test as faultTest } from "./src/hookloop-stack";
import { StripeHarness, type OutgoingEvent } from "./src/stripe-harness";

const burst = 3_000;

const test = faultTest.extend("stackOptions", { scope: "file" }, { env: { INGEST_BURST_BUDGET: "200" } });

test.beforeAll(async ({ stack }) => {
  await stack.startIngest();
}, 120_000);

describe("a burst from one workspace", () => {
  test("does not keep another workspace's events waiting behind it", { timeout: 300_000 }, async ({ stack, db }) => {
    const [acme, globex] = await stack.createTenants(2, ["customer.created"]);
    const events = (tenant: typeof acme, prefix: string, count: number): OutgoingEvent[] =>
      Array.from({ length: count }, (_, index) => {
        const event = stripeEvent("customer.created", {
          id: `evt_${prefix}${String(index).padStart(6, "0")}`,
          customerId: `cus_${prefix}${index}`,
          email: `${prefix}${index}@example.com`,
        });
        return { id: event.id, target: tenant!.target, event };
      });
    const processed = (workspaceId: string) => db.delivery.count({ where: { workspaceId, status: "processed" } });
    const harness = new StripeHarness({ concurrency: 24 });

    const queued = (workspaceId: string) => db.delivery.count({ where: { workspaceId, status: "queued" } });
    await harness.send(events(acme, "acme", burst));
    await harness.resendUnacknowledged();
    expect(await queued(acme!.workspaceId)).toBe(burst);

    await stack.startWorker();
    await waitUntil(async () => (await processed(acme!.workspaceId)) >= 100, {
      timeoutMs: 60_000,
      what: "the worker to start on the backlog",
    });
    const postedAt = Date.now();
    await harness.send(events(globex, "globex", 10));
    await waitUntil(async () => (await processed(globex!.workspaceId)) === 10, {
      timeoutMs: 60_000,
      what: "Globex's 10 events to be applied",
    });
    const globexMs = Date.now() - postedAt;
    const acmeWaiting = await queued(acme!.workspaceId);

    const drainStarted = Date.now();
    await waitUntil(async () => (await processed(acme!.workspaceId)) === burst, {
      timeoutMs: 240_000,
      what: "the whole burst to be applied",
    });
    console.log(
      `[faults] burst-fairness: Acme's backlog ${burst}, Globex's 10 applied ${globexMs} ms after posting, ` +
        `with ${acmeWaiting} of Acme's still queued; the rest drained in ${Math.round((Date.now() - drainStarted) / 1000)} s`,
    );

    expect(harness.figures().unacknowledged).toBe(0);
    // Globex did not wait for the backlog: most of it was still queued when Globex's were done.
    expect(acmeWaiting).toBeGreaterThan(burst / 2);
  });
});
