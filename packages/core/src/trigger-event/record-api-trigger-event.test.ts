import { expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { eraseContact } from "../contact/erase-contact";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { recordApiTriggerEvent } from "./record-api-trigger-event";

test("an event fired through the API is its contact's, with no message where no destination exists, and none once erased", async ({
  db,
  appDb,
  box,
}) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const workspaceId = workspace.id;
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
  const endpoint = await inWorkspace((tx) =>
    createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [{ eventType: "invoice.paid", triggerName: "paid" }] }),
  );
  const delivery = await recordTestDelivery(db, {
    workspaceId,
    endpointId: endpoint.id,
    event: stripeEvent("invoice.paid", { customerId: "cus_1", email: "ada@example.com" }),
  });
  await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });

  const fired = await inWorkspace((tx) =>
    recordApiTriggerEvent(tx, { workspaceId, email: " ADA@example.com", name: "signedUp", properties: { plan: "pro" } }),
  );
  expect(fired).toMatchObject({ messageIds: [], triggerEvent: { name: "signedUp", contact: { email: "ada@example.com" } } });
  expect(await db.triggerEvent.count({ where: { workspaceId } })).toBe(2);

  await inWorkspace((tx) => eraseContact(tx, { workspaceId, email: "ada@example.com", requestedBy: "dpo" }));
  await expect(
    inWorkspace((tx) => recordApiTriggerEvent(tx, { workspaceId, email: "ada@example.com", name: "signedUp", properties: {} })),
  ).rejects.toThrow("contact not found");
  expect(await db.triggerEvent.count({ where: { workspaceId } })).toBe(0);
});
