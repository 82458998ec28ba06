// Postgres stops answering for 30 s under load, without closing anything: the apps reach it
// through a TCP proxy that, in blackhole mode, holds every connection open and drops every byte.
// Stripe keeps posting meanwhile and re-sends whatever was not answered 2xx.
import { describe, expect } from "vitest";
import { waitUntil } from "@hookloop/e2e/processes";
import { cleanOutcome, customerStories, deliveryProgress, readOutcome, storyEventRules } from "./src/customer-stories";
import { test as faultTest } from "./src/hookloop-stack";
import { StripeHarness } from "./src/stripe-harness";
import { startTcpProxy } from "./src/tcp-proxy";

const BLACKHOLE_MS = 30_000;

const test = faultTest
  /** A TCP proxy in front of Postgres, to blackhole. */
  .extend("proxy", { scope: "file" }, async ({}, { onCleanup }) => {
    const proxy = await startTcpProxy({ targetHost: "127.0.0.1", targetPort: 5432 });
    onCleanup(() => proxy.close());
    return proxy;
  })
  // Only the apps go through the proxy; the test reads the database directly.
  .extend("stackOptions", { scope: "file" }, ({ proxy }) => ({ appDatabaseUrl: (url: string) => proxy.url(url) }));

test.beforeAll(async ({ stack }) => {
  await Promise.all([stack.startIngest(), stack.startWorker()]);
}, 120_000);

describe("Postgres blackholed for 30 s under load", () => {
  test("ingest answers 503 in under 3 s, no delivery fails for good, and nothing is lost", async ({ stack, proxy }) => {
    const tenants = await stack.createTenants(4, storyEventRules);
    const stories = customerStories(tenants, { customersPerTenant: 40, seed: 21 });
    const eventIds = stories.events.map((event) => event.id);
    const harness = new StripeHarness({ concurrency: 16, perSecond: 40, requestTimeoutMs: 15_000 });

    let answered = 0;
    const sending = harness.send(stories.events, { onAnswer: () => answered++ });
    await waitUntil(async () => answered >= 150, { what: "150 events to be answered" });
    proxy.setMode({ kind: "blackhole" });
    const blackholedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, BLACKHOLE_MS));
    proxy.setMode({ kind: "pass" });
    const healedAt = Date.now();
    await sending;
    await harness.resendUnacknowledged({ rounds: 60, pauseMs: 1_000 });

    // Jobs that failed during the outage wait out their backoff (up to a minute by then).
    await waitUntil(
      async () => {
        const progress = await deliveryProgress(stack.db, eventIds);
        return progress.processed + progress.failed === eventIds.length;
      },
      { timeoutMs: 180_000, what: "every delivery to be settled" },
    );
    const outcome = await readOutcome(stack.db, stories, new Set(harness.acknowledged().map((event) => event.id)));
    const figures = harness.figures();
    const duringOutage = harness.allAttempts().filter((attempt) => attempt.at >= blackholedAt && attempt.at < healedAt);
    const slowestDuringOutage = Math.max(...duringOutage.map((attempt) => attempt.ms));
    console.log(
      `[faults] postgres-blackhole: events sent ${figures.events} (attempts ${figures.attempts}, ${duringOutage.length} during the ` +
        `outage, slowest answer then ${slowestDuringOutage} ms, non-2xx ${JSON.stringify(figures.refusals)}), faults injected ` +
        `1 Postgres blackhole of ${BLACKHOLE_MS / 1000} s, lost ${outcome.lost}, duplicates ${outcome.duplicates}, ` +
        `failed ${outcome.failed}, not acknowledged ${figures.unacknowledged}`,
    );

    expect(duringOutage.length).toBeGreaterThan(50);
    expect(duringOutage.every((attempt) => attempt.status === 503 && attempt.ms < 3_000)).toBe(true);
    expect(Object.keys(figures.refusals)).toEqual(["503"]);
    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
  });
});
