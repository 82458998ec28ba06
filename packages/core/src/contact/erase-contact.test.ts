import { expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { eraseContact } from "./erase-contact";

test("erasing a contact removes it, its events and payloads, keeps an audit record, and no old event brings it back", async ({
  db,
  appDb,
  box,
}) => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      enable: [{ eventType: "invoice.paid", triggerName: "paid" }],
    }),
  );
  const record = (event: ReturnType<typeof stripeEvent>) =>
    recordTestDelivery(db, { workspaceId: workspace.id, endpointId: endpoint.id, event });
  const apply = (deliveryId: string) => applyDelivery(appDb, { deliveryId, workspaceId: workspace.id });

  const first = stripeEvent("invoice.paid", { customerId: "cus_1", email: "Erase.Me@example.com" });
  await apply((await record(first)).id);
  const pending = await record(stripeEvent("invoice.paid", { customerId: "cus_1", email: "erase.me@example.com" }));
  await db.deliveryOutbox.create({ data: { deliveryId: pending.id, workspaceId: workspace.id } });
  const bystander = await record(stripeEvent("invoice.paid", { customerId: "cus_2", email: "keep@example.com" }));
  await apply(bystander.id);

  const audit = await withWorkspace(appDb, workspace.id, (tx) =>
    eraseContact(tx, { workspaceId: workspace.id, email: " ERASE.me@example.com", requestedBy: "dpo@acme.test" }),
  );
  expect(audit).toMatchObject({ contactDeleted: true, triggerEventsDeleted: 1, deliveriesRedacted: 2 });

  expect(await db.contact.findMany({ where: { workspaceId: workspace.id }, select: { email: true } })).toEqual([
    { email: "keep@example.com" },
  ]);
  expect(await db.triggerEvent.count({ where: { workspaceId: workspace.id } })).toBe(1);
  const deliveries = await db.delivery.findMany({ where: { workspaceId: workspace.id } });
  const text = JSON.stringify(deliveries.filter((delivery) => delivery.id !== bystander.id));
  expect(text).not.toMatch(/erase\.me/i);
  expect(deliveries.find((delivery) => delivery.id === pending.id)).toMatchObject({
    status: "ignored",
    payload: { erased: true },
  });
  expect(await db.deliveryOutbox.count({ where: { deliveryId: pending.id } })).toBe(0);
  expect(JSON.stringify(await db.contactEvent.findMany({ where: { workspaceId: workspace.id } }))).not.toMatch(/erase\.me/i);

  const [kept] = await db.erasureAudit.findMany({ where: { workspaceId: workspace.id } });
  expect(kept).toMatchObject({ requestedBy: "dpo@acme.test", contactDeleted: true });
  expect(JSON.stringify(kept)).not.toMatch(/erase\.me/i);

  // Stripe resends an old event naming the erased email: it does not come back.
  const replayed = await record(stripeEvent("invoice.paid", { customerId: "cus_9", email: "erase.me@example.com" }));
  expect(await apply(replayed.id)).toMatchObject({
    status: "processed",
    contactId: null,
    reason: expect.stringContaining("erased"),
  });
  expect(await db.contact.count({ where: { workspaceId: workspace.id, email: "erase.me@example.com" } })).toBe(0);
  expect(await db.triggerEvent.count({ where: { workspaceId: workspace.id } })).toBe(1);
});

test("explains an erasure request without an email", async ({ db, appDb }) => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  await expect(
    withWorkspace(appDb, workspace.id, (tx) => eraseContact(tx, { workspaceId: workspace.id, email: "nope", requestedBy: "x" })),
  ).rejects.toThrow("Enter the email address to erase.");
});
