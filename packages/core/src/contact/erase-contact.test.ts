import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment, recordTestDelivery, stripeEvent, type TestEnvironment } from "@hookloop/testing";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { eraseContact } from "./erase-contact";

let environment: TestEnvironment;
let db: Db;
let appDb: Db;

beforeAll(async () => {
  environment = await createTestEnvironment();
  db = createDb({ connectionString: environment.databaseUrl, max: 4 });
  appDb = createDb({ connectionString: environment.databaseUrl, max: 4, role: "hookloop_app" });
});
afterAll(async () => {
  await db.$disconnect();
  await appDb.$disconnect();
  await environment.cleanup();
});

it("erasing a contact removes it, its events and payloads, keeps an audit record, and no old event brings it back", async () => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const box = new SecretBox(parseKeyring(environment.encryptionKeys));
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

it("explains an erasure request without an email", async () => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  await expect(
    withWorkspace(appDb, workspace.id, (tx) => eraseContact(tx, { workspaceId: workspace.id, email: "nope", requestedBy: "x" })),
  ).rejects.toThrow("Enter the email address to erase.");
});
