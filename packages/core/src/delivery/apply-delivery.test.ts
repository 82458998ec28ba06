import { describe, expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import type { SecretBox } from "@hookloop/secrets";
import { recordTestDelivery, stripeEvent, type FixtureOptions } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createEndpoint } from "../endpoint/create-endpoint";
import { updateEndpointSettings } from "../endpoint/update-endpoint-settings";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { ContactNotResolvableError } from "../contact/contact-history";
import { applyDelivery } from "./apply-delivery";

const allEvents = [
  { eventType: "customer.created", triggerName: "customerCreated" },
  { eventType: "customer.updated" },
  { eventType: "customer.deleted" },
  { eventType: "invoice.paid", triggerName: "successfulPayment" },
  { eventType: "invoice.payment_failed", triggerName: "paymentFailed" },
  { eventType: "checkout.session.completed", triggerName: "checkoutCompleted" },
  { eventType: "customer.subscription.created", triggerName: "subscriptionStarted" },
  { eventType: "customer.subscription.updated", triggerName: "subscriptionUpdated" },
  { eventType: "customer.subscription.deleted", triggerName: "subscriptionCanceled" },
  { eventType: "charge.refunded", triggerName: "paymentRefunded" },
];

type Kit = { db: Db; appDb: Db; box: SecretBox };
type WorkspaceOptions = { onCustomerDeleted?: "delete" | "unsubscribe"; syncNames?: boolean };

/** A workspace with an endpoint taking every event type; `appDb` applies, as the worker does (row-level security). */
async function newWorkspace({ db, appDb, box }: Kit, options: WorkspaceOptions = {}) {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", enable: allEvents, ...options }),
  );
  let clock = 1_700_000_000;
  /** Records a delivery the way ingest does and applies it; events get increasing `created` unless given. */
  const deliver = async (type: string, fixture: FixtureOptions = {}, endpointId = endpoint.id) => {
    const event = stripeEvent(type, { created: (clock += 10), ...fixture });
    const delivery = await recordTestDelivery(db, { workspaceId: workspace.id, endpointId, event });
    return { event, delivery, apply: () => applyDelivery(appDb, { deliveryId: delivery.id, workspaceId: workspace.id }) };
  };
  const contacts = () => db.contact.findMany({ where: { workspaceId: workspace.id }, orderBy: { email: "asc" } });
  const triggers = () => db.triggerEvent.findMany({ where: { workspaceId: workspace.id } });
  return { workspace, endpoint, deliver, contacts, triggers };
}

const test = baseTest
  // Fifty deliveries at once share 20 connections: on a busy machine the wait for one can pass the
  // 2 s a service allows, which would fail a job for the machine's sake, not the code's.
  .override("pools", { db: { max: 4 }, appDb: { max: 20, connectionTimeoutMs: 30_000 } })
  .extend(
    "newWorkspace",
    ({ db, appDb, box }) =>
      (options?: WorkspaceOptions) =>
        newWorkspace({ db, appDb, box }, options),
  );

