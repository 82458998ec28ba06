// Redis goes away under Hookloop: stopped while events arrive, stopped for longer than the
// worker's blocking reads while it idles, and killed right after ingest acknowledged a burst.
// Redis here is a private server without persistence (never the machine's own), so a stop or a
// kill takes its queued jobs with it: only what Postgres recorded survives.
import { describe, expect } from "vitest";
import { waitUntil } from "@hookloop/e2e/processes";
import {
  cleanOutcome,
  customerStories,
  deliveryProgress,
  readOutcome,
  storyEventRules,
  type Stories,
} from "./src/customer-stories";
import { test as faultTest, type Stack } from "./src/hookloop-stack";
import { StripeHarness } from "./src/stripe-harness";

const test = faultTest
  .extend("stackOptions", { scope: "file" }, ({ privateRedis }) => ({ redisUrl: privateRedis.url }))
  /** Two tenants, with both apps running on the private Redis. */
  .extend("tenants", { scope: "file" }, async ({ stack }) => {
    await Promise.all([stack.startIngest(), stack.startWorker()]);
    return stack.createTenants(2, storyEventRules);
  });

test.beforeAll(async ({ tenants }) => void tenants, 120_000);

const readiness = async (url: string) => {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every delivery of `stories` is processed, then reads what the database holds. */
async function settled(stack: Stack, stories: Stories, harness: StripeHarness, timeoutMs = 60_000) {
  const eventIds = stories.events.map((event) => event.id);
  await waitUntil(async () => (await deliveryProgress(stack.db, eventIds)).processed === eventIds.length, {
    timeoutMs,
    what: `every delivery to be processed (${JSON.stringify(await deliveryProgress(stack.db, eventIds))})`,
  });
  return readOutcome(stack.db, stories, new Set(harness.acknowledged().map((event) => event.id)));
}

describe("Redis outages", () => {
  test("while events arrive: ingest acknowledges what Postgres recorded, and nothing is lost once Redis is back", async ({
    stack,
    tenants,
    privateRedis: redis,
  }) => {
    const stories = customerStories(tenants, { customersPerTenant: 50, seed: 11 });
    const harness = new StripeHarness({ concurrency: 6, perSecond: 60 });
    let answered = 0;
    let redisDown = false;
    const answeredWhileDown: number[] = [];
    const sending = harness.send(stories.events, {
      onAnswer: (_event, attempt) => {
        answered++;
        if (redisDown) answeredWhileDown.push(attempt.status);
      },
    });
    await waitUntil(async () => answered >= 100, { what: "100 events to be answered" });
    await redis.stop();
    redisDown = true;
    await pause(4_000);
    await redis.start();
    redisDown = false;
    await sending;
    await harness.resendUnacknowledged();

    const outcome = await settled(stack, stories, harness);
    const figures = harness.figures();
    console.log(
      `[faults] redis-outage (a) stopped while events arrive: events sent ${figures.events} (attempts ${figures.attempts}, ` +
        `${answeredWhileDown.length} answered while Redis was down, non-2xx ${JSON.stringify(figures.refusals)}), ` +
        `faults injected 1 Redis stop of 4 s, lost ${outcome.lost}, duplicates ${outcome.duplicates}, failed ${outcome.failed}`,
    );
    expect(answeredWhileDown.length).toBeGreaterThan(50);
    expect(figures.refusals).toEqual({});
    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
  });

  test("for 20 s while the worker idles: /readyz says so, and the worker resumes on its own", async ({
    stack,
    tenants,
    privateRedis: redis,
  }) => {
    await redis.stop();
    const downAt = Date.now();
    const during: number[] = [];
    while (Date.now() - downAt < 22_000) {
      during.push(await readiness(stack.workerHealthUrl));
      await pause(1_000);
    }
    await redis.start();
    const upAt = Date.now();
    await waitUntil(async () => (await readiness(stack.workerHealthUrl)) === 200, {
      timeoutMs: 30_000,
      what: "the worker to report ready again",
    });
    const readyAfterMs = Date.now() - upAt;
    await waitUntil(async () => (await readiness(stack.ingestUrl)) === 200, { what: "ingest to report ready again" });

    const stories = customerStories(tenants, { customersPerTenant: 10, seed: 12 });
    const harness = new StripeHarness({ concurrency: 6 });
    await harness.send(stories.events);
    await harness.resendUnacknowledged();
    const appliedFrom = Date.now();
    const outcome = await settled(stack, stories, harness, 30_000);
    const figures = harness.figures();
    console.log(
      `[faults] redis-outage (b) 22 s outage, worker idle: /readyz ${during.filter((status) => status !== 200).length}/${during.length} ` +
        `checks not ready during, ready ${readyAfterMs} ms after Redis returned; then events sent ${figures.events}, ` +
        `applied in ${Date.now() - appliedFrom} ms, faults injected 1 Redis stop of 22 s, lost ${outcome.lost}, duplicates ${outcome.duplicates}`,
    );
    expect(during.every((status) => status === 503)).toBe(true);
    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
  });

  test("killed (-9) right after ingest acknowledged a burst: nothing is lost, with no one lifting a finger", async ({
    stack,
    tenants,
    privateRedis: redis,
  }) => {
    const stories = customerStories(tenants, { customersPerTenant: 50, seed: 13 });
    const harness = new StripeHarness({ concurrency: 12 });
    // The worker is frozen (SIGSTOP) while the burst arrives, so its jobs are all waiting in Redis
    // when Redis dies, as they would be behind a backlog; it carries on once Redis is back.
    stack.worker().child.kill("SIGSTOP");
    let pendingAtKill: number;
    try {
      await harness.send(stories.events);
      await redis.kill();
      pendingAtKill = (
        await deliveryProgress(
          stack.db,
          stories.events.map((event) => event.id),
        )
      ).queued;
      await redis.start();
    } finally {
      stack.worker().child.kill("SIGCONT");
    }
    await harness.resendUnacknowledged();

    const outcome = await settled(stack, stories, harness);
    const figures = harness.figures();
    console.log(
      `[faults] redis-outage (c) kill -9 after acknowledgements: events sent ${figures.events} (acknowledged ${figures.acknowledged}, ` +
        `${pendingAtKill} not yet applied at the kill), faults injected 1 Redis SIGKILL (worker frozen meanwhile), lost ${outcome.lost}, ` +
        `duplicates ${outcome.duplicates}, failed ${outcome.failed}`,
    );
    expect(pendingAtKill).toBe(stories.events.length);
    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
  });
});
