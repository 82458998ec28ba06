// Importing an endpoint's existing Stripe customers, against a local fake of Stripe's API over HTTP
// read through the official SDK: the contacts and billing fields it ends with, no trigger events,
// a cancel and a crash mid-way resumed without duplicates, 429s and 500s waited out, and webhook
// events for the same customers ending as Stripe's order says whichever is applied first.
import { expect } from "vitest";
import { billingStateSchema } from "@hookloop/domain";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { fakeStripeTestKey, startFakeStripe, type FakeStripe, type FakeStripeOptions } from "@hookloop/testing/fake-stripe";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpoint } from "../endpoint/create-endpoint";
import { connectStripe } from "../stripe-connection/connect-stripe";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { cancelImport } from "./cancel-import";
import { getImportRun } from "./get-import-run";
import { runImport, type RunImportOptions } from "./run-import";
import { ImportInProgressError, startImport } from "./start-import";

type Setup = {
  fake: FakeStripe;
  workspaceId: string;
  endpointId: string;
  start: () => Promise<string>;
  run: (importRunId: string, options?: Partial<RunImportOptions>) => ReturnType<typeof runImport>;
};

const test = baseTest.extend("imports", async ({ appDb, box }, { onCleanup }) => {
  return async (fakeOptions: FakeStripeOptions): Promise<Setup> => {
    const fake = await startFakeStripe(fakeOptions);
    onCleanup(() => fake.close());
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    // Triggers are mapped, to show the import fires none of them.
    const endpoint = await withWorkspace(appDb, workspaceId, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId,
        name: "Stripe",
        enable: [
          { eventType: "customer.created", triggerName: "signedUp" },
          { eventType: "customer.updated", triggerName: "customerUpdated" },
          { eventType: "invoice.paid", triggerName: "successfulPayment" },
          { eventType: "customer.subscription.updated", triggerName: "subscriptionChanged" },
        ],
      }),
    );
    const api = { apiBase: fake.url, requestsPerSecond: 1_000 };
    await connectStripe(appDb, { workspaceId, endpointId: endpoint.id, box, key: fakeStripeTestKey, api });
    return {
      fake,
      workspaceId,
      endpointId: endpoint.id,
      start: async () =>
        (await withWorkspace(appDb, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId: endpoint.id }))).id,
      run: (importRunId, options = {}) => runImport(appDb, { workspaceId, importRunId, box, api, pageSize: 50, ...options }),
    };
  };
});

/** What the seeding gives each customer (fake-stripe's seedCustomer), to check contacts against. */
function expected(fake: FakeStripe) {
  return fake.customers.map(({ customer, subscriptions, invoices }) => ({
    email: customer.email as string,
    stripeCustomerId: customer.id,
    invoices: invoices.length,
    lifetimeValue: invoices.reduce((sum, invoice) => sum + (invoice.amount_paid as number), 0),
    subscriptionStatus: (subscriptions[0]?.status as string | undefined) ?? null,
  }));
}