describe("contacts from Stripe events", () => {
  test("an invoice for a new customer creates the contact and fires its trigger with useful properties", async ({
    newWorkspace,
    db,
  }) => {
    const w = await newWorkspace();
    const { event, delivery, apply } = await w.deliver("invoice.paid", {
      customerId: "cus_ada",
      email: "  Ada@Example.COM ",
      name: "Ada King Lovelace",
      amount: 4200,
    });
    expect(await apply()).toMatchObject({ status: "processed", reason: "Created contact ada@example.com." });
    const [contact] = await w.contacts();
    expect(contact).toMatchObject({
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "King Lovelace",
      subscribed: true,
      source: "Stripe",
      stripeCustomerId: "cus_ada",
    });
    const [trigger] = await w.triggers();
    expect(trigger).toMatchObject({
      name: "successfulPayment",
      contactId: contact!.id,
      stripeEventId: event.id,
      deliveryId: delivery.id,
    });
    expect(trigger!.properties).toMatchObject({
      amount: 4200,
      currency: "usd",
      invoiceId: event.data.object.id,
      hostedInvoiceUrl: expect.stringContaining("https://invoice.stripe.com/"),
      customerId: "cus_ada",
    });
    expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({
      status: "processed",
      contactId: contact!.id,
    });
  });

  test("matches an existing contact by email, whatever its case", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (await w.deliver("checkout.session.completed", { customerId: null, email: "grace@example.com" })).apply();
    const second = await w.deliver("invoice.paid", { customerId: "cus_grace", email: "GRACE@example.com" });
    expect(await second.apply()).toMatchObject({ reason: "Matched contact grace@example.com by email." });
    const contacts = await w.contacts();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.stripeCustomerId).toBe("cus_grace");
  });

  test("takes email and name from a checkout session's customer_details", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (
      await w.deliver("checkout.session.completed", { customerId: "cus_1", email: "buyer@example.com", name: "Alan Turing" })
    ).apply();
    expect(await w.contacts()).toMatchObject([{ email: "buyer@example.com", firstName: "Alan", lastName: "Turing" }]);
    expect((await w.triggers())[0]).toMatchObject({ name: "checkoutCompleted" });
  });

  test("leaves names alone when the endpoint does not sync them", async ({ newWorkspace }) => {
    const w = await newWorkspace({ syncNames: false });
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com", name: "Ada Lovelace" })).apply();
    expect(await w.contacts()).toMatchObject([{ email: "a@example.com", firstName: null, lastName: null }]);
  });

  test("finds the contact through the customer id when an invoice carries no email", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com" })).apply();
    await (await w.deliver("invoice.paid", { customerId: "cus_1", email: null })).apply();
    expect(await w.contacts()).toHaveLength(1);
    expect((await w.triggers()).map((trigger) => trigger.name).sort()).toEqual(["customerCreated", "successfulPayment"]);
  });

  test("cannot place an event with no email and an unknown customer, and says why", async ({ newWorkspace, db }) => {
    const w = await newWorkspace();
    const { apply, delivery } = await w.deliver("invoice.paid", { customerId: "cus_unknown", email: null });
    await expect(apply()).rejects.toThrow(ContactNotResolvableError);
    await expect(apply()).rejects.toThrow("The event has no email, and Stripe customer cus_unknown is not known yet.");
    expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({ status: "queued" });
    // Once the customer arrives, the retry succeeds.
    await (await w.deliver("customer.created", { customerId: "cus_unknown", email: "late@example.com" })).apply();
    expect(await apply()).toMatchObject({ status: "processed" });
    expect((await w.contacts()).map((contact) => contact.email)).toEqual(["late@example.com"]);
  });

  test("fails an event whose object is unusable, at once and with the reason", async ({ newWorkspace, db }) => {
    const w = await newWorkspace();
    const { apply, delivery } = await w.deliver("customer.created");
    await db.delivery.update({
      where: { id: delivery.id },
      data: { payload: { ...(delivery.payload as object), data: { object: { object: "customer" } } } },
    });
    expect(await apply()).toEqual({ status: "failed", reason: "The event's customer object has no id." });
    expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({ status: "failed" });
  });
});

describe("exactly once", () => {
  test("a delivery applied twice changes the contact and fires its trigger once", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    const { apply } = await w.deliver("invoice.paid", { customerId: "cus_1", email: "a@example.com" });
    expect((await apply()).status).toBe("processed");
    expect(await apply()).toEqual({ status: "skipped", reason: "The delivery is already processed." });
    expect(await w.triggers()).toHaveLength(1);
  });

  test("the same Stripe event received by two endpoints of one workspace fires its trigger once", async ({
    newWorkspace,
    db,
    box,
  }) => {
    const w = await newWorkspace();
    const second = await withWorkspace(db, w.workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: w.workspace.id, name: "Second", enable: allEvents }),
    );
    const first = await w.deliver("invoice.paid", { customerId: "cus_1", email: "a@example.com" });
    const again = await w.deliver(
      "invoice.paid",
      { id: first.event.id, created: first.event.created, customerId: "cus_1", email: "a@example.com" },
      second.id,
    );
    await first.apply();
    await again.apply();
    expect(await w.triggers()).toHaveLength(1);
    expect(await w.contacts()).toHaveLength(1);
  });

  test("the same Stripe event through a second endpoint that maps it to another trigger fires both, once each", async ({
    newWorkspace,
    db,
    box,
  }) => {
    const w = await newWorkspace();
    const second = await withWorkspace(db, w.workspace.id, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId: w.workspace.id,
        name: "Second",
        enable: [{ eventType: "invoice.paid", triggerName: "paidAgain" }],
      }),
    );
    const first = await w.deliver("invoice.paid", { customerId: "cus_1", email: "a@example.com" });
    const again = await w.deliver(
      "invoice.paid",
      { id: first.event.id, created: first.event.created, customerId: "cus_1" },
      second.id,
    );
    await first.apply();
    await again.apply();
    await first.apply();
    expect((await w.triggers()).map((trigger) => trigger.name).sort()).toEqual(["paidAgain", "successfulPayment"]);
  });

  test("fifty concurrent deliveries for one email make one contact and fifty processed deliveries", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    const deliveries = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        w.deliver(index % 2 ? "invoice.paid" : "checkout.session.completed", {
          customerId: index % 3 ? `cus_${index % 5}` : null,
          email: index % 2 ? "Shared@Example.com" : "shared@example.com",
        }),
      ),
    );
    const outcomes = await Promise.all(deliveries.map((delivery) => delivery.apply()));
    expect(outcomes.every((outcome) => outcome.status === "processed")).toBe(true);
    expect(await w.contacts()).toHaveLength(1);
    expect(await w.triggers()).toHaveLength(50);
  });
});

