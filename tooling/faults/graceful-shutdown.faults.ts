// SIGTERM, as a deploy or an autoscaler sends it, reaches ingest and the worker together while
// Stripe is posting: both drain what they hold and exit 0, and once they are started again every
// event they answered 2xx is applied (the rest Stripe sends again).
import { describe, expect } from "vitest";
import { waitUntil } from "@hookloop/e2e/processes";
import { cleanOutcome, customerStories, deliveryProgress, readOutcome, storyEventRules } from "./src/customer-stories";
import { test } from "./src/hookloop-stack";
import { StripeHarness } from "./src/stripe-harness";

test.beforeAll(async ({ stack }) => {
  await Promise.all([stack.startIngest(), stack.startWorker()]);
}, 120_000);

describe("SIGTERM under load", () => {
  test("ingest and worker exit 0 within 30 s, and every event answered 2xx is applied after the restart", async ({ stack }) => {
    const tenants = await stack.createTenants(4, storyEventRules);
    const stories = customerStories(tenants, { customersPerTenant: 40, seed: 31 });
    const eventIds = stories.events.map((event) => event.id);
    const harness = new StripeHarness({ concurrency: 16 });

    let answered = 0;
    const sending = harness.send(stories.events, { onAnswer: () => answered++ });
    await waitUntil(async () => answered >= 200, { what: "200 events to be answered" });
    const inFlight = (await deliveryProgress(stack.db, eventIds)).queued;
    const stoppingAt = Date.now();
    const [ingestExit, workerExit] = await Promise.all([
      stack
        .ingest()
        .stop("SIGTERM")
        .then((code) => ({ code, ms: Date.now() - stoppingAt })),
      stack
        .worker()
        .stop("SIGTERM")
        .then((code) => ({ code, ms: Date.now() - stoppingAt })),
    ]);
    const acknowledgedBeforeRestart = new Set(harness.acknowledged().map((event) => event.id));

    await Promise.all([stack.startIngest(), stack.startWorker()]);
    await sending;
    await harness.resendUnacknowledged();
    await waitUntil(async () => (await deliveryProgress(stack.db, eventIds)).processed === eventIds.length, {
      timeoutMs: 120_000,
      what: "every delivery to be processed",
    });
    const outcome = await readOutcome(stack.db, stories, new Set(harness.acknowledged().map((event) => event.id)));
    const lostOfFirstRun = (await readOutcome(stack.db, stories, acknowledgedBeforeRestart)).lost;
    const figures = harness.figures();
    console.log(
      `[faults] graceful-shutdown: events sent ${figures.events} (attempts ${figures.attempts}, ${acknowledgedBeforeRestart.size} ` +
        `acknowledged before the restart, ${inFlight} recorded but not applied at SIGTERM, non-2xx ${JSON.stringify(figures.refusals)}), ` +
        `faults injected 1 SIGTERM to ingest and worker (exits: ingest ${ingestExit.code} in ${ingestExit.ms} ms, ` +
        `worker ${workerExit.code} in ${workerExit.ms} ms), lost ${outcome.lost} (of those acknowledged before the restart ` +
        `${lostOfFirstRun}), duplicates ${outcome.duplicates}, failed ${outcome.failed}`,
    );

    expect(ingestExit).toMatchObject({ code: 0 });
    expect(workerExit).toMatchObject({ code: 0 });
    expect(Math.max(ingestExit.ms, workerExit.ms)).toBeLessThan(30_000);
    expect(lostOfFirstRun).toBe(0);
    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
  });
});