test(
  "an import of 300 customers ends with every contact and its billing fields, and fires no trigger event",
  { timeout: 90_000 },
  async ({ imports, db }) => {
    const { fake, workspaceId, endpointId, start, run } = await imports({ customers: 300 });
    const progress: number[] = [];
    const outcome = await run(await start(), { onProgress: (counts) => progress.push(counts.customersRead) });

    const subscriptions = fake.customers.reduce((sum, entry) => sum + entry.subscriptions.length, 0);
    const invoices = fake.customers.reduce((sum, entry) => sum + entry.invoices.length, 0);
    expect(outcome).toEqual({
      status: "succeeded",
      counts: { customersTotal: 300, customersRead: 300, subscriptionsRead: subscriptions, invoicesRead: invoices, skipped: 0 },
    });
    expect(progress).toEqual([0, 50, 100, 150, 200, 250, 300]);

    const contacts = await db.contact.findMany({ where: { workspaceId }, orderBy: { email: "asc" } });
    expect(contacts).toHaveLength(300);
    const byEmail = new Map(contacts.map((contact) => [contact.email, contact]));
    for (const want of expected(fake)) {
      const contact = byEmail.get(want.email)!;
      const billing = billingStateSchema.parse(contact.billing);
      expect({
        customer: contact.stripeCustomerId,
        status: billing.subscriptionStatus,
        lifetimeValue: billing.lifetimeValue,
      }).toEqual({
        customer: want.stripeCustomerId,
        status: want.subscriptionStatus,
        lifetimeValue: want.lifetimeValue,
      });
    }
    // Customer 4: Pro (4 % 3 = 1) at 1100 a month, active, no nickname, so the product's name; no invoices (4 % 4).
    expect(byEmail.get("customer4@example.com")).toMatchObject({ firstName: "Customer", lastName: "4", source: "Stripe" });
    expect(billingStateSchema.parse(byEmail.get("customer4@example.com")!.billing)).toMatchObject({
      subscriptionStatus: "active",
      plan: "Pro",
      interval: "month",
      mrr: 1100,
      currency: "usd",
      lifetimeValue: 0,
    });
    // Customer 2: past_due on Team at 1200 (past due still counts in MRR), two paid invoices of 502 each.
    expect(billingStateSchema.parse(byEmail.get("customer2@example.com")!.billing)).toMatchObject({
      subscriptionStatus: "past_due",
      plan: "Team",
      mrr: 1200,
      lifetimeValue: 1004,
    });
    // Customer 6 has no subscription (every seventh); customer 8's is canceled, so no MRR.
    expect(billingStateSchema.parse(byEmail.get("customer6@example.com")!.billing)).toMatchObject({
      subscriptionStatus: null,
      mrr: 0,
    });
    expect(billingStateSchema.parse(byEmail.get("customer8@example.com")!.billing)).toMatchObject({
      subscriptionStatus: "canceled",
      mrr: 0,
    });

    expect(await db.triggerEvent.count({ where: { workspaceId } })).toBe(0);
    // Each product was fetched once for the run, not once a subscription.
    expect(fake.requests.byRoute.get("GET /v1/products/:id")).toBe(3);
    const view = await withWorkspace(db, workspaceId, (tx) => getImportRun(tx, { workspaceId, endpointId }));
    expect(view).toMatchObject({ status: "succeeded", percent: 100, customersRead: 300, checkpoint: "cus_fake000000" });
  },
);

test("one import at a time per endpoint: a second start while one runs is refused", async ({ imports }) => {
  const { start } = await imports({ customers: 3 });
  await start();
  await expect(start()).rejects.toBeInstanceOf(ImportInProgressError);
});

test(
  "an import canceled mid-way stops after its page; the next one finishes it without duplicates",
  { timeout: 90_000 },
  async ({ imports, db, appDb }) => {
    const { fake, workspaceId, endpointId, start, run } = await imports({ customers: 200 });
    const first = await start();
    let canceled = false;
    fake.onRequest = (count) => {
      if (count > 60 && !canceled) {
        canceled = true;
        void withWorkspace(appDb, workspaceId, (tx) => cancelImport(tx, { workspaceId, endpointId }));
      }
    };
    const stopped = await run(first);
    fake.onRequest = undefined;
    expect(stopped.status).toBe("canceled");
    if (stopped.status !== "canceled") return;
    expect(stopped.counts.customersRead).toBeGreaterThan(0);
    expect(stopped.counts.customersRead).toBeLessThan(200);

    const finished = await run(await start());
    expect(finished).toMatchObject({ status: "succeeded", counts: { customersRead: 200 } });
    const contacts = await db.contact.findMany({ where: { workspaceId } });
    expect(contacts).toHaveLength(200);
    // Invoices written by both runs count once each.
    const byEmail = new Map(contacts.map((contact) => [contact.email, billingStateSchema.parse(contact.billing).lifetimeValue]));
    for (const want of expected(fake)) expect(byEmail.get(want.email)).toBe(want.lifetimeValue);
  },
);