describe("ordering", () => {
  test("an older customer event arriving late does not overwrite a newer one", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com", name: "Old Name" });
    const updated = await w.deliver("customer.updated", { customerId: "cus_1", email: "a@example.com", name: "New Name" });
    await updated.apply();
    expect(await created.apply()).toMatchObject({ status: "processed", reason: expect.stringContaining("newer") });
    expect(await w.contacts()).toMatchObject([{ firstName: "New", lastName: "Name" }]);
    // the late event still fires its own trigger, once
    expect((await w.triggers()).map((trigger) => trigger.name)).toEqual(["customerCreated"]);
  });

  test("two events created in the same second are ordered by event id", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    const a = await w.deliver("customer.updated", {
      id: "evt_A",
      created: 1_800_000_000,
      customerId: "cus_1",
      email: "a@example.com",
      name: "From A",
    });
    const b = await w.deliver("customer.updated", {
      id: "evt_B",
      created: 1_800_000_000,
      customerId: "cus_1",
      email: "a@example.com",
      name: "From B",
    });
    await b.apply();
    await a.apply();
    expect(await w.contacts()).toMatchObject([{ firstName: "From", lastName: "B" }]);
  });

  test("a customer.updated with a new email moves the contact to it", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "old@example.com" })).apply();
    const [before] = await w.contacts();
    const outcome = await (await w.deliver("customer.updated", { customerId: "cus_1", email: "new@example.com" })).apply();
    expect(outcome.reason).toBe("Changed the contact's email from old@example.com to new@example.com.");
    expect(await w.contacts()).toMatchObject([{ id: before!.id, email: "new@example.com" }]);
  });

  test("the email change arriving before the creation ends with the new email only", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "old@example.com" });
    const updated = await w.deliver("customer.updated", { customerId: "cus_1", email: "new@example.com" });
    await updated.apply();
    await created.apply();
    expect((await w.contacts()).map((contact) => contact.email)).toEqual(["new@example.com"]);
  });

  test("an invoice's older email snapshot does not move a known customer's contact", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "current@example.com" })).apply();
    await (await w.deliver("invoice.paid", { customerId: "cus_1", email: "snapshot@example.com" })).apply();
    expect((await w.contacts()).map((contact) => contact.email)).toEqual(["current@example.com"]);
  });
});

