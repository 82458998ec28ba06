import { pino } from "pino";
import { expect } from "vitest";
import { connectStripe, createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";
import { test } from "@hookloop/testing/fixtures";
import { createDeliveryHandler } from "../src/handle-delivery";

test("retries an event it cannot place yet, and on the last attempt fails its delivery with the reason", async ({ db, box }) => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      enable: [{ eventType: "invoice.paid" }],
    }),
  );
  const event = stripeEvent("invoice.paid", { customerId: "cus_ghost", email: null });
  const delivery = await recordTestDelivery(db, { workspaceId: workspace.id, endpointId: endpoint.id, event });
  const handle = createDeliveryHandler(db, pino({ level: "silent" }));
  const payload = { deliveryId: delivery.id, workspaceId: workspace.id };

  await expect(handle(payload, { attemptsMade: 0, attemptsAllowed: 3 })).rejects.toThrow(/not known yet/);
  expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({ status: "queued" });

  await expect(handle(payload, { attemptsMade: 2, attemptsAllowed: 3 })).rejects.toThrow(/not known yet/);
  expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({
    status: "failed",
    reason: "The event has no email, and Stripe customer cus_ghost is not known yet. (gave up after 3 attempts)",
  });
});

test("with a Stripe connection, an event whose customer Hookloop never saw is completed by reading the customer from Stripe", async ({
  db,
  appDb,
  box,
}) => {
  const fake = await startFakeStripe({ customers: 2 });
  try {
    const [seeded] = fake.customers;
    const customer = seeded!.customer as { id: string; email: string };
    const api = { apiBase: fake.url, requestsPerSecond: 1_000 };
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId,
        name: "Stripe",
        enable: [{ eventType: "customer.subscription.created", triggerName: "subscriptionStarted" }],
      }),
    );
    await connectStripe(appDb, { workspaceId, endpointId: endpoint.id, box, key: fakeStripeTestKey, api });
    const event = stripeEvent("customer.subscription.created", { customerId: customer.id, subscription: { status: "active" } });
    const delivery = await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event });
    const handle = createDeliveryHandler(appDb, pino({ level: "silent" }), { stripe: { box, api } });
    const payload = { deliveryId: delivery.id, workspaceId };

    // The first attempt waits, as the customer's own event may be on its way; the second reads Stripe.
    await expect(handle(payload, { attemptsMade: 0, attemptsAllowed: 4 })).rejects.toThrow(/not known yet/);
    expect(fake.requests.byRoute.get("GET /v1/customers/:id")).toBeUndefined();
    await handle(payload, { attemptsMade: 1, attemptsAllowed: 4 });

    expect(await db.delivery.findUnique({ where: { id: delivery.id } })).toMatchObject({ status: "processed" });
    expect(await db.contact.findMany({ where: { workspaceId }, select: { email: true, stripeCustomerId: true } })).toEqual([
      { email: customer.email.toLowerCase(), stripeCustomerId: customer.id },
    ]);
    expect(await db.triggerEvent.findMany({ where: { workspaceId }, select: { name: true } })).toEqual([
      { name: "subscriptionStarted" },
    ]);
    expect(fake.requests.byRoute.get("GET /v1/customers/:id")).toBe(1);

    // A customer Stripe does not have either: the delivery still waits, and says both.
    const ghost = await recordTestDelivery(db, {
      workspaceId,
      endpointId: endpoint.id,
      event: stripeEvent("customer.subscription.created", { customerId: "cus_ghost" }),
    });
    await expect(handle({ deliveryId: ghost.id, workspaceId }, { attemptsMade: 1, attemptsAllowed: 4 })).rejects.toThrow(
      "The event has no email, and Stripe customer cus_ghost is not known yet. Stripe has no customer cus_ghost.",
    );
  } finally {
    await fake.close();
  }
});