test(
  "an import whose Stripe goes away mid-way throws, keeps its checkpoint, and resumes from it without duplicates",
  { timeout: 90_000 },
  async ({ imports, db }) => {
    const { fake, workspaceId, endpointId, start, run } = await imports({ customers: 200 });
    const importRunId = await start();
    fake.onRequest = (count) => {
      if (count === 150) fake.dropConnections();
    };
    // One retry of each request, not three, so Stripe is given up on sooner.
    await expect(
      run(importRunId, { api: { apiBase: fake.url, requestsPerSecond: 1_000, maxNetworkRetries: 1 } }),
    ).rejects.toThrow(/connection to Stripe/);
    fake.onRequest = undefined;
    fake.restore();

    const halfway = await withWorkspace(db, workspaceId, (tx) => getImportRun(tx, { workspaceId, endpointId }));
    expect(halfway).toMatchObject({ status: "running" });
    expect(halfway!.customersRead).toBeGreaterThan(0);
    expect(halfway!.customersRead).toBeLessThan(200);
    expect(halfway!.checkpoint).toBe(fake.customers[halfway!.customersRead - 1]!.customer.id);

    // It let go of its lease as it threw, so the job's retry takes it at once (a killed process's
    // lease lapses instead: tooling/e2e/stripe-import.test.ts).
    expect(await db.importRun.findUniqueOrThrow({ where: { id: importRunId } })).toMatchObject({ leaseUntil: null });
    const subscriptionReadsBefore = fake.requests.byRoute.get("GET /v1/subscriptions")!;
    const resumed = await run(importRunId);
    expect(resumed).toMatchObject({ status: "succeeded", counts: { customersTotal: 200, customersRead: 200 } });
    // Resumed after the checkpoint: only the customers not yet counted were read again.
    expect(fake.requests.byRoute.get("GET /v1/subscriptions")! - subscriptionReadsBefore).toBe(200 - halfway!.customersRead);

    const contacts = await db.contact.findMany({ where: { workspaceId } });
    expect(contacts).toHaveLength(200);
    const records = fake.customers.reduce((sum, entry) => sum + 1 + entry.subscriptions.length + entry.invoices.length, 0);
    expect(await db.contactEvent.count({ where: { workspaceId } })).toBe(records);
  },
);

test(
  "Stripe's 429s slow an import down (Retry-After waited out) and its 500s are retried; neither fails it",
  { timeout: 90_000 },
  async ({ imports, db }) => {
    const { fake, workspaceId, start, run } = await imports({ customers: 60 });
    fake.inject({ status: 429, count: 3, every: 20, retryAfterSeconds: 1 });
    fake.inject({ status: 429, count: 1, path: "/v1/customers", every: 2, retryAfterSeconds: 1 });
    fake.inject({ status: 500, count: 2, path: "/v1/invoices", every: 7 });
    const waits: number[] = [];
    const outcome = await run(await start(), { onRateLimited: (waitMs) => waits.push(waitMs) });

    expect(outcome).toMatchObject({ status: "succeeded", counts: { customersRead: 60 } });
    expect(fake.requests.statuses.filter((status) => status === 429)).toHaveLength(4);
    expect(fake.requests.statuses.filter((status) => status === 500)).toHaveLength(2);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
    expect(await db.contact.count({ where: { workspaceId } })).toBe(60);
  },
);