describe("customer.deleted", () => {
  test("deletes the contact when the endpoint says delete, and a late update does not bring it back", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace({ onCustomerDeleted: "delete" });
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com" });
    const updated = await w.deliver("customer.updated", { customerId: "cus_1", email: "a@example.com", name: "Late Update" });
    const deleted = await w.deliver("customer.deleted", { customerId: "cus_1", email: "a@example.com" });
    await created.apply();
    expect(await deleted.apply()).toMatchObject({ reason: "Deleted the contact of customer cus_1." });
    expect(await w.contacts()).toHaveLength(0);
    expect(await updated.apply()).toMatchObject({ reason: expect.stringContaining("Stripe deleted customer cus_1") });
    expect(await w.contacts()).toHaveLength(0);
  });

  test("unsubscribes the contact when the endpoint says unsubscribe", async ({ newWorkspace }) => {
    const w = await newWorkspace({ onCustomerDeleted: "unsubscribe" });
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com" })).apply();
    await (await w.deliver("customer.deleted", { customerId: "cus_1", email: "a@example.com" })).apply();
    expect(await w.contacts()).toMatchObject([{ email: "a@example.com", subscribed: false }]);
  });

  test("arriving before the customer's creation still wins", async ({ newWorkspace }) => {
    const w = await newWorkspace({ onCustomerDeleted: "delete" });
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com" });
    const deleted = await w.deliver("customer.deleted", { customerId: "cus_1", email: "a@example.com" });
    await deleted.apply();
    await created.apply();
    expect(await w.contacts()).toHaveLength(0);
  });

  test("with unsubscribe, arriving before the customer's first events leaves the unsubscribed contact they make", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace({ onCustomerDeleted: "unsubscribe" });
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com", name: "Ada Lovelace" });
    const paid = await w.deliver("invoice.paid", { customerId: "cus_1", email: "a@example.com" });
    const deleted = await w.deliver("customer.deleted", { customerId: "cus_1", email: "a@example.com" });
    await deleted.apply();
    await created.apply();
    await paid.apply();
    expect(await w.contacts()).toMatchObject([
      { email: "a@example.com", firstName: "Ada", lastName: "Lovelace", subscribed: false },
    ]);
    expect((await w.triggers()).map((trigger) => trigger.name).sort()).toEqual(["customerCreated", "successfulPayment"]);
  });

  test("keeps a contact that another live Stripe customer still holds", async ({ newWorkspace }) => {
    const w = await newWorkspace({ onCustomerDeleted: "delete" });
    await (await w.deliver("customer.created", { customerId: "cus_1", email: "shared@example.com" })).apply();
    await (await w.deliver("customer.created", { customerId: "cus_2", email: "shared@example.com" })).apply();
    const outcome = await (await w.deliver("customer.deleted", { customerId: "cus_1", email: "shared@example.com" })).apply();
    expect(outcome.reason).toContain("another Stripe customer still has this contact's email");
    expect(await w.contacts()).toMatchObject([{ email: "shared@example.com", subscribed: true }]);
    await (await w.deliver("customer.deleted", { customerId: "cus_2", email: "shared@example.com" })).apply();
    expect(await w.contacts()).toHaveLength(0);
  });

  test("a contact two customers share takes the name of the newest customer event, whatever order they arrive in", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace();
    const older = await w.deliver("customer.created", { customerId: "cus_1", email: "shared@example.com", name: "Ada Lovelace" });
    const newer = await w.deliver("customer.created", { customerId: "cus_2", email: "shared@example.com", name: "Ada King" });
    await newer.apply();
    await older.apply();
    expect(await w.contacts()).toMatchObject([{ email: "shared@example.com", firstName: "Ada", lastName: "King" }]);
  });

  test("a shared contact deleted before the other customer's first event arrives keeps that event's trigger", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace({ onCustomerDeleted: "delete" });
    const first = await w.deliver("customer.created", { customerId: "cus_1", email: "shared@example.com" });
    const second = await w.deliver("customer.created", { customerId: "cus_2", email: "shared@example.com" });
    const deleted = await w.deliver("customer.deleted", { customerId: "cus_1", email: "shared@example.com" });
    await first.apply();
    expect(await deleted.apply()).toMatchObject({ reason: "Deleted the contact of customer cus_1." });
    expect(await w.contacts()).toHaveLength(0);
    // cus_2 had the email before cus_1 was deleted: the contact was never cus_1's alone.
    expect(await second.apply()).toMatchObject({ status: "processed", reason: "Matched contact shared@example.com by email." });
    expect(await w.contacts()).toMatchObject([{ email: "shared@example.com", subscribed: true }]);
    expect((await w.triggers()).map((trigger) => trigger.stripeEventId).sort()).toEqual([first.event.id, second.event.id].sort());
  });

  test("with unsubscribe, an update made before the deletion but delivered after it is still applied", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace({ onCustomerDeleted: "unsubscribe" });
    const created = await w.deliver("customer.created", { customerId: "cus_1", email: "a@example.com", name: "Ada Lovelace" });
    const updated = await w.deliver("customer.updated", { customerId: "cus_1", email: "a@example.com", name: "Ada King" });
    const deleted = await w.deliver("customer.deleted", { customerId: "cus_1", email: "a@example.com" });
    await created.apply();
    await deleted.apply();
    await updated.apply();
    expect(await w.contacts()).toMatchObject([{ email: "a@example.com", firstName: "Ada", lastName: "King", subscribed: false }]);
  });

  test("a contact two customers share keeps its email when one of them moves to another", async ({ newWorkspace }) => {
    const w = await newWorkspace();
    await (
      await w.deliver("customer.created", { customerId: "cus_1", email: "shared@example.com", name: "Ada Lovelace" })
    ).apply();
    await (
      await w.deliver("customer.created", { customerId: "cus_2", email: "shared@example.com", name: "Ada Lovelace" })
    ).apply();
    const moved = await (
      await w.deliver("customer.updated", { customerId: "cus_1", email: "grace@example.com", name: "Grace Hopper" })
    ).apply();
    expect(moved.reason).toContain("which another Stripe customer still has");
    expect(await w.contacts()).toMatchObject([
      { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
      { email: "shared@example.com", firstName: "Ada", lastName: "Lovelace" },
    ]);
  });
});

