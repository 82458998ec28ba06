import { pino } from "pino";
import { expect } from "vitest";
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
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
