import { describe, expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { createDestination } from "../destination/create-destination";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { applyDelivery } from "./apply-delivery";
import { dryRunDelivery } from "./dry-run-delivery";

describe("a dry run says what an event would do, and writes nothing", () => {
  test("a new customer: the contact it would create, its trigger event and the messages, and afterwards nothing of it exists", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId,
        name: "Stripe",
        enable: [{ eventType: "customer.created", triggerName: "signedUp" }],
      }),
    );
    await withWorkspace(db, workspaceId, (tx) =>
      createDestination(tx, {
        box,
        workspaceId,
        name: "CRM",
        url: "http://127.0.0.1:9/hooks",
        triggers: "all",
        contactChanges: true,
        allowPrivateTargets: true,
      }),
    );
    const event = stripeEvent("customer.created", { customerId: "cus_1", email: "Ada@Example.com", name: "Ada Lovelace" });

    const result = await dryRunDelivery(appDb, { workspaceId, endpointId: endpoint.id, event });

    expect(result).toEqual({
      outcome: "processed",
      reason: "Created contact ada@example.com.",
      alreadyApplied: false,
      contacts: [
        {
          change: "created",
          after: {
            email: "ada@example.com",
            firstName: "Ada",
            lastName: "Lovelace",
            subscribed: true,
            subscriptionStatus: null,
            plan: null,
            mrr: 0,
          },
        },
      ],
      triggers: [{ name: "signedUp", properties: expect.any(Object), email: "ada@example.com" }],
      messages: expect.arrayContaining([
        { destinationId: expect.any(String), destinationName: "CRM", type: "trigger.fired" },
        { destinationId: expect.any(String), destinationName: "CRM", type: "contact.created" },
      ]),
    });
    for (const table of [db.contact, db.contactEvent, db.triggerEvent, db.message, db.delivery] as const) {
      expect(await (table as typeof db.contact).count({ where: { workspaceId } })).toBe(0);
    }
  });

  test("an email change and a deletion show each contact before and after; an event applied before changes nothing", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId,
        name: "Stripe",
        enable: [{ eventType: "customer.created" }, { eventType: "customer.updated" }, { eventType: "customer.deleted" }],
        onCustomerDeleted: "delete",
      }),
    );
    const created = stripeEvent("customer.created", { created: 1_700_000_000, customerId: "cus_1", email: "ada@example.com" });
    const delivery = await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event: created });
    await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
    const run = (event: unknown) => dryRunDelivery(appDb, { workspaceId, endpointId: endpoint.id, event });

    const moved = await run(
      stripeEvent("customer.updated", { created: 1_700_000_100, customerId: "cus_1", email: "ada@lovelace.example" }),
    );
    expect(moved).toMatchObject({
      outcome: "processed",
      reason: "Changed the contact's email from ada@example.com to ada@lovelace.example.",
      contacts: [{ change: "updated", before: { email: "ada@example.com" }, after: { email: "ada@lovelace.example" } }],
    });
    expect(await run(stripeEvent("customer.deleted", { created: 1_700_000_200, customerId: "cus_1" }))).toMatchObject({
      outcome: "processed",
      contacts: [{ change: "deleted", before: { email: "ada@example.com" } }],
    });
    expect(await run(created)).toMatchObject({ outcome: "processed", alreadyApplied: true, contacts: [], triggers: [] });
    expect(await db.contact.findMany({ where: { workspaceId }, select: { email: true } })).toEqual([
      { email: "ada@example.com" },
    ]);
  });

  test("what ingest would ignore, what is not an event, and another workspace's endpoint are said so", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const rival = await createWorkspace(db, { name: "Rival" });
    const workspaceId = workspace.id;
    const endpoint = await withWorkspace(db, workspaceId, (tx) =>
      createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [{ eventType: "customer.created" }] }),
    );
    const run = (event: unknown, endpointId = endpoint.id, inWorkspace = workspaceId) =>
      dryRunDelivery(appDb, { workspaceId: inWorkspace, endpointId, event });

    expect(await run(stripeEvent("invoice.paid"))).toEqual({
      outcome: "ignored",
      reason: "invoice.paid is not enabled on this endpoint.",
    });
    expect(await run(stripeEvent("balance.available"))).toMatchObject({ outcome: "ignored" });
    expect(await run({ hello: "world" })).toMatchObject({ outcome: "invalid" });
    await expect(run(stripeEvent("customer.created"), endpoint.id, rival.id)).rejects.toThrow("endpoint not found");
  });
});
