// Replay from the dashboard: an ignored or failed delivery goes back to the queue and is applied
// once; anything else is refused with the reason.
import { expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";
import type { SecretBox } from "@hookloop/secrets";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { InvalidInputError, NotFoundError } from "../errors";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { applyDelivery } from "./apply-delivery";
import { replayDelivery } from "./replay-delivery";

type Kit = { db: Db; appDb: Db; box: SecretBox; queue: TypedQueue<"deliveries"> };

async function ignoredDelivery({ db, appDb, box, queue }: Kit) {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }],
    }),
  );
  const event = stripeEvent("invoice.paid", { customerId: "cus_1", email: "ada@example.com" });
  const delivery = await recordTestDelivery(db, { workspaceId: workspace.id, endpointId: endpoint.id, event });
  await db.delivery.update({ where: { id: delivery.id }, data: { status: "ignored", reason: "invoice.paid was not enabled." } });
  const replay = (deliveryId = delivery.id, workspaceId = workspace.id) =>
    withWorkspace(appDb, workspaceId, (tx) => replayDelivery(tx, { queue, workspaceId, deliveryId }));
  const apply = () => applyDelivery(appDb, { deliveryId: delivery.id, workspaceId: workspace.id });
  return { workspace, delivery, replay, apply };
}

const test = baseTest.extend(
  "ignoredDelivery",
  ({ db, appDb, box, queue }) =>
    () =>
      ignoredDelivery({ db, appDb, box, queue }),
);

test("an ignored delivery is queued again and, once applied, fires its trigger once", async ({ ignoredDelivery, db, queue }) => {
  const { workspace, delivery, replay, apply } = await ignoredDelivery();
  expect(await replay()).toEqual({ id: delivery.id, status: "queued" });
  expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
    status: "queued",
    reason: "Replayed.",
  });
  expect(await queue.queue.getJob(delivery.id)).toMatchObject({ data: { deliveryId: delivery.id, workspaceId: workspace.id } });
  expect(await db.deliveryOutbox.count({ where: { deliveryId: delivery.id } })).toBe(1);

  await apply();
  await apply();
  expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "processed" });
  expect(await db.deliveryOutbox.count({ where: { deliveryId: delivery.id } })).toBe(0);
  expect(await db.triggerEvent.count({ where: { workspaceId: workspace.id, name: "successfulPayment" } })).toBe(1);
});

test("a processed delivery is not replayed, and says why", async ({ ignoredDelivery, db }) => {
  const { delivery, replay, apply } = await ignoredDelivery();
  await replay();
  await apply();
  await expect(replay()).rejects.toThrow(
    new InvalidInputError("Only failed or ignored deliveries can be replayed; this one is processed."),
  );
  expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "processed" });
});

test("another workspace's delivery, or an id that names none, is not found and stays as it was", async ({
  ignoredDelivery,
  db,
  queue,
}) => {
  const { delivery, replay } = await ignoredDelivery();
  const stranger = await createWorkspace(db, { name: "Other" });
  await expect(replay(delivery.id, stranger.id)).rejects.toThrow(NotFoundError);
  await expect(replay("not-a-delivery-id")).rejects.toThrow(NotFoundError);
  expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "ignored" });
  expect(await queue.queue.getJob(delivery.id)).toBeUndefined();
});

test("a delivery of an event type Hookloop does not handle is not replayed, and says why", async ({
  ignoredDelivery,
  db,
  queue,
}) => {
  const { delivery, replay } = await ignoredDelivery();
  await db.delivery.update({ where: { id: delivery.id }, data: { type: "customer.tax_id.created" } });
  await expect(replay()).rejects.toThrow(
    new InvalidInputError("Hookloop does not handle customer.tax_id.created events, so a replay could only ignore it again."),
  );
  expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "ignored" });
  expect(await queue.queue.getJob(delivery.id)).toBeUndefined();
});
