import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { applyDelivery } from "../delivery/apply-delivery";
import { createDestination } from "../destination/create-destination";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { applyContactChange, applyContactChangeInWorkspace, type ApplyContactChangeOptions } from "./apply-contact-change";
import { API_EVENT_PREFIX } from "./contact-history";
import { eraseContact } from "./erase-contact";

const second = (offset: number) => new Date((1_700_000_000 + offset) * 1000);

describe("changes from the workspace's own app join the contact history", () => {
  test("an API update and a Stripe update of one contact end as their times say, whichever is applied first", async ({
    db,
    appDb,
    box,
  }) => {
    for (const apiFirst of [true, false]) {
      const workspace = await createWorkspace(db, { name: "Acme" });
      const workspaceId = workspace.id;
      const endpoint = await withWorkspace(db, workspaceId, (tx) =>
        createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [{ eventType: "customer.updated" }] }),
      );
      const stripe = (created: number, name: string) => async () => {
        const event = stripeEvent("customer.updated", { created, customerId: "cus_1", email: "ada@example.com", name });
        const delivery = await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event });
        await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
      };
      const api = async () => {
        const outcome = await applyContactChange(appDb, {
          workspaceId,
          eventId: `${API_EVENT_PREFIX}${randomUUID()}`,
          created: second(20),
          customerId: null,
          email: "Ada@Example.com",
          name: { lastName: "King" },
          authoritative: true,
          subscribed: false,
          origin: "api",
        });
        expect(outcome).toMatchObject({ status: "applied" });
      };
      // Stripe's first event is older than the API write, its second newer.
      const steps = apiFirst
        ? [api, stripe(1_700_000_010, "Ada Lovelace"), stripe(1_700_000_030, "Ada Byron")]
        : [stripe(1_700_000_030, "Ada Byron"), stripe(1_700_000_010, "Ada Lovelace"), api];
      for (const step of steps) await step();

      const contacts = await db.contact.findMany({ where: { workspaceId } });
      expect(contacts, `API first: ${apiFirst}`).toMatchObject([
        { email: "ada@example.com", firstName: "Ada", lastName: "Byron", subscribed: false, stripeCustomerId: "cus_1" },
      ]);
    }
  });

  test("a name left out keeps the contact's; a new email is a contact whose source is the API", async ({ db, appDb }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const change = (options: Partial<ApplyContactChangeOptions>) =>
      applyContactChange(appDb, {
        workspaceId: workspace.id,
        eventId: `${API_EVENT_PREFIX}${randomUUID()}`,
        created: new Date(),
        customerId: null,
        email: "grace@example.com",
        authoritative: true,
        origin: "api",
        ...options,
      });
    const created = await change({ name: { firstName: "Grace", lastName: "Hopper" } });
    await change({ name: { firstName: "Amazing Grace" } });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: created.status === "applied" ? created.contactId! : "" } });
    expect(contact).toMatchObject({ firstName: "Amazing Grace", lastName: "Hopper", subscribed: true, source: "API" });
  });

  test("a trigger event fired for a new email creates its contact, fires once however often it is applied, and reaches destinations", async ({
    db,
    appDb,
    box,
  }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
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
    const fire: ApplyContactChangeOptions = {
      workspaceId,
      eventId: `${API_EVENT_PREFIX}${randomUUID()}`,
      created: new Date(),
      customerId: null,
      email: "linus@example.com",
      authoritative: false,
      triggers: [{ name: "signedUp", properties: { plan: "pro" } }],
      origin: "api",
    };
    const first = await applyContactChange(appDb, fire);
    const again = await applyContactChange(appDb, fire);

    expect(first).toMatchObject({ status: "applied", fired: [{ name: "signedUp", stripeEventType: "api" }] });
    expect(first.status === "applied" && first.messageIds).toHaveLength(2);
    expect(again).toMatchObject({ status: "applied", fired: [], messageIds: [] });
    expect(await db.triggerEvent.findMany({ where: { workspaceId }, select: { name: true, properties: true } })).toEqual([
      { name: "signedUp", properties: { plan: "pro" } },
    ]);
    const messages = await db.message.findMany({ where: { workspaceId }, select: { type: true } });
    expect(messages.map((message) => message.type).sort()).toEqual(["contact.created", "trigger.fired"]);
  });

  test("an erased email is refused and nothing is written", async ({ db, appDb }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    await withWorkspace(appDb, workspaceId, (tx) =>
      eraseContact(tx, { workspaceId, email: "ada@example.com", requestedBy: "dpo" }),
    );

    const outcome = await applyContactChange(appDb, {
      workspaceId,
      eventId: `${API_EVENT_PREFIX}${randomUUID()}`,
      created: new Date(),
      customerId: null,
      email: "ada@example.com",
      name: { firstName: "Ada" },
      authoritative: true,
      triggers: [{ name: "signedUp", properties: {} }],
      origin: "api",
    });
    expect(outcome).toEqual({ status: "erased" });
    expect(await db.contact.count({ where: { workspaceId } })).toBe(0);
    expect(await db.contactEvent.count({ where: { workspaceId } })).toBe(0);
  });

  test("inside a workspace transaction it commits, or rolls back, with the caller's own writes", async ({ db, appDb }) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const workspaceId = workspace.id;
    const change = (email: string): ApplyContactChangeOptions => ({
      workspaceId,
      eventId: `${API_EVENT_PREFIX}${randomUUID()}`,
      created: new Date(),
      customerId: null,
      email,
      name: { firstName: "Ada" },
      authoritative: true,
      triggers: [{ name: "signedUp", properties: {} }],
      origin: "api",
    });
    await expect(
      withWorkspace(appDb, workspaceId, async (tx) => {
        await applyContactChangeInWorkspace(tx, change("rolled@example.com"));
        throw new Error("the caller's write failed");
      }),
    ).rejects.toThrow("the caller's write failed");
    const kept = await withWorkspace(appDb, workspaceId, (tx) => applyContactChangeInWorkspace(tx, change("kept@example.com")));

    expect(kept).toMatchObject({ status: "applied", fired: [{ name: "signedUp", stripeEventType: "api" }] });
    expect(await db.contact.findMany({ where: { workspaceId }, select: { email: true, firstName: true } })).toEqual([
      { email: "kept@example.com", firstName: "Ada" },
    ]);
    expect(await db.triggerEvent.count({ where: { workspaceId } })).toBe(1);
  });
});