describe("billing state", () => {
  test("a subscription's lifecycle, applied newest first, leaves the newest Stripe state on the contact", async ({
    newWorkspace,
  }) => {
    const w = await newWorkspace();
    const customer = { customerId: "cus_ada", email: "ada@example.com" };
    const sub = { id: "sub_ada", unitAmount: 2900, currentPeriodEnd: 1_702_000_000 };
    const start = 1_700_000_000;
    const deliveries = [
      await w.deliver("customer.created", { ...customer, created: start }),
      await w.deliver("customer.subscription.created", {
        ...customer,
        created: start + 1,
        subscription: { ...sub, status: "trialing", trialEnd: start + 14 * 86_400 },
      }),
      await w.deliver("customer.subscription.updated", {
        ...customer,
        created: start + 14 * 86_400,
        subscription: { ...sub, status: "active", trialEnd: start + 14 * 86_400 },
      }),
      await w.deliver("invoice.paid", { ...customer, created: start + 14 * 86_400 + 1, amount: 2900, invoiceId: "in_1" }),
      await w.deliver("customer.subscription.updated", {
        ...customer,
        created: start + 20 * 86_400,
        subscription: { ...sub, status: "active", unitAmount: 9900, nickname: "Business", trialEnd: start + 14 * 86_400 },
        previousAttributes: { items: { data: [{ price: { id: "price_1Pro", nickname: "Pro" } }] } },
      }),
      await w.deliver("charge.refunded", { ...customer, created: start + 21 * 86_400, amount: 2900, amountRefunded: 900 }),
    ];
    // Newest first: each event without an email waits for the customer, as the worker's retries would.
    const pending = [...deliveries].reverse();
    for (let round = 0; pending.length && round < 3; round++) {
      for (const delivery of [...pending]) {
        try {
          await delivery.apply();
          pending.splice(pending.indexOf(delivery), 1);
        } catch (error) {
          if (!(error instanceof ContactNotResolvableError)) throw error;
        }
      }
    }
    expect(pending).toHaveLength(0);
    const [contact] = await w.contacts();
    expect(contact!.billing).toEqual({
      subscriptionStatus: "active",
      plan: "Business",
      interval: "month",
      mrr: 9900,
      currency: "usd",
      trialEndsAt: new Date((start + 14 * 86_400) * 1000).toISOString(),
      renewsAt: new Date(1_702_000_000 * 1000).toISOString(),
      cancelAtPeriodEnd: false,
      canceledAt: null,
      lifetimeValue: 2000,
      firstPaidAt: new Date((start + 14 * 86_400 + 1) * 1000).toISOString(),
      lastPaidAt: new Date((start + 14 * 86_400 + 1) * 1000).toISOString(),
      lastPaymentFailedAt: null,
    });
    const upgrade = (await w.triggers()).find((trigger) => trigger.stripeEventId === deliveries[4]!.event.id);
    expect(upgrade).toMatchObject({
      name: "subscriptionUpdated",
      contactId: contact!.id,
      properties: { plan: "Business", previousPlan: "Pro", status: "active", mrr: 9900, currency: "usd" },
    });

    const ended = await w.deliver("customer.subscription.deleted", {
      ...customer,
      created: start + 30 * 86_400,
      subscription: { ...sub, status: "canceled", canceledAt: start + 30 * 86_400 },
    });
    await ended.apply();
    // Created before the deletion, delivered after it: the subscription stays ended.
    const late = await w.deliver("customer.subscription.updated", {
      ...customer,
      created: start + 29 * 86_400,
      subscription: { ...sub, status: "past_due" },
    });
    await late.apply();
    expect((await w.contacts())[0]!.billing).toMatchObject({
      subscriptionStatus: "canceled",
      mrr: 0,
      renewsAt: null,
      lifetimeValue: 2000,
    });
  });
});

