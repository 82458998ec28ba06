import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { createDb, type Db } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment, recordTestDelivery, stripeEvent, type TestEnvironment } from "@hookloop/testing";
import { createDeliveryHandler } from "../src/handle-delivery";

let environment: TestEnvironment;
let db: Db;

beforeAll(async () => {
  environment = await createTestEnvironment();
  db = createDb({ connectionString: environment.databaseUrl, max: 2 });
});
afterAll(async () => {
  await db.$disconnect();
  await environment.cleanup();
});

it("retries an event it cannot place yet, and on the last attempt fails its delivery with the reason", async () => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const box = new SecretBox(parseKeyring(environment.encryptionKeys));
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