test(
  "webhook events for the same customers end as Stripe's order says, applied before or after the import",
  { timeout: 90_000 },
  async ({ imports, db, appDb }) => {
    const { fake, workspaceId, endpointId, start, run } = await imports({ customers: 20 });
    const now = Math.floor(Date.now() / 1000);
    const deliver = async (event: ReturnType<typeof stripeEvent>) => {
      const delivery = await recordTestDelivery(db, { workspaceId, endpointId, event });
      return applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
    };
    const customer = (index: number) => fake.customers.find((entry) => entry.customer.email === `customer${index}@example.com`)!;

    // Before the import: an update made in Stripe an hour ago (older than what the import reads), and
    // one made a minute from now (newer), e.g. sent while the import runs.
    await deliver(
      stripeEvent("customer.updated", {
        customerId: customer(1).customer.id,
        email: "customer1@example.com",
        name: "Old Name",
        created: now - 3_600,
      }),
    );
    await deliver(
      stripeEvent("customer.updated", {
        customerId: customer(2).customer.id,
        email: "customer2@example.com",
        name: "Newer Name",
        created: now + 60,
      }),
    );
    await run(await start());
    // After the import: an older subscription state (the import's newer one stays), and a newer one (it wins).
    const subscriptionOf = (index: number) => customer(index).subscriptions[0]!;
    await deliver(
      stripeEvent("customer.subscription.updated", {
        customerId: customer(0).customer.id,
        created: now - 86_400,
        subscription: { id: subscriptionOf(0).id, status: "past_due", nickname: "Legacy" },
      }),
    );
    await deliver(
      stripeEvent("customer.subscription.updated", {
        customerId: customer(5).customer.id,
        created: now + 60,
        subscription: { id: subscriptionOf(5).id, status: "canceled", nickname: "Team" },
      }),
    );

    const contact = (index: number) =>
      db.contact.findFirstOrThrow({ where: { workspaceId, email: `customer${index}@example.com` } });
    expect(await contact(1)).toMatchObject({ firstName: "Customer", lastName: "1" });
    expect(await contact(2)).toMatchObject({ firstName: "Newer", lastName: "Name" });
    expect(billingStateSchema.parse((await contact(0)).billing)).toMatchObject({ subscriptionStatus: "active", plan: "Starter" });
    expect(billingStateSchema.parse((await contact(5)).billing)).toMatchObject({ subscriptionStatus: "canceled", plan: "Team" });
    // The webhooks fired their triggers; the import none.
    expect((await db.triggerEvent.findMany({ where: { workspaceId } })).map((event) => event.name).sort()).toEqual([
      "customerUpdated",
      "customerUpdated",
      "subscriptionChanged",
      "subscriptionChanged",
    ]);
    expect(await db.contact.count({ where: { workspaceId } })).toBe(20);
  },
);

test(
  "a resumed import whose checkpoint customer was deleted in Stripe meanwhile starts over and ends with true counts",
  { timeout: 90_000 },
  async ({ imports, db }) => {
    const { fake, workspaceId, endpointId, start, run } = await imports({ customers: 120 });
    const importRunId = await start();
    fake.onRequest = (count) => {
      if (count === 150) fake.dropConnections();
    };
    await expect(
      run(importRunId, { api: { apiBase: fake.url, requestsPerSecond: 1_000, maxNetworkRetries: 1 } }),
    ).rejects.toThrow(/connection to Stripe/);
    fake.onRequest = undefined;
    fake.restore();
    const halfway = await withWorkspace(db, workspaceId, (tx) => getImportRun(tx, { workspaceId, endpointId }));
    expect(halfway!.checkpoint).not.toBeNull();
    // The customer Stripe would page after is deleted in Stripe.
    fake.customers.splice(
      fake.customers.findIndex((entry) => entry.customer.id === halfway!.checkpoint),
      1,
    );
    const resumed = await run(importRunId);
    const subscriptions = fake.customers.reduce((sum, entry) => sum + entry.subscriptions.length, 0);
    expect(resumed).toMatchObject({
      status: "succeeded",
      counts: { customersTotal: 120, customersRead: 119, subscriptionsRead: subscriptions },
    });
    // Everything read twice was written once.
    const records = fake.customers.reduce((sum, entry) => sum + 1 + entry.subscriptions.length + entry.invoices.length, 0);
    const deleted = await db.contactEvent.count({ where: { workspaceId, customerId: halfway!.checkpoint } });
    expect(await db.contactEvent.count({ where: { workspaceId } })).toBe(records + deleted);
  },
);