describe("trigger conditions", () => {
  test("a renewal invoice under 'first invoice only' updates the contact, fires nothing, and the delivery says why", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, async (tx) => {
      const created = await createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [] });
      await updateEndpointSettings(tx, {
        workspaceId,
        endpointId: created.id,
        events: [{ eventType: "invoice.paid", enabled: true, triggerName: "firstPayment", condition: { kind: "first_invoice" } }],
        onCustomerDeleted: "unsubscribe",
        syncNames: true,
      });
      return created;
    });
    const pay = async (billingReason: string, created: number) => {
      const event = stripeEvent("invoice.paid", { created, customerId: "cus_1", email: "ada@example.com" });
      (event.data.object as { billing_reason: string }).billing_reason = billingReason;
      const delivery = await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event });
      await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
      return db.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
    };

    expect(await pay("subscription_create", 1_700_000_000)).toMatchObject({
      status: "processed",
      reason: "Created contact ada@example.com.",
    });
    const renewal = await pay("subscription_cycle", 1_700_100_000);
    expect(renewal).toMatchObject({
      status: "processed",
      reason:
        "Updated ada@example.com. firstPayment did not fire: it is not the first invoice of a subscription (billing reason: subscription_cycle) (only the first invoice of a subscription).",
    });
    expect(await db.triggerEvent.findMany({ where: { workspaceId }, select: { name: true, stripeEventId: true } })).toHaveLength(
      1,
    );
  });
});

describe("subscription changes", () => {
  test("each change fires its trigger event once on the subscription's contact, in any delivery order, twice applied or not", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, async (tx) => {
      const created = await createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [] });
      await updateEndpointSettings(tx, {
        workspaceId,
        endpointId: created.id,
        events: [
          { eventType: "customer.created", enabled: true, triggerName: null },
          { eventType: "customer.subscription.created", enabled: true, triggerName: null },
          { eventType: "customer.subscription.updated", enabled: true, triggerName: null },
          { eventType: "subscription:active", enabled: true, triggerName: "becameActive" },
          { eventType: "subscription:past_due", enabled: true, triggerName: "pastDue" },
          { eventType: "subscription:plan_changed", enabled: true, triggerName: "planChanged" },
          { eventType: "subscription:canceled", enabled: false, triggerName: "canceled" },
        ],
        onCustomerDeleted: "unsubscribe",
        syncNames: true,
      });
      return created;
    });
    const subscription = (type: string, created: number, status: string, nickname = "Pro") =>
      stripeEvent(type, { created, customerId: "cus_1", subscription: { id: "sub_1", status: status as "active", nickname } });
    const events = [
      stripeEvent("customer.created", { created: 1_700_000_000, customerId: "cus_1", email: "ada@example.com" }),
      subscription("customer.subscription.created", 1_700_000_010, "trialing"),
      subscription("customer.subscription.updated", 1_700_000_020, "active"),
      subscription("customer.subscription.updated", 1_700_000_030, "past_due"),
      subscription("customer.subscription.updated", 1_700_000_040, "active", "Team"),
    ];
    const deliveries = [];
    for (const event of events) deliveries.push(await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event }));
    // The customer, then its subscription's events newest first, then all of them again: each change still fires once.
    const [customer, ...changes] = deliveries;
    for (const delivery of [customer!, ...changes.reverse()])
      await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
    for (const delivery of deliveries) {
      await db.delivery.update({ where: { id: delivery.id }, data: { status: "queued" } });
      await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
    }

    const fired = await db.triggerEvent.findMany({
      where: { workspaceId },
      select: { name: true, stripeEventId: true, changeKey: true, properties: true, contact: { select: { email: true } } },
      orderBy: [{ occurredAt: "asc" }, { name: "asc" }],
    });
    expect(fired.map((trigger) => `${trigger.name} ${trigger.changeKey} ${trigger.contact.email}`)).toEqual([
      "becameActive sub_1:active:1 ada@example.com",
      "pastDue sub_1:past_due:1 ada@example.com",
      "becameActive sub_1:active:2 ada@example.com",
      "planChanged sub_1:plan_changed:1 ada@example.com",
    ]);
    expect(fired.find((trigger) => trigger.changeKey === "sub_1:plan_changed:1")).toMatchObject({
      stripeEventId: events[4]!.id,
      properties: { subscriptionId: "sub_1", status: "active", previousStatus: "past_due", plan: "Team", previousPlan: "Pro" },
    });
  });
});
