// The worker is killed (SIGKILL: no draining, transactions cut off mid-way) three times while a
// thousand shuffled events for ten workspaces are being applied, and started again each time.
import { describe, expect } from "vitest";
import { waitUntil } from "@hookloop/e2e/processes";
import { cleanOutcome, customerStories, deliveryProgress, readOutcome, storyEventRules } from "./src/customer-stories";
import { test } from "./src/hookloop-stack";
import { StripeHarness } from "./src/stripe-harness";

test.beforeAll(async ({ stack }) => {
  await Promise.all([stack.startIngest(), stack.startWorker()]);
}, 120_000);

describe("a worker killed mid-run", () => {
  test("applies every delivery once, in the right order, after three SIGKILLs and restarts", async ({ stack }) => {
    const tenants = await stack.createTenants(10, storyEventRules);
    const stories = customerStories(tenants, { customersPerTenant: 25, seed: 7 });
    const eventIds = stories.events.map((event) => event.id);
    expect(eventIds).toHaveLength(1_000);
    const harness = new StripeHarness({ concurrency: 12 });
    const startedAt = Date.now();

    const sending = harness.send(stories.events);
    const kills: number[] = [];
    for (const share of [0.2, 0.45, 0.7]) {
      // The kill lands while jobs are in hand: some processed, the rest queued or running.
      const seen = await waitUntil(
        async () => {
          const { processed } = await deliveryProgress(stack.db, eventIds);
          return processed >= share * eventIds.length && processed < eventIds.length ? processed : false;
        },
        { timeoutMs: 120_000, what: `${share * 100} % of the deliveries to be processed` },
      );
      kills.push(seen);
      await stack.worker().stop("SIGKILL");
      await stack.startWorker();
    }
    await sending;
    await harness.resendUnacknowledged();

    // Jobs the killed workers held come back once their locks lapse and a worker sees them stalled.
    await waitUntil(async () => (await deliveryProgress(stack.db, eventIds)).processed === eventIds.length, {
      timeoutMs: 180_000,
      what: "every delivery to be processed",
    });
    const outcome = await readOutcome(stack.db, stories, new Set(harness.acknowledged().map((event) => event.id)));
    const figures = harness.figures();
    console.log(
      `[faults] worker-crash: events sent ${figures.events} (attempts ${figures.attempts}, acknowledged ${figures.acknowledged}), ` +
        `faults injected 3 worker SIGKILLs (at ${kills.join("/")} processed), lost ${outcome.lost}, duplicates ${outcome.duplicates}, ` +
        `failed ${outcome.failed}, contacts ${outcome.contacts} (missing ${outcome.missingContacts}, extra ${outcome.extraContacts}, ` +
        `misordered ${outcome.misordered}), trigger events ${outcome.triggerEvents}, ${Math.round((Date.now() - startedAt) / 1000)} s`,
    );

    expect(figures.unacknowledged).toBe(0);
    expect(outcome).toEqual(cleanOutcome(stories));
    expect(outcome.contacts).toBe(250);
  });
});
